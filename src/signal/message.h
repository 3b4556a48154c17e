/* The signaling protocol's messages (docs/signaling.md): a client's message checked and read,
 * and what the server sends. Pure: no sockets, no state; unit-tested and fuzzed.
 */
#ifndef MPRTC_SIGNAL_MESSAGE_H
#define MPRTC_SIGNAL_MESSAGE_H

#include <glib.h>
#include <jansson.h>

typedef enum {
  MPRTC__SIGNAL_JOIN,      /* {type: "join", room} */
  MPRTC__SIGNAL_LEAVE,     /* {type: "leave"} */
  MPRTC__SIGNAL_OFFER,     /* {type: "offer", sdp, to?} */
  MPRTC__SIGNAL_ANSWER,    /* {type: "answer", sdp, to?} */
  MPRTC__SIGNAL_CANDIDATE, /* {type: "candidate", candidate: object or null, to?} */
  MPRTC__SIGNAL_MESSAGE,   /* {type: "message", data: any JSON, to?} */
} mprtc__signal_kind;

/* The error codes of {type: "error", code, message}. */
#define MPRTC__SIGNAL_E_JSON "bad-json"           /* not a JSON object */
#define MPRTC__SIGNAL_E_TOO_LARGE "too-large"     /* over the size limit */
#define MPRTC__SIGNAL_E_TYPE "unknown-type"       /* no type, or not one of the protocol's */
#define MPRTC__SIGNAL_E_FIELD "bad-field"         /* a field missing or of the wrong kind */
#define MPRTC__SIGNAL_E_NOT_JOINED "not-joined"   /* a relay or leave before join */
#define MPRTC__SIGNAL_E_JOINED "already-joined"   /* join while in a room */
#define MPRTC__SIGNAL_E_ROOM_FULL "room-full"     /* the room has its most peers */
#define MPRTC__SIGNAL_E_ROOMS "too-many-rooms"    /* the server has its most rooms */
#define MPRTC__SIGNAL_E_PEER "no-such-peer"       /* `to` names no peer of the room */
#define MPRTC__SIGNAL_E_RATE "rate-limited"       /* over the connection's message rate */

/* A room's name: 1 to 64 of [A-Za-z0-9._-]. */
#define MPRTC__SIGNAL_ROOM_MAX 64

typedef struct {
  mprtc__signal_kind kind;
  const char *room;  /* JOIN (in msg) */
  const char *to;    /* relays: the peer, or NULL for the whole room (in msg) */
  json_t *payload;   /* relays: {sdp} / {candidate} / {data}, a new reference */
  json_t *msg;       /* the message (a reference the caller drops with mprtc__signal_clear) */
} mprtc__signal_msg;

/* Reads text (len bytes). TRUE and *out, or FALSE with *code (one of MPRTC__SIGNAL_E_*, static)
 * and *why (g_free it) saying what was wrong. */
gboolean mprtc__signal_parse(const char *text, size_t len, mprtc__signal_msg *out, const char **code, char **why);
void mprtc__signal_clear(mprtc__signal_msg *m);

/* A client's string (valid UTF-8) as an error shows it: at most max characters (g_free it). */
char *mprtc__signal_shown(const char *s, glong max);

/* The kind's name on the wire ("offer"). */
const char *mprtc__signal_kind_name(mprtc__signal_kind kind);

/* {type: "error", code, message[, ref: the type of the message it answers]} as JSON text
 * (g_free it). */
char *mprtc__signal_error_text(const char *code, const char *message, const char *ref);

#endif
