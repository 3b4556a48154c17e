/* mprtc run: a mini-program package launched headless, driven by steps from the command line,
 * its view painted or dumped when the run ends. */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef enum { STEP_WAIT_FOR, STEP_TAP, STEP_INPUT, STEP_CONFIRM, STEP_SNAPSHOT } step_kind;

typedef struct {
  step_kind kind;
  char *arg;   /* the selector, or the snapshot's path */
  char *value; /* STEP_INPUT: the text */
  const char *option;
} step;

typedef struct {
  mprtc_app *app;
  GMainLoop *loop;
  GPtrArray *steps;        /* step*: done in order once the page is ready */
  guint next;              /* the step running (or next) */
  GPtrArray *final_snapshots; /* char*: the --snapshot paths given after the last other step */
  gboolean dump;
  gboolean launched;       /* the first page is ready */
  gboolean duration_over;  /* --duration passed (or there is none and the steps are done) */
  gboolean has_duration;
  gboolean automated;      /* --auto-port: the run lasts until the client closes it */
  gboolean timed_out;      /* --timeout passed */
  gboolean ending;         /* the end-of-run work has begun */
  GPtrArray *chosen;       /* char*: the --choose-file paths, answering wx.chooseMessageFile in turn */
  guint next_chosen;
  guint end_pending;       /* snapshots and the dump still to come back */
  int status;
} run_state;

static void step_free(gpointer p) {
  step *s = p;
  g_free(s->arg);
  g_free(s->value);
  g_free(s);
}

static void finish(run_state *st, int status) {
  if (st->status == EXIT_SUCCESS) st->status = status;
  g_main_loop_quit(st->loop);
}

static void on_final_answer(mprtc_app *app, int err, const char *text, void *user_data);

/* Where a snapshot went, for whoever runs the command. */
static void tell_snapshot(const char *path) {
  char *absolute = g_canonicalize_filename(path, NULL);
  fprintf(stderr, "mprtc run: snapshot written to %s\n", absolute);
  g_free(absolute);
}

typedef struct {
  run_state *st;
  char *path;
} final_snapshot;

static void on_final_snapshot(mprtc_app *app, int err, const char *text, void *user_data) {
  final_snapshot *f = user_data;
  if (!err) tell_snapshot(f->path);
  on_final_answer(app, err, text, f->st);
  g_free(f->path);
  g_free(f);
}

/* The run ends: the snapshots and the dump asked for at its end, then out. */
static void end_run(run_state *st) {
  if (st->ending) return;
  st->ending = TRUE;
  for (guint i = 0; i < st->final_snapshots->len; i++) {
    final_snapshot *f = g_new(final_snapshot, 1);
    f->st = st;
    f->path = g_strdup(st->final_snapshots->pdata[i]);
    if (mprtc_view_snapshot(st->app, f->path, on_final_snapshot, f) == 0) {
      st->end_pending++;
    } else {
      g_free(f->path);
      g_free(f);
    }
  }
  if (st->dump && mprtc_view_dump(st->app, on_final_answer, st) == 0) st->end_pending++;
  if (st->end_pending == 0) finish(st, EXIT_SUCCESS);
}

static void on_final_answer(mprtc_app *app, int err, const char *text, void *user_data) {
  run_state *st = user_data;
  if (err) {
    fprintf(stderr, "mprtc run: %s\n", text ? text : mprtc_strerror(err));
    st->status = EXIT_FAILURE;
  } else if (text) {
    /* The dump: one JSON document, alone on stdout. */
    fputs(text, stdout);
    fputc('\n', stdout);
    fflush(stdout);
  }
  if (--st->end_pending == 0) finish(st, EXIT_SUCCESS);
}

static void run_next_step(run_state *st);

static void on_step_answer(mprtc_app *app, int err, const char *text, void *user_data) {
  run_state *st = user_data;
  const step *s = st->steps->pdata[st->next];
  if (err) {
    fprintf(stderr, "mprtc run: %s %s: %s\n", s->option, s->arg, text ? text : mprtc_strerror(err));
    finish(st, EXIT_FAILURE);
    return;
  }
  if (s->kind == STEP_SNAPSHOT) tell_snapshot(s->arg);
  st->next++;
  run_next_step(st);
}

