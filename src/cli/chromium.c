/* A headless Chromium on a DevTools pipe: see chromium.h. */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chromium.h"

/* How long the browser has to open its page target, and to close when asked. */
#define TARGET_WAIT_TRIES 100
#define TARGET_RETRY_MS 100
#define CLOSE_WAIT_MS 5000

typedef struct {
  cli_chromium_done_fn done;
  void *user_data;
  char *method;        /* queued commands: not sent yet */
  json_t *params;
} pending;

struct cli_chromium {
  GPid pid;
  gboolean exited;
  guint child_watch;
  int to_browser;            /* its fd 3 */
  int from_browser;          /* its fd 4 */
  guint read_watch;
  GString *inbox;            /* bytes read, up to the next NUL */
  int next_id;
  GHashTable *sent;          /* id -> pending*: waiting for the answer */
  GQueue *queued;            /* pending*: page commands waiting for the page's session */
  char *session;             /* the page's DevTools session, once attached */
  gboolean attaching;
  int target_tries;
  guint retry;
  char *profile;             /* the temporary profile folder; the log is in it */
  char *dead;                /* why the pipe is gone, once it is */
  cli_chromium_event_fn on_event;
  void *event_data;
};

char *cli_chromium_find(void) {
  const char *env = g_getenv("CHROMIUM");
  if (env && *env) return g_file_test(env, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup(env) : NULL;
  static const char *const names[] = {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"};
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
    char *path = g_find_program_in_path(names[i]);
    if (path) return path;
  }
  return NULL;
}

static void pending_free(gpointer p) {
  pending *q = p;
  g_free(q->method);
  json_decref(q->params);
  g_free(q);
}

static void answer(cli_chromium *b, pending *q, json_t *result, const char *error) {
  q->done(b, result, error, q->user_data);
  pending_free(q);
}

/* The pipe is gone (the browser exited or wrote nonsense): every command waiting fails. */
static void fail_all(cli_chromium *b, const char *why) {
  if (!b->dead) b->dead = g_strdup(why);
  GHashTableIter it;
  gpointer key, value;
  GPtrArray *waiting = g_ptr_array_new();
  g_hash_table_iter_init(&it, b->sent);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    g_ptr_array_add(waiting, value);
    g_hash_table_iter_steal(&it);
  }
  pending *q;
  while ((q = g_queue_pop_head(b->queued))) g_ptr_array_add(waiting, q);
  for (guint i = 0; i < waiting->len; i++) answer(b, waiting->pdata[i], NULL, b->dead);
  g_ptr_array_unref(waiting);
}

/* Writes one command; the answer goes to q (NULL: nobody waits for it). */
static void send_command(cli_chromium *b, const char *session, const char *method, json_t *params, pending *q) {
  if (b->dead) {
    json_decref(params);
    if (q) answer(b, q, NULL, b->dead);
    return;
  }
  int id = ++b->next_id;
  json_t *msg = json_pack("{s:i, s:s, s:o}", "id", id, "method", method, "params", params ? params : json_object());
  if (session) json_object_set_new(msg, "sessionId", json_string(session));
  char *text = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (q) g_hash_table_insert(b->sent, GINT_TO_POINTER(id), q);
  /* The text and its NUL; small enough that a blocking write is immediate. */
  size_t len = strlen(text) + 1, done = 0;
  while (done < len) {
    ssize_t n = write(b->to_browser, text + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      free(text);
      fail_all(b, "the browser's DevTools pipe is closed (did it exit?)");
      return;
    }
    done += (size_t)n;
  }
  free(text);
}

static pending *pending_new(cli_chromium_done_fn done, void *user_data) {
  pending *q = g_new0(pending, 1);
  q->done = done;
  q->user_data = user_data;
  return q;
}

static void flush_queue(cli_chromium *b) {
  pending *q;
  while ((q = g_queue_pop_head(b->queued))) {
    char *method = g_steal_pointer(&q->method);
    json_t *params = g_steal_pointer(&q->params);
    send_command(b, b->session, method, params, q);
    g_free(method);
  }
}

static void find_page(cli_chromium *b);

static gboolean retry_find_page(gpointer data) {
  cli_chromium *b = data;
  b->retry = 0;
  find_page(b);
  return G_SOURCE_REMOVE;
}

