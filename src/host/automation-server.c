/* The automation WebSocket server (include/mprtc/automation.h) on libsoup 3: the framing of
 * miniprogram-automator over mprtc_app_automate and the app's automation events. It runs on the
 * app's context, where the requests' answers and the events arrive too: one thread, no locks. */
#include <gio/gio.h>
#include <jansson.h>
#include <libsoup/soup.h>
#include <string.h>

#include "app/app.h"
#include "base/listen.h"
#include "mprtc/automation.h"
#include "mprtc/error.h"
#include "mprtc/mprtc.h"

/* A request's params may carry a page's data: setData takes up to 1 MiB; evaluate's arguments
 * more. */
#define MAX_MESSAGE_BYTES (16 * 1024 * 1024)

struct mprtc_automation_server {
  mprtc_app *app;
  SoupServer *soup;
  int port;
  GPtrArray *connections;       /* SoupWebsocketConnection* (references) */
  mprtc_automation_closed_fn closed;
  void *closed_data;
  GHashTable *pending;          /* the requests the app has not answered (a set of pending*) */
  GSource *close_idle;          /* the closed callback, after Tool.close's reply went out */
};

/* One request waiting for the app's answer. */
typedef struct {
  mprtc_automation_server *server;
  SoupWebsocketConnection *connection; /* a reference: it may have closed meanwhile */
  json_t *id;
} pending;

static void send_json(SoupWebsocketConnection *c, json_t *message) {
  char *text = json_dumps(message, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(message);
  if (text && soup_websocket_connection_get_state(c) == SOUP_WEBSOCKET_STATE_OPEN) soup_websocket_connection_send_text(c, text);
  free(text);
}

static void reply_result(SoupWebsocketConnection *c, json_t *id, json_t *result) {
  send_json(c, json_pack("{s:O, s:o}", "id", id, "result", result));
}

static void reply_error(SoupWebsocketConnection *c, json_t *id, const char *message) {
  send_json(c, json_pack("{s:O, s:{s:s}}", "id", id ? id : json_null(), "error", "message", message));
}

static void pending_free(gpointer data) {
  pending *p = data;
  g_object_unref(p->connection);
  json_decref(p->id);
  g_free(p);
}

static void on_answer(mprtc_app *app, int err, const char *text, void *user_data) {
  pending *p = user_data;
  if (err) {
    /* What the app said, as it said it: a wx call's errMsg reaches the test unchanged. */
    reply_error(p->connection, p->id, text ? text : mprtc_strerror(err));
  } else {
    json_t *result = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    reply_result(p->connection, p->id, result ? result : json_object());
  }
  g_hash_table_remove(p->server->pending, p);
}

static gboolean report_closed(gpointer data) {
  mprtc_automation_server *server = data;
  g_source_unref(server->close_idle);
  server->close_idle = NULL;
  if (server->closed) server->closed(server, server->closed_data);
  return G_SOURCE_REMOVE;
}

static void handle(mprtc_automation_server *server, SoupWebsocketConnection *c, const char *text, gsize len) {
  json_error_t jerr;
  json_t *message = json_loadb(text, len, 0, &jerr);
  json_t *id = json_object_get(message, "id"), *params = json_object_get(message, "params");
  const char *method = json_string_value(json_object_get(message, "method"));
  if (!json_is_object(message) || !(json_is_string(id) || json_is_integer(id)) || !method ||
      (params && !json_is_object(params) && !json_is_null(params))) {
    char *why = json_is_object(message) ? g_strdup("a request is {id: string or integer, method: string, params: object}")
                                        : g_strdup_printf("not JSON: %s at %d", jerr.text, jerr.position);
    reply_error(c, json_is_object(message) ? id : NULL, why);
    g_free(why);
    json_decref(message);
    return;
  }
  if (strcmp(method, "Tool.getInfo") == 0) {
    /* "dev": the base library is mprtc's own, not one of WeChat's numbered ones. */
    reply_result(c, id, json_pack("{s:s, s:s, s:s}", "SDKVersion", "dev", "name", "mprtc", "version", mprtc_version()));
  } else if (strcmp(method, "Tool.close") == 0) {
    reply_result(c, id, json_object());
    if (!server->close_idle) {
      server->close_idle = g_idle_source_new();
      g_source_set_callback(server->close_idle, report_closed, server, NULL);
      g_source_attach(server->close_idle, server->app->context);
    }
  } else if (g_str_has_prefix(method, "Tool.") && strcmp(method, "Tool.native") != 0) {
    char *why = g_strdup_printf("%s is a WeChat DevTools method that mprtc does not have", method);
    reply_error(c, id, why);
    g_free(why);
  } else {
    char *params_text = params && json_is_object(params) ? json_dumps(params, JSON_COMPACT) : NULL;
    pending *p = g_new0(pending, 1);
    p->server = server;
    p->connection = g_object_ref(c);
    p->id = json_incref(id);
    int err = mprtc_app_automate(server->app, method, params_text, on_answer, p);
    free(params_text);
    if (err) {
      reply_error(c, id, mprtc_strerror(err));
      pending_free(p);
    } else {
      g_hash_table_add(server->pending, p);
    }
  }
  json_decref(message);
}

static void on_message(SoupWebsocketConnection *c, gint type, GBytes *message, gpointer data) {
  gsize len;
  const char *text = g_bytes_get_data(message, &len);
  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    reply_error(c, NULL, "requests are text frames of JSON");
    return;
  }
  handle(data, c, text, len);
}