static void run_next_step(run_state *st) {
  if (st->next >= st->steps->len) {
    /* Without --duration (or an automation client to wait for) the run ends with its steps. */
    if ((!st->has_duration && !st->automated) || st->duration_over) end_run(st);
    return;
  }
  const step *s = st->steps->pdata[st->next];
  int err = 0;
  switch (s->kind) {
    case STEP_WAIT_FOR: err = mprtc_view_wait(st->app, s->arg, on_step_answer, st); break;
    case STEP_TAP: err = mprtc_view_tap(st->app, s->arg, on_step_answer, st); break;
    case STEP_INPUT: err = mprtc_view_input(st->app, s->arg, s->value, on_step_answer, st); break;
    case STEP_CONFIRM: err = mprtc_view_confirm(st->app, s->arg, on_step_answer, st); break;
    case STEP_SNAPSHOT: err = mprtc_view_snapshot(st->app, s->arg, on_step_answer, st); break;
  }
  if (err) {
    fprintf(stderr, "mprtc run: %s %s: %s\n", s->option, s->arg, mprtc_strerror(err));
    finish(st, EXIT_FAILURE);
  }
}

static void on_launched(mprtc_app *app, int failed, void *user_data) {
  run_state *st = user_data;
  if (failed) {
    /* Its error, with file and line, went to stderr. */
    finish(st, EXIT_FAILURE);
    return;
  }
  st->launched = TRUE;
  run_next_step(st);
}

/* The launch or a step still running: its name on stderr, exit 124. */
static gboolean steps_unfinished(run_state *st, const char *option) {
  if (st->launched && st->next >= st->steps->len) return FALSE;
  const step *s = st->launched ? st->steps->pdata[st->next] : NULL;
  if (s) fprintf(stderr, "mprtc run: %s passed while still at %s %s\n", option, s->option, s->arg);
  else fprintf(stderr, "mprtc run: %s passed before the first page was ready\n", option);
  finish(st, EXIT_TIMEOUT);
  return TRUE;
}

static gboolean on_duration(gpointer data) {
  run_state *st = data;
  st->duration_over = TRUE;
  if (!steps_unfinished(st, "--duration")) end_run(st);
  return G_SOURCE_REMOVE;
}

/* --timeout only bounds the launch and the steps; it never holds the run open. */
static gboolean on_timeout(gpointer data) {
  run_state *st = data;
  st->timed_out = TRUE;
  steps_unfinished(st, "--timeout");
  return G_SOURCE_REMOVE;
}

/* miniprogram.close() */
static void on_automation_closed(mprtc_automation_server *server, void *data) {
  run_state *st = data;
  if (st->launched) end_run(st);
  else finish(st, EXIT_SUCCESS);
}

/* wx.exitMiniProgram: the run ends as the mini-program asked. */
static void on_app_exit(mprtc_app *app, void *data) {
  run_state *st = data;
  fprintf(stderr, "mprtc run: the mini-program exited (wx.exitMiniProgram)\n");
  end_run(st);
}

/* wx.chooseMessageFile: the next --choose-file is what the user picks; past the last, the user
 * cancels. */
static void on_choose_file(mprtc_app *app, mprtc_file_choice *choice, const char *options, void *data) {
  run_state *st = data;
  if (st->next_chosen >= st->chosen->len) {
    fprintf(stderr, "mprtc run: wx.chooseMessageFile: no --choose-file left, the user cancels\n");
    mprtc_file_choice_answer(choice, NULL, 0);
    return;
  }
  const char *path = st->chosen->pdata[st->next_chosen++];
  fprintf(stderr, "mprtc run: wx.chooseMessageFile: the user picks %s\n", path);
  mprtc_file_choice_answer(choice, &path, 1);
}

static gboolean on_signal(gpointer data) {
  run_state *st = data;
  if (st->launched) end_run(st);
  else finish(st, EXIT_FAILURE);
  /* The source stays: it is removed with the other when the loop ends. */
  return G_SOURCE_CONTINUE;
}

/* With --dump-view stdout carries the dump alone: the app's console goes to stderr. */
static void log_to_stderr(mprtc_app *app, mprtc_log_level level, const char *text, size_t len, void *user_data) {
  fwrite(text, 1, len, stderr);
  fputc('\n', stderr);
}

static gboolean parse_size(const char *text, int *w, int *h) {
  char *end;
  long a = strtol(text, &end, 10);
  if (*end != 'x' || a < 1 || a > 8192) return FALSE;
  long b = strtol(end + 1, &end, 10);
  if (*end || b < 1 || b > 8192) return FALSE;
  *w = (int)a;
  *h = (int)b;
  return TRUE;
}

static void add_step(GPtrArray *steps, step_kind kind, const char *option, const char *arg, const char *value) {
  step *s = g_new0(step, 1);
  s->kind = kind;
  s->option = option;
  s->arg = g_strdup(arg);
  s->value = g_strdup(value);
  g_ptr_array_add(steps, s);
}

