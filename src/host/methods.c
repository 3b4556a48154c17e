/* The host's own methods (mprtc_app_add_method): app code calls `mprtc.host.<name>(params)`,
 * which is a call block "host.<name>" on the app's second channel. This endpoint decodes it with
 * the same codec as the SDK's, and hands the call to the host's function on the app's context;
 * the host settles it from any thread.
 *
 * The same channel carries what the host gives every mini-program: its files ("File.<op>",
 * src/host/files.c). */
#include <stdlib.h>
#include <string.h>

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
  } else if (file_call) {
    mprtc__host_file_call(app, channel, &req, attachment);
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

/* The JS thread, its last word on the channel. */
static void detach(void *data, mprtc__bridge *channel) { mprtc__host_files_close(data); }

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
