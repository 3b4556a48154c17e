/* The host API's insides (src/host/): the container, the host's own methods and the queue of
 * notices an app hands its host.
 *
 * Thread rules are given per function.
 */
#ifndef MPRTC_HOST_HOST_H
#define MPRTC_HOST_HOST_H

#include "app/app.h"
#include "bridge/bridge.h"
#include "bridge/codec.h"
#include "mprtc/container.h"

struct mprtc__sdk;
struct mprtc__view;

/* src/host/container.c. Any thread. The container's SDK. */
struct mprtc__sdk *mprtc__container_sdk(mprtc_container *container);
/* Any thread. Takes app's ID in the container: MPRTC_E_APP_EXISTS while another app has it. */
int mprtc__container_claim(mprtc_container *container, mprtc_app *app);
/* Any thread. Gives app's ID back. */
void mprtc__container_release(mprtc_container *container, mprtc_app *app);

/* src/host/app.c. The first run or the launch: the queue of notices, the view (a mini-program's,
 * taken; NULL for an app that runs scripts) and the JS thread. */
int mprtc__app_start(mprtc_app *app, struct mprtc__view *view);
/* Whether the app's options are frozen (MPRTC_E_BUSY), or the app is NULL (MPRTC_E_INVAL). */
int mprtc__app_frozen(mprtc_app *app);

/* src/host/methods.c: the end of the bridge for the host's own methods (endpoint data: the app;
 * the channel's owner: the app record). A block names "host.<name>"; the call goes to the
 * host's function on the app's context. */
extern const mprtc__endpoint mprtc__host_endpoint;

/* src/host/files.c. The JS thread. A block "File.<op>" or "File.choose" of the host channel
 * (checked: the app's own, params and, for writeFile, bytes only), attachment taken over. */
void mprtc__host_file_call(mprtc_app *app, mprtc__bridge *channel, mprtc__request *req, GBytes *attachment);
/* The JS thread, as the channel detaches: the queued file calls finish, the temp files go. */
void mprtc__host_files_close(mprtc_app *app);

/* src/host/notices.c. The host's thread (the one iterating app->context). The queue of what
 * the app tells its host, consumed on the app's context. */
mprtc__mailbox *mprtc__notices_new(mprtc_app *app);

#endif
