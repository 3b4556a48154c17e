/* The SDK thread: owns GStreamer, the registry and the dispatch table; turns call blocks into
 * handler calls and their results into replies. */
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/bridge.h"
#include "bridge/codec.h"
#include "mprtc/error.h"
#include "sdk/core/call.h"
#include "sdk/core/sdk-internal.h"

typedef enum { ITEM_REQUEST, ITEM_DETACH } item_kind;

typedef struct {
  item_kind kind;
  mprtc__bridge *bridge; /* reference */
  char *text;            /* ITEM_REQUEST: the block (malloc'd) */
  size_t len;
} sdk_item;

static void sdk_item_free(gpointer p) {
  sdk_item *item = p;
  if (!item) return;
  free(item->text);
  mprtc__bridge_unref(item->bridge);
  g_free(item);
}

static void handle_request(mprtc_sdk *sdk, mprtc__bridge *bridge, const char *text, size_t len) {
  mprtc__request req;
  char errmsg[MPRTC__ERRMSG_MAX];
  int err = mprtc__request_decode(text, len, &req, errmsg);
  if (err) {
    mprtc__send_error(bridge, req.seq, err, errmsg);
    return;
  }
  const char *app = mprtc__bridge_app(bridge);
  if (strcmp(req.app, app) != 0) {
    mprtc__send_error(bridge, req.seq, MPRTC_E_APP_MISMATCH,
                      "a call block may only name its own app");
    mprtc__request_clear(&req);
    return;
  }
  const mprtc__method *m = mprtc__dispatch_find(sdk->dispatch, req.method);
  if (!m) {
    char *msg = g_strdup_printf("unknown method '%s'", req.method);
    mprtc__send_error(bridge, req.seq, MPRTC_E_UNKNOWN_METHOD, msg);
    g_free(msg);
    mprtc__request_clear(&req);
    return;
  }
  mprtc__object *target = NULL;
  const char *problem = NULL;
  int code = 0;
  if (m->interface) {
    if (!req.target) {
      code = MPRTC_E_BLOCK_FIELD;
      problem = "'target' is required";
    } else if (!(target = mprtc__registry_lookup(sdk->registry, app, req.target))) {
      code = MPRTC_E_NO_OBJECT;
      problem = "no such object";
    } else if (strcmp(target->klass->interface, m->interface) != 0) {
      code = MPRTC_E_WRONG_INTERFACE;
      problem = "the target does not implement this method's interface";
    }
  } else if (req.target) {
    code = MPRTC_E_BLOCK_FIELD;
    problem = "this method takes no 'target'";
  }
  if (code) {
    char *msg = g_strdup_printf("%s: %s (object %lld)", req.method, problem,
                                (long long)req.target);
    mprtc__send_error(bridge, req.seq, code, msg);
    g_free(msg);
    mprtc__request_clear(&req);
    return;
  }
  mprtc__call *call = g_new0(mprtc__call, 1);
  call->sdk = sdk;
  call->bridge = mprtc__bridge_ref(bridge);
  call->req = req;
  call->object = target ? mprtc__object_ref(target) : NULL;
  m->handler(call);
}

static void handle_items(GPtrArray *items, void *user_data) {
  mprtc_sdk *sdk = user_data;
  /* Shutting down (the registry is gone): what is still queued gets no reply. */
  if (!sdk->registry) return;
  mprtc__loop_note_traffic(&sdk->loop);
  for (guint i = 0; i < items->len; i++) {
    sdk_item *item = items->pdata[i];
    if (item->kind == ITEM_REQUEST)
      handle_request(sdk, item->bridge, item->text, item->len);
    else
      mprtc__registry_close_owner(sdk->registry, item->bridge);
  }
}

static void push_item(mprtc_sdk *sdk, item_kind kind, mprtc__bridge *bridge, char *text,
                      size_t len) {
  sdk_item *item = g_new(sdk_item, 1);
  item->kind = kind;
  item->bridge = mprtc__bridge_ref(bridge);
  item->text = text;
  item->len = len;
  mprtc__mailbox_push(sdk->requests, item);
}

