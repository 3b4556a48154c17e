/* The mprtc command line. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mprtc/mprtc.h"

#define EXIT_USAGE 2
#define EXIT_TIMEOUT 124

static const char usage[] =
    "Usage: mprtc [--help] [--version] COMMAND [ARGS]\n"
    "\n"
    "Standard WebRTC for mini-programs: a JavaScriptCore logic layer with the W3C globals,\n"
    "a JSBridge of call blocks, and a native SDK on GStreamer webrtcbin.\n"
    "\n"
    "Commands:\n"
    "  exec FILE.js [--timeout S] [--app ID] [--root DIR] [--grant LIST] [--testing]\n"
    "       [-- ARG...]\n"
    "        Run FILE.js as an ES module (top-level await; import of relative files) in a\n"
    "        fresh logic-layer context holding every base-library global. The app loads\n"
    "        nothing outside its package root: FILE's folder, or DIR.\n"
    "        --timeout S   give up after S seconds (decimals allowed; default: no limit)\n"
    "        --app ID      the app ID the runtime stamps on call blocks (default: exec)\n"
    "        --root DIR    the package root (default: FILE's folder); FILE must be inside\n"
    "        --grant LIST  permissions the user gave the app, comma-separated: camera,\n"
    "                      microphone (default: none; getUserMedia then rejects with\n"
    "                      NotAllowedError)\n"
    "        --testing     the test surface: the global mprtc.bridge (raw call blocks) and\n"
    "                      the SDK's test-only methods, for tests and benchmarks\n"
    "        -- ARG...     arguments for the script, as the array mprtc.args\n"
    "        Exit status: 0 when the module settles, 1 when it throws or rejects (the error\n"
    "        and its stack are printed on stderr), 124 on timeout, 2 on a usage error.\n"
    "\n"
    "Options:\n"
    "  --help       show this help and exit\n"
    "  --version    print the mprtc version and exit\n"
    "\n"
    "Environment:\n"
    "  MPRTC_SPIN_US   microseconds the JS and SDK threads poll for bridge traffic before\n"
    "                  sleeping (default 50; 0 turns spinning off)\n";

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

/* After a timeout the JS thread is told to stop; should it be stuck outside JavaScript, this
 * ends the process anyway rather than hang. */
static gpointer exit_watchdog(gpointer data) {
  g_usleep(3 * G_USEC_PER_SEC);
  fflush(stdout);
  fprintf(stderr, "mprtc: the runtime did not stop after the timeout; exiting\n");
  _exit(EXIT_TIMEOUT);
  return NULL;
}

/* --grant: the permissions answered yes (a NULL-terminated list); every other is answered no. */
static void answer_from_flag(mprtc_app *app, mprtc_permission_request *request, const char *permission,
                             void *user_data) {
  char **granted = user_data;
  mprtc_permission_request_answer(request, g_strv_contains((const char *const *)granted, permission));
}

static gboolean valid_grants(char **granted) {
  for (int i = 0; granted[i]; i++)
    if (strcmp(granted[i], "camera") != 0 && strcmp(granted[i], "microphone") != 0) {
      fprintf(stderr, "mprtc exec: --grant takes camera and/or microphone, not '%s'\n", granted[i]);
      return FALSE;
    }
  return TRUE;
}

static int cmd_exec(int argc, char **argv) {
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
      char *end;
      timeout = g_ascii_strtod(argv[++i], &end);
      if (*end || !(timeout > 0) || timeout > 1e6) {
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

  g_auto(GStrv) granted = *grant ? g_strsplit(grant, ",", -1) : g_new0(char *, 1);
  if (!valid_grants(granted)) return EXIT_USAGE;

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
  mprtc_app_set_permission_handler(app, answer_from_flag, granted, NULL);

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
    g_thread_unref(g_thread_new("mprtc-exit-watchdog", exit_watchdog, NULL));
  }
  mprtc_app_free(app);
  mprtc_container_free(container);
  g_main_loop_unref(state.loop);
  /* Results sent to the main context after it stopped iterating are still queued there. */
  while (g_main_context_iteration(NULL, FALSE)) {
  }
  return err ? (err == MPRTC_E_OUTSIDE_PACKAGE ? EXIT_USAGE : EXIT_FAILURE) : state.status;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(usage, stdout);
    return EXIT_SUCCESS;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("mprtc %s\n", mprtc_version());
    return EXIT_SUCCESS;
  }
  if (strcmp(argv[1], "exec") == 0) return cmd_exec(argc - 2, argv + 2);
  fprintf(stderr, "mprtc: unknown command '%s' (see mprtc --help)\n", argv[1]);
  return EXIT_USAGE;
}
