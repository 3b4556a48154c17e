/* WebSocket client connections, the SDK half of the WHATWG WebSocket (src/baselib/websocket.js),
 * on libsoup 3. The contract is docs/websocket.md:
 *   WebSocket.constructor {url, protocols?} -> {"id":N}; connects in the background, then emits
 *                         open {protocol, extensions}, message {text} | {binary: true} with
 *                         the bytes attached,
 *                         closing {} (the closing handshake started), error {message} (only
 *                         before a close that was not clean) and, last, close {code, reason,
 *                         wasClean}
 *   WebSocket.send        target {text | utf8: true | binary: true, more?} (utf8 and binary: the
 *                         bytes attached) -> null
 *   WebSocket.close       target {code?, reason?} -> null
 * After its "close" event the object closes itself (leaves the registry): calls naming it then
 * get NotFoundError, which the logic layer expects.
 *
 * Thread rules: SDK thread only. libsoup runs its I/O in the thread-default context of the
 * thread that starts it; every libsoup call here is made on the SDK thread with the SDK's
 * context as thread-default, so every callback and signal below arrives on the SDK thread.
 */
#include <libsoup/soup.h>
#include <string.h>

#include "mprtc-config.h"
#include "sdk/core/call.h"
#include "sdk/core/sdk.h"

/* Largest frame payload accepted from a server: libsoup's default (128 KiB) is too small for
 * real signaling payloads, and no limit at all would let a server exhaust memory. */
#define WS_MAX_INCOMING_PAYLOAD (64 * 1024 * 1024)
/* Largest message the logic layer may assemble from chunks (`more`), libsoup's own bound for
 * an outgoing frame being a little under 2 GiB. */
#define WS_MAX_OUTGOING_MESSAGE (1024 * 1024 * 1024)
/* RFC 6455 5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
#define WS_MAX_REASON_BYTES 123

typedef struct {
  mprtc__sdk *sdk;               /* its registry: the object closes itself after "close" */
  mprtc__object *obj;           /* borrowed: the registry outlives every use of it here */
  /* While connecting (all NULL once the connect has settled): */
  SoupSession *session;
  SoupMessage *msg;             /* the handshake, for the response's extension header */
  GCancellable *cancel;
  /* Once open: */
  SoupWebsocketConnection *conn;
  char *failure;                /* the first error libsoup reported, for the "error" event */
  GByteArray *partial;          /* a message arriving in chunks (`more`), until its last one */
  SoupWebsocketDataType partial_type;
  gboolean protocols_offered;   /* the server must then choose one (Fetch Standard) */
} websocket;

static void websocket_finalize(void *impl) {
  websocket *ws = impl;
  /* The connect callback holds a reference to the object, so only its own leftovers and an
   * unsent partial message can still be here. */
  g_clear_object(&ws->session);
  g_clear_object(&ws->msg);
  g_clear_object(&ws->cancel);
  g_clear_object(&ws->conn);
  g_free(ws->failure);
  if (ws->partial) g_byte_array_unref(ws->partial);
  g_free(ws);
}

/* Stops everything the object started: a connect still pending is cancelled (its callback
 * still runs, sees the object closed and only cleans up), and the connection's signals are
 * dropped before it is released, so nothing can emit afterwards. An open connection is closed
 * with 1001 (going away): libsoup finishes that on its own, holding its own reference. */
