/* The signaling server's sockets (include/mprtc/signal.h) on libsoup 3: WebSocket connections at
 * /signal handed to the hub (src/signal/hub.h), keepalive, the connection limit; the web page at /
 * (src/signal/web.h). */
#include <gio/gio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <libsoup/soup.h>
#include <string.h>

#include "base/listen.h"
#include "mprtc/error.h"
#include "mprtc/signal.h"
#include "signal/hub.h"
#include "signal/web.h"

/* Frames bigger than the message limit still arrive, to be answered with too-large; past this,
 * libsoup closes the connection (1009). */
#define MAX_FRAME_BYTES (1024 * 1024)

struct mprtc_signal_server {
  GMainContext *context;
  SoupServer *soup;
  int port;
  mprtc_signal_limits limits;
  mprtc__signal_hub *hub;
  GHashTable *connections;   /* SoupWebsocketConnection* (a reference) -> connection* */
  GSource *keepalive;        /* closes the silent, or NULL */
  void (*log_fn)(const char *line, void *user_data);
  void *log_data;
};

typedef struct {
  mprtc_signal_server *server;
  mprtc__signal_peer *peer;
  gint64 heard_us;           /* the last message or pong */
} connection;

void mprtc_signal_limits_init(mprtc_signal_limits *l) {
  *l = (mprtc_signal_limits){.max_rooms = 1000,
                             .max_peers_per_room = 16,
                             .max_connections = 4096,
                             .max_message_bytes = 65536,
                             .messages_per_second = 50,
                             .burst = 200,
                             .keepalive_seconds = 10};
}

static void send_text(void *conn, const char *text, void *data) {
  SoupWebsocketConnection *c = conn;
  if (soup_websocket_connection_get_state(c) == SOUP_WEBSOCKET_STATE_OPEN) soup_websocket_connection_send_text(c, text);
}

static void log_line(const char *line, void *data) {
  mprtc_signal_server *server = data;
  if (server->log_fn) server->log_fn(line, server->log_data);
}

static void on_message(SoupWebsocketConnection *c, gint type, GBytes *message, gpointer data) {
  connection *conn = data;
  conn->heard_us = g_get_monotonic_time();
  gsize len;
  const char *text = g_bytes_get_data(message, &len);
  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    /* Answered as the hub answers what is not JSON. */
    mprtc__signal_hub_receive(conn->server->hub, conn->peer, "", 0, conn->heard_us);
    return;
  }
  mprtc__signal_hub_receive(conn->server->hub, conn->peer, text, len, conn->heard_us);
}

static void on_pong(SoupWebsocketConnection *c, GBytes *message, gpointer data) {
  ((connection *)data)->heard_us = g_get_monotonic_time();
}

/* The connection is gone (closed, or dropped): its peer leaves, announced. */
static void on_closed(SoupWebsocketConnection *c, gpointer data) {
  connection *conn = data;
  mprtc_signal_server *server = conn->server;
  mprtc__signal_hub_disconnect(server->hub, conn->peer);
  g_signal_handlers_disconnect_by_data(c, conn);
  g_hash_table_remove(server->connections, c);
}

static void on_connection(SoupServer *soup, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *c,
                          gpointer data) {
  mprtc_signal_server *server = data;
  if ((int)g_hash_table_size(server->connections) >= server->limits.max_connections) {
    soup_websocket_connection_close(c, 1013 /* try again later */, "the server has as many connections as it allows");
    return;
  }
  /* Small messages go out at once, not held back to be sent with the next (Nagle). */
  GSocket *socket = soup_server_message_get_socket(msg);
  if (socket) g_socket_set_option(socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  connection *conn = g_new0(connection, 1);
  conn->server = server;
  conn->heard_us = g_get_monotonic_time();
  conn->peer = mprtc__signal_hub_connect(server->hub, c);
  g_hash_table_insert(server->connections, g_object_ref(c), conn);
  soup_websocket_connection_set_max_incoming_payload_size(c, MAX_FRAME_BYTES);
  if (server->limits.keepalive_seconds > 0) soup_websocket_connection_set_keepalive_interval(c, (guint)server->limits.keepalive_seconds);
  g_signal_connect(c, "message", G_CALLBACK(on_message), conn);
  g_signal_connect(c, "pong", G_CALLBACK(on_pong), conn);
  g_signal_connect(c, "closed", G_CALLBACK(on_closed), conn);
}

/* A connection that answered no ping for three intervals is gone (a network that dropped it
 * without a close): it is closed, and its peer announced as left. */
static gboolean close_silent(gpointer data) {
  mprtc_signal_server *server = data;
  gint64 now = g_get_monotonic_time(), limit = (gint64)server->limits.keepalive_seconds * 3 * G_USEC_PER_SEC;
  GPtrArray *silent = g_ptr_array_new_with_free_func(g_object_unref);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, server->connections);
  while (g_hash_table_iter_next(&it, &key, &value))
    if (now - ((connection *)value)->heard_us > limit) g_ptr_array_add(silent, g_object_ref(key));
  for (guint i = 0; i < silent->len; i++) {
    SoupWebsocketConnection *c = silent->pdata[i];
    connection *conn = g_hash_table_lookup(server->connections, c);
    /* Closing waits for the peer's close frame, which never comes: the peer leaves now. */
    if (conn) on_closed(c, conn);
    soup_websocket_connection_close(c, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "no answer to pings");
  }
  g_ptr_array_unref(silent);
  return G_SOURCE_CONTINUE;
}

