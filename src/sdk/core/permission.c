/* Camera and microphone permission: the app's permission handler (mprtc/app.h) answers, on the
 * app's context; answers are remembered in the app record.
 *
 * Thread rules: mprtc_permission_request_answer from any thread; the rest on the SDK thread.
 */
#include <string.h>

#include "mprtc/app.h"
#include "sdk/core/call.h"
#include "sdk/core/module.h"
#include "sdk/core/sdk.h"

enum { GRANTED = 1, DENIED = 2 };

/* One round of asking: the permissions still unanswered, asked one after another. */
typedef struct {
  mprtc__sdk *sdk;
  mprtc_app *app;  /* reference */
  GPtrArray *all;  /* char*: every permission the round needs */
  GPtrArray *left; /* char*: those still to ask, asked from the end */
  void (*done)(const char *denied, void *data);
  void *data;
} asking;

/* The SDK a request reports back to, until the SDK stops (then answers go nowhere): guarded by
 * one lock for the process, as a host may answer after its container is gone. */
static GMutex requests_lock;
static GHashTable *open_requests; /* mprtc_permission_request* -> mprtc__sdk*; requests_lock */

struct mprtc_permission_request {
  asking *round;
  gboolean granted;
};

static int answer_of(mprtc_app *app, const char *permission) {
  return GPOINTER_TO_INT(g_hash_table_lookup(app->grants, permission));
}

gboolean mprtc__permission_granted(mprtc_app *app, const char *permission) {
  return answer_of(app, permission) == GRANTED;
}

static void asking_free(asking *a) {
  mprtc__app_unref(a->app);
  g_ptr_array_unref(a->all);
  g_ptr_array_unref(a->left);
  g_free(a);
}

static void ask_next(asking *a);

/* SDK thread: the host answered the last permission of the round. */
static void answered(mprtc__object *unused, void *data) {
  mprtc_permission_request *req = data;
  asking *a = req->round;
  char *permission = g_ptr_array_steal_index(a->left, a->left->len - 1);
  g_hash_table_replace(a->app->grants, permission, GINT_TO_POINTER(req->granted ? GRANTED : DENIED));
  ask_next(a);
}

static void finish(asking *a, const char *denied) {
  a->done(denied, a->data);
  asking_free(a);
}

/* A question the host never got (its app went first): no. */
static void deny(void *request) { mprtc_permission_request_answer(request, 0); }

static void ask_next(asking *a) {
  /* Skip what has been answered meanwhile (by another round for the same app). */
  while (a->left->len > 0 && answer_of(a->app, a->left->pdata[a->left->len - 1]) != 0)
    g_ptr_array_remove_index(a->left, a->left->len - 1);
  for (guint i = 0; i < a->all->len; i++)
    if (answer_of(a->app, a->all->pdata[i]) == DENIED) { finish(a, a->all->pdata[i]); return; }
  if (a->left->len == 0) { finish(a, NULL); return; }
  /* The host is asked on its context (where an app without a permission handler is told no). */
  mprtc_permission_request *req = g_new0(mprtc_permission_request, 1);
  req->round = a;
  g_mutex_lock(&requests_lock);
  if (!open_requests) open_requests = g_hash_table_new(NULL, NULL);
  g_hash_table_insert(open_requests, req, a->sdk);
  g_mutex_unlock(&requests_lock);
  mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_PERMISSION);
  n->payload = req;
  n->drop = deny;
  n->text = g_strdup(a->left->pdata[a->left->len - 1]);
  mprtc__app_notify(a->app, n);
}