static void websocket_close(mprtc__object *obj) {
  websocket *ws = obj->impl;
  if (ws->cancel) g_cancellable_cancel(ws->cancel);
  if (ws->conn) {
    g_signal_handlers_disconnect_by_data(ws->conn, ws);
    if (soup_websocket_connection_get_state(ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close(ws->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    g_clear_object(&ws->conn);
  }
}

static const mprtc__object_class websocket_class = {"WebSocket", websocket_close,
                                                    websocket_finalize};

/* Emits "error" (when error is not NULL) and "close", then closes the object: the last events
 * it ever sends. */
static void websocket_finish(websocket *ws, int code, const char *reason, gboolean clean,
                             const char *error) {
  /* Our own reference: closing drops the registry's, which may be the last, and ws with it. */
  mprtc__object *obj = mprtc__object_ref(ws->obj);
  if (error) mprtc__object_emit(obj, "error", json_pack("{s:s}", "message", error));
  json_t *data = json_pack("{s:i,s:s,s:b}", "code", code, "reason", reason, "wasClean", clean);
  /* libsoup has checked the reason's UTF-8; should jansson refuse it anyway, the close goes
   * without it rather than without data. */
  if (!data) data = json_pack("{s:i,s:s,s:b}", "code", code, "reason", "", "wasClean", clean);
  mprtc__object_emit(obj, "close", data);
  mprtc__registry_close(ws->sdk->registry, obj);
  mprtc__object_unref(obj);
}

/* ---- events of an open connection ---- */

static void on_message(SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data) {
  websocket *ws = data;
  gsize n;
  const char *bytes = g_bytes_get_data(message, &n);
  json_t *event;
  GBytes *attached = NULL;
  if (type == SOUP_WEBSOCKET_DATA_TEXT) {
    /* libsoup has checked the UTF-8; a NUL is valid text and jansson keeps it (s%). */
    event = json_pack("{s:s%}", "text", bytes ? bytes : "", n);
  } else {
    event = json_pack("{s:b}", "binary", 1);
    attached = g_bytes_ref(message);
  }
  if (event)
    mprtc__object_emit_bytes(ws->obj, "message", event, attached);
  else if (soup_websocket_connection_get_state(conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close(conn, SOUP_WEBSOCKET_CLOSE_BAD_DATA, NULL);
}

/* libsoup reports a protocol error, a failed write, an oversized frame...; "closed" follows for
 * the fatal ones. Only the first is kept. */
static void on_error(SoupWebsocketConnection *conn, GError *error, gpointer data) {
  websocket *ws = data;
  if (!ws->failure) ws->failure = g_strdup(error && error->message ? error->message : "error");
}

/* The closing handshake has started, from either side: the page's readyState becomes CLOSING. */
static void on_closing(SoupWebsocketConnection *conn, gpointer data) {
  websocket *ws = data;
  mprtc__object_emit(ws->obj, "closing", json_object());
}

/* The connection is gone, whoever started the close. Clean means a close frame came from the
 * server and libsoup saw no error; without a close frame the code is 1006 (RFC 6455 7.1.5). */
static void on_closed(SoupWebsocketConnection *conn, gpointer data) {
  websocket *ws = data;
  /* Closing the object below releases ws->conn while libsoup is still emitting from it. */
  g_object_ref(conn);
  int code = soup_websocket_connection_get_close_code(conn);
  const char *reason = code ? soup_websocket_connection_get_close_data(conn) : NULL;
  gboolean clean = code != 0 && !ws->failure;
  const char *error = NULL;
  if (!clean) error = ws->failure ? ws->failure : "the connection was closed abnormally";
  websocket_finish(ws, code ? code : SOUP_WEBSOCKET_CLOSE_ABNORMAL, reason ? reason : "", clean,
                   error);
  g_object_unref(conn);
}

/* ---- connecting ---- */

static void websocket_opened(websocket *ws, SoupWebsocketConnection *conn) {
  ws->conn = conn;
  soup_websocket_connection_set_max_incoming_payload_size(conn, WS_MAX_INCOMING_PAYLOAD);
  g_signal_connect(conn, "message", G_CALLBACK(on_message), ws);
  g_signal_connect(conn, "error", G_CALLBACK(on_error), ws);
  g_signal_connect(conn, "closing", G_CALLBACK(on_closing), ws);
  g_signal_connect(conn, "closed", G_CALLBACK(on_closed), ws);
  const char *protocol = soup_websocket_connection_get_protocol(conn);
  const char *extensions = soup_message_headers_get_one(
      soup_message_get_response_headers(ws->msg), "Sec-WebSocket-Extensions");
  mprtc__object_emit(ws->obj, "open", json_pack("{s:s,s:s}", "protocol", protocol ? protocol : "",
                                                "extensions", extensions ? extensions : ""));
}

static void on_connected(GObject *source, GAsyncResult *result, gpointer data) {
  mprtc__object *obj = data; /* the reference taken for the operation */
  websocket *ws = obj->impl;
  GError *error = NULL;
  SoupWebsocketConnection *conn =
      soup_session_websocket_connect_finish(SOUP_SESSION(source), result, &error);
  if (obj->closed) {
    /* The close hook ran first; the object must stay silent. A connection that won the race
     * against the cancellation is dropped, which closes it. */
    g_clear_object(&conn);
  } else if (conn && ws->protocols_offered && !soup_websocket_connection_get_protocol(conn)) {
    /* Fetch Standard, "establish a WebSocket connection": a server that ignores the offered
     * subprotocols fails the connection (RFC 6455 only forbids one that was not offered).
     * Dropping the connection closes it. */
    g_clear_object(&conn);
    g_clear_object(&ws->cancel);
    websocket_finish(ws, SOUP_WEBSOCKET_CLOSE_ABNORMAL, "", FALSE,
                     "the server accepted none of the offered subprotocols");
  } else if (conn) {
    websocket_opened(ws, conn);
  } else {
    char *message = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                        ? g_strdup("the connection was closed before it was established")
                        : g_strdup_printf("the connection failed: %s", error->message);
    g_clear_object(&ws->cancel); /* no longer connecting, for the hook that finish runs */
    websocket_finish(ws, SOUP_WEBSOCKET_CLOSE_ABNORMAL, "", FALSE, message);
    g_free(message);
  }
  g_clear_error(&error);
  g_clear_object(&ws->session);
  g_clear_object(&ws->msg);
  g_clear_object(&ws->cancel);
  mprtc__object_unref(obj);
}

static void websocket_connect(mprtc__call *call, websocket *ws, GUri *uri, char **protocols) {
  /* The trailing space makes libsoup append its own product token. */
  ws->session = soup_session_new_with_options("user-agent", "mprtc/" MPRTC_VERSION " ", NULL);
  ws->msg = soup_message_new_from_uri(SOUP_METHOD_GET, uri);
  ws->cancel = g_cancellable_new();
  /* The connection's I/O sources attach to the thread-default context of this call. */
  g_main_context_push_thread_default(call->sdk->context);
  soup_session_websocket_connect_async(ws->session, ws->msg, NULL, protocols, G_PRIORITY_DEFAULT,
                                       ws->cancel, on_connected, mprtc__object_ref(ws->obj));
  g_main_context_pop_thread_default(call->sdk->context);
}

/* ---- parameter checks: each rejects the call and returns FALSE on bad input ---- */

/* RFC 7230 token characters, which RFC 6455 4.1 requires of a subprotocol name. */
static gboolean is_token(const char *s) {
  if (!*s) return FALSE;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= 0x20 || *p >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *p)) return FALSE;
  return TRUE;
}

/* A ws: or wss: URL with a host and without a fragment; the logic layer has already applied
 * the WHATWG URL parser, this only refuses what it must never send. */
static GUri *url_param(mprtc__call *call) {
  json_t *v = json_object_get(call->req.params, "url");
  if (!json_is_string(v)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'url' must be a string", call->req.method);
    return NULL;
  }
  GError *error = NULL;
  GUri *uri = g_uri_parse(json_string_value(v), SOUP_HTTP_URI_FLAGS, &error);
  const char *problem = NULL;
  if (!uri)
    problem = error->message;
  else if (strcmp(g_uri_get_scheme(uri), "ws") != 0 && strcmp(g_uri_get_scheme(uri), "wss") != 0)
    problem = "the scheme must be ws or wss";
  else if (!g_uri_get_host(uri) || !*g_uri_get_host(uri))
    problem = "the URL has no host";
  else if (g_uri_get_fragment(uri))
    problem = "the URL has a fragment";
  if (problem) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: bad 'url': %s", call->req.method, problem);
    g_clear_error(&error);
    if (uri) g_uri_unref(uri);
    return NULL;
  }
  return uri;
}

/* Optional array of distinct tokens; *out is NULL-terminated (NULL when empty). */
static gboolean protocols_param(mprtc__call *call, char ***out) {
  json_t *v = json_object_get(call->req.params, "protocols");
  *out = NULL;
  if (!v) return TRUE;
  if (!json_is_array(v) || json_array_size(v) > 1024) {
    mprtc__call_reject(call, MPRTC_E_INVAL,
                       "%s: 'protocols' must be an array of at most 1024 strings",
                       call->req.method);
    return FALSE;
  }
  size_t n = json_array_size(v);
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_array_get(v, i);
    gboolean ok = json_is_string(p) && is_token(json_string_value(p));
    for (size_t j = 0; ok && j < i; j++)
      ok = strcmp(json_string_value(json_array_get(v, j)), json_string_value(p)) != 0;
    if (!ok) {
      mprtc__call_reject(call, MPRTC_E_INVAL,
                         "%s: 'protocols[%zu]' must be a token that appears once",
                         call->req.method, i);
      return FALSE;
    }
  }
  if (n == 0) return TRUE;
  *out = g_new0(char *, n + 1);
  for (size_t i = 0; i < n; i++) (*out)[i] = g_strdup(json_string_value(json_array_get(v, i)));
  return TRUE;
}

/* UTF-8 validity where U+0000 is allowed (g_utf8_validate stops at a NUL). */
static gboolean text_valid(const char *p, gsize n) {
  while (n) {
    const char *nul = memchr(p, 0, n);
    gsize part = nul ? (gsize)(nul - p) : n;
    if (!g_utf8_validate_len(p, part, NULL)) return FALSE;
    if (!nul) break;
    p += part + 1;
    n -= part + 1;
  }
  return TRUE;
}

/* The payload of WebSocket.send: exactly one of text (a string), utf8 (true: the attachment is
 * the text's UTF-8, for text holding U+0000, which JSON in a call block cannot carry) or binary
 * (true: the attachment). */
static GBytes *payload_param(mprtc__call *call, SoupWebsocketDataType *type) {
  json_t *text = json_object_get(call->req.params, "text");
  json_t *utf8 = json_object_get(call->req.params, "utf8");
  json_t *binary = json_object_get(call->req.params, "binary");
  if ((text != NULL) + (utf8 != NULL) + (binary != NULL) != 1) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: exactly one of 'text', 'utf8' and 'binary' is "
                       "required", call->req.method);
    return NULL;
  }
  *type = binary ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT;
  if (text) {
    if (json_is_string(text) && !call->bytes) return g_bytes_new(json_string_value(text), json_string_length(text));
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'text' must be a string, with no attachment", call->req.method);
    return NULL;
  }
  if (!json_is_true(text ? text : utf8 ? utf8 : binary) || !call->bytes) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: '%s' must be true, with the bytes attached", call->req.method,
                       utf8 ? "utf8" : "binary");
    return NULL;
  }
  GBytes *bytes = call->bytes;
  call->bytes = NULL;
  return bytes;
}

