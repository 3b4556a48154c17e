/* The call-block codec: pure functions from text to a validated request and from results,
 * errors and events to text. No state, no threads: callable from any thread, unit-tested and
 * fuzzed on its own. The contract is written down in docs/bridge.md.
 */
#ifndef MPRTC_BRIDGE_CODEC_H
#define MPRTC_BRIDGE_CODEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define MPRTC__BRIDGE_VERSION 1
#define MPRTC__BLOCK_MAX_BYTES (1024 * 1024)
#define MPRTC__BLOCK_MAX_DEPTH 32
#define MPRTC__NAME_MAX 64
#define MPRTC__SERVERS_MAX 32
/* Largest integer a JS number holds exactly: sequence numbers and object IDs stay below it. */
#define MPRTC__MAX_SAFE_INTEGER 9007199254740991LL
#define MPRTC__ERRMSG_MAX 256

typedef struct {
  json_t *root;       /* owns the parsed block; every pointer below borrows from it */
  int64_t seq;        /* >= 1 on success; on failure the seq if it could be read, else 0 */
  const char *app;    /* the app the runtime stamped on the block */
  const char *method; /* "Interface.member", e.g. "RTCPeerConnection.createOffer" */
  int64_t target;     /* object ID, 0 when absent (constructors, static methods) */
  json_t *params;     /* an object, never NULL after success (empty when the block had none) */
  json_t *servers;    /* array of RTCIceServer-shaped objects, or NULL when absent */
  int64_t bytes;      /* the size of the attachment that came with the block, -1: none */
} mprtc__request;

/* Decodes and validates one request block of len bytes (need not be NUL-terminated) that came
 * with an attachment of attached bytes (-1: none; the block's "bytes" member must say the
 * same). Returns 0 and fills *out (release with mprtc__request_clear), or a negative
 * MPRTC_E_BLOCK_* code with a one-line explanation in errmsg (MPRTC__ERRMSG_MAX bytes) and
 * out->seq set to the block's seq when it could be read, so the error reply can still reach its
 * caller. */
int mprtc__request_decode(const char *text, size_t len, int64_t attached, mprtc__request *out, char *errmsg);

void mprtc__request_clear(mprtc__request *req);

/* Encoders return a newly allocated NUL-terminated string (free with free()) and its length.
 * attached: the size of the attachment that goes with the message, -1 for none. */
char *mprtc__reply_result_encode(int64_t seq, const json_t *result, int64_t attached, size_t *len);
/* The error's name is err's DOMException name (include/mprtc/error.h); constraint, when not NULL,
 * becomes the error's "constraint" member (OverconstrainedError). */
char *mprtc__reply_error_encode(int64_t seq, int err, const char *message, const char *constraint,
                                size_t *len);
char *mprtc__event_encode(int64_t target, const char *event, const json_t *data, int64_t attached, size_t *len);

/* True when name is a valid method name: dot-separated identifiers, at most
 * MPRTC__NAME_MAX bytes. */
int mprtc__method_name_valid(const char *name);

/* True when app is a valid app ID: 1..MPRTC__NAME_MAX of [A-Za-z0-9._-]. */
int mprtc__app_id_valid(const char *app);

#endif
