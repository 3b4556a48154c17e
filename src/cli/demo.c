/* mprtc demo: a video call between two instances of examples/video-call in this process (or one
 * and headless Chromium on the signaling server's web page), through a signaling server of its
 * own on a free port, with the call's progress printed as it happens: what each page says, the
 * time to connect, the first remote frame, then the pages' getStats figures every second; then
 * a snapshot of each page, and the hang-up.
 *
 * The pages are watched the way a test watches them: the mini-programs through the automation
 * protocol (mprtc_app_automate), the browser through DevTools (chromium.h). Each page's setData
 * is wrapped so that its data comes to the demo after every change, and no step of the call is
 * missed between two looks; nothing in the example knows about the demo.
 */
#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chromium.h"
#include "cli.h"

/* The function each page calls with its data after every setData (an automation binding in the
 * mini-programs, a DevTools binding in the browser). */
#define SEEN "mprtcDemoSeen"
/* The call must connect and show frames on both sides within this (--timeout). */
#define DEFAULT_TIMEOUT_S 30
/* Seconds of figures before the snapshots (--seconds). */
#define DEFAULT_SECONDS 5
/* The snapshots and the hang-up take no longer than this. */
#define ENDING_TIMEOUT_S 20
#define ROOM "demo"

typedef enum { PHASE_CALLING, PHASE_FIGURES, PHASE_SNAPSHOTS, PHASE_HANGING_UP } phase;

typedef struct demo demo;

/* One end of the call: a mini-program instance, or the browser. */
typedef struct {
  demo *d;
  const char *name;         /* "a", "b", "browser": its lines start with it */
  mprtc_app *app;           /* a mini-program instance, or */
  cli_chromium *browser;    /* headless Chromium on the served page */
  char *status;             /* what the page said last */
  gboolean playing;         /* its remote video has shown a frame */
  gboolean flowing;         /* its stats count decoded frames */
  char *stats_line;         /* "1450 kbps · 30 fps · rtt 1 ms" */
  char *snapshot;           /* where its snapshot goes */
} side;

struct demo {
  GMainLoop *loop;
  gint64 start_us;
  side sides[2];
  phase phase;
  int seconds, figures_printed;
  double timeout;
  int status;
  int answers_due;          /* snapshots or hang-ups still to come back */
  gboolean over;            /* the loop has ended: answers still coming are dropped */
  guint figures_timer, deadline;
};