static void on_attached(cli_chromium *b, json_t *result, const char *error, void *data) {
  b->attaching = FALSE;
  const char *session = json_string_value(json_object_get(result, "sessionId"));
  if (!session) {
    fail_all(b, error ? error : "the browser gave no session for its page");
    return;
  }
  b->session = g_strdup(session);
  flush_queue(b);
}

static void on_targets(cli_chromium *b, json_t *result, const char *error, void *data) {
  if (error) {
    b->attaching = FALSE;
    fail_all(b, error);
    return;
  }
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(result, "targetInfos"), i, t) {
    const char *type = json_string_value(json_object_get(t, "type"));
    const char *id = json_string_value(json_object_get(t, "targetId"));
    if (type && id && strcmp(type, "page") == 0) {
      send_command(b, NULL, "Target.attachToTarget", json_pack("{s:s, s:b}", "targetId", id, "flatten", 1),
                   pending_new(on_attached, NULL));
      return;
    }
  }
  /* The page the command line named is not open yet. */
  if (++b->target_tries >= TARGET_WAIT_TRIES) {
    b->attaching = FALSE;
    fail_all(b, "the browser opened no page");
    return;
  }
  b->retry = g_timeout_add(TARGET_RETRY_MS, retry_find_page, b);
}

static void find_page(cli_chromium *b) { send_command(b, NULL, "Target.getTargets", NULL, pending_new(on_targets, NULL)); }

void cli_chromium_page_command(cli_chromium *b, const char *method, json_t *params, cli_chromium_done_fn done,
                               void *user_data) {
  pending *q = pending_new(done, user_data);
  if (b->dead) {
    json_decref(params);
    answer(b, q, NULL, b->dead);
    return;
  }
  if (b->session) {
    send_command(b, b->session, method, params, q);
    return;
  }
  q->method = g_strdup(method);
  q->params = params;
  g_queue_push_tail(b->queued, q);
  if (!b->attaching) {
    b->attaching = TRUE;
    find_page(b);
  }
}

static void on_message(cli_chromium *b, const char *text, size_t len) {
  json_t *msg = json_loadb(text, len, 0, NULL);
  json_t *id = json_object_get(msg, "id");
  const char *method = json_string_value(json_object_get(msg, "method"));
  if (!id && method && b->on_event && g_strcmp0(json_string_value(json_object_get(msg, "sessionId")), b->session) == 0)
    b->on_event(b, method, json_object_get(msg, "params"), b->event_data);
  /* Anything else unknown is dropped. */
  pending *q = json_is_integer(id) ? g_hash_table_lookup(b->sent, GINT_TO_POINTER((int)json_integer_value(id))) : NULL;
  if (q) {
    g_hash_table_steal(b->sent, GINT_TO_POINTER((int)json_integer_value(id)));
    json_t *error = json_object_get(msg, "error");
    if (error) {
      const char *message = json_string_value(json_object_get(error, "message"));
      answer(b, q, NULL, message ? message : "the browser answered with an error");
    } else {
      json_t *result = json_object_get(msg, "result"), *empty = result ? NULL : json_object();
      answer(b, q, result ? result : empty, NULL);
      json_decref(empty);
    }
  }
  json_decref(msg);
}

static gboolean on_readable(gint fd, GIOCondition condition, gpointer data) {
  cli_chromium *b = data;
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return G_SOURCE_CONTINUE;
  if (n <= 0) {
    b->read_watch = 0;
    fail_all(b, "the browser exited");
    return G_SOURCE_REMOVE;
  }
  g_string_append_len(b->inbox, buf, n);
  char *nul;
  while ((nul = memchr(b->inbox->str, '\0', b->inbox->len))) {
    size_t len = (size_t)(nul - b->inbox->str);
    on_message(b, b->inbox->str, len);
    g_string_erase(b->inbox, 0, (gssize)len + 1);
  }
  return G_SOURCE_CONTINUE;
}

static void on_child_exit(GPid pid, gint status, gpointer data) {
  cli_chromium *b = data;
  b->exited = TRUE;
  b->child_watch = 0;
  g_spawn_close_pid(pid);
}

static char *log_path(const cli_chromium *b) { return g_build_filename(b->profile, "chromium.log", NULL); }

