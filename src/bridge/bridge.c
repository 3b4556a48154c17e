/* The JSBridge channel: see bridge.h. */
#include "bridge/bridge.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"
#include "sdk/core/sdk-internal.h"

struct mprtc__bridge {
  gint refcount;
  char *app;
  char *app_member;     /* "\"app\":\"<app>\"", stamped into every block */
  size_t app_member_len;
  mprtc_sdk *sdk;
  mprtc__loop *js_loop;
  mprtc__bridge_deliver_fn deliver;
  void *user_data;

  GMutex lock;          /* orders mprtc__bridge_send against mprtc__bridge_close */
  gboolean closed;      /* guarded by lock */
  mprtc__mailbox *inbox;/* SDK -> JS messages (malloc'd strings); guarded by lock once closed */
};

/* One delivery per message: each reply or event is its own task for the JS side, so promise
 * reactions (microtasks) run between them as they would in a browser. */
static void deliver_batch(GPtrArray *items, void *user_data) {
  mprtc__bridge *bridge = user_data;
  if (bridge->js_loop) mprtc__loop_note_traffic(bridge->js_loop);
  for (guint i = 0; i < items->len && !bridge->closed; i++) {
    const char *msg = items->pdata[i];
    bridge->deliver(msg, strlen(msg), bridge->user_data);
  }
}

mprtc__bridge *mprtc__bridge_new(mprtc_sdk *sdk, const char *app, GMainContext *js_context,
                                 mprtc__loop *js_loop, mprtc__bridge_deliver_fn deliver,
                                 void *user_data) {
  mprtc__bridge *bridge = g_new0(mprtc__bridge, 1);
  bridge->refcount = 1;
  bridge->app = g_strdup(app);
  bridge->app_member = g_strdup_printf("\"app\":\"%s\"", app);
  bridge->app_member_len = strlen(bridge->app_member);
  bridge->sdk = sdk;
  bridge->js_loop = js_loop;
  bridge->deliver = deliver;
  bridge->user_data = user_data;
  g_mutex_init(&bridge->lock);
  bridge->inbox = mprtc__mailbox_new(js_context, deliver_batch, bridge, free);
  return bridge;
}

char *mprtc__bridge_block_alloc(const mprtc__bridge *bridge, size_t max_len, size_t *offset) {
  /* Room in front for "{" + the app member + "," minus the block's own "{". */
  *offset = 1 + bridge->app_member_len;
  return malloc(*offset + max_len + 1);
}

int mprtc__bridge_post_block(mprtc__bridge *bridge, char *buffer, size_t offset, size_t len) {
  if (bridge->closed) { /* only the JS thread writes closed */
    free(buffer);
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
    memcpy(buffer + 1, bridge->app_member, bridge->app_member_len);
    memcpy(buffer + offset, "}", 1);
    total = offset + 1;
  } else {
    /* {rest becomes {"app":"x",rest in place: the block's "{" turns into the comma. */
    buffer[0] = '{';
    memcpy(buffer + 1, bridge->app_member, bridge->app_member_len);
    body[0] = ',';
    total = offset + len;
  }
  buffer[total] = '\0';
  if (bridge->js_loop) mprtc__loop_note_traffic(bridge->js_loop);
  mprtc__sdk_submit(bridge->sdk, bridge, buffer, total);
  return 0;
}

int mprtc__bridge_post(mprtc__bridge *bridge, const char *text, size_t len) {
  size_t offset;
  char *buffer = mprtc__bridge_block_alloc(bridge, len, &offset);
  if (!buffer) return MPRTC_E_NOMEM;
  memcpy(buffer + offset, text, len);
  return mprtc__bridge_post_block(bridge, buffer, offset, len);
}

void mprtc__bridge_send(mprtc__bridge *bridge, char *message) {
  g_mutex_lock(&bridge->lock);
  if (bridge->closed)
    free(message);
  else
    mprtc__mailbox_push(bridge->inbox, message);
  g_mutex_unlock(&bridge->lock);
}

void mprtc__bridge_close(mprtc__bridge *bridge) {
  g_mutex_lock(&bridge->lock);
  bridge->closed = TRUE;
  mprtc__mailbox *inbox = bridge->inbox;
  bridge->inbox = NULL;
  g_mutex_unlock(&bridge->lock);
  mprtc__mailbox_free(inbox);
  mprtc__sdk_detach(bridge->sdk, bridge);
  mprtc__bridge_unref(bridge);
}

mprtc__bridge *mprtc__bridge_ref(mprtc__bridge *bridge) {
  g_atomic_int_inc(&bridge->refcount);
  return bridge;
}

void mprtc__bridge_unref(mprtc__bridge *bridge) {
  if (!bridge || !g_atomic_int_dec_and_test(&bridge->refcount)) return;
  if (bridge->inbox) mprtc__mailbox_free(bridge->inbox);
  g_mutex_clear(&bridge->lock);
  g_free(bridge->app_member);
  g_free(bridge->app);
  g_free(bridge);
}

const char *mprtc__bridge_app(const mprtc__bridge *bridge) { return bridge->app; }

mprtc__mailbox *mprtc__bridge_inbox(mprtc__bridge *bridge) { return bridge->inbox; }