/* ---- methods ---- */

static void websocket_new(mprtc__call *call) {
  static const char *const allowed[] = {"url", "protocols", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  GUri *uri = url_param(call);
  if (!uri) return;
  char **protocols;
  if (!protocols_param(call, &protocols)) {
    g_uri_unref(uri);
    return;
  }
  websocket *ws = g_new0(websocket, 1);
  ws->sdk = call->sdk;
  ws->protocols_offered = protocols != NULL;
  ws->obj = mprtc__call_new_object(call, &websocket_class, ws);
  websocket_connect(call, ws, uri, protocols);
  g_strfreev(protocols);
  g_uri_unref(uri);
  /* The reply leaves before any event: the connect settles on a later turn of the loop. */
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)ws->obj->id));
}

/* Adds a chunk to the message being assembled; returns the whole message (a new reference)
 * once the last chunk is in, NULL (call settled) otherwise or on error. */
static GBytes *assemble(mprtc__call *call, websocket *ws, GBytes *chunk,
                        SoupWebsocketDataType type, gboolean more) {
  if (ws->partial && ws->partial_type != type) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: a chunk of another type than the message it "
                       "continues", call->req.method);
    g_clear_pointer(&ws->partial, g_byte_array_unref);
    return NULL;
  }
  if (!ws->partial && !more) return g_bytes_ref(chunk);
  gsize n;
  const guint8 *data = g_bytes_get_data(chunk, &n);
  if (!ws->partial) {
    ws->partial = g_byte_array_new();
    ws->partial_type = type;
  }
  if (n > WS_MAX_OUTGOING_MESSAGE - ws->partial->len) {
    mprtc__call_reject(call, MPRTC_E_QUOTA, "%s: a message may not exceed %d bytes",
                       call->req.method, WS_MAX_OUTGOING_MESSAGE);
    g_clear_pointer(&ws->partial, g_byte_array_unref);
    return NULL;
  }
  g_byte_array_append(ws->partial, data, (guint)n);
  if (more) {
    mprtc__call_return(call, NULL);
    return NULL;
  }
  GByteArray *whole = ws->partial;
  ws->partial = NULL;
  return g_byte_array_free_to_bytes(whole);
}