int cli_run(int argc, char **argv) {
  const char *dir = NULL, *page = NULL, *grant = "", *app_id = "run";
  int width = 375, height = 667, auto_port = -1;
  double duration = 0, timeout = 0;
  gboolean dump = FALSE, testing = FALSE, present = FALSE;
  GPtrArray *steps = g_ptr_array_new_with_free_func(step_free);
  GPtrArray *chosen = g_ptr_array_new_with_free_func(g_free);
  int usage_error = 0;
  for (int i = 0; i < argc && !usage_error; i++) {
    const char *opt = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    gboolean takes_value = TRUE;
    if (strcmp(opt, "--page") == 0 && value) {
      page = value;
    } else if (strcmp(opt, "--size") == 0 && value) {
      if (!parse_size(value, &width, &height)) {
        fprintf(stderr, "mprtc run: --size wants WIDTHxHEIGHT in CSS pixels (1 to 8192), not '%s'\n", value);
        usage_error = 1;
      }
    } else if (strcmp(opt, "--duration") == 0 && value) {
      if (!cli_parse_seconds(value, &duration)) {
        fprintf(stderr, "mprtc run: --duration wants a positive number of seconds, not '%s'\n", value);
        usage_error = 1;
      }
    } else if (strcmp(opt, "--timeout") == 0 && value) {
      if (!cli_parse_seconds(value, &timeout)) {
        fprintf(stderr, "mprtc run: --timeout wants a positive number of seconds, not '%s'\n", value);
        usage_error = 1;
      }
    } else if (strcmp(opt, "--auto-port") == 0 && value) {
      char *end;
      long port = strtol(value, &end, 10);
      if (*end || end == value || port < 0 || port > 65535) {
        fprintf(stderr, "mprtc run: --auto-port wants a port number (0 to 65535; 0: any free port), not '%s'\n", value);
        usage_error = 1;
      }
      auto_port = (int)port;
    } else if (strcmp(opt, "--grant") == 0 && value) {
      grant = value;
    } else if (strcmp(opt, "--app") == 0 && value) {
      app_id = value;
    } else if (strcmp(opt, "--choose-file") == 0 && value) {
      if (!g_file_test(value, G_FILE_TEST_IS_REGULAR)) {
        fprintf(stderr, "mprtc run: --choose-file wants a file to pick, and '%s' is none\n", value);
        usage_error = 1;
      }
      /* Absolute: the copy happens later, wherever the current directory is then. */
      g_ptr_array_add(chosen, g_canonicalize_filename(value, NULL));
    } else if (strcmp(opt, "--snapshot") == 0 && value) {
      add_step(steps, STEP_SNAPSHOT, "--snapshot", value, NULL);
    } else if (strcmp(opt, "--wait-for") == 0 && value) {
      add_step(steps, STEP_WAIT_FOR, "--wait-for", value, NULL);
    } else if (strcmp(opt, "--tap") == 0 && value) {
      add_step(steps, STEP_TAP, "--tap", value, NULL);
    } else if (strcmp(opt, "--confirm") == 0 && value) {
      add_step(steps, STEP_CONFIRM, "--confirm", value, NULL);
    } else if (strcmp(opt, "--input") == 0 && value) {
      const char *eq = strchr(value, '=');
      if (!eq || eq == value) {
        fprintf(stderr, "mprtc run: --input wants SELECTOR=TEXT, not '%s'\n", value);
        usage_error = 1;
      } else {
        char *selector = g_strndup(value, (gsize)(eq - value));
        add_step(steps, STEP_INPUT, "--input", selector, eq + 1);
        g_free(selector);
      }
    } else if (strcmp(opt, "--dump-view") == 0) {
      dump = TRUE;
      takes_value = FALSE;
    } else if (strcmp(opt, "--testing") == 0) {
      testing = TRUE;
      takes_value = FALSE;
    } else if (strcmp(opt, "--present") == 0) {
      present = TRUE;
      takes_value = FALSE;
    } else if (opt[0] == '-' && opt[1]) {
      fprintf(stderr, "mprtc run: unknown or incomplete option '%s' (see mprtc --help)\n", opt);
      usage_error = 1;
    } else if (!dir) {
      dir = opt;
      takes_value = FALSE;
    } else {
      fprintf(stderr, "mprtc run: one DIR only (got '%s' and '%s')\n", dir, opt);
      usage_error = 1;
    }
    if (takes_value) i++;
  }
  if (!usage_error && !dir) {
    fprintf(stderr, "mprtc run: missing DIR, the mini-program's folder (see mprtc --help)\n");
    usage_error = 1;
  }
  if (!usage_error && !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    fprintf(stderr, "mprtc run: '%s' is not a directory\n", dir);
    usage_error = 1;
  }
  g_auto(GStrv) granted = usage_error ? NULL : cli_parse_grants("run", grant);
  if (usage_error || !granted) {
    g_ptr_array_unref(steps);
    g_ptr_array_unref(chosen);
    return EXIT_USAGE;
  }

  mprtc_container *container = NULL;
  int err = mprtc_container_new(&container);
  if (err) {
    fprintf(stderr, "mprtc: cannot start the SDK: %s\n", mprtc_strerror(err));
    g_ptr_array_unref(steps);
    g_ptr_array_unref(chosen);
    return EXIT_FAILURE;
  }
  mprtc_app *app = NULL;
  err = mprtc_app_new(container, app_id, dir, &app);
  if (err) {
    fprintf(stderr, "mprtc run: cannot make the app '%s': %s\n", app_id, mprtc_strerror(err));
    mprtc_container_free(container);
    g_ptr_array_unref(steps);
    g_ptr_array_unref(chosen);
    return err == MPRTC_E_INVAL ? EXIT_USAGE : EXIT_FAILURE;
  }
  mprtc_app_set_flags(app, (duration > 0 || timeout > 0 ? MPRTC_APP_WATCHDOG : 0) | (testing ? MPRTC_APP_TESTING : 0) |
                               (present ? MPRTC_APP_PRESENT : 0));
  mprtc_app_set_permission_handler(app, cli_answer_from_grants, granted, NULL);
  mprtc_app_set_window(app, width, height, 2);
  if (dump) mprtc_app_set_log_handler(app, log_to_stderr, NULL, NULL);

  run_state st = {0};
  st.app = app;
  st.loop = g_main_loop_new(NULL, FALSE);
  st.dump = dump;
  st.has_duration = duration > 0;
  st.automated = auto_port >= 0;
  st.status = EXIT_SUCCESS;
  /* Snapshots after the last other step are taken when the run ends. */
  st.final_snapshots = g_ptr_array_new_with_free_func(g_free);
  while (steps->len && ((step *)steps->pdata[steps->len - 1])->kind == STEP_SNAPSHOT) {
    step *s = g_ptr_array_steal_index(steps, steps->len - 1);
    g_ptr_array_insert(st.final_snapshots, 0, g_steal_pointer(&s->arg));
    step_free(s);
  }
  st.steps = steps;
  st.chosen = chosen;
  mprtc_app_set_exit_handler(app, on_app_exit, &st, NULL);
  mprtc_app_set_file_chooser(app, on_choose_file, &st, NULL);
  mprtc_automation_server *automation = NULL;
  if (auto_port >= 0) {
    char *why = NULL;
    err = mprtc_automation_server_new(app, auto_port, on_automation_closed, &st, &automation, &why);
    if (err) {
      fprintf(stderr, "mprtc run: --auto-port: %s\n", why ? why : mprtc_strerror(err));
      g_free(why);
      mprtc_app_free(app);
      mprtc_container_free(container);
      g_ptr_array_unref(steps);
      g_ptr_array_unref(chosen);
      g_ptr_array_unref(st.final_snapshots);
      g_main_loop_unref(st.loop);
      return EXIT_FAILURE;
    }
    /* Where a client connects: miniprogram-automator's connect({wsEndpoint}). */
    fprintf(stderr, "mprtc run: automation on ws://127.0.0.1:%d\n", mprtc_automation_server_port(automation));
  }

  err = mprtc_app_launch(app, page, on_launched, &st);
  if (err) {
    fprintf(stderr, "mprtc run: cannot launch '%s': %s\n", dir, mprtc_strerror(err));
    st.status = err == MPRTC_E_INVAL ? EXIT_USAGE : EXIT_FAILURE;
  } else {
    guint timer = duration > 0 ? g_timeout_add((guint)(duration * 1000.0), on_duration, &st) : 0;
    guint limit = timeout > 0 ? g_timeout_add((guint)(timeout * 1000.0), on_timeout, &st) : 0;
    guint sigint = g_unix_signal_add(SIGINT, on_signal, &st), sigterm = g_unix_signal_add(SIGTERM, on_signal, &st);
    g_main_loop_run(st.loop);
    if (timer && !st.duration_over) g_source_remove(timer);
    if (limit && !st.timed_out) g_source_remove(limit);
    g_source_remove(sigint);
    g_source_remove(sigterm);
  }
  if (st.status == EXIT_TIMEOUT) {
    mprtc_app_terminate(app);
    cli_start_exit_watchdog();
  }
  mprtc_app_free(app);
  mprtc_automation_server_free(automation);
  mprtc_container_free(container);
  g_main_loop_unref(st.loop);
  cli_drain_main_context();
  g_ptr_array_unref(st.final_snapshots);
  g_ptr_array_unref(steps);
  g_ptr_array_unref(chosen);
  return st.status;
}
