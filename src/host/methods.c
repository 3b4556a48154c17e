/* The host's own methods (mprtc_app_add_method): app code calls `mprtc.host.<name>(params)`,
 * which is a call block "host.<name>" on the app's second channel. This endpoint decodes it with
 * the same codec as the SDK's, and hands the call to the host's function on the app's context;
 * the host settles it from any thread.
 *
 * The same channel carries what the host gives every mini-program: its files ("File.<op>", the
 * calls of wx.getFileSystemManager that do not return at once), run by a worker thread of the
 * app's one after another, their bytes as the blocks' and replies' attachments; and the file
 * chooser ("File.choose", wx.chooseMessageFile), which asks the host's mprtc_file_chooser_fn. */
#include <stdlib.h>
#include <string.h>

#include "app/storage.h"
#include "bridge/codec.h"
#include "host/host.h"
#include "mprtc/error.h"

struct mprtc_host_call {
  mprtc__bridge *channel; /* reference: where the reply goes */
  int64_t seq;
};

static void reply(mprtc_host_call *call, char *text, size_t len) {
  if (text) mprtc__bridge_send(call->channel, mprtc__message_new(text, len, NULL));
  mprtc__bridge_unref(call->channel);
  g_free(call);
}

static void refuse(mprtc__bridge *channel, int64_t seq, int err, const char *message) {
  size_t len;
  char *text = mprtc__reply_error_encode(seq, err, message, NULL, &len);
  if (text) mprtc__bridge_send(channel, mprtc__message_new(text, len, NULL));
}

/* A call its host never got (the app went first). */
static void drop_call(void *call) { mprtc_host_call_reject(call, MPRTC_E_CLOSED, "the app closed before its host got the call"); }

/* ---- files: the calls of wx.getFileSystemManager that return later ---- */

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

/* The JS thread. */
static void submit(void *data, mprtc__bridge *channel, mprtc__message *msg) {
  mprtc_app *app = data;
  mprtc__request req;
  char errmsg[MPRTC__ERRMSG_MAX];
  int err = mprtc__request_decode(msg->text, msg->len, msg->bytes ? (int64_t)g_bytes_get_size(msg->bytes) : -1, &req, errmsg);
  GBytes *attachment = msg->bytes;
  msg->bytes = NULL;
  mprtc__message_free(msg);
  if (err) {
    if (attachment) g_bytes_unref(attachment);
    refuse(channel, req.seq, err, errmsg);
    return;
  }
  const char *name = g_str_has_prefix(req.method, "host.") ? req.method + 5 : NULL;
  gboolean file_call = g_str_has_prefix(req.method, "File.");
  if (strcmp(req.app, app->id) != 0) {
    refuse(channel, req.seq, MPRTC_E_APP_MISMATCH, "a call block may only name its own app");
  } else if (file_call && (req.target || req.servers || (attachment && strcmp(req.method, "File.writeFile") != 0))) {
    refuse(channel, req.seq, MPRTC_E_BLOCK_FIELD, "a file call takes params (and writeFile its bytes) only");
  } else if (strcmp(req.method, "File.choose") == 0) {
    ask_chooser(app, channel, &req);
  } else if (file_call) {
    queue_file_job(app, channel, &req, attachment);
    attachment = NULL;
  } else if (!name || !g_hash_table_contains(app->host_methods, name)) {
    char *message = g_strdup_printf("unknown method '%s'", req.method);
    refuse(channel, req.seq, MPRTC_E_UNKNOWN_METHOD, message);
    g_free(message);
  } else if (req.target || req.servers || req.bytes >= 0) {
    refuse(channel, req.seq, MPRTC_E_BLOCK_FIELD, "a host method takes params only");
  } else {
    mprtc_host_call *call = g_new0(mprtc_host_call, 1);
    call->channel = mprtc__bridge_ref(channel);
    call->seq = req.seq;
    mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_HOST_CALL);
    n->payload = call;
    n->drop = drop_call;
    /* The name, a NUL, then the params' JSON: one allocation for both. */
    char *params = json_dumps(req.params, JSON_COMPACT);
    n->text = g_strconcat(name, "|", params, NULL);
    n->text[strlen(name)] = '\0';
    free(params);
    mprtc__app_notify(app, n);
  }
  if (attachment) g_bytes_unref(attachment);
  mprtc__request_clear(&req);
}

/* The JS thread, its last word on the channel: the file calls queued still run (what the page
 * wrote is written; their replies go nowhere), then the app's temp files go, as its run ends. */
static void detach(void *data, mprtc__bridge *channel) {
  mprtc_app *app = data;
  if (app->files_worker) g_thread_pool_free(app->files_worker, FALSE, TRUE);
  app->files_worker = NULL;
  mprtc__files_clear_temp(mprtc__app_files(app));
  mprtc__files_free(app->files);
  app->files = NULL;
}

const mprtc__endpoint mprtc__host_endpoint = {submit, detach};

void mprtc_host_call_return(mprtc_host_call *call, const char *result_json) {
  if (!call) return;
  json_error_t error;
  json_t *result = result_json ? json_loads(result_json, JSON_DECODE_ANY, &error) : json_null();
  if (!result) {
    char *message = g_strdup_printf("the host's result is not JSON: %s", error.text);
    mprtc_host_call_reject(call, MPRTC_E_INVAL, message);
    g_free(message);
    return;
  }
  size_t len;
  char *text = mprtc__reply_result_encode(call->seq, result, -1, &len);
  json_decref(result);
  reply(call, text, len);
}

void mprtc_host_call_reject(mprtc_host_call *call, int err, const char *message) {
  if (!call) return;
  size_t len;
  char *text = mprtc__reply_error_encode(call->seq, err, message ? message : "", NULL, &len);
  reply(call, text, len);
}
