/* The host API (include/mprtc/): a container, apps with their options, callbacks on the app's
 * context, the host's own methods, the package root, and app IDs. Real JS threads and a real
 * SDK; the scripts are written into a fresh package folder. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mprtc/mprtc.h"

static mprtc_container *container;
static char *package; /* a fresh folder holding the scripts */

static char *write_script(const char *name, const char *text) {
  char *path = g_build_filename(package, name, NULL);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

/* What the host saw, in order. */
typedef struct {
  GMainContext *context;
  GString *log;
  int settled;      /* 0 running, 1 fulfilled, 2 rejected */
  GThread *thread;  /* the thread the callbacks ran on (must be this test's) */
  gboolean wrong_thread;
} host_view;

static void note_thread(host_view *v) {
  if (g_thread_self() != v->thread) v->wrong_thread = TRUE;
  if (!g_main_context_is_owner(v->context)) v->wrong_thread = TRUE;
}

static void on_log(mprtc_app *app, mprtc_log_level level, const char *text, size_t len, void *data) {
  host_view *v = data;
  note_thread(v);
  g_string_append_printf(v->log, "%d:%.*s\n", (int)level, (int)len, text);
}

static void on_done(mprtc_app *app, int failed, void *data) {
  host_view *v = data;
  note_thread(v);
  v->settled = failed ? 2 : 1;
}

static void run_until_settled(host_view *v) {
  while (!v->settled) g_main_context_iteration(v->context, TRUE);
}

static host_view *view_new(void) {
  host_view *v = g_new0(host_view, 1);
  v->context = g_main_context_new();
  v->log = g_string_new("");
  v->thread = g_thread_self();
  return v;
}

static void view_free(host_view *v) {
  /* Callbacks queued after the app settled were dropped with it. */
  g_main_context_unref(v->context);
  g_string_free(v->log, TRUE);
  g_free(v);
}

/* An app of the test's package whose callbacks come on v's context. */
static mprtc_app *app_new(const char *id, host_view *v) {
  mprtc_app *app = NULL;
  g_assert_cmpint(mprtc_app_new(container, id, package, &app), ==, 0);
  g_assert_cmpint(mprtc_app_set_context(app, v->context), ==, 0);
  g_assert_cmpint(mprtc_app_set_log_handler(app, on_log, v, NULL), ==, 0);
  return app;
}

/* Console output goes to the log handler, with its level, in order, before the completion,
 * on the app's context. */
static void test_log_handler(void) {
  host_view *v = view_new();
  g_main_context_push_thread_default(v->context);
  char *script = write_script("log.js",
                              "console.log('one', 1);\nconsole.debug('two');\nconsole.warn('three');\n"
                              "console.error('four');\nconsole.info('a\\nb');\n");
  mprtc_app *app = app_new("log", v);
  g_assert_cmpint(mprtc_app_run(app, "log.js", 0, NULL, on_done, v), ==, 0);
  run_until_settled(v);
  g_assert_cmpint(v->settled, ==, 1);
  g_assert_cmpstr(v->log->str, ==, "1:one 1\n0:two\n2:three\n3:four\n1:a\nb\n");
  g_assert_false(v->wrong_thread);
  /* Options are fixed once the app runs. */
  g_assert_cmpint(mprtc_app_set_flags(app, MPRTC_APP_TESTING), ==, MPRTC_E_BUSY);
  g_assert_cmpint(mprtc_app_set_log_handler(app, NULL, NULL, NULL), ==, MPRTC_E_BUSY);
  mprtc_app_free(app);
  g_main_context_pop_thread_default(v->context);
  view_free(v);
  g_free(script);
}

/* An uncaught error is logged at ERROR with its stack, and the run fails. */
static void test_failure_is_logged(void) {
  host_view *v = view_new();
  g_main_context_push_thread_default(v->context);
  g_free(write_script("throws.js", "function f() {\n  throw new RangeError('no');\n}\nf();\n"));
  mprtc_app *app = app_new("throws", v);
  g_assert_cmpint(mprtc_app_run(app, "throws.js", 0, NULL, on_done, v), ==, 0);
  run_until_settled(v);
  g_assert_cmpint(v->settled, ==, 2);
  g_assert_true(g_str_has_prefix(v->log->str, "3:Uncaught RangeError: no\n"));
  g_assert_nonnull(strstr(v->log->str, "throws.js:2"));
  mprtc_app_free(app);
  g_main_context_pop_thread_default(v->context);
  view_free(v);
}

/* The host's own methods: called from JS with JSON params, settled with JSON or an error. */
static gpointer answer_later(gpointer call) {
  mprtc_host_call_return(call, "{\"sum\":5}");
  return NULL;
}

static void on_add(mprtc_app *app, mprtc_host_call *call, const char *params, void *data) {
  host_view *v = data;
  note_thread(v);
  g_string_append_printf(v->log, "add%s\n", params);
  /* Settled from another thread, as a host that asks its own machinery would. */
  g_thread_unref(g_thread_new("host-answer", answer_later, call));
}

static void on_fail(mprtc_app *app, mprtc_host_call *call, const char *params, void *data) {
  mprtc_host_call_reject(call, MPRTC_E_NOT_ALLOWED, "the host says no");
}

static void on_garbage(mprtc_app *app, mprtc_host_call *call, const char *params, void *data) {
  mprtc_host_call_return(call, "{not json");
}

static int destroyed;
static void count_destroy(gpointer data) { destroyed++; }

static void test_host_methods(void) {
  host_view *v = view_new();
  g_main_context_push_thread_default(v->context);
  g_free(write_script("host.js",
                      "console.log(Object.keys(mprtc.host).sort().join());\n"
                      "console.log(JSON.stringify(await mprtc.host.add({ a: 2, b: 3 })));\n"
                      "try { await mprtc.host.fail(); } catch (e) { console.log(e.name, e.message); }\n"
                      "try { await mprtc.host.garbage(); } catch (e) { console.log(e.name); }\n"
                      "try { await mprtc.host.add('x'); } catch (e) { console.log(e.name); }\n"
                      "console.log(typeof mprtc.host.nope, typeof mprtc.bridge);\n"));
  mprtc_app *app = app_new("host", v);
  destroyed = 0;
  g_assert_cmpint(mprtc_app_add_method(app, "add", on_add, v, count_destroy), ==, 0);
  g_assert_cmpint(mprtc_app_add_method(app, "fail", on_fail, NULL, NULL), ==, 0);
  g_assert_cmpint(mprtc_app_add_method(app, "garbage", on_garbage, NULL, NULL), ==, 0);
  g_assert_cmpint(mprtc_app_add_method(app, "add", on_add, NULL, NULL), ==, MPRTC_E_INVAL);
  g_assert_cmpint(mprtc_app_add_method(app, "a.b", on_add, NULL, NULL), ==, MPRTC_E_INVAL);
  g_assert_cmpint(mprtc_app_add_method(app, "9x", on_add, NULL, NULL), ==, MPRTC_E_INVAL);
  g_assert_cmpint(mprtc_app_run(app, "host.js", 0, NULL, on_done, v), ==, 0);
  run_until_settled(v);
  g_assert_cmpint(v->settled, ==, 1);
  g_assert_cmpstr(v->log->str, ==,
                  "1:add,fail,garbage\n"
                  "add{\"a\":2,\"b\":3}\n"
                  "1:{\"sum\":5}\n"
                  "1:NotAllowedError the host says no\n"
                  "1:TypeError\n"
                  "1:TypeError\n"
                  "1:undefined undefined\n");
  g_assert_false(v->wrong_thread);
  g_assert_cmpint(destroyed, ==, 0);
  mprtc_app_free(app);
  g_assert_cmpint(destroyed, ==, 1);
  g_main_context_pop_thread_default(v->context);
  view_free(v);
}

/* Runs of one app settle each for itself, in the order their scripts do. */
typedef struct {
  host_view *view;
  const char *name;
} run_tag;

static void on_run_done(mprtc_app *app, int failed, void *data) {
  run_tag *tag = data;
  g_string_append_printf(tag->view->log, "done %s %d\n", tag->name, failed);
  tag->view->settled++;
}

static void test_runs_settle_apart(void) {
  host_view *v = view_new();
  g_main_context_push_thread_default(v->context);
  g_free(write_script("waits.js", "await new Promise((resolve) => { globalThis.release = resolve; });\n"));
  g_free(write_script("releases.js", "await null;\nglobalThis.release();\nthrow new Error('second fails');\n"));
  mprtc_app *app = app_new("runs", v);
  run_tag first = {v, "first"}, second = {v, "second"};
  g_assert_cmpint(mprtc_app_run(app, "waits.js", 0, NULL, on_run_done, &first), ==, 0);
  g_assert_cmpint(mprtc_app_run(app, "releases.js", 0, NULL, on_run_done, &second), ==, 0);
  while (v->settled < 2) g_main_context_iteration(v->context, TRUE);
  /* The second settles first (it fails), then the first, released by it. */
  g_assert_nonnull(strstr(v->log->str, "done second 1\n"));
  g_assert_true(g_str_has_suffix(v->log->str, "done first 0\n"));
  mprtc_app_free(app);
  g_main_context_pop_thread_default(v->context);
  view_free(v);
}

/* Two running apps may not share an ID; once one is freed its ID is free. */
static void test_app_ids(void) {
  mprtc_app *a = NULL, *b = NULL;
  g_assert_cmpint(mprtc_app_new(container, "same", package, &a), ==, 0);
  g_assert_cmpint(mprtc_app_new(container, "same", package, &b), ==, MPRTC_E_APP_EXISTS);
  g_assert_null(b);
  g_assert_cmpint(mprtc_app_new(container, "bad id", package, &b), ==, MPRTC_E_INVAL);
  g_assert_cmpint(mprtc_app_new(container, "other", "/no/such/folder", &b), ==, MPRTC_E_INVAL);
  mprtc_app_free(a);
  g_assert_cmpint(mprtc_app_new(container, "same", package, &b), ==, 0);
  g_assert_cmpstr(mprtc_app_id(b), ==, "same");
  mprtc_app_free(b);
}

/* A script outside the package root is not run. */
static void test_package_root(void) {
  host_view *v = view_new();
  mprtc_app *app = app_new("root", v);
  g_assert_cmpint(mprtc_app_run(app, "/etc/hostname", 0, NULL, on_done, v), ==, MPRTC_E_OUTSIDE_PACKAGE);
  g_assert_cmpint(mprtc_app_run(app, "../outside.js", 0, NULL, on_done, v), ==, MPRTC_E_OUTSIDE_PACKAGE);
  g_assert_cmpint(mprtc_app_run(app, "missing.js", 0, NULL, on_done, v), ==, MPRTC_E_IO);
  mprtc_app_free(app);
  view_free(v);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  package = g_dir_make_tmp("mprtc-host-XXXXXX", NULL);
  g_assert_cmpint(mprtc_container_new(&container), ==, 0);
  g_test_add_func("/host/log-handler", test_log_handler);
  g_test_add_func("/host/failure-is-logged", test_failure_is_logged);
  g_test_add_func("/host/methods", test_host_methods);
  g_test_add_func("/host/runs-settle-apart", test_runs_settle_apart);
  g_test_add_func("/host/app-ids", test_app_ids);
  g_test_add_func("/host/package-root", test_package_root);
  int status = g_test_run();
  mprtc_container_free(container);
  return status;
}
