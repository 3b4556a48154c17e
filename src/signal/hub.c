/* The signaling server's state: see hub.h. */
#include "signal/hub.h"

#include <stdio.h>
#include <string.h>

#include "signal/message.h"

typedef struct {
  char *name;
  GPtrArray *peers;   /* mprtc__signal_peer*, in the order they joined */
} room;

struct mprtc__signal_peer {
  void *conn;
  char id[17];        /* 16 hex digits, the server's choice: unguessable, unique */
  room *room;         /* or NULL */
  double tokens;      /* the rate limit's bucket */
  gint64 last_us;     /* when tokens were counted */
};

struct mprtc__signal_hub {
  mprtc_signal_limits limits;
  mprtc__signal_send_fn send;
  mprtc__signal_log_fn log;
  void *data;
  GHashTable *rooms;  /* name -> room* */
  GHashTable *peers;  /* mprtc__signal_peer* (a set, owned) */
};

static void room_free(gpointer p) {
  room *r = p;
  g_free(r->name);
  g_ptr_array_unref(r->peers);
  g_free(r);
}

mprtc__signal_hub *mprtc__signal_hub_new(const mprtc_signal_limits *limits, mprtc__signal_send_fn send,
                                         mprtc__signal_log_fn log, void *data) {
  mprtc__signal_hub *hub = g_new0(mprtc__signal_hub, 1);
  hub->limits = *limits;
  hub->send = send;
  hub->log = log;
  hub->data = data;
  hub->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, room_free);
  hub->peers = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_free, NULL);
  return hub;
}

void mprtc__signal_hub_free(mprtc__signal_hub *hub) {
  if (!hub) return;
  g_hash_table_unref(hub->rooms);
  g_hash_table_unref(hub->peers);
  g_free(hub);
}

guint mprtc__signal_hub_rooms(const mprtc__signal_hub *hub) { return g_hash_table_size(hub->rooms); }
guint mprtc__signal_hub_peers(const mprtc__signal_hub *hub) { return g_hash_table_size(hub->peers); }

mprtc__signal_peer *mprtc__signal_hub_connect(mprtc__signal_hub *hub, void *conn) {
  mprtc__signal_peer *peer = g_new0(mprtc__signal_peer, 1);
  peer->conn = conn;
  g_snprintf(peer->id, sizeof peer->id, "%08x%08x", g_random_int(), g_random_int());
  peer->tokens = hub->limits.burst;
  peer->last_us = -1;
  g_hash_table_add(hub->peers, peer);
  return peer;
}

/* ---- sending ------------------------------------------------------------------------------------ */

static void send_json(mprtc__signal_hub *hub, mprtc__signal_peer *to, json_t *msg) {
  char *text = json_dumps(msg, JSON_COMPACT);
  if (text) hub->send(to->conn, text, hub->data);
  free(text);
}

static void send_error(mprtc__signal_hub *hub, mprtc__signal_peer *to, const char *code, const char *message, const char *ref) {
  char *text = mprtc__signal_error_text(code, message, ref);
  hub->send(to->conn, text, hub->data);
  g_free(text);
}

