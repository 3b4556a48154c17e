/* The native SDK: one thread running GStreamer and owning every WebRTC object of every app of a
 * container. Apps reach it through bridge channels to its endpoint (mprtc__sdk_endpoint); its
 * features are the modules of src/sdk/core/modules.c.
 *
 * Thread rules: mprtc__sdk_new and mprtc__sdk_free from any thread but the SDK thread;
 * mprtc__sdk_post and the endpoint's functions from any thread; the rest on the SDK thread.
 */
#ifndef MPRTC_SDK_SDK_H
#define MPRTC_SDK_SDK_H

#include <glib.h>

#include "app/app.h"
#include "base/loop.h"
#include "base/mailbox.h"
#include "bridge/bridge.h"
#include "sdk/core/dispatch.h"
#include "sdk/core/module.h"
#include "sdk/core/registry.h"

struct mprtc__sdk {
  GThread *thread;
  GMainContext *context;      /* the SDK thread's context: webrtcbin callbacks are re-posted here */
  mprtc__loop loop;
  mprtc__mailbox *requests;   /* call blocks and channel detaches from the apps' JS threads */
  mprtc__registry *registry;  /* SDK thread only */
  mprtc__dispatch *dispatch;  /* read-only after start */
  void **module_state;        /* one per module of mprtc__sdk_modules; SDK thread */

  GThreadPool *background;    /* runs blocking work (webrtcbin to NULL, warm-up) off the SDK thread */
  GMutex background_lock;
  GCond background_cond;
  guint background_pending;   /* guarded by background_lock */

  GMutex start_lock;
  GCond start_cond;
  gboolean started;
};

/* Starts the SDK thread and initialises GStreamer on it. Returns 0 and *out, or MPRTC_E_THREAD. */
int mprtc__sdk_new(mprtc__sdk **out);

/* Closes every object of every app, stops the SDK thread and frees the SDK. Every channel to
 * it must have been closed first. */
void mprtc__sdk_free(mprtc__sdk *sdk);

/* The SDK's end of the bridge (endpoint data: the mprtc__sdk; the channel's owner: the app
 * record). src/sdk/core/endpoint.c: decodes each block, checks its app, finds the method and
 * the target, and calls the handler. */
extern const mprtc__endpoint mprtc__sdk_endpoint;

/* Any thread. Runs fn(data) on the SDK thread, holding a reference to obj (which may be NULL)
 * meanwhile; when obj is closed by then, fn is not called. destroy (may be NULL) frees data
 * either way. This is how webrtcbin's signal handlers hand their arguments to the SDK thread. */
void mprtc__sdk_post(mprtc__sdk *sdk, mprtc__object *obj, void (*fn)(mprtc__object *obj, void *data),
                     void *data, GDestroyNotify destroy);

/* SDK thread. Runs fn(data, NULL) on a background thread: for work that may block (a webrtcbin
 * pipeline going to NULL can hang while data is in flight) or takes long (the warm-up).
 * mprtc__sdk_free waits for these, up to a bound, and leaves behind (with a warning) one that
 * hangs. */
void mprtc__sdk_run_in_background(mprtc__sdk *sdk, GFunc fn, void *data);

/* Background thread (mprtc__sdk_run_in_background). Does ahead of time, once per process, the
 * slow work of a process's first connection (src/sdk/core/warmup.c). */
void mprtc__sdk_warm_up(gpointer unused, gpointer unused_too);

/* SDK thread (src/sdk/core/endpoint.c): one queued block or detach. */
void mprtc__sdk_handle_items(GPtrArray *items, void *sdk);
void mprtc__sdk_item_free(gpointer item);

/* SDK thread (src/sdk/core/permission.c). Asks for each of permissions (NULL-terminated:
 * "camera", "microphone") that app has no answer for yet, then calls done(denied, data): denied
 * is NULL when every one is granted, else one that is not (valid during the call). done may run
 * before this returns. The app's permission handler is asked on the app's context. */
void mprtc__permission_check(mprtc__sdk *sdk, mprtc_app *app, const char *const *permissions,
                             void (*done)(const char *denied, void *data), void *data);
/* SDK thread. Whether app was granted permission. */
gboolean mprtc__permission_granted(mprtc_app *app, const char *permission);
/* SDK thread, as the SDK stops: a request the host still holds is answered into the void. */
void mprtc__permission_orphan_all(mprtc__sdk *sdk);

#endif
