/* Camera and microphone permission: the host's handler (mprtc/sdk.h) answers; answers are
 * remembered per app in sdk->grants.
 *
 * Thread rules: mprtc_permission_request_answer from any thread; the rest on the SDK thread.
 */
#include "mprtc/sdk.h"
#include "sdk/core/sdk-internal.h"

enum { GRANTED = 1, DENIED = 2 };

/* One round of asking: the permissions still unanswered, asked one after another. */
typedef struct {
  mprtc_sdk *sdk;
  char *app;
  GPtrArray *all;  /* char*: every permission the round needs */
  GPtrArray *left; /* char*: those still to ask, asked from the end */
  void (*done)(const char *denied, void *data);
  void *data;
} asking;

struct mprtc_permission_request {
  asking *round;
  gboolean granted;
};

static char *grant_key(const char *app, const char *permission) {
  return g_strconcat(app, "\n", permission, NULL);
}

static int answer_of(mprtc_sdk *sdk, const char *app, const char *permission) {
  char *key = grant_key(app, permission);
  int answer = GPOINTER_TO_INT(g_hash_table_lookup(sdk->grants, key));
  g_free(key);
  return answer;
}

gboolean mprtc__permission_granted(mprtc_sdk *sdk, const char *app, const char *permission) {
  return answer_of(sdk, app, permission) == GRANTED;
}

static void asking_free(asking *a) {
  g_free(a->app);
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
  g_hash_table_replace(a->sdk->grants, grant_key(a->app, permission),
                       GINT_TO_POINTER(req->granted ? GRANTED : DENIED));
  g_free(permission);
  ask_next(a);
}

static void finish(asking *a, const char *denied) {
  a->done(denied, a->data);
  asking_free(a);
}

static void ask_next(asking *a) {
  /* Skip what has been answered meanwhile (by another round for the same app). */
  while (a->left->len > 0 && answer_of(a->sdk, a->app, a->left->pdata[a->left->len - 1]) != 0)
    g_ptr_array_remove_index(a->left, a->left->len - 1);
  for (guint i = 0; i < a->all->len; i++)
    if (answer_of(a->sdk, a->app, a->all->pdata[i]) == DENIED) { finish(a, a->all->pdata[i]); return; }
  if (a->left->len == 0) { finish(a, NULL); return; }
  /* No handler: nobody can grant it. */
  if (!a->sdk->permission_fn) { finish(a, a->left->pdata[a->left->len - 1]); return; }
  mprtc_permission_request *req = g_new0(mprtc_permission_request, 1);
  req->round = a;
  a->sdk->permission_fn(req, a->app, a->left->pdata[a->left->len - 1], a->sdk->permission_data);
}

void mprtc__permission_check(mprtc_sdk *sdk, const char *app, const char *const *permissions,
                             void (*done)(const char *denied, void *data), void *data) {
  asking *a = g_new0(asking, 1);
  a->sdk = sdk;
  a->app = g_strdup(app);
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

void mprtc_sdk_set_permission_handler(mprtc_sdk *sdk, mprtc_permission_fn fn, void *user_data) {
  sdk->permission_fn = fn;
  sdk->permission_data = user_data;
}

void mprtc_permission_request_answer(mprtc_permission_request *req, int granted) {
  req->granted = granted != 0;
  mprtc__sdk_post(req->round->sdk, NULL, answered, req, g_free);
}
