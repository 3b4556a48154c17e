/* The SDK's end of the bridge: call blocks and detaches from the apps' channels are queued for
 * the SDK thread, which decodes each block (src/bridge/codec.c), checks that it is from the app
 * its channel belongs to, finds the method (and whether the app may call it) and the target (an
 * object of that app), and hands a call to the handler. A refused block gets an error reply and
 * changes nothing.
 *
 * Work posted from other threads (mprtc__sdk_post: webrtcbin's signals, a host's answers) goes
 * into the same queue, so that a burst of it wakes the SDK thread once, not once an item, and
 * runs in the order it came. */
#include <stdarg.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"
#include "sdk/core/call.h"
#include "sdk/core/sdk.h"

typedef enum { ITEM_REQUEST, ITEM_DETACH, ITEM_POST } item_kind;

typedef struct {
  item_kind kind;
  mprtc__bridge *channel; /* ITEM_REQUEST, ITEM_DETACH: a reference */
  mprtc__message *msg;    /* ITEM_REQUEST */
  /* ITEM_POST: fn(obj, data) unless obj (a reference, or NULL) is closed by then; destroy frees
   * data either way. */
  mprtc__object *obj;
  void (*fn)(mprtc__object *obj, void *data);
  void *data;
  GDestroyNotify destroy;
} sdk_item;

void mprtc__sdk_item_free(gpointer p) {
  sdk_item *item = p;
  if (!item) return;
  mprtc__message_free(item->msg);
  if (item->channel) mprtc__bridge_unref(item->channel);
  if (item->destroy) item->destroy(item->data);
  if (item->obj) mprtc__object_unref(item->obj);
  g_free(item);
}

static void push_item(mprtc__sdk *sdk, item_kind kind, mprtc__bridge *channel, mprtc__message *msg) {
  sdk_item *item = g_new0(sdk_item, 1);
  item->kind = kind;
  item->channel = mprtc__bridge_ref(channel);
  item->msg = msg;
  mprtc__mailbox_push(sdk->requests, item);
}

void mprtc__sdk_post(mprtc__sdk *sdk, mprtc__object *obj, void (*fn)(mprtc__object *obj, void *data),
                     void *data, GDestroyNotify destroy) {
  sdk_item *item = g_new0(sdk_item, 1);
  item->kind = ITEM_POST;
  item->obj = obj ? mprtc__object_ref(obj) : NULL;
  item->fn = fn;
  item->data = data;
  item->destroy = destroy;
  mprtc__mailbox_push(sdk->requests, item);
}

static void submit(void *sdk, mprtc__bridge *channel, mprtc__message *msg) { push_item(sdk, ITEM_REQUEST, channel, msg); }
static void detach(void *sdk, mprtc__bridge *channel) { push_item(sdk, ITEM_DETACH, channel, NULL); }

const mprtc__endpoint mprtc__sdk_endpoint = {submit, detach};

/* The refusal of a block: an error reply, and the request let go. */
static void refuse(mprtc__bridge *channel, mprtc__request *req, int err, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void refuse(mprtc__bridge *channel, mprtc__request *req, int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  mprtc__send_error(channel, req->seq, err, message);
  g_free(message);
  mprtc__request_clear(req);
}

static void handle_request(mprtc__sdk *sdk, mprtc__bridge *channel, mprtc__message *msg) {
  mprtc_app *app = mprtc__bridge_owner(channel);
  mprtc__request req;
  char errmsg[MPRTC__ERRMSG_MAX];
  int64_t attached = msg->bytes ? (int64_t)g_bytes_get_size(msg->bytes) : -1;
  int err = mprtc__request_decode(msg->text, msg->len, attached, &req, errmsg);
  if (err) {
    mprtc__send_error(channel, req.seq, err, errmsg);
    return;
  }
  /* The channel stamped its app on the block; a block from below the stamping may lie. */
  if (strcmp(req.app, app->id) != 0) {
    refuse(channel, &req, MPRTC_E_APP_MISMATCH, "a call block may only name its own app");
    return;
  }
  const mprtc__sdk_module *module = NULL;
  const mprtc__method *m = mprtc__dispatch_find(sdk->dispatch, req.method, &module);
  /* A test-only method does not exist for an app made without the test surface. */
  if (!m || (module->testing && !mprtc__app_testing(app))) {
    refuse(channel, &req, MPRTC_E_UNKNOWN_METHOD, "unknown method '%s'", req.method);
    return;
  }
  mprtc__object *target = NULL;
  if (m->interface) {
    if (!req.target) {
      refuse(channel, &req, MPRTC_E_BLOCK_FIELD, "%s: 'target' is required", req.method);
      return;
    }
    if (!(target = mprtc__registry_lookup(app, req.target))) {
      refuse(channel, &req, MPRTC_E_NO_OBJECT, "%s: no such object (object %lld)", req.method, (long long)req.target);
      return;
    }
    if (strcmp(target->klass->interface, m->interface) != 0) {
      refuse(channel, &req, MPRTC_E_WRONG_INTERFACE, "%s: the target does not implement this method's interface (object %lld)",
             req.method, (long long)req.target);
      return;
    }
  } else if (req.target) {
    refuse(channel, &req, MPRTC_E_BLOCK_FIELD, "%s: this method takes no 'target' (object %lld)", req.method,
           (long long)req.target);
    return;
  }
  mprtc__call *call = g_new0(mprtc__call, 1);
  call->sdk = sdk;
  call->channel = mprtc__bridge_ref(channel);
  call->app = app;
  call->req = req;
  call->object = target ? mprtc__object_ref(target) : NULL;
  call->bytes = msg->bytes;
  msg->bytes = NULL;
  m->handler(call);
}

/* The channel closed: its objects close (newest first), then the modules let go of the app. */
static void handle_detach(mprtc__sdk *sdk, mprtc__bridge *channel) {
  mprtc_app *app = mprtc__bridge_owner(channel);
  mprtc__registry_close_channel(sdk->registry, app, channel);
  for (size_t i = 0; mprtc__sdk_modules[i]; i++)
    if (mprtc__sdk_modules[i]->app_closed) mprtc__sdk_modules[i]->app_closed(sdk, sdk->module_state[i], app);
}

void mprtc__sdk_handle_items(GPtrArray *items, void *data) {
  mprtc__sdk *sdk = data;
  for (guint i = 0; i < items->len; i++) {
    sdk_item *item = items->pdata[i];
    /* Bridge traffic makes the loop spin a little for what follows; GStreamer's does not (a
     * spinning thread takes a core from the streaming threads). */
    if (item->kind != ITEM_POST) mprtc__loop_note_traffic(&sdk->loop);
    if (item->kind == ITEM_POST) {
      /* Posted work still runs while the SDK stops (its objects are closed by then, so only
       * work of no object does): a host's late answer still settles its call. */
      if (!item->obj || !item->obj->closed) item->fn(item->obj, item->data);
    } else if (!sdk->registry) {
      /* Shutting down (the registry is gone): a block still queued gets no reply. */
    } else if (item->kind == ITEM_REQUEST) {
      handle_request(sdk, item->channel, item->msg);
    } else {
      handle_detach(sdk, item->channel);
    }
  }
}