static void websocket_send(mprtc__call *call) {
  static const char *const allowed[] = {"text", "utf8", "binary", "more", NULL};
  websocket *ws = call->object->impl;
  if (!mprtc__call_only_members(call, allowed)) return;
  json_t *more = json_object_get(call->req.params, "more");
  if (more && !json_is_boolean(more)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'more' must be a boolean", call->req.method);
    return;
  }
  SoupWebsocketDataType type;
  GBytes *chunk = payload_param(call, &type);
  if (!chunk) return;
  if (!ws->conn || soup_websocket_connection_get_state(ws->conn) != SOUP_WEBSOCKET_STATE_OPEN) {
    g_bytes_unref(chunk);
    g_clear_pointer(&ws->partial, g_byte_array_unref);
    mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection is not open",
                       call->req.method);
    return;
  }
  GBytes *message = assemble(call, ws, chunk, type, json_is_true(more));
  g_bytes_unref(chunk);
  if (!message) return;
  gsize n;
  const char *data = g_bytes_get_data(message, &n);
  if (type == SOUP_WEBSOCKET_DATA_TEXT && !text_valid(data, n)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: the text is not valid UTF-8", call->req.method);
  } else {
    soup_websocket_connection_send_message(ws->conn, type, message);
    mprtc__call_return(call, NULL);
  }
  g_bytes_unref(message);
}

