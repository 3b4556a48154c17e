/* A host program that embeds libmprtc: one container, one app from a package folder, the app's
 * console output through a log handler, a camera/microphone question answered by the host, and
 * two methods of the host's own that the app's code calls (`mprtc.host.<name>(params)`).
 *
 * Build it against the installed library:
 *   cc host.c $(pkg-config --cflags --libs mprtc) -o mprtc-host
 * Run it on its package (this folder):
 *   ./mprtc-host .            (exit status: 0 when main.js settles, 1 when it fails)
 */
#include <mprtc/mprtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
  GMainLoop *loop;
  int status;
} host_state;

/* Every callback runs on the main thread: the app's context is the default one. */
static void on_log(mprtc_app *app, mprtc_log_level level, const char *text, size_t len, void *data) {
  static const char *const names[] = {"debug", "info", "warn", "error"};
  printf("[%s %s] %.*s\n", mprtc_app_id(app), names[level], (int)len, text);
}

static void on_permission(mprtc_app *app, mprtc_permission_request *request, const char *permission, void *data) {
  printf("host: %s asks for the %s: no\n", mprtc_app_id(app), permission);
  mprtc_permission_request_answer(request, 0);
}

/* mprtc.host.hostInfo() -> {name, pid} */
static void host_info(mprtc_app *app, mprtc_host_call *call, const char *params, void *data) {
  char result[128];
  snprintf(result, sizeof result, "{\"name\":\"mprtc-host-example\",\"pid\":%ld}", (long)getpid());
  mprtc_host_call_return(call, result);
}

/* mprtc.host.report({...}) -> true: the host prints what the app found. */
static void report(mprtc_app *app, mprtc_host_call *call, const char *params, void *data) {
  printf("host: the app reports %s\n", params);
  mprtc_host_call_return(call, "true");
}

static void on_done(mprtc_app *app, int failed, void *data) {
  host_state *state = data;
  state->status = failed ? EXIT_FAILURE : EXIT_SUCCESS;
  g_main_loop_quit(state->loop);
}

static int fail(const char *what, int err) {
  fprintf(stderr, "mprtc-host: %s: %s\n", what, mprtc_strerror(err));
  return EXIT_FAILURE;
}

int main(int argc, char **argv) {
  const char *package = argc > 1 ? argv[1] : ".";
  printf("host: libmprtc %s, package %s\n", mprtc_version(), package);

  mprtc_container *container;
  int err = mprtc_container_new(&container);
  if (err) return fail("cannot start the container", err);
  mprtc_app *app;
  if ((err = mprtc_app_new(container, "host-example", package, &app))) return fail("cannot make the app", err);
  mprtc_app_set_log_handler(app, on_log, NULL, NULL);
  mprtc_app_set_permission_handler(app, on_permission, NULL, NULL);
  mprtc_app_add_method(app, "hostInfo", host_info, NULL, NULL);
  mprtc_app_add_method(app, "report", report, NULL, NULL);

  host_state state = {g_main_loop_new(NULL, FALSE), EXIT_FAILURE};
  if ((err = mprtc_app_run(app, "main.js", 0, NULL, on_done, &state))) return fail("cannot run main.js", err);
  g_main_loop_run(state.loop);

  mprtc_app_free(app);
  mprtc_container_free(container);
  g_main_loop_unref(state.loop);
  printf("host: done, status %d\n", state.status);
  return state.status;
}
