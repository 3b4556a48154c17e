/* What the media handlers share (src/sdk/media/mediadevices.c, track.c, stream.c and the RTP parts of
 * peerconnection.c): MediaStreamTrack objects over a tap of a source (src/sdk/media/source.h).
 *
 * Thread rules: SDK thread.
 */
#ifndef MPRTC_SDK_MEDIA_H
#define MPRTC_SDK_MEDIA_H

#include "sdk/media/capture.h"
#include "sdk/media/constraints.h"
#include "sdk/media/source.h"
#include "sdk/core/call.h"
#include "sdk/core/sdk.h"

typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;  /* borrowed: the registry holds it */
  mprtc__tap *tap;     /* NULL once stopped */
  mprtc__kind kind;
  char *label;
  json_t *settings;    /* what the track delivers (W3C MediaTrackSettings), or NULL */
  json_t *capabilities; /* its device's (W3C MediaTrackCapabilities), or NULL: a peer's track */
} mprtc__track;

extern const mprtc__object_class mprtc__track_class;

/* Registers a new MediaStreamTrack object of app (its events go to channel) on a new tap of
 * source. Borrowed: the registry holds it. settings and capabilities are taken (may be NULL). */
mprtc__object *mprtc__track_new(mprtc__sdk *sdk, mprtc_app *app, mprtc__bridge *channel, mprtc__source *source,
                                const char *label, json_t *settings, json_t *capabilities);

/* {id, kind, label, settings, capabilities} of a track object, new reference. */
json_t *mprtc__track_describe(mprtc__object *track);

/* src/sdk/media/mediadevices.c: a device as MediaDevices.enumerate describes it (the input of the
 * constraint algorithm), new reference. */
json_t *mprtc__describe_device(const mprtc__capture_device *d, gboolean with_label);
/* The capture format of W3C settings the constraint algorithm chose. */
mprtc__capture_settings mprtc__capture_settings_of(const json_t *settings);
/* Rejects the call with the constraint algorithm's error (clears it); FALSE. */
gboolean mprtc__reject_constraint_error(mprtc__call *call, mprtc__constraint_error *e);

/* The kind name W3C uses: "audio" or "video". */
const char *mprtc__kind_name(mprtc__kind kind);


/* ---- MediaStream (src/sdk/media/stream.c) ---- */

typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;  /* borrowed */
  char *stream_id;     /* MediaStream.id: unique among the app's open streams (app->stream_ids) */
  GPtrArray *tracks;   /* mprtc__object* references of its tracks */
} mprtc__stream;

extern const mprtc__object_class mprtc__stream_class;

/* Registers a new stream of app with MediaStream.id wanted_id, or a fresh UUID when wanted_id
 * is NULL, not a valid ID, or another open stream of the app has it (a peer may announce a local
 * stream's ID, or anything at all).
 * Borrowed. */
mprtc__object *mprtc__stream_new(mprtc__sdk *sdk, mprtc_app *app, mprtc__bridge *channel, const char *wanted_id);

/* Whether id may be a stream ID: 1..256 printable ASCII characters, no space (IDs travel in
 * SDP a=msid lines and view-layer attributes). */
gboolean mprtc__stream_id_valid(const char *id);

/* The app's open stream with MediaStream.id stream_id, or NULL. Borrowed. */
mprtc__object *mprtc__stream_lookup(mprtc_app *app, const char *stream_id);

void mprtc__stream_add_track(mprtc__object *stream, mprtc__object *track);

#endif