void mprtc__permission_check(mprtc__sdk *sdk, mprtc_app *app, const char *const *permissions,
                             void (*done)(const char *denied, void *data), void *data) {
  asking *a = g_new0(asking, 1);
  a->sdk = sdk;
  a->app = mprtc__app_ref(app);
  a->all = g_ptr_array_new_with_free_func(g_free);
  a->left = g_ptr_array_new_with_free_func(g_free);
  a->done = done;
  a->data = data;
  for (int i = 0; permissions[i]; i++) {
    g_ptr_array_add(a->all, g_strdup(permissions[i]));
    g_ptr_array_add(a->left, g_strdup(permissions[i]));
  }
  ask_next(a);
}

void mprtc__permission_orphan_all(mprtc__sdk *sdk) {
  GPtrArray *mine = g_ptr_array_new();
  g_mutex_lock(&requests_lock);
  GHashTableIter it;
  gpointer key, owner;
  if (open_requests) {
    g_hash_table_iter_init(&it, open_requests);
    while (g_hash_table_iter_next(&it, &key, &owner))
      if (owner == sdk) {
        g_ptr_array_add(mine, key);
        /* Still open on the host's side: its answer will find no SDK and just free it. */
        g_hash_table_iter_replace(&it, NULL);
      }
  }
  g_mutex_unlock(&requests_lock);
  for (guint i = 0; i < mine->len; i++) {
    mprtc_permission_request *req = mine->pdata[i];
    /* The host keeps the request: settle the round now, without freeing what it holds. */
    asking *a = req->round;
    req->round = NULL;
    finish(a, a->left->pdata[a->left->len - 1]);
  }
  g_ptr_array_unref(mine);
}

void mprtc_permission_request_answer(mprtc_permission_request *req, int granted) {
  req->granted = granted != 0;
  g_mutex_lock(&requests_lock);
  mprtc__sdk *sdk = NULL;
  gboolean known = open_requests && g_hash_table_lookup_extended(open_requests, req, NULL, (gpointer *)&sdk);
  if (known) g_hash_table_remove(open_requests, req);
  /* Posted under the lock, so that the SDK cannot stop in between. */
  if (sdk) mprtc__sdk_post(sdk, NULL, answered, req, g_free);
  g_mutex_unlock(&requests_lock);
  if (!sdk) g_free(req);
}

/* ---- the calls: a mini-program's wx.authorize and wx.getSetting ----
 *   Permission.request  {permissions: ["camera", "microphone"]} -> {denied: null | the one denied}
 *   Permission.states   {} -> {camera, microphone: "granted" | "denied" | "prompt"}
 * The same answers getUserMedia uses, asked of the same host. */

static const char *const known_permissions[] = {"camera", "microphone", NULL};

static void request_answered(const char *denied, void *data) {
  mprtc__call_return(data, json_pack("{s:s?}", "denied", denied));
}

static void request(mprtc__call *call) {
  static const char *const allowed[] = {"permissions", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  json_t *list = json_object_get(call->req.params, "permissions");
  if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 2) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "permissions must list camera and/or microphone");
    return;
  }
  const char *names[3] = {NULL, NULL, NULL};
  size_t i;
  json_t *p;
  json_array_foreach(list, i, p) {
    if (!json_is_string(p) || !g_strv_contains(known_permissions, json_string_value(p))) {
      mprtc__call_reject(call, MPRTC_E_INVAL, "permissions must list camera and/or microphone");
      return;
    }
    names[i] = json_string_value(p);
  }
  mprtc__permission_check(call->sdk, call->app, names, request_answered, call);
}

static void states(mprtc__call *call) {
  static const char *const allowed[] = {NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  json_t *out = json_object();
  for (int i = 0; known_permissions[i]; i++) {
    int answer = answer_of(call->app, known_permissions[i]);
    json_object_set_new(out, known_permissions[i], json_string(answer == GRANTED ? "granted" : answer == DENIED ? "denied" : "prompt"));
  }
  mprtc__call_return(call, out);
}

static const mprtc__method methods[] = {
    {"Permission.request", NULL, request},
    {"Permission.states", NULL, states},
};

const mprtc__sdk_module mprtc__permission_module = {.name = "permission", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
