/* The JSBridge channel of one app: carries call blocks from the app's JS thread to the SDK
 * thread and replies and events back. It owns nothing but the messages in flight.
 *
 * Thread rules are given per function: "JS thread" is the thread iterating the js_context
 * given to mprtc__bridge_new, "SDK thread" the SDK's.
 */
#ifndef MPRTC_BRIDGE_BRIDGE_H
#define MPRTC_BRIDGE_BRIDGE_H

#include <glib.h>
#include <stddef.h>

#include "base/loop.h"
#include "mprtc/sdk.h"

typedef struct mprtc__bridge mprtc__bridge;

/* Receives, on the JS thread, one reply or event (JSON text, NUL-terminated), in arrival
 * order. */
typedef void (*mprtc__bridge_deliver_fn)(const char *batch, size_t len, void *user_data);

/* JS thread. Opens the channel of app (a valid app ID) to sdk. js_loop, when not NULL, is
 * told about traffic so that it spins briefly for replies. */
mprtc__bridge *mprtc__bridge_new(mprtc_sdk *sdk, const char *app, GMainContext *js_context,
                                 mprtc__loop *js_loop, mprtc__bridge_deliver_fn deliver,
                                 void *user_data);

/* JS thread. Sends one call block. The runtime stamps the app on it: a text that starts with
 * '{' gets "app":"<app>" inserted as its first member (so a block that names an app itself has
 * a duplicate key and is refused). Returns 0 or MPRTC_E_CLOSED. */
int mprtc__bridge_post(mprtc__bridge *bridge, const char *text, size_t len);

/* The same without copying: mprtc__bridge_block_alloc returns a buffer (malloc'd) with room for
 * a block of up to max_len bytes written at buffer + *offset; mprtc__bridge_post_block takes
 * the buffer with the len bytes written there, stamps the app in place and sends it. */
char *mprtc__bridge_block_alloc(const mprtc__bridge *bridge, size_t max_len, size_t *offset);
int mprtc__bridge_post_block(mprtc__bridge *bridge, char *buffer, size_t offset, size_t len);

/* JS thread. Closes the channel: nothing is delivered afterwards, and the SDK closes every
 * object of the app. Drops the caller's reference. */
void mprtc__bridge_close(mprtc__bridge *bridge);

/* JS thread. The mailbox of replies and events (for the JS loop's spin), NULL once closed. */
mprtc__mailbox *mprtc__bridge_inbox(mprtc__bridge *bridge);

/* Any thread. */
mprtc__bridge *mprtc__bridge_ref(mprtc__bridge *bridge);
void mprtc__bridge_unref(mprtc__bridge *bridge);
const char *mprtc__bridge_app(const mprtc__bridge *bridge);

/* SDK thread (any thread is safe). Queues one reply or event text (malloc'd, taken) for the JS
 * thread; dropped when the channel is closed. */
void mprtc__bridge_send(mprtc__bridge *bridge, char *message);

#endif
