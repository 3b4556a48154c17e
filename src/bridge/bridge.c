/* The JSBridge channel: see bridge.h. */
#include "bridge/bridge.h"

#include <stdlib.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"
#include "sdk/sdk-internal.h"

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

/* Inserts the app member after the opening brace: {"app":"x",...} or {"app":"x"} for {}. */
static char *stamp_app(const mprtc__bridge *bridge, const char *text, size_t len, size_t *out_len) {
  size_t rest = 1;
  while (rest < len && strchr(" \t\r\n", text[rest])) rest++;
  gboolean empty = rest < len && text[rest] == '}';
  size_t n = 1 + bridge->app_member_len + (empty ? 0 : 1) + (len - 1);
  char *out = malloc(n + 1);
  if (!out) return NULL;
  char *p = out;
  *p++ = '{';
  memcpy(p, bridge->app_member, bridge->app_member_len);
  p += bridge->app_member_len;
  if (!empty) *p++ = ',';
  memcpy(p, text + 1, len - 1);
  p += len - 1;
  *p = '\0';
  *out_len = n;
  return out;
}

int mprtc__bridge_post(mprtc__bridge *bridge, const char *text, size_t len) {
  if (bridge->closed) return MPRTC_E_CLOSED; /* only the JS thread writes closed */
  char *block;
  size_t block_len = len;
  if (len > 0 && text[0] == '{' && len <= MPRTC__BLOCK_MAX_BYTES) {
    block = stamp_app(bridge, text, len, &block_len);
  } else {
    /* Not an object or oversized: pass it unchanged, the decoder refuses it with a reply. */
    block = malloc(len + 1);
    if (block) {
      memcpy(block, text, len);
      block[len] = '\0';
    }
  }
  if (!block) return MPRTC_E_NOMEM;
  if (bridge->js_loop) mprtc__loop_note_traffic(bridge->js_loop);
  mprtc__sdk_submit(bridge->sdk, bridge, block, block_len);
  return 0;
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
