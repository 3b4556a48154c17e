/* HTTP requests, the SDK half of fetch and wx.request (src/baselib/fetch.js), on libsoup 3:
 *   HttpRequest.constructor {method, url, headers: [[name, value], ...], timeout?} with the body
 *                 attached (if any) -> {"id": N}; the request runs in the background, then the
 *                 object emits response {status, statusText, url, redirected, headers} with the
 *                 body attached, or error {message, timedOut}, and closes itself
 *   HttpRequest.abort  target -> null: the request stops, and nothing more is emitted
 * Redirects are followed (fetch's "follow"); timeout is in milliseconds (none when absent). No
 * cookies are kept (a session has no cookie jar): one app's requests never carry another's.
 *
 * Thread rules: SDK thread only; libsoup's I/O runs on the SDK's context (pushed as
 * thread-default around each send), so its callbacks arrive on the SDK thread.
 */
#include <libsoup/soup.h>
#include <string.h>

#include "mprtc-config.h"
#include "sdk/core/call.h"
#include "sdk/core/module.h"
#include "sdk/core/sdk.h"

#define MAX_HEADERS 256

typedef struct {
  SoupSession *session; /* shared by every request: connections are kept and reused */
} http_state;

typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;    /* borrowed: the registry holds it until it closes itself */
  SoupMessage *msg;
  GCancellable *cancel;
  char *url;             /* as asked, to tell whether a redirect happened */
  GSource *timer;        /* the timeout, on the SDK's context, or NULL */
  gboolean timed_out;
} request;

extern const mprtc__sdk_module mprtc__http_module;

static void stop_timer(request *r) {
  if (!r->timer) return;
  g_source_destroy(r->timer);
  g_source_unref(r->timer);
  r->timer = NULL;
}

static void request_close(mprtc__object *obj) {
  request *r = obj->impl;
  g_cancellable_cancel(r->cancel);
  stop_timer(r);
}

static void request_finalize(void *impl) {
  request *r = impl;
  g_clear_object(&r->msg);
  g_clear_object(&r->cancel);
  g_free(r->url);
  g_free(r);
}

static const mprtc__object_class request_class = {"HttpRequest", request_close, request_finalize};

static void add_header(const char *name, const char *value, gpointer list) {
  json_array_append_new(list, json_pack("[s,s]", name, value));
}

static void on_done(GObject *source, GAsyncResult *result, gpointer data) {
  mprtc__object *obj = data;
  request *r = obj->impl;
  GError *error = NULL;
  GBytes *body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
  if (!obj->closed) {
    stop_timer(r);
    if (body) {
      json_t *headers = json_array();
      soup_message_headers_foreach(soup_message_get_response_headers(r->msg), add_header, headers);
      char *url = g_uri_to_string(soup_message_get_uri(r->msg));
      const char *reason = soup_message_get_reason_phrase(r->msg);
      json_t *data_json = json_pack("{s:i,s:s,s:s,s:b,s:o}", "status", (int)soup_message_get_status(r->msg), "statusText",
                                    reason ? reason : "", "url", url, "redirected", strcmp(url, r->url) != 0, "headers",
                                    headers);
      g_free(url);
      mprtc__object_emit_bytes(obj, "response", data_json, g_bytes_ref(body));
    } else {
      mprtc__object_emit(obj, "error", json_pack("{s:s,s:b}", "message", r->timed_out ? "the request timed out" : error->message,
                                                 "timedOut", r->timed_out));
    }
    mprtc__registry_close(r->sdk->registry, obj);
  }
  if (body) g_bytes_unref(body);
  g_clear_error(&error);
  mprtc__object_unref(obj);
}

static gboolean on_timeout(gpointer data) {
  request *r = data;
  g_source_unref(r->timer);
  r->timer = NULL;
  r->timed_out = TRUE;
  g_cancellable_cancel(r->cancel);
  return G_SOURCE_REMOVE;
}

/* Header names are HTTP tokens; values have no CR, LF or NUL. */
static gboolean header_ok(const char *name, const char *value) {
  if (!*name) return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("!#$%&'*+-.^_`|~", *p)) return FALSE;
  return !strpbrk(value, "\r\n");
}

static void request_new(mprtc__call *call) {
  static const char *const allowed[] = {"method", "url", "headers", "timeout", NULL};
  json_t *method = json_object_get(call->req.params, "method"), *url = json_object_get(call->req.params, "url");
  json_t *headers = json_object_get(call->req.params, "headers");
  json_int_t timeout = 0;
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_int_param(call, "timeout", 1, G_MAXINT, &timeout)) return;
  if (!json_is_string(method) || !json_is_string(url) || (headers && !json_is_array(headers))) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: takes {method, url, headers: [[name, value], ...], timeout?}", call->req.method);
    return;
  }
  const char *u = json_string_value(url);
  if (!g_str_has_prefix(u, "http://") && !g_str_has_prefix(u, "https://")) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: only http: and https: URLs can be fetched, not '%s'", call->req.method, u);
    return;
  }
  SoupMessage *msg = soup_message_new(json_string_value(method), u);
  if (!msg) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: '%s' is not a URL libsoup can request", call->req.method, u);
    return;
  }
  SoupMessageHeaders *out = soup_message_get_request_headers(msg);
  size_t i;
  json_t *h;
  json_array_foreach(headers, i, h) {
    const char *name = json_string_value(json_array_get(h, 0)), *value = json_string_value(json_array_get(h, 1));
    if (i >= MAX_HEADERS || !json_is_array(h) || json_array_size(h) != 2 || !name || !value || !header_ok(name, value)) {
      mprtc__call_reject(call, MPRTC_E_INVAL, "%s: header %zu is not a valid [name, value]", call->req.method, i);
      g_object_unref(msg);
      return;
    }
    soup_message_headers_append(out, name, value);
  }
  if (call->bytes) soup_message_set_request_body_from_bytes(msg, NULL, call->bytes);
  http_state *state = mprtc__sdk_module_state(call->sdk, &mprtc__http_module);
  if (!state->session) state->session = soup_session_new_with_options("user-agent", "mprtc/" MPRTC_VERSION " ", NULL);
  request *r = g_new0(request, 1);
  r->sdk = call->sdk;
  r->msg = msg;
  r->cancel = g_cancellable_new();
  r->url = g_uri_to_string(soup_message_get_uri(msg));
  r->obj = mprtc__call_new_object(call, &request_class, r);
  if (timeout) {
    /* On the SDK's context, not the default one. */
    r->timer = g_timeout_source_new((guint)timeout);
    g_source_set_callback(r->timer, on_timeout, r, NULL);
    g_source_attach(r->timer, call->sdk->context);
  }
  g_main_context_push_thread_default(call->sdk->context);
  soup_session_send_and_read_async(state->session, msg, G_PRIORITY_DEFAULT, r->cancel, on_done, mprtc__object_ref(r->obj));
  g_main_context_pop_thread_default(call->sdk->context);
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)r->obj->id));
}

static void init(mprtc__sdk *sdk, void **state) { *state = g_new0(http_state, 1); }

static void shutdown(mprtc__sdk *sdk, void *state) {
  http_state *s = state;
  g_clear_object(&s->session);
  g_free(s);
}

static const mprtc__method methods[] = {
    {"HttpRequest.constructor", NULL, request_new},
    {"HttpRequest.abort", "HttpRequest", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__http_module = {
    .name = "http", .methods = methods, .n_methods = G_N_ELEMENTS(methods), .init = init, .shutdown = shutdown};