static void log_line(mprtc__signal_hub *hub, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void log_line(mprtc__signal_hub *hub, const char *fmt, ...) {
  if (!hub->log) return;
  va_list ap;
  va_start(ap, fmt);
  char *line = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  hub->log(line, hub->data);
  g_free(line);
}

/* To every peer of r but from. */
static void broadcast(mprtc__signal_hub *hub, room *r, mprtc__signal_peer *from, json_t *msg) {
  char *text = json_dumps(msg, JSON_COMPACT);
  for (guint i = 0; text && i < r->peers->len; i++) {
    mprtc__signal_peer *p = r->peers->pdata[i];
    if (p != from) hub->send(p->conn, text, hub->data);
  }
  free(text);
}

/* ---- rooms --------------------------------------------------------------------------------------- */

static void leave(mprtc__signal_hub *hub, mprtc__signal_peer *peer) {
  room *r = peer->room;
  if (!r) return;
  g_ptr_array_remove(r->peers, peer);
  peer->room = NULL;
  json_t *left = json_pack("{s:s, s:s, s:s}", "type", "peer-left", "room", r->name, "peer", peer->id);
  broadcast(hub, r, NULL, left);
  json_decref(left);
  log_line(hub, "room %s: peer %s left (%u peers)", r->name, peer->id, r->peers->len);
  if (r->peers->len == 0) g_hash_table_remove(hub->rooms, r->name);
}

static void join(mprtc__signal_hub *hub, mprtc__signal_peer *peer, const char *name) {
  if (peer->room) {
    char *why = g_strdup_printf("already in room '%s': leave it first", peer->room->name);
    send_error(hub, peer, MPRTC__SIGNAL_E_JOINED, why, "join");
    g_free(why);
    return;
  }
  room *r = g_hash_table_lookup(hub->rooms, name);
  if (!r && (int)g_hash_table_size(hub->rooms) >= hub->limits.max_rooms) {
    send_error(hub, peer, MPRTC__SIGNAL_E_ROOMS, "the server has as many rooms as it allows", "join");
    return;
  }
  if (r && (int)r->peers->len >= hub->limits.max_peers_per_room) {
    char *why = g_strdup_printf("room '%s' has %d peers, the most it allows", name, hub->limits.max_peers_per_room);
    send_error(hub, peer, MPRTC__SIGNAL_E_ROOM_FULL, why, "join");
    g_free(why);
    return;
  }
  if (!r) {
    r = g_new0(room, 1);
    r->name = g_strdup(name);
    r->peers = g_ptr_array_new();
    g_hash_table_insert(hub->rooms, r->name, r);
  }
  /* The newcomer hears who is there; they hear of the newcomer. */
  json_t *others = json_array();
  for (guint i = 0; i < r->peers->len; i++) json_array_append_new(others, json_string(((mprtc__signal_peer *)r->peers->pdata[i])->id));
  json_t *joined = json_pack("{s:s, s:s, s:s, s:o}", "type", "joined", "room", name, "peer", peer->id, "peers", others);
  send_json(hub, peer, joined);
  json_decref(joined);
  json_t *arrived = json_pack("{s:s, s:s, s:s}", "type", "peer-joined", "room", name, "peer", peer->id);
  broadcast(hub, r, NULL, arrived);
  json_decref(arrived);
  g_ptr_array_add(r->peers, peer);
  peer->room = r;
  log_line(hub, "room %s: peer %s joined (%u peers)", name, peer->id, r->peers->len);
}

static void relay(mprtc__signal_hub *hub, mprtc__signal_peer *peer, const mprtc__signal_msg *m) {
  const char *type = mprtc__signal_kind_name(m->kind);
  if (!peer->room) {
    char *why = g_strdup_printf("%s before join: join a room first", type);
    send_error(hub, peer, MPRTC__SIGNAL_E_NOT_JOINED, why, type);
    g_free(why);
    return;
  }
  mprtc__signal_peer *to = NULL;
  if (m->to) {
    for (guint i = 0; i < peer->room->peers->len && !to; i++) {
      mprtc__signal_peer *p = peer->room->peers->pdata[i];
      if (p != peer && strcmp(p->id, m->to) == 0) to = p;
    }
    if (!to) {
      char *shown = mprtc__signal_shown(m->to, 32);
      char *why = g_strdup_printf("%s: no peer '%s' in room '%s'", type, shown, peer->room->name);
      send_error(hub, peer, MPRTC__SIGNAL_E_PEER, why, type);
      g_free(why);
      g_free(shown);
      return;
    }
  }
  /* What is relayed is the payload, with who sent it: nothing else of the client's message. */
  json_t *out = json_deep_copy(m->payload);
  json_object_set_new(out, "type", json_string(type));
  json_object_set_new(out, "from", json_string(peer->id));
  if (to) send_json(hub, to, out);
  else broadcast(hub, peer->room, peer, out);
  json_decref(out);
}

/* The token bucket: rate tokens a second, at most burst. */
static gboolean within_rate(mprtc__signal_hub *hub, mprtc__signal_peer *peer, gint64 now_us) {
  if (peer->last_us >= 0) {
    double refill = (double)(now_us - peer->last_us) / G_USEC_PER_SEC * hub->limits.messages_per_second;
    peer->tokens = MIN((double)hub->limits.burst, peer->tokens + refill);
  }
  peer->last_us = now_us;
  if (peer->tokens < 1) return FALSE;
  peer->tokens -= 1;
  return TRUE;
}

void mprtc__signal_hub_receive(mprtc__signal_hub *hub, mprtc__signal_peer *peer, const char *text, size_t len,
                               gint64 now_us) {
  if (!within_rate(hub, peer, now_us)) {
    char *why = g_strdup_printf("more than %g messages a second (bursts of %d): this one was dropped",
                                hub->limits.messages_per_second, hub->limits.burst);
    send_error(hub, peer, MPRTC__SIGNAL_E_RATE, why, NULL);
    g_free(why);
    return;
  }
  if (len > (size_t)hub->limits.max_message_bytes) {
    char *why = g_strdup_printf("a message of %zu bytes, over the limit of %d", len, hub->limits.max_message_bytes);
    send_error(hub, peer, MPRTC__SIGNAL_E_TOO_LARGE, why, NULL);
    g_free(why);
    return;
  }
  mprtc__signal_msg m;
  const char *code;
  char *why = NULL;
  if (!mprtc__signal_parse(text, len, &m, &code, &why)) {
    send_error(hub, peer, code, why, NULL);
    g_free(why);
    return;
  }
  switch (m.kind) {
    case MPRTC__SIGNAL_JOIN: join(hub, peer, m.room); break;
    case MPRTC__SIGNAL_LEAVE:
      if (!peer->room) {
        send_error(hub, peer, MPRTC__SIGNAL_E_NOT_JOINED, "leave before join: not in a room", "leave");
      } else {
        json_t *left = json_pack("{s:s, s:s}", "type", "left", "room", peer->room->name);
        leave(hub, peer);
        send_json(hub, peer, left);
        json_decref(left);
      }
      break;
    default: relay(hub, peer, &m); break;
  }
  mprtc__signal_clear(&m);
}

void mprtc__signal_hub_disconnect(mprtc__signal_hub *hub, mprtc__signal_peer *peer) {
  leave(hub, peer);
  g_hash_table_remove(hub->peers, peer);
}