static void connection_free(gpointer p) { g_free(p); }

int mprtc_signal_server_new(GMainContext *context, const char *host, int port, const mprtc_signal_limits *limits,
                            mprtc_signal_server **out, char **error) {
  mprtc_signal_limits l;
  if (limits) l = *limits;
  else mprtc_signal_limits_init(&l);
  if (!out || port < 0 || port > 65535 || l.max_rooms < 1 || l.max_peers_per_room < 2 || l.max_connections < 1 ||
      l.max_message_bytes < 1024 || l.max_message_bytes > MAX_FRAME_BYTES || !(l.messages_per_second > 0) || l.burst < 1 ||
      l.keepalive_seconds < 0)
    return MPRTC_E_INVAL;
  GInetAddress *address = g_inet_address_new_from_string(host ? host : "127.0.0.1");
  if (!address) {
    if (error) *error = g_strdup_printf("'%s' is not an IP address", host);
    return MPRTC_E_INVAL;
  }
  mprtc_signal_server *server = g_new0(mprtc_signal_server, 1);
  server->context = g_main_context_ref(context ? context : g_main_context_default());
  server->limits = l;
  server->hub = mprtc__signal_hub_new(&server->limits, send_text, log_line, server);
  server->connections = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, connection_free);
  server->soup = soup_server_new("server-header", "mprtc-signal", NULL);
  /* No permessage-deflate: a compressed frame is checked against the frame limit before it is
   * inflated, so a small frame could inflate to any size (and signaling messages are small). */
  soup_server_remove_websocket_extension(server->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler(server->soup, "/signal", NULL, NULL, on_connection, server, NULL);
  mprtc__signal_web_add(server->soup);
  gboolean listening = mprtc__listen(server->soup, server->context, address, port, &server->port, error);
  g_object_unref(address);
  if (!listening) {
    mprtc_signal_server_free(server);
    return MPRTC_E_IO;
  }
  if (l.keepalive_seconds > 0) {
    server->keepalive = g_timeout_source_new_seconds((guint)l.keepalive_seconds);
    g_source_set_callback(server->keepalive, close_silent, server, NULL);
    g_source_attach(server->keepalive, server->context);
  }
  *out = server;
  return 0;
}

int mprtc_signal_server_port(const mprtc_signal_server *server) { return server ? server->port : -1; }

void mprtc_signal_server_set_log(mprtc_signal_server *server, void (*fn)(const char *line, void *user_data),
                                 void *user_data) {
  server->log_fn = fn;
  server->log_data = user_data;
}

void mprtc_signal_server_free(mprtc_signal_server *server) {
  if (!server) return;
  if (server->keepalive) {
    g_source_destroy(server->keepalive);
    g_source_unref(server->keepalive);
  }
  /* Everybody goes at once: nobody is told of the others leaving. */
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, server->connections);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    g_signal_handlers_disconnect_by_data(key, value);
    soup_websocket_connection_close(key, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "the server stops");
  }
  g_hash_table_unref(server->connections);
  mprtc__signal_hub_free(server->hub);
  if (server->soup) {
    soup_server_disconnect(server->soup);
    g_object_unref(server->soup);
  }
  g_main_context_unref(server->context);
  g_free(server);
}