static void on_closed(SoupWebsocketConnection *c, gpointer data) {
  mprtc_automation_server *server = data;
  g_signal_handlers_disconnect_by_data(c, server);
  g_ptr_array_remove(server->connections, c);
}

static void on_connection(SoupServer *soup, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *c,
                          gpointer data) {
  mprtc_automation_server *server = data;
  /* The socket listens on 127.0.0.1 only; the peer is checked all the same. */
  GSocketAddress *peer = soup_server_message_get_remote_address(msg);
  if (!G_IS_INET_SOCKET_ADDRESS(peer) ||
      !g_inet_address_get_is_loopback(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(peer)))) {
    soup_websocket_connection_close(c, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "local connections only");
    return;
  }
  soup_websocket_connection_set_max_incoming_payload_size(c, MAX_MESSAGE_BYTES);
  g_ptr_array_add(server->connections, g_object_ref(c));
  g_signal_connect(c, "message", G_CALLBACK(on_message), server);
  g_signal_connect(c, "closed", G_CALLBACK(on_closed), server);
}

/* Before the handshake: a request that comes from a web page (it has an Origin) is refused. */
static void refuse_browsers(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data) {
  if (soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Origin"))
    soup_server_message_set_status(msg, SOUP_STATUS_FORBIDDEN, "automation takes no requests from web pages");
}

static void on_event(mprtc_app *app, const char *method, const char *params_json, void *data) {
  mprtc_automation_server *server = data;
  json_t *params = json_loads(params_json, 0, NULL);
  if (!params) return;
  for (guint i = 0; i < server->connections->len; i++)
    send_json(server->connections->pdata[i], json_pack("{s:s, s:O}", "method", method, "params", params));
  json_decref(params);
}

int mprtc_automation_server_new(mprtc_app *app, int port, mprtc_automation_closed_fn closed, void *user_data,
                                mprtc_automation_server **out, char **error) {
  if (!app || !out || port < 0 || port > 65535) return MPRTC_E_INVAL;
  mprtc_automation_server *server = g_new0(mprtc_automation_server, 1);
  int err = mprtc_app_set_automation_handler(app, on_event, server, NULL);
  if (err) {
    g_free(server);
    return err;
  }
  server->app = mprtc__app_ref(app);
  server->closed = closed;
  server->closed_data = user_data;
  server->connections = g_ptr_array_new_with_free_func(g_object_unref);
  server->pending = g_hash_table_new_full(g_direct_hash, g_direct_equal, pending_free, NULL);
  server->soup = soup_server_new("server-header", "mprtc-automation", NULL);
  soup_server_add_early_handler(server->soup, NULL, refuse_browsers, server, NULL);
  soup_server_add_websocket_handler(server->soup, NULL, NULL, NULL, on_connection, server, NULL);
  /* The server's sockets live on the app's context, where its answers and events come. */
  GInetAddress *loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  gboolean listening = mprtc__listen(server->soup, app->context, loopback, port, &server->port, error);
  g_object_unref(loopback);
  if (!listening) {
    mprtc_app_set_automation_handler(app, NULL, NULL, NULL);
    mprtc_automation_server_free(server);
    return MPRTC_E_IO;
  }
  *out = server;
  return 0;
}

int mprtc_automation_server_port(const mprtc_automation_server *server) { return server ? server->port : -1; }

void mprtc_automation_server_free(mprtc_automation_server *server) {
  if (!server) return;
  if (server->close_idle) {
    g_source_destroy(server->close_idle);
    g_source_unref(server->close_idle);
  }
  /* The app says nothing more to a server that is gone (this is the app's context: no event is
   * being handed over now). */
  if (server->app->automation.data == server) server->app->automation.fn = NULL;
  mprtc__app_unref(server->app);
  for (guint i = 0; i < server->connections->len; i++) {
    SoupWebsocketConnection *c = server->connections->pdata[i];
    g_signal_handlers_disconnect_by_data(c, server);
    if (soup_websocket_connection_get_state(c) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close(c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "the mini-program closed");
  }
  g_ptr_array_unref(server->connections);
  /* The app is gone (mprtc_app_free): these are never answered. */
  g_hash_table_unref(server->pending);
  if (server->soup) {
    soup_server_disconnect(server->soup);
    g_object_unref(server->soup);
  }
  g_free(server);
}
