/* A media source and the tracks that view it.
 *
 * A source is where frames of one kind come from: a capture pipeline (camera, microphone, the
 * fake devices) or a receiver decoding a peer's media. Its producer pushes decoded samples
 * (video: I420; audio: S16LE interleaved) with mprtc__source_push; the source hands each to the
 * sinks of every tap. A tap is one MediaStreamTrack's view of the source: its own enabled flag
 * (a disabled tap delivers black frames / silence, as W3C mediacapture-main says), its sinks
 * (senders, renderers), its latest frame and counters. Clones of a track are further taps of the
 * same source.
 *
 * Ownership: sources are reference counted; the producer and every tap hold one. When the last
 * tap goes, the source's stop function runs (the device is released).
 *
 * Thread rules: mprtc__source_push runs on the producer's streaming thread; every other function
 * may be called from any thread (one mutex per source). Sink callbacks run on the producer's
 * thread with that mutex held: they must not block, nor call back into the source or its taps.
 */
#ifndef MPRTC_SDK_MEDIA_SOURCE_H
#define MPRTC_SDK_MEDIA_SOURCE_H

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <stdbool.h>

#include "sdk/media/barcode.h"

typedef enum { MPRTC__KIND_AUDIO, MPRTC__KIND_VIDEO } mprtc__kind;

typedef struct mprtc__source mprtc__source;
typedef struct mprtc__tap mprtc__tap;

/* Called with each sample a tap delivers (borrowed). See the thread rules above. */
typedef void (*mprtc__sink_fn)(GstSample *sample, void *user_data);

/* Called once, without the source's lock, when the last tap is freed (or the source is freed
 * without one): stops the producer. It takes user_data: it is the destroy-notify as well. */
typedef void (*mprtc__stop_fn)(void *user_data);

/* A new source (one reference, the caller's). read_stamps: read the frame stamp (barcode.h) from
 * every video frame, for latency figures. stop (may be NULL) runs exactly once. */
mprtc__source *mprtc__source_new(mprtc__kind kind, bool read_stamps, mprtc__stop_fn stop, void *stop_data);
mprtc__source *mprtc__source_ref(mprtc__source *source);
void mprtc__source_unref(mprtc__source *source);
mprtc__kind mprtc__source_kind(const mprtc__source *source);

/* Producer side. */
void mprtc__source_push(mprtc__source *source, GstSample *sample);
/* Producer side for an appsink's new-sample callback: pulls the sample and pushes it. */
GstFlowReturn mprtc__source_push_from_appsink(mprtc__source *source, GstAppSink *appsink);
/* The producer is gone for good (device unplugged, peer stopped sending for good): taps end. */
void mprtc__source_end(mprtc__source *source);

/* A new tap of source, enabled. */
mprtc__tap *mprtc__tap_new(mprtc__source *source);
/* Detaches the tap (no sink of it runs after this returns) and frees it. */
void mprtc__tap_free(mprtc__tap *tap);
mprtc__source *mprtc__tap_source(const mprtc__tap *tap);
/* How many taps source has now. */
guint mprtc__source_tap_count(mprtc__source *source);
/* Moves tap, with its sinks, enabled flag, counters and end function, to another source of the
 * same kind: its frames come from there from now on (applyConstraints on one of several clones
 * gets a capture of its own). Not concurrently with other calls on the same tap. */
void mprtc__tap_move(mprtc__tap *tap, mprtc__source *to);
void mprtc__tap_set_enabled(mprtc__tap *tap, bool enabled);

/* fn(data) runs once when the source ends (now, if it has ended already). It runs with the
 * source's lock held, on whatever thread ends it: it must only post work elsewhere. destroy (may
 * be NULL) frees data when the tap is freed or another end function replaces this one. */
void mprtc__tap_set_end_fn(mprtc__tap *tap, void (*fn)(void *data), void *data, GDestroyNotify destroy);

/* Adds a sink; returns its id (> 0) for mprtc__tap_remove_sink. destroy (may be NULL) frees
 * user_data when the sink is removed. */
guint mprtc__tap_add_sink(mprtc__tap *tap, mprtc__sink_fn fn, void *user_data, GDestroyNotify destroy);
/* Removes a sink: it does not run after this returns. */
void mprtc__tap_remove_sink(mprtc__tap *tap, guint id);

typedef struct {
  guint64 frames;            /* samples delivered by the tap */
  GstSample *latest;         /* the last one (a reference, or NULL): free with gst_sample_unref */
  double audio_level;        /* RMS of the last audio sample, 0..1 of full scale (0 when disabled) */
  gint64 received_us;        /* wall-clock time the latest frame was pushed */
  guint64 stamps_read;       /* frames with a stamp since the source started */
  double latency_p50_ms, latency_p95_ms; /* capture-to-push latency over the last 256 stamps */
} mprtc__tap_snapshot;

/* The RMS level of an S16LE audio sample, 0..1 of full scale. Any thread. */
double mprtc__audio_rms(GstSample *sample);

/* The tap's counters and latest frame, consistent with each other. */
void mprtc__tap_snapshot_get(mprtc__tap *tap, mprtc__tap_snapshot *out);

#endif