/* Reads WebSocket.close's {code?, reason?} as the WebSocket standard allows them; code 0 means
 * none. */
static gboolean close_params(mprtc__call *call, int *code, const char **reason) {
  static const char *const allowed[] = {"code", "reason", NULL};
  if (!mprtc__call_only_members(call, allowed)) return FALSE;
  json_t *c = json_object_get(call->req.params, "code");
  json_t *r = json_object_get(call->req.params, "reason");
  *code = 0;
  *reason = NULL;
  if (c) {
    json_int_t v = json_is_integer(c) ? json_integer_value(c) : -1;
    if (v != 1000 && (v < 3000 || v > 4999)) {
      mprtc__call_reject(call, MPRTC_E_INVALID_ACCESS, "%s: 'code' must be 1000 or in 3000..4999",
                         call->req.method);
      return FALSE;
    }
    *code = (int)v;
  }
  if (r) {
    /* libsoup takes the reason as a C string: a NUL inside would cut it short. */
    if (!json_is_string(r) || json_string_length(r) > WS_MAX_REASON_BYTES ||
        strlen(json_string_value(r)) != json_string_length(r)) {
      mprtc__call_reject(call, MPRTC_E_SYNTAX, "%s: 'reason' must be a string of at most %d "
                         "UTF-8 bytes without U+0000", call->req.method, WS_MAX_REASON_BYTES);
      return FALSE;
    }
    *reason = json_string_value(r);
  }
  return TRUE;
}

/* Starts the closing handshake, or abandons a connect in progress (its callback then emits
 * "error" and "close" 1006). Closing twice, or while the server closes, does nothing more. */
static void websocket_close_call(mprtc__call *call) {
  websocket *ws = call->object->impl;
  int code;
  const char *reason;
  if (!close_params(call, &code, &reason)) return;
  if (ws->cancel) {
    g_cancellable_cancel(ws->cancel);
  } else if (ws->conn &&
             soup_websocket_connection_get_state(ws->conn) == SOUP_WEBSOCKET_STATE_OPEN) {
    /* WebSocket standard: no code and no reason, a close frame without a body (libsoup's
     * spelling of which is 1005); a reason without a code, 1000. */
    if (!code)
      code = reason && *reason ? SOUP_WEBSOCKET_CLOSE_NORMAL : SOUP_WEBSOCKET_CLOSE_NO_STATUS;
    soup_websocket_connection_close(ws->conn, (gushort)code, reason && *reason ? reason : NULL);
  }
  mprtc__call_return(call, NULL);
}

static const mprtc__method methods[] = {
    {"WebSocket.constructor", NULL, websocket_new},
    {"WebSocket.send", "WebSocket", websocket_send},
    {"WebSocket.close", "WebSocket", websocket_close_call},
};

const mprtc__sdk_module mprtc__websocket_module = {.name = "websocket", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
