/* The signaling server (`mprtc signal`, docs/signaling.md): rooms of peers on WebSockets, the
 * relay of offers, answers, candidates and application messages between them, and the web page
 * that calls a mini-program from a browser. For a host that wants its mini-programs' calls
 * signaled by a server of its own process (`mprtc demo` runs one).
 *
 * Thread rules: the functions from the thread that iterates context (the server's sockets live
 * there).
 */
#ifndef MPRTC_SIGNAL_H
#define MPRTC_SIGNAL_H

#include <glib.h>

#include "mprtc/export.h"

/* What one server allows. */
typedef struct {
  int max_rooms;            /* rooms at once (default 1000) */
  int max_peers_per_room;   /* (default 16) */
  int max_connections;      /* WebSocket connections at once (default 4096) */
  int max_message_bytes;    /* a client's message (default 65536); bigger: a too-large error.
                               Frames over 1 MiB close the connection (1009) */
  double messages_per_second; /* a connection's sustained rate (default 50) */
  int burst;                /* messages over the rate a connection may send at once (default 200) */
  int keepalive_seconds;    /* pings every S s; a connection silent for 3 S is closed, its peer
                               announced as left (default 10; 0: none) */
} mprtc_signal_limits;

MPRTC_API void mprtc_signal_limits_init(mprtc_signal_limits *limits);

typedef struct mprtc_signal_server mprtc_signal_server;

/* Serves on host:port (host NULL: 127.0.0.1; port 0: a free one) on context (NULL: the default
 * context); limits NULL: the defaults. Returns 0 and *out, MPRTC_E_INVAL, or MPRTC_E_IO with
 * *error (g_free it) when the address cannot be had. */
MPRTC_API int mprtc_signal_server_new(GMainContext *context, const char *host, int port, const mprtc_signal_limits *limits,
                                      mprtc_signal_server **out, char **error);
/* The port it listens on. */
MPRTC_API int mprtc_signal_server_port(const mprtc_signal_server *server);
/* A line for each peer that joins or leaves ("room lobby: peer 3f2a... joined (2 peers)"), on the
 * server's context; NULL: none. */
MPRTC_API void mprtc_signal_server_set_log(mprtc_signal_server *server, void (*fn)(const char *line, void *user_data),
                                           void *user_data);
/* Closes every connection and the port. */
MPRTC_API void mprtc_signal_server_free(mprtc_signal_server *server);

#endif