cli_chromium *cli_chromium_start(const char *path, const char *url, GError **error) {
  char *profile = g_dir_make_tmp("mprtc-demo-chromium-XXXXXX", error);
  if (!profile) return NULL;
  cli_chromium *b = g_new0(cli_chromium, 1);
  b->profile = profile;
  b->to_browser = b->from_browser = -1;
  b->inbox = g_string_new(NULL);
  b->sent = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, pending_free);
  b->queued = g_queue_new();
  char *log = log_path(b);
  int log_fd = g_open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_free(log);
  int commands[2], answers[2];
  if (log_fd < 0 || !g_unix_open_pipe(commands, FD_CLOEXEC, error)) {
    if (log_fd >= 0) close(log_fd);
    else g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write the browser's log: %s", g_strerror(errno));
    cli_chromium_free(b);
    return NULL;
  }
  if (!g_unix_open_pipe(answers, FD_CLOEXEC, error)) {
    close(log_fd);
    close(commands[0]);
    close(commands[1]);
    cli_chromium_free(b);
    return NULL;
  }
  char *profile_arg = g_strdup_printf("--user-data-dir=%s", profile);
  const char *argv[] = {path, "--headless", "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream",
                        "--use-fake-ui-for-media-stream", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--disable-features=WebRtcHideLocalIpsWithMdns",
                        "--autoplay-policy=no-user-gesture-required", "--no-first-run", "--window-size=800,700",
                        "--remote-debugging-pipe", profile_arg, url, NULL};
  int source_fds[] = {commands[0], answers[1]}, target_fds[] = {3, 4};
  gboolean spawned = g_spawn_async_with_pipes_and_fds(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                                      NULL, NULL, -1, -1, log_fd, source_fds, target_fds, 2, &b->pid,
                                                      NULL, NULL, NULL, error);
  g_free(profile_arg);
  close(log_fd);
  close(commands[0]);
  close(answers[1]);
  b->to_browser = commands[1];
  b->from_browser = answers[0];
  if (!spawned) {
    b->exited = TRUE;
    cli_chromium_free(b);
    return NULL;
  }
  b->child_watch = g_child_watch_add(b->pid, on_child_exit, b);
  b->read_watch = g_unix_fd_add(b->from_browser, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, b);
  return b;
}

void cli_chromium_set_event_handler(cli_chromium *b, cli_chromium_event_fn fn, void *user_data) {
  b->on_event = fn;
  b->event_data = user_data;
}

char *cli_chromium_log_tail(cli_chromium *b, int lines) {
  char *log = log_path(b), *text = NULL;
  g_file_get_contents(log, &text, NULL, NULL);
  g_free(log);
  if (!text) return g_strdup("");
  char *start = text + strlen(text);
  for (int n = 0; start > text && n <= lines; start--)
    if (start[-1] == '\n') n++;
  char *tail = g_strdup(start);
  g_free(text);
  return tail;
}

static void remove_tree(const char *path) {
  GDir *dir = g_file_test(path, G_FILE_TEST_IS_SYMLINK) ? NULL : g_dir_open(path, 0, NULL);
  if (dir) {
    const char *name;
    while ((name = g_dir_read_name(dir))) {
      char *child = g_build_filename(path, name, NULL);
      remove_tree(child);
      g_free(child);
    }
    g_dir_close(dir);
  }
  g_remove(path);
}

static gboolean close_waited(gpointer data) {
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void cli_chromium_free(cli_chromium *b) {
  if (!b) return;
  if (b->retry) g_source_remove(b->retry);
  if (!b->exited && !b->dead) send_command(b, NULL, "Browser.close", NULL, NULL);
  fail_all(b, "the browser was closed");
  if (b->pid && !b->exited) {
    gboolean waited = FALSE;
    guint timer = g_timeout_add(CLOSE_WAIT_MS, close_waited, &waited);
    while (!b->exited && !waited) g_main_context_iteration(NULL, TRUE);
    if (!waited) g_source_remove(timer);
    if (!b->exited) {
      kill(b->pid, SIGKILL);
      while (!b->exited) g_main_context_iteration(NULL, TRUE);
    }
  }
  if (b->child_watch) g_source_remove(b->child_watch);
  if (b->read_watch) g_source_remove(b->read_watch);
  if (b->to_browser >= 0) close(b->to_browser);
  if (b->from_browser >= 0) close(b->from_browser);
  g_hash_table_unref(b->sent);
  g_queue_free_full(b->queued, pending_free);
  g_string_free(b->inbox, TRUE);
  remove_tree(b->profile);
  g_free(b->profile);
  g_free(b->session);
  g_free(b->dead);
  g_free(b);
}