void mprtc__sdk_submit(mprtc_sdk *sdk, mprtc__bridge *bridge, char *text, size_t len) {
  push_item(sdk, ITEM_REQUEST, bridge, text, len);
}

void mprtc__sdk_detach(mprtc_sdk *sdk, mprtc__bridge *bridge) {
  push_item(sdk, ITEM_DETACH, bridge, NULL, 0);
}

typedef struct {
  mprtc__object *obj;
  void (*fn)(mprtc__object *obj, void *data);
  void *data;
  GDestroyNotify destroy;
} posted_call;

static gboolean run_posted(gpointer p) {
  posted_call *pc = p;
  if (!pc->obj || !pc->obj->closed) pc->fn(pc->obj, pc->data);
  return G_SOURCE_REMOVE;
}

static void free_posted(gpointer p) {
  posted_call *pc = p;
  if (pc->destroy) pc->destroy(pc->data);
  if (pc->obj) mprtc__object_unref(pc->obj);
  g_free(pc);
}

void mprtc__sdk_post(mprtc_sdk *sdk, mprtc__object *obj, void (*fn)(mprtc__object *obj, void *data),
                     void *data, GDestroyNotify destroy) {
  posted_call *pc = g_new(posted_call, 1);
  pc->obj = obj ? mprtc__object_ref(obj) : NULL;
  pc->fn = fn;
  pc->data = data;
  pc->destroy = destroy;
  GSource *source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, run_posted, pc, free_posted);
  g_source_attach(source, sdk->context);
  g_source_unref(source);
}

typedef struct {
  GFunc fn;
  void *data;
} background_job;

static void run_background(gpointer job_ptr, gpointer sdk_ptr) {
  background_job *job = job_ptr;
  mprtc_sdk *sdk = sdk_ptr;
  job->fn(job->data, NULL);
  g_free(job);
  g_mutex_lock(&sdk->background_lock);
  sdk->background_pending--;
  g_cond_broadcast(&sdk->background_cond);
  g_mutex_unlock(&sdk->background_lock);
}

void mprtc__sdk_run_in_background(mprtc_sdk *sdk, GFunc fn, void *data) {
  background_job *job = g_new(background_job, 1);
  job->fn = fn;
  job->data = data;
  g_mutex_lock(&sdk->background_lock);
  sdk->background_pending++;
  g_mutex_unlock(&sdk->background_lock);
  g_thread_pool_push(sdk->background, job, NULL);
}

/* Waits for the background threads; a job stuck for longer than this is left behind. */
#define BACKGROUND_WAIT_US (5 * G_USEC_PER_SEC)

static void wait_for_background(mprtc_sdk *sdk) {
  gint64 deadline = g_get_monotonic_time() + BACKGROUND_WAIT_US;
  g_mutex_lock(&sdk->background_lock);
  while (sdk->background_pending > 0)
    if (!g_cond_wait_until(&sdk->background_cond, &sdk->background_lock, deadline)) break;
  guint stuck = sdk->background_pending;
  g_mutex_unlock(&sdk->background_lock);
  if (stuck) {
    g_printerr("mprtc: %u background job(s) (connection teardowns) did not finish in %d s; leaving them behind\n",
               stuck, (int)(BACKGROUND_WAIT_US / G_USEC_PER_SEC));
  } else {
    g_thread_pool_free(sdk->background, FALSE, TRUE);
    sdk->background = NULL;
  }
}

