/* A frame slot: where a renderer of the SDK (src/sdk/media/renderer.c) leaves the latest frame
 * of the stream it is bound to, for the view layer to paint. The view makes it and hands it to
 * the SDK through the app record (mprtc__app_put_slot); both hold a reference. Frames go from the
 * decoder or the camera into the slot without a copy, and never cross the bridge.
 *
 * Thread rules: any thread; one mutex per slot, never held while calling out.
 */
#ifndef MPRTC_SDK_MEDIA_FRAME_SLOT_H
#define MPRTC_SDK_MEDIA_FRAME_SLOT_H

#include <gst/gst.h>
#include <stdbool.h>

typedef struct mprtc__frame_slot mprtc__frame_slot;

mprtc__frame_slot *mprtc__frame_slot_new(void);
mprtc__frame_slot *mprtc__frame_slot_ref(mprtc__frame_slot *slot);
void mprtc__frame_slot_unref(mprtc__frame_slot *slot);

/* What a put changed, for the renderer's events. */
enum { MPRTC__SLOT_FIRST = 1 << 0, MPRTC__SLOT_RESIZED = 1 << 1 };

/* The renderer's side. A video frame (I420 sample, borrowed): returns MPRTC__SLOT_* flags. */
unsigned mprtc__frame_slot_put_video(mprtc__frame_slot *slot, GstSample *sample);
/* An audio sample was played at this level (RMS, 0..1 of full scale, after volume and mute);
 * the slot's level is the loudest of about the last second. */
unsigned mprtc__frame_slot_put_audio(mprtc__frame_slot *slot, double level);
/* Bound to a stream's track, or not: unbinding drops the latest frame (the view shows black)
 * and the next put is a first one again. */
void mprtc__frame_slot_set_bound(mprtc__frame_slot *slot, bool bound);

/* fn(data) runs after every new video frame, on the producer's thread, with the slot's lock held:
 * it may only post work elsewhere (never touch the slot). After set_notify returns, the
 * function before it no longer runs. fn NULL: none. */
void mprtc__frame_slot_set_notify(mprtc__frame_slot *slot, void (*fn)(void *data), void *data);

/* Audio: where it plays (a static string). */
void mprtc__frame_slot_set_output(mprtc__frame_slot *slot, const char *output);

/* The view's side: the slot's state, consistent. latest is a reference (or NULL). */
typedef struct {
  GstSample *latest;
  guint64 frames;        /* frames (or audio samples) delivered while bound, over the slot's life */
  guint64 serial;        /* changes with every frame: the view converts a frame once */
  int width, height;     /* of the latest frame; 0 before one */
  double audio_level;    /* the loudest RMS level of about the last second, 0..1 */
  bool bound;
  const char *output;    /* audio: where it plays ("pulseaudio", or "none": only measured) */
} mprtc__frame_slot_state;

void mprtc__frame_slot_get(mprtc__frame_slot *slot, mprtc__frame_slot_state *out);
void mprtc__frame_slot_state_clear(mprtc__frame_slot_state *state);

#endif
