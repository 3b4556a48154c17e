/* What the host gives every mini-program of its files, on the channel of the host's own methods
 * (src/host/methods.c): "File.<op>", the calls of wx.getFileSystemManager that do not return at
 * once, run by a worker thread of the app's one after another, their bytes as the blocks' and
 * replies' attachments; and "File.choose", wx.chooseMessageFile, which asks the host's
 * mprtc_file_chooser_fn. The file work itself is src/app/files.c. */
#include <stdlib.h>
#include <string.h>

#include "app/files.h"
#include "bridge/codec.h"
#include "host/host.h"
#include "mprtc/error.h"

/* ---- the calls of wx.getFileSystemManager that return later ---- */

typedef struct {
  mprtc__bridge *channel; /* reference */
  int64_t seq;
  char *op;
  json_t *params; /* reference */
  GBytes *data;   /* the block's attachment, or NULL */
} file_job;

static void reply_json(mprtc__bridge *channel, int64_t seq, json_t *result, GBytes *bytes) {
  size_t len;
  char *text = mprtc__reply_result_encode(seq, result, bytes ? (int64_t)g_bytes_get_size(bytes) : -1, &len);
  if (text) mprtc__bridge_send(channel, mprtc__message_new(text, len, bytes));
  else if (bytes) g_bytes_unref(bytes);
}

/* The app's worker thread: one operation, its reply (dropped if the channel closed meanwhile). */
static void run_file_job(gpointer data, gpointer files) {
  file_job *job = data;
  GBytes *out = NULL;
  json_t *result = mprtc__files_call(files, job->op, job->params, job->data, &out);
  reply_json(job->channel, job->seq, result, out);
  json_decref(result);
  mprtc__bridge_unref(job->channel);
  json_decref(job->params);
  if (job->data) g_bytes_unref(job->data);
  g_free(job->op);
  g_free(job);
}

/* The JS thread: queued for the app's worker, which runs them in the order they came, as the
 * page called them (an appendFile after a writeFile finds the file written). */
static void queue_file_job(mprtc_app *app, mprtc__bridge *channel, mprtc__request *req, GBytes *data) {
  if (!app->files_worker) app->files_worker = g_thread_pool_new(run_file_job, mprtc__app_files(app), 1, FALSE, NULL);
  file_job *job = g_new0(file_job, 1);
  job->channel = mprtc__bridge_ref(channel);
  job->seq = req->seq;
  job->op = g_strdup(req->method + strlen("File."));
  job->params = json_incref(req->params);
  job->data = data;
  g_thread_pool_push(app->files_worker, job, NULL);
}

/* ---- the file chooser: wx.chooseMessageFile ---- */

struct mprtc_file_choice {
  mprtc__bridge *channel; /* reference: where the answer goes */
  int64_t seq;
  mprtc__files *files;    /* the app's files (its own copy: the answer may come after the app) */
  json_int_t count;       /* at most this many are taken */
};

typedef struct {
  mprtc_file_choice *choice;
  char **paths;
} choice_job;

/* A question the host never got (its app went first): the user chose nothing. */
static void drop_choice(void *choice) { mprtc_file_choice_answer(choice, NULL, 0); }

static void choice_free(mprtc_file_choice *choice) {
  mprtc__bridge_unref(choice->channel);
  mprtc__files_free(choice->files);
  g_free(choice);
}

/* A thread of the chooser's pool: the chosen files become the app's temp files. */
static void copy_chosen(gpointer data, gpointer unused) {
  choice_job *job = data;
  mprtc_file_choice *choice = job->choice;
  json_t *temp_files = json_array(), *result = NULL;
  for (char **p = job->paths; *p && !result; p++) {
    GError *error = NULL;
    json_t *entry = mprtc__files_import(choice->files, *p, &error);
    if (entry) {
      json_array_append_new(temp_files, entry);
    } else {
      result = json_pack("{s:s}", "fail", error->message);
      g_error_free(error);
    }
  }
  if (!result) result = json_pack("{s:O}", "tempFiles", temp_files);
  reply_json(choice->channel, choice->seq, result, NULL);
  json_decref(result);
  json_decref(temp_files);
  choice_free(choice);
  g_strfreev(job->paths);
  g_free(job);
}

static gpointer make_chooser_pool(gpointer unused) { return g_thread_pool_new(copy_chosen, NULL, 2, FALSE, NULL); }

void mprtc_file_choice_answer(mprtc_file_choice *choice, const char *const *paths, size_t n) {
  if (!choice) return;
  if (n == 0 || !paths) {
    json_t *result = json_pack("{s:b}", "cancel", 1);
    reply_json(choice->channel, choice->seq, result, NULL);
    json_decref(result);
    choice_free(choice);
    return;
  }
  if ((json_int_t)n > choice->count) n = (size_t)choice->count;
  choice_job *job = g_new0(choice_job, 1);
  job->choice = choice;
  job->paths = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++) job->paths[i] = g_strdup(paths[i]);
  /* Copying may take a while: not on the host's thread. The pool lives as long as the process. */
  static GOnce pool_once = G_ONCE_INIT;
  g_thread_pool_push(g_once(&pool_once, make_chooser_pool, NULL), job, NULL);
}

/* The JS thread: the host is asked on its context (where an app without a chooser is told that
 * the user cancelled). */
static void ask_chooser(mprtc_app *app, mprtc__bridge *channel, mprtc__request *req) {
  json_t *count = json_object_get(req->params, "count");
  mprtc_file_choice *choice = g_new0(mprtc_file_choice, 1);
  choice->channel = mprtc__bridge_ref(channel);
  choice->seq = req->seq;
  choice->files = mprtc__files_new(app->id, app->root);
  choice->count = json_is_integer(count) && json_integer_value(count) > 0 ? json_integer_value(count) : 1;
  mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_CHOOSE_FILE);
  n->payload = choice;
  n->drop = drop_choice;
  n->text = json_dumps(req->params, JSON_COMPACT);
  mprtc__app_notify(app, n);
}

void mprtc__host_file_call(mprtc_app *app, mprtc__bridge *channel, mprtc__request *req, GBytes *attachment) {
  if (strcmp(req->method, "File.choose") == 0) {
    if (attachment) g_bytes_unref(attachment);
    ask_chooser(app, channel, req);
  } else {
    queue_file_job(app, channel, req, attachment);
  }
}

/* The file calls queued still run (what the page wrote is written; their replies go nowhere),
 * then the app's temp files go, as its run ends. */
void mprtc__host_files_close(mprtc_app *app) {
  if (app->files_worker) g_thread_pool_free(app->files_worker, FALSE, TRUE);
  app->files_worker = NULL;
  mprtc__files_clear_temp(mprtc__app_files(app));
  mprtc__files_free(app->files);
  app->files = NULL;
}