static gpointer sdk_thread(gpointer data) {
  mprtc_sdk *sdk = data;
  g_main_context_push_thread_default(sdk->context);
  /* GStreamer is initialised here so that every element is created on the thread that owns it.
   * gst_init is idempotent and thread-safe. */
  gst_init(NULL, NULL);
  sdk->registry = mprtc__registry_new();
  mprtc__sdk_run_in_background(sdk, mprtc__sdk_warm_up, NULL);

  g_mutex_lock(&sdk->start_lock);
  sdk->started = TRUE;
  g_cond_signal(&sdk->start_cond);
  g_mutex_unlock(&sdk->start_lock);

  mprtc__loop_run(&sdk->loop);

  /* Requests still queued get no reply (their channels are closed by now); objects close. */
  mprtc__registry_free(sdk->registry);
  sdk->registry = NULL;
  /* Posted calls still queued hold object references: run the context dry (objects are closed,
   * so their functions are skipped). */
  while (g_main_context_iteration(sdk->context, FALSE)) {
  }
  g_main_context_pop_thread_default(sdk->context);
  return NULL;
}

int mprtc_sdk_new(mprtc_sdk **out) {
  mprtc_sdk *sdk = g_new0(mprtc_sdk, 1);
  sdk->context = g_main_context_new();
  sdk->requests = mprtc__mailbox_new(sdk->context, handle_items, sdk, sdk_item_free);
  mprtc__loop_init(&sdk->loop, sdk->context, sdk->requests);
  sdk->dispatch = mprtc__dispatch_new();
  mprtc__bridge_test_register(sdk->dispatch);
  mprtc__websocket_register(sdk->dispatch);
  mprtc__peerconnection_register(sdk->dispatch);
  mprtc__datachannel_register(sdk->dispatch);
  mprtc__mediadevices_register(sdk->dispatch);
  mprtc__track_register(sdk->dispatch);
  mprtc__stream_register(sdk->dispatch);
  mprtc__rtp_register(sdk->dispatch);
  mprtc__rtp_sources_register(sdk->dispatch);
  mprtc__stats_register(sdk->dispatch);
  sdk->grants = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  sdk->stream_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  sdk->device_watchers = g_ptr_array_new();
  g_mutex_init(&sdk->background_lock);
  g_cond_init(&sdk->background_cond);
  sdk->background = g_thread_pool_new(run_background, sdk, 2, FALSE, NULL);
  g_mutex_init(&sdk->start_lock);
  g_cond_init(&sdk->start_cond);

  GError *error = NULL;
  sdk->thread = g_thread_try_new("mprtc-sdk", sdk_thread, sdk, &error);
  if (!sdk->thread) {
    g_error_free(error);
    mprtc__mailbox_free(sdk->requests);
    mprtc__dispatch_free(sdk->dispatch);
    g_hash_table_unref(sdk->grants);
    g_hash_table_unref(sdk->stream_ids);
    g_ptr_array_unref(sdk->device_watchers);
    g_main_context_unref(sdk->context);
    g_free(sdk);
    return MPRTC_E_THREAD;
  }
  g_mutex_lock(&sdk->start_lock);
  while (!sdk->started) g_cond_wait(&sdk->start_cond, &sdk->start_lock);
  g_mutex_unlock(&sdk->start_lock);
  *out = sdk;
  return 0;
}

void mprtc_sdk_free(mprtc_sdk *sdk) {
  if (!sdk) return;
  mprtc__loop_quit(&sdk->loop);
  g_thread_join(sdk->thread);
  wait_for_background(sdk);
  mprtc__mailbox_free(sdk->requests);
  mprtc__dispatch_free(sdk->dispatch);
  g_hash_table_unref(sdk->grants);
  g_hash_table_unref(sdk->stream_ids);
  g_ptr_array_unref(sdk->device_watchers);
  if (sdk->background) {
    /* A background thread is stuck and still refers to the SDK: leave it all behind. */
    return;
  }
  g_mutex_clear(&sdk->background_lock);
  g_cond_clear(&sdk->background_cond);
  g_mutex_clear(&sdk->start_lock);
  g_cond_clear(&sdk->start_cond);
  g_main_context_unref(sdk->context);
  g_free(sdk);
}
