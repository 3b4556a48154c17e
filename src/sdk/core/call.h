/* One call in progress on the SDK: the decoded block, the channel and app it came from, its
 * target and its attachment.
 *
 * Thread rules: SDK thread only.
 */
#ifndef MPRTC_SDK_CALL_H
#define MPRTC_SDK_CALL_H

#include <jansson.h>

#include "bridge/bridge.h"
#include "bridge/codec.h"
#include "mprtc/error.h"
#include "sdk/core/dispatch.h"
#include "sdk/core/registry.h"

typedef struct mprtc__sdk mprtc__sdk;

struct mprtc__call {
  mprtc__sdk *sdk;
  mprtc__bridge *channel; /* reference */
  mprtc_app *app;         /* the channel's app (the channel holds it) */
  mprtc__request req;
  mprtc__object *object;  /* reference to the target, NULL when the method has none */
  GBytes *bytes;          /* the block's attachment, or NULL; the handler may take it */
};

/* Settles the call with result (taken; NULL means JSON null) and frees it. */
void mprtc__call_return(mprtc__call *call, json_t *result);

/* The same with an attachment beside the result (taken; may be NULL). */
void mprtc__call_return_bytes(mprtc__call *call, json_t *result, GBytes *bytes);

/* Settles the call with an error {name, message} and frees it: err is an mprtc_error code
 * (MPRTC_E_INVALID_STATE, MPRTC_E_INVAL for a TypeError, ...), whose DOMException name the
 * reply carries (include/mprtc/error.h). */
void mprtc__call_reject(mprtc__call *call, int err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The same with OverconstrainedError and the name of the constraint that cannot be met (its
 * W3C `constraint` attribute). */
void mprtc__call_reject_overconstrained(mprtc__call *call, const char *constraint, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Parameter checks shared by the handler sets: each rejects the call with a TypeError naming
 * the parameter and returns FALSE on bad input. */

/* Params may hold only the members named in allowed (NULL-terminated). */
gboolean mprtc__call_only_members(mprtc__call *call, const char *const *allowed);

/* An optional integer member in [lo, hi]: *out is left alone when it is absent. */
gboolean mprtc__call_int_param(mprtc__call *call, const char *key, json_int_t lo, json_int_t hi,
                               json_int_t *out);

/* An optional member of the given jansson type (JSON_STRING, JSON_TRUE for a boolean, ...). */
gboolean mprtc__call_typed_param(mprtc__call *call, const char *key, json_type type);

/* The call's app's open object of klass whose ID is value, or NULL after rejecting the call with
 * a TypeError: "<method>: <what> is not an open <interface> of this app". */
mprtc__object *mprtc__call_object_of(mprtc__call *call, const json_t *value, const mprtc__object_class *klass,
                                     const char *what);

/* The handler of the methods that close their target (RTCPeerConnection.close,
 * MediaStreamTrack.stop, ...): the object is closed (no event for it afterwards), the call
 * returns null. */
void mprtc__call_close_target(mprtc__call *call);

/* Registers a new object of the call's app (on the call's channel). Borrowed: the registry
 * holds it. */
mprtc__object *mprtc__call_new_object(mprtc__call *call, const mprtc__object_class *klass,
                                      void *impl);

/* Sends event with data (taken; NULL means JSON null) to obj's app, unless obj is closed. */
void mprtc__object_emit(mprtc__object *obj, const char *event, json_t *data);

/* The same with an attachment beside the data (taken; may be NULL). */
void mprtc__object_emit_bytes(mprtc__object *obj, const char *event, json_t *data, GBytes *bytes);

/* Sends the error reply {name of err, message} for seq to a channel. */
void mprtc__send_error(mprtc__bridge *channel, int64_t seq, int err, const char *message);

#endif
