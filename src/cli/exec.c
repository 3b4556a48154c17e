/* mprtc exec: a script run as an ES module in a fresh logic-layer context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  GMainLoop *loop;
  int status;
  gboolean settled;
} exec_state;

/* On the main thread (the app's context is the default one). */
static void on_settled(mprtc_app *app, int failed, void *user_data) {
  exec_state *state = user_data;
  if (state->settled) return;
  state->settled = TRUE;
  state->status = failed ? EXIT_FAILURE : EXIT_SUCCESS;
  g_main_loop_quit(state->loop);
}

static gboolean on_timeout(gpointer data) {
  exec_state *state = data;
  if (!state->settled) {
    state->settled = TRUE;
    state->status = EXIT_TIMEOUT;
    g_main_loop_quit(state->loop);
  }
  return G_SOURCE_REMOVE;
}

int cli_exec(int argc, char **argv) {
  const char *file = NULL, *app_id = "exec", *grant = "", *root = NULL;
  double timeout = 0;
  gboolean testing = FALSE;
  int script_argc = 0;
  char **script_args = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      script_args = argv + i + 1;
      script_argc = argc - i - 1;
      break;
    } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      if (!cli_parse_seconds(argv[++i], &timeout)) {
        fprintf(stderr, "mprtc exec: --timeout wants a positive number of seconds, not '%s'\n",
                argv[i]);
        return EXIT_USAGE;
      }
    } else if (strcmp(argv[i], "--app") == 0 && i + 1 < argc) {
      app_id = argv[++i];
    } else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
      root = argv[++i];
    } else if (strcmp(argv[i], "--grant") == 0 && i + 1 < argc) {
      grant = argv[++i];
    } else if (strcmp(argv[i], "--testing") == 0) {
      testing = TRUE;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "mprtc exec: unknown or incomplete option '%s' (see mprtc --help)\n",
              argv[i]);
      return EXIT_USAGE;
    } else if (!file) {
      file = argv[i];
    } else {
      fprintf(stderr, "mprtc exec: one FILE only (got '%s' and '%s')\n", file, argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!file) {
    fprintf(stderr, "mprtc exec: missing FILE.js (see mprtc --help)\n");
    return EXIT_USAGE;
  }
  if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
    fprintf(stderr, "mprtc exec: cannot read '%s'\n", file);
    return EXIT_FAILURE;
  }
  if (root && !g_file_test(root, G_FILE_TEST_IS_DIR)) {
    fprintf(stderr, "mprtc exec: --root '%s' is not a directory\n", root);
    return EXIT_USAGE;
  }

  g_auto(GStrv) granted = cli_parse_grants("exec", grant);
  if (!granted) return EXIT_USAGE;

  mprtc_container *container = NULL;
  int err = mprtc_container_new(&container);
  if (err) {
    fprintf(stderr, "mprtc: cannot start the SDK: %s\n", mprtc_strerror(err));
    return EXIT_FAILURE;
  }
  mprtc_app *app = NULL;
  err = mprtc_app_new(container, app_id, root, &app);
  if (err) {
    fprintf(stderr, "mprtc: cannot make the app '%s': %s\n", app_id, mprtc_strerror(err));
    mprtc_container_free(container);
    return err == MPRTC_E_INVAL ? EXIT_USAGE : EXIT_FAILURE;
  }
  mprtc_app_set_flags(app, (timeout > 0 ? MPRTC_APP_WATCHDOG : 0) | (testing ? MPRTC_APP_TESTING : 0));
  mprtc_app_set_permission_handler(app, cli_answer_from_grants, granted, NULL);

  /* The script is named from the current directory, whatever the root. */
  char *path = g_canonicalize_filename(file, NULL);
  exec_state state = {g_main_loop_new(NULL, FALSE), EXIT_FAILURE, FALSE};
  err = mprtc_app_run(app, path, script_argc, (const char *const *)script_args, on_settled, &state);
  if (err == MPRTC_E_OUTSIDE_PACKAGE) {
    fprintf(stderr, "mprtc exec: '%s' is outside the package root '%s'\n", file, root);
  } else if (err) {
    fprintf(stderr, "mprtc: cannot run '%s': %s\n", file, mprtc_strerror(err));
  } else {
    if (timeout > 0) g_timeout_add((guint)(timeout * 1000.0), on_timeout, &state);
    g_main_loop_run(state.loop);
  }
  g_free(path);
  if (state.status == EXIT_TIMEOUT) {
    fflush(stdout);
    fprintf(stderr, "mprtc: %s timed out after %g s\n", file, timeout);
    mprtc_app_terminate(app);
    cli_start_exit_watchdog();
  }
  mprtc_app_free(app);
  mprtc_container_free(container);
  g_main_loop_unref(state.loop);
  cli_drain_main_context();
  return err ? (err == MPRTC_E_OUTSIDE_PACKAGE ? EXIT_USAGE : EXIT_FAILURE) : state.status;
}

