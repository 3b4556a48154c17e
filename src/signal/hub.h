/* The signaling server's state, apart from its sockets (src/signal/server.c): connections as
 * peers, rooms, the relay, the limits and each connection's message rate. Unit-tested with a
 * send function that records.
 *
 * Thread rules: one thread (the server's context).
 */
#ifndef MPRTC_SIGNAL_HUB_H
#define MPRTC_SIGNAL_HUB_H

#include <glib.h>

#include "mprtc/signal.h"

typedef struct mprtc__signal_hub mprtc__signal_hub;
typedef struct mprtc__signal_peer mprtc__signal_peer;

/* Sends text (JSON) to the connection conn. */
typedef void (*mprtc__signal_send_fn)(void *conn, const char *text, void *data);
/* A line for the server's log ("joined", "left"). */
typedef void (*mprtc__signal_log_fn)(const char *line, void *data);

mprtc__signal_hub *mprtc__signal_hub_new(const mprtc_signal_limits *limits, mprtc__signal_send_fn send,
                                         mprtc__signal_log_fn log, void *data);
/* Every peer leaves (announced to nobody: all go). */
void mprtc__signal_hub_free(mprtc__signal_hub *hub);

/* A new connection, as a peer in no room yet. */
mprtc__signal_peer *mprtc__signal_hub_connect(mprtc__signal_hub *hub, void *conn);
/* A message of the connection's, at now_us (monotonic microseconds: its rate is counted). */
void mprtc__signal_hub_receive(mprtc__signal_hub *hub, mprtc__signal_peer *peer, const char *text, size_t len,
                               gint64 now_us);
/* The connection went: the peer leaves its room (announced) and is freed. */
void mprtc__signal_hub_disconnect(mprtc__signal_hub *hub, mprtc__signal_peer *peer);

/* How many rooms and connections there are. */
guint mprtc__signal_hub_rooms(const mprtc__signal_hub *hub);
guint mprtc__signal_hub_peers(const mprtc__signal_hub *hub);

#endif
