/* The W3C constraint algorithm (mediacapture-main §3.3 SelectSettings, with the fitness distance
 * of §4.3.8) over devices as MediaDevices.enumerate describes them:
 *   {deviceId, groupId, kind: "videoinput"|"audioinput", capabilities: {width: {min, max}, ...,
 *    facingMode: [...]}}
 * Constraints are the app's MediaTrackConstraints as JSON (or JSON true for "any"): bare values
 * are ideal in the basic set and exact in an advanced one; {exact, ideal, min, max} otherwise;
 * `advanced` sets that cannot be met are skipped.
 *
 * Thread rules: pure functions; any thread.
 */
#ifndef MPRTC_SDK_MEDIA_CONSTRAINTS_H
#define MPRTC_SDK_MEDIA_CONSTRAINTS_H

#include <jansson.h>

#include "sdk/media/source.h"

/* Why a selection failed: err is MPRTC_E_INVAL (a malformed constraint: TypeError),
 * MPRTC_E_NOT_FOUND (no device of the kind) or MPRTC_E_OVERCONSTRAINED (constraint names the
 * one that cannot be met); message is a sentence for the app. Release with
 * mprtc__constraint_error_clear. */
typedef struct {
  int err;
  char *constraint;
  char *message;
} mprtc__constraint_error;

void mprtc__constraint_error_clear(mprtc__constraint_error *e);

/* The best device of kind for constraints among devices (a JSON array), and the settings it is
 * to run with (W3C MediaTrackSettings: for video width, height, frameRate, aspectRatio,
 * resizeMode, facingMode; for audio sampleRate, sampleSize, channelCount, ...). current: the
 * settings of a running track (applyConstraints), kept where the constraints leave room; NULL
 * for getUserMedia. Returns the index of the device and *settings (a new reference), or -1 with
 * *error filled. */
int mprtc__select_settings(mprtc__kind kind, const json_t *constraints, const json_t *devices, const json_t *current,
                           json_t **settings, mprtc__constraint_error *error);

/* applyConstraints on a track that is nobody's device (a peer's): its settings cannot change, so
 * the constraints hold when the settings already meet them. Returns 0 (met) or -1 with *error
 * filled (MPRTC_E_INVAL or MPRTC_E_OVERCONSTRAINED). */
int mprtc__check_settings(mprtc__kind kind, const json_t *constraints, const json_t *settings,
                          mprtc__constraint_error *error);

#endif
