/* The JSBridge channel: see bridge.h. */
#include "bridge/bridge.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"

struct mprtc__bridge {
  gint refcount;
  char *app;
  char *app_member;     /* "\"app\":\"<app>\"", stamped into every block */
  size_t app_member_len;
  const mprtc__endpoint *endpoint;
  void *endpoint_data;
  void *owner;
  GDestroyNotify release;
  mprtc__loop *client_loop;
  mprtc__bridge_deliver_fn deliver;
  void *user_data;

  GMutex lock;          /* orders mprtc__bridge_send against mprtc__bridge_close */
  gboolean closed;      /* guarded by lock; written only on the client thread */
  mprtc__mailbox *inbox;/* endpoint -> client messages; guarded by lock once closed */
};

mprtc__message *mprtc__message_new(char *text, size_t len, GBytes *bytes) {
  mprtc__message *msg = g_new(mprtc__message, 1);
  msg->text = text;
  msg->len = len;
  msg->bytes = bytes;
  return msg;
}

void mprtc__message_free(mprtc__message *msg) {
  if (!msg) return;
  free(msg->text);
  if (msg->bytes) g_bytes_unref(msg->bytes);
  g_free(msg);
}

/* One delivery per message: each reply or event is its own task for the client, so promise
 * reactions (microtasks) run between them as they would in a browser. */
static void deliver_batch(GPtrArray *items, void *user_data) {
  mprtc__bridge *channel = user_data;
  if (channel->client_loop) mprtc__loop_note_traffic(channel->client_loop);
  for (guint i = 0; i < items->len && !channel->closed; i++) channel->deliver(items->pdata[i], channel->user_data);
}

mprtc__bridge *mprtc__bridge_new(const mprtc__endpoint *endpoint, void *endpoint_data, const char *app_id,
                                 void *owner, GDestroyNotify release, GMainContext *client_context,
                                 mprtc__loop *client_loop, mprtc__bridge_deliver_fn deliver, void *user_data) {
  mprtc__bridge *channel = g_new0(mprtc__bridge, 1);
  channel->refcount = 1;
  channel->app = g_strdup(app_id);
  channel->app_member = g_strdup_printf("\"app\":\"%s\"", app_id);
  channel->app_member_len = strlen(channel->app_member);
  channel->endpoint = endpoint;
  channel->endpoint_data = endpoint_data;
  channel->owner = owner;
  channel->release = release;
  channel->client_loop = client_loop;
  channel->deliver = deliver;
  channel->user_data = user_data;
  g_mutex_init(&channel->lock);
  channel->inbox = mprtc__mailbox_new(client_context, deliver_batch, channel, (GDestroyNotify)mprtc__message_free);
  return channel;
}

char *mprtc__bridge_block_alloc(const mprtc__bridge *channel, size_t max_len, size_t *offset) {
  /* Room in front for "{" + the app member + "," minus the block's own "{". */
  *offset = 1 + channel->app_member_len;
  return malloc(*offset + max_len + 1);
}

int mprtc__bridge_post_block(mprtc__bridge *channel, char *buffer, size_t offset, size_t len, GBytes *bytes) {
  if (channel->closed) { /* only the client thread writes closed */
    free(buffer);
    if (bytes) g_bytes_unref(bytes);
    return MPRTC_E_CLOSED;
  }
  char *body = buffer + offset;
  size_t total;
  size_t rest = 1;
  while (rest < len && strchr(" \t\r\n", body[rest])) rest++;
  if (len == 0 || body[0] != '{' || len > MPRTC__BLOCK_MAX_BYTES) {
    /* Not an object, or oversized: sent unchanged, the decoder refuses it with a reply. */
    memmove(buffer, body, len);
    total = len;
  } else if (rest < len && body[rest] == '}') {
    /* {} becomes {"app":"x"}: no comma. */
    memcpy(buffer, "{", 1);
    memcpy(buffer + 1, channel->app_member, channel->app_member_len);
    memcpy(buffer + offset, "}", 1);
    total = offset + 1;
  } else {
    /* {rest becomes {"app":"x",rest in place: the block's "{" turns into the comma. */
    buffer[0] = '{';
    memcpy(buffer + 1, channel->app_member, channel->app_member_len);
    body[0] = ',';
    total = offset + len;
  }
  buffer[total] = '\0';
  if (channel->client_loop) mprtc__loop_note_traffic(channel->client_loop);
  channel->endpoint->submit(channel->endpoint_data, channel, mprtc__message_new(buffer, total, bytes));
  return 0;
}

int mprtc__bridge_post(mprtc__bridge *channel, const char *text, size_t len, GBytes *bytes) {
  size_t offset;
  char *buffer = mprtc__bridge_block_alloc(channel, len, &offset);
  if (!buffer) {
    if (bytes) g_bytes_unref(bytes);
    return MPRTC_E_NOMEM;
  }
  memcpy(buffer + offset, text, len);
  return mprtc__bridge_post_block(channel, buffer, offset, len, bytes);
}

void mprtc__bridge_send(mprtc__bridge *channel, mprtc__message *msg) {
  g_mutex_lock(&channel->lock);
  if (channel->closed)
    mprtc__message_free(msg);
  else
    mprtc__mailbox_push(channel->inbox, msg);
  g_mutex_unlock(&channel->lock);
}

void mprtc__bridge_close(mprtc__bridge *channel) {
  g_mutex_lock(&channel->lock);
  channel->closed = TRUE;
  mprtc__mailbox *inbox = channel->inbox;
  channel->inbox = NULL;
  g_mutex_unlock(&channel->lock);
  mprtc__mailbox_free(inbox);
  channel->endpoint->detach(channel->endpoint_data, channel);
  mprtc__bridge_unref(channel);
}

mprtc__bridge *mprtc__bridge_ref(mprtc__bridge *channel) {
  g_atomic_int_inc(&channel->refcount);
  return channel;
}

void mprtc__bridge_unref(mprtc__bridge *channel) {
  if (!channel || !g_atomic_int_dec_and_test(&channel->refcount)) return;
  if (channel->inbox) mprtc__mailbox_free(channel->inbox);
  if (channel->release) channel->release(channel->owner);
  g_mutex_clear(&channel->lock);
  g_free(channel->app_member);
  g_free(channel->app);
  g_free(channel);
}

const char *mprtc__bridge_app_id(const mprtc__bridge *channel) { return channel->app; }

void *mprtc__bridge_owner(const mprtc__bridge *channel) { return channel->owner; }

mprtc__mailbox *mprtc__bridge_inbox(mprtc__bridge *channel) { return channel->inbox; }