static void say(demo *d, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void say(demo *d, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  char *text = g_strdup_vprintf(format, ap);
  va_end(ap);
  printf("[%6.2f s] %s\n", (double)(g_get_monotonic_time() - d->start_us) / G_USEC_PER_SEC, text);
  fflush(stdout);
  g_free(text);
}

/* The demo stops with status 1 and the reason on stderr. */
static void fail(demo *d, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void fail(demo *d, const char *format, ...) {
  if (d->status != EXIT_SUCCESS) return;
  va_list ap;
  va_start(ap, format);
  char *text = g_strdup_vprintf(format, ap);
  va_end(ap);
  fflush(stdout);
  fprintf(stderr, "mprtc demo: %s\n", text);
  g_free(text);
  for (int i = 0; i < 2; i++)
    if (d->sides[i].browser) {
      char *tail = cli_chromium_log_tail(d->sides[i].browser, 15);
      if (*tail) fprintf(stderr, "mprtc demo: the browser's last lines:\n%s", tail);
      g_free(tail);
    }
  d->status = EXIT_FAILURE;
  g_main_loop_quit(d->loop);
}

static void finish(demo *d) { g_main_loop_quit(d->loop); }

static void set_deadline(demo *d, double seconds, GSourceFunc fn) {
  if (d->deadline) g_source_remove(d->deadline);
  d->deadline = g_timeout_add((guint)(seconds * 1000.0), fn, d);
}

/* ---- the ending: snapshots, then the hang-up ---- */

static void hang_up(demo *d);

static void snapshot_written(side *s) {
  char *absolute = g_canonicalize_filename(s->snapshot, NULL);
  say(s->d, "%s: snapshot of the page written to %s", s->name, absolute);
  g_free(absolute);
  if (--s->d->answers_due == 0) hang_up(s->d);
}

static void on_app_snapshot(mprtc_app *app, int err, const char *text, void *user_data) {
  side *s = user_data;
  if (err) fail(s->d, "%s: the snapshot failed: %s", s->name, text ? text : mprtc_strerror(err));
  else snapshot_written(s);
}

static void on_browser_screenshot(cli_chromium *browser, json_t *result, const char *error, void *user_data) {
  side *s = user_data;
  if (s->d->over) return;
  const char *data = json_string_value(json_object_get(result, "data"));
  if (!data) {
    fail(s->d, "%s: the screenshot failed: %s", s->name, error ? error : "no picture");
    return;
  }
  gsize len;
  guchar *png = g_base64_decode(data, &len);
  GError *werr = NULL;
  if (!g_file_set_contents(s->snapshot, (const char *)png, (gssize)len, &werr)) {
    fail(s->d, "%s: %s", s->name, werr->message);
    g_error_free(werr);
  } else {
    snapshot_written(s);
  }
  g_free(png);
}

static gboolean ending_too_long(gpointer data) {
  demo *d = data;
  d->deadline = 0;
  fail(d, "the %s did not finish within %d s", d->phase == PHASE_SNAPSHOTS ? "snapshots" : "hang-up", ENDING_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

static void take_snapshots(demo *d) {
  d->phase = PHASE_SNAPSHOTS;
  set_deadline(d, ENDING_TIMEOUT_S, ending_too_long);
  d->answers_due = 2;
  for (int i = 0; i < 2; i++) {
    side *s = &d->sides[i];
    if (s->browser) {
      cli_chromium_page_command(s->browser, "Page.captureScreenshot", json_pack("{s:s}", "format", "png"),
                                on_browser_screenshot, s);
    } else {
      int err = mprtc_view_snapshot(s->app, s->snapshot, on_app_snapshot, s);
      if (err) fail(d, "%s: cannot take a snapshot: %s", s->name, mprtc_strerror(err));
    }
  }
}

static void hung_up(side *s) {
  demo *d = s->d;
  if (--d->answers_due > 0) return;
  say(d, "hung up: both pages left the room");
  finish(d);
}

static void on_app_hung_up(mprtc_app *app, int err, const char *text, void *user_data) {
  side *s = user_data;
  if (err) fail(s->d, "%s: tapping Hang up failed: %s", s->name, text ? text : mprtc_strerror(err));
  else hung_up(s);
}

static void on_browser_hung_up(cli_chromium *browser, json_t *result, const char *error, void *user_data) {
  side *s = user_data;
  if (s->d->over) return;
  if (!result || json_object_get(result, "exceptionDetails")) fail(s->d, "%s: Hang up failed: %s", s->name, error ? error : "it threw");
  else hung_up(s);
}

/* Each page's own Hang up button, tapped or clicked. */
static void hang_up(demo *d) {
  d->phase = PHASE_HANGING_UP;
  set_deadline(d, ENDING_TIMEOUT_S, ending_too_long);
  d->answers_due = 2;
  for (int i = 0; i < 2; i++) {
    side *s = &d->sides[i];
    if (s->browser) {
      cli_chromium_page_command(s->browser, "Runtime.evaluate",
                                json_pack("{s:s, s:b}", "expression", "document.getElementById('hangup').click()", "returnByValue", 1),
                                on_browser_hung_up, s);
    } else {
      int err = mprtc_view_tap(s->app, "#hangup", on_app_hung_up, s);
      if (err) fail(d, "%s: cannot tap Hang up: %s", s->name, mprtc_strerror(err));
    }
  }
}

/* ---- the call: what the pages say ---- */

static gboolean print_figures(gpointer data) {
  demo *d = data;
  side *a = &d->sides[0], *b = &d->sides[1];
  say(d, "%s: %s   %s: %s", a->name, a->stats_line ? a->stats_line : "-", b->name, b->stats_line ? b->stats_line : "-");
  if (d->figures_printed++ < d->seconds) return G_SOURCE_CONTINUE;
  d->figures_timer = 0;
  take_snapshots(d);
  return G_SOURCE_REMOVE;
}

/* A page's data, looked at: what changed is said. */
static void seen(side *s, json_t *data) {
  demo *d = s->d;
  if (d->phase != PHASE_CALLING && d->phase != PHASE_FIGURES) return;
  if (!json_is_object(data)) return; /* the page is not there yet */
  const char *error = json_string_value(json_object_get(data, "error"));
  if (error && *error) {
    fail(d, "%s: the page says: %s", s->name, error);
    return;
  }
  const char *status = json_string_value(json_object_get(data, "status"));
  if (status && g_strcmp0(status, s->status) != 0) {
    g_free(s->status);
    s->status = g_strdup(status);
    if (strcmp(status, "connected") == 0)
      say(d, "%s: connected in %lld ms", s->name, (long long)json_integer_value(json_object_get(data, "connectMs")));
    else
      say(d, "%s: %s", s->name, status);
  }
  if (!s->playing && json_is_true(json_object_get(data, "remotePlaying"))) {
    s->playing = TRUE;
    say(d, "%s: first remote frame", s->name);
  }
  json_t *fps = json_object_get(json_object_get(data, "stats"), "fps");
  s->flowing = json_is_number(fps) && json_number_value(fps) > 0;
  const char *line = json_string_value(json_object_get(data, "statsLine"));
  if (line && *line) {
    g_free(s->stats_line);
    s->stats_line = g_strdup(line);
  }
  side *a = &d->sides[0], *b = &d->sides[1];
  if (d->phase == PHASE_CALLING && a->playing && b->playing && a->flowing && b->flowing) {
    /* Frames decoded on both sides: the figures, once a second. */
    d->phase = PHASE_FIGURES;
    g_source_remove(d->deadline);
    d->deadline = 0;
    if (print_figures(d)) d->figures_timer = g_timeout_add(1000, print_figures, d);
  }
}

/* The wrapping of setData, in the mini-program and in the browser (whose binding takes text). */
static const char watch_mini_program[] =
    "function () {"
    "  const page = getCurrentPages()[0], setData = page.setData;"
    "  page.setData = function (data, callback) { setData.call(this, data, callback); " SEEN "(this.data); };"
    "  " SEEN "(page.data);"
    "}";
/* Resolves once the page is watched: in the document that has window.page (the browser starts on
 * a blank one, which the served page replaces). */
static const char watch_browser[] =
    "new Promise((resolve) => (function watch() {"
    "  const page = window.page;"
    "  if (!page) return setTimeout(watch, 10);"
    "  if (!page.watched) {"
    "    page.watched = true;"
    "    const setData = page.setData;"
    "    page.setData = (data, callback) => { setData(data, callback); " SEEN "(JSON.stringify(page.data)); };"
    "    " SEEN "(JSON.stringify(page.data));"
    "  }"
    "  resolve(true);"
    "})())";

static void on_app_event(mprtc_app *app, const char *method, const char *params_json, void *user_data) {
  side *s = user_data;
  if (strcmp(method, "App.bindingCalled") != 0) return;
  json_t *params = json_loads(params_json, 0, NULL);
  if (g_strcmp0(json_string_value(json_object_get(params, "name")), SEEN) == 0)
    seen(s, json_array_get(json_object_get(params, "args"), 0));
  json_decref(params);
}

static void on_app_watching(mprtc_app *app, int err, const char *text, void *user_data) {
  side *s = user_data;
  if (err) fail(s->d, "%s: cannot watch the page: %s", s->name, text ? text : mprtc_strerror(err));
}

static void on_app_bound(mprtc_app *app, int err, const char *text, void *user_data) {
  side *s = user_data;
  json_t *params = json_pack("{s:s}", "functionDeclaration", watch_mini_program);
  char *params_json = json_dumps(params, JSON_COMPACT);
  json_decref(params);
  if (!err) err = mprtc_app_automate(app, "App.callFunction", params_json, on_app_watching, s), text = NULL;
  free(params_json);
  if (err) on_app_watching(app, err, text, s);
}

static void on_browser_event(cli_chromium *browser, const char *method, json_t *params, void *user_data) {
  side *s = user_data;
  if (strcmp(method, "Runtime.bindingCalled") != 0 || g_strcmp0(json_string_value(json_object_get(params, "name")), SEEN) != 0)
    return;
  const char *payload = json_string_value(json_object_get(params, "payload"));
  json_t *data = json_loads(payload ? payload : "", 0, NULL);
  seen(s, data);
  json_decref(data);
}

static void watch_browser_document(side *s);

static gboolean rewatch_browser(gpointer data) {
  watch_browser_document(data);
  return G_SOURCE_REMOVE;
}

static void on_browser_watching(cli_chromium *browser, json_t *result, const char *error, void *user_data) {
  side *s = user_data;
  if (s->d->over) return;
  if (result && !json_object_get(result, "exceptionDetails")) return;
  /* The document it ran in went away (the blank one, replaced by the page): again, in the new
   * one, while the call's deadline runs. */
  if (!error || !strstr(error, "context")) {
    fail(s->d, "%s: cannot watch the page: %s", s->name, error ? error : "it threw");
    return;
  }
  g_timeout_add(50, rewatch_browser, s);
}

static void watch_browser_document(side *s) {
  if (s->d->over || s->d->status != EXIT_SUCCESS) return;
  cli_chromium_page_command(s->browser, "Runtime.evaluate", json_pack("{s:s, s:b}", "expression", watch_browser, "awaitPromise", 1),
                            on_browser_watching, s);
}

static void on_browser_bound(cli_chromium *browser, json_t *result, const char *error, void *user_data) {
  side *s = user_data;
  if (s->d->over) return;
  if (!result) {
    fail(s->d, "%s: cannot watch the page: %s", s->name, error);
    return;
  }
  watch_browser_document(s);
}

static void on_browser_runtime(cli_chromium *browser, json_t *result, const char *error, void *user_data) {
  side *s = user_data;
  if (s->d->over) return;
  if (!result) fail(s->d, "%s: cannot watch the page: %s", s->name, error);
}

/* Bindings are called back as events of the Runtime domain: it is enabled first. */
static void watch_browser_page(side *s) {
  cli_chromium_set_event_handler(s->browser, on_browser_event, s);
  cli_chromium_page_command(s->browser, "Runtime.enable", NULL, on_browser_runtime, s);
  cli_chromium_page_command(s->browser, "Runtime.addBinding", json_pack("{s:s}", "name", SEEN), on_browser_bound, s);
}

static const char *side_state(const side *s) {
  if (!s->status) return "its page is not there yet";
  if (s->playing) return "its remote video shows frames, but its stats count none decoded";
  return s->status;
}

static gboolean call_too_long(gpointer data) {
  demo *d = data;
  d->deadline = 0;
  const side *a = &d->sides[0], *b = &d->sides[1];
  gboolean connected = g_strcmp0(a->status, "connected") == 0 && g_strcmp0(b->status, "connected") == 0;
  fail(d, "%s within %g s (%s: %s; %s: %s)", connected ? "no video frames arrived" : "the call did not connect", d->timeout,
       a->name, side_state(a), b->name, side_state(b));
  return G_SOURCE_REMOVE;
}

/* ---- starting the two ends ---- */

static void on_launched(mprtc_app *app, int failed, void *user_data) {
  side *s = user_data;
  if (failed) {
    fail(s->d, "%s: the mini-program could not start (its error is above)", s->name);
    return;
  }
  int err = mprtc_app_automate(app, "App.addBinding", "{\"name\": \"" SEEN "\"}", on_app_bound, s);
  if (err) on_app_watching(app, err, NULL, s);
}

static void on_app_log(mprtc_app *app, mprtc_log_level level, const char *text, size_t len, void *user_data) {
  side *s = user_data;
  /* What the views say of streams ending while the pages close is no news. */
  if (s->d->phase == PHASE_HANGING_UP) return;
  fprintf(stderr, "%s: %.*s\n", s->name, (int)len, text);
}

static int start_app(demo *d, side *s, mprtc_container *container, const char *package, const char *page) {
  static const char *const grants[] = {"camera", "microphone", NULL};
  char *id = g_strdup_printf("demo-%s", s->name);
  int err = mprtc_app_new(container, id, package, &s->app);
  g_free(id);
  if (err) {
    fprintf(stderr, "mprtc demo: cannot make the app of %s: %s\n", package, mprtc_strerror(err));
    return err;
  }
  /* The demo's user has said yes to the camera and the microphone. */
  mprtc_app_set_permission_handler(s->app, cli_answer_from_grants, (void *)grants, NULL);
  mprtc_app_set_log_handler(s->app, on_app_log, s, NULL);
  mprtc_app_set_automation_handler(s->app, on_app_event, s, NULL);
  err = mprtc_app_launch(s->app, page, on_launched, s);
  if (err) fprintf(stderr, "mprtc demo: cannot launch %s: %s\n", package, mprtc_strerror(err));
  return err;
}

/* examples/video-call: given, or beside the sources this binary was built from, or installed. */
static char *find_example(const char *given) {
  const char *candidates[] = {given, MPRTC_EXAMPLES_SOURCE_DIR "/video-call", MPRTC_EXAMPLES_INSTALL_DIR "/video-call"};
  for (size_t i = given ? 0 : 1; i < (given ? 1 : G_N_ELEMENTS(candidates)); i++) {
    char *app_json = g_build_filename(candidates[i], "app.json", NULL);
    gboolean found = g_file_test(app_json, G_FILE_TEST_IS_REGULAR);
    g_free(app_json);
    if (found) return g_strdup(candidates[i]);
  }
  return NULL;
}

static gboolean on_interrupt(gpointer data) {
  fail(data, "interrupted");
  return G_SOURCE_CONTINUE;
}

int cli_demo(int argc, char **argv) {
  const char *out_dir = ".", *example = NULL;
  gboolean with_browser = FALSE;
  demo d = {.seconds = DEFAULT_SECONDS, .timeout = DEFAULT_TIMEOUT_S, .status = EXIT_SUCCESS};
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(opt, "--browser") == 0) {
      with_browser = TRUE;
      continue;
    }
    double seconds = 0;
    gboolean ok = value != NULL;
    if (strcmp(opt, "--out") == 0 && value) out_dir = value;
    else if (strcmp(opt, "--example") == 0 && value) example = value;
    else if (strcmp(opt, "--seconds") == 0 && value) ok = cli_parse_seconds(value, &seconds) && seconds == (int)seconds && seconds <= 3600, d.seconds = (int)seconds;
    else if (strcmp(opt, "--timeout") == 0 && value) ok = cli_parse_seconds(value, &d.timeout);
    else ok = FALSE;
    if (!ok) {
      fprintf(stderr, "mprtc demo: bad or unknown option '%s%s%s' (see mprtc --help)\n", opt, value && opt[0] == '-' ? " " : "",
              value && opt[0] == '-' ? value : "");
      return EXIT_USAGE;
    }
    i++;
  }
  char *package = find_example(example);
  if (!package) {
    if (example) fprintf(stderr, "mprtc demo: '%s' is no mini-program (no app.json)\n", example);
    else fprintf(stderr, "mprtc demo: examples/video-call is neither in %s nor in %s: give its folder with --example DIR\n",
                 MPRTC_EXAMPLES_SOURCE_DIR, MPRTC_EXAMPLES_INSTALL_DIR);
    return example ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (g_mkdir_with_parents(out_dir, 0755) != 0 || !g_file_test(out_dir, G_FILE_TEST_IS_DIR)) {
    fprintf(stderr, "mprtc demo: --out %s: cannot make that folder: %s\n", out_dir, g_strerror(errno));
    g_free(package);
    return EXIT_FAILURE;
  }
  char *chromium = NULL;
  if (with_browser && !(chromium = cli_chromium_find())) {
    fprintf(stderr, "mprtc demo: --browser needs Chromium, and there is none%s%s.\n"
                    "  Install it (Debian, Ubuntu: sudo apt-get install chromium), or name a Chromium or\n"
                    "  Chrome binary in the environment: CHROMIUM=/path/to/chrome mprtc demo --browser\n",
                    g_getenv("CHROMIUM") ? " at CHROMIUM=" : " on PATH", g_getenv("CHROMIUM") ? g_getenv("CHROMIUM") : "");
    g_free(package);
    return EXIT_FAILURE;
  }
  /* A browser that has gone away is a failed write, not a signal that ends the demo. */
  signal(SIGPIPE, SIG_IGN);

  d.loop = g_main_loop_new(NULL, FALSE);
  d.start_us = g_get_monotonic_time();
  mprtc_container *container = NULL;
  mprtc_signal_server *server = NULL;
  char *why = NULL;
  int err = mprtc_container_new(&container);
  if (err) {
    fprintf(stderr, "mprtc demo: cannot start the SDK: %s\n", mprtc_strerror(err));
    d.status = EXIT_FAILURE;
    goto out;
  }
  err = mprtc_signal_server_new(NULL, "127.0.0.1", 0, NULL, &server, &why);
  if (err) {
    fprintf(stderr, "mprtc demo: cannot start the signaling server: %s\n", why ? why : mprtc_strerror(err));
    d.status = EXIT_FAILURE;
    goto out;
  }
  int port = mprtc_signal_server_port(server);
  char *server_url = g_strdup_printf("ws://127.0.0.1:%d/signal", port);
  char *escaped = g_uri_escape_string(server_url, NULL, FALSE);
  char *page = g_strdup_printf("pages/index/index?room=" ROOM "&autojoin=1&server=%s", escaped);
  say(&d, "signaling server on %s; %s join room '" ROOM "' (the package: %s)", server_url,
      with_browser ? "a: examples/video-call and browser: headless Chromium on the served page"
                   : "a and b: two instances of examples/video-call", package);
  g_free(escaped);
  g_free(server_url);

  for (int i = 0; i < 2; i++) {
    side *s = &d.sides[i];
    s->d = &d;
    s->name = i == 0 ? "a" : with_browser ? "browser" : "b";
    char *file = g_strdup_printf("mprtc-demo-%s.png", s->name);
    s->snapshot = g_build_filename(out_dir, file, NULL);
    g_free(file);
  }
  if (start_app(&d, &d.sides[0], container, package, page) != 0) {
    d.status = EXIT_FAILURE;
  } else if (with_browser) {
    char *url = g_strdup_printf("http://127.0.0.1:%d/?room=" ROOM "&autojoin=1", port);
    GError *error = NULL;
    d.sides[1].browser = cli_chromium_start(chromium, url, &error);
    if (d.sides[1].browser) {
      say(&d, "browser: %s opened %s", chromium, url);
      watch_browser_page(&d.sides[1]);
    } else {
      fprintf(stderr, "mprtc demo: cannot start %s: %s\n", chromium, error->message);
      g_error_free(error);
      d.status = EXIT_FAILURE;
    }
    g_free(url);
  } else if (start_app(&d, &d.sides[1], container, package, page) != 0) {
    d.status = EXIT_FAILURE;
  }
  g_free(page);

  if (d.status == EXIT_SUCCESS) {
    set_deadline(&d, d.timeout, call_too_long);
    guint sigint = g_unix_signal_add(SIGINT, on_interrupt, &d), sigterm = g_unix_signal_add(SIGTERM, on_interrupt, &d);
    g_main_loop_run(d.loop);
    g_source_remove(sigint);
    g_source_remove(sigterm);
  }

out:
  if (d.figures_timer) g_source_remove(d.figures_timer);
  if (d.deadline) g_source_remove(d.deadline);
  /* Answers still due are dropped with the apps; the browser's come back failed, to a demo over. */
  d.over = TRUE;
  for (int i = 0; i < 2; i++) {
    side *s = &d.sides[i];
    cli_chromium_free(s->browser);
    mprtc_app_free(s->app);
    g_free(s->status);
    g_free(s->stats_line);
    g_free(s->snapshot);
  }
  mprtc_signal_server_free(server);
  mprtc_container_free(container);
  g_main_loop_unref(d.loop);
  cli_drain_main_context();
  g_free(why);
  g_free(chromium);
  g_free(package);
  return d.status;
}
