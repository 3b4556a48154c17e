/* A JSBridge channel: carries call blocks from one app's JS thread (the client) to an endpoint
 * and replies and events back. It knows nothing of what is at the other end: an endpoint table
 * (mprtc__endpoint) plugs the SDK in, or the host's own methods, or later the view layer. It
 * owns nothing but the messages in flight.
 *
 * A message is JSON text with, optionally, a byte attachment beside it: binary payloads (data
 * channel messages, frames) travel as bytes, never as base64 inside the JSON. A block or reply
 * with an attachment says so in its "bytes" member (docs/bridge.md).
 *
 * Thread rules are given per function: "client thread" is the thread iterating the
 * client_context given to mprtc__bridge_new (the app's JS thread).
 */
#ifndef MPRTC_BRIDGE_BRIDGE_H
#define MPRTC_BRIDGE_BRIDGE_H

#include <glib.h>
#include <stddef.h>

#include "base/loop.h"

typedef struct mprtc__bridge mprtc__bridge;

typedef struct {
  char *text;    /* JSON, NUL-terminated (malloc'd) */
  size_t len;    /* of text, without the NUL */
  GBytes *bytes; /* the attachment, or NULL */
} mprtc__message;

/* A message of text (malloc'd, taken) and bytes (taken; may be NULL). */
mprtc__message *mprtc__message_new(char *text, size_t len, GBytes *bytes);
void mprtc__message_free(mprtc__message *msg);

/* What is at the far end of a channel. Both functions run on the client thread. */
typedef struct {
  /* One block from the client, stamped with its app (msg taken). */
  void (*submit)(void *data, mprtc__bridge *channel, mprtc__message *msg);
  /* The channel closed: runs once, after every submit. The endpoint lets go of what it holds
   * for the channel (the SDK closes the app's objects). */
  void (*detach)(void *data, mprtc__bridge *channel);
} mprtc__endpoint;

/* Receives, on the client thread, one reply or event, in arrival order. msg is borrowed, but the
 * function may take its bytes (and set msg->bytes to NULL). */
typedef void (*mprtc__bridge_deliver_fn)(mprtc__message *msg, void *user_data);

/* Client thread. Opens a channel from the app app_id (a valid app ID, stamped on every block)
 * to endpoint (endpoint_data is its own). owner is whatever the endpoint needs to know of the
 * app (the app record); release, when not NULL, is called on it when the channel is freed.
 * client_loop, when not NULL, is told about traffic so that it spins briefly for replies. */
mprtc__bridge *mprtc__bridge_new(const mprtc__endpoint *endpoint, void *endpoint_data, const char *app_id,
                                 void *owner, GDestroyNotify release, GMainContext *client_context,
                                 mprtc__loop *client_loop, mprtc__bridge_deliver_fn deliver, void *user_data);

/* Client thread. Sends one call block (text copied, bytes taken and may be NULL). The channel
 * stamps the app on it: a text that starts with '{' gets "app":"<app>" inserted as its first
 * member (so a block that names an app itself has a duplicate key and is refused). Returns 0 or
 * MPRTC_E_CLOSED. */
int mprtc__bridge_post(mprtc__bridge *channel, const char *text, size_t len, GBytes *bytes);

/* The same without copying: mprtc__bridge_block_alloc returns a buffer (malloc'd) with room for
 * a block of up to max_len bytes written at buffer + *offset; mprtc__bridge_post_block takes
 * the buffer with the len bytes written there (and bytes), stamps the app in place and sends
 * it. */
char *mprtc__bridge_block_alloc(const mprtc__bridge *channel, size_t max_len, size_t *offset);
int mprtc__bridge_post_block(mprtc__bridge *channel, char *buffer, size_t offset, size_t len, GBytes *bytes);

/* Client thread. Closes the channel: nothing is delivered afterwards, and the endpoint is told
 * (detach) after everything sent before. Drops the caller's reference. */
void mprtc__bridge_close(mprtc__bridge *channel);

/* Client thread. The mailbox of replies and events (for the client loop's spin), NULL once
 * closed. */
mprtc__mailbox *mprtc__bridge_inbox(mprtc__bridge *channel);

/* Any thread. */
mprtc__bridge *mprtc__bridge_ref(mprtc__bridge *channel);
void mprtc__bridge_unref(mprtc__bridge *channel);
const char *mprtc__bridge_app_id(const mprtc__bridge *channel);
void *mprtc__bridge_owner(const mprtc__bridge *channel);

/* Endpoint side, any thread. Queues one reply or event (taken) for the client; dropped when
 * the channel is closed. */
void mprtc__bridge_send(mprtc__bridge *channel, mprtc__message *msg);

#endif
