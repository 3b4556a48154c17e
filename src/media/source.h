/* A media source and the tracks that view it.
 *
 * A source is where frames of one kind come from: a capture pipeline (camera, microphone, the
 * fake devices) or a receiver decoding a peer's media. Its producer pushes decoded samples
 * (video: I420; audio: S16LE interleaved) with mprtc_source_push; the source hands each to the
 * sinks of every tap. A tap is one MediaStreamTrack's view of the source: its own enabled flag
 * (a disabled tap delivers black frames / silence, as W3C mediacapture-main says), its sinks
 * (senders, renderers), its latest frame and counters. Clones of a track are further taps of the
 * same source.
 *
 * Ownership: sources are reference counted; the producer and every tap hold one. When the last
 * tap goes, the source's stop function runs (the device is released).
 *
 * Thread rules: mprtc_source_push runs on the producer's streaming thread; every other function
 * may be called from any thread (one mutex per source). Sink callbacks run on the producer's
 * thread with that mutex held: they must not block, nor call back into the source or its taps.
 */
#ifndef MPRTC_MEDIA_SOURCE_H
#define MPRTC_MEDIA_SOURCE_H

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <stdbool.h>

#include "media/barcode.h"

typedef enum { MPRTC_KIND_AUDIO, MPRTC_KIND_VIDEO } mprtc_kind;

typedef struct mprtc_source mprtc_source;
typedef struct mprtc_tap mprtc_tap;

/* Called with each sample a tap delivers (borrowed). See the thread rules above. */
typedef void (*mprtc_sink_fn)(GstSample *sample, void *user_data);

/* Called once, without the source's lock, when the last tap is freed: stops the producer. */
typedef void (*mprtc_stop_fn)(void *user_data);

/* A new source (one reference, the caller's). read_stamps: read the frame stamp (barcode.h) from
 * every video frame, for latency figures. */
mprtc_source *mprtc_source_new(mprtc_kind kind, bool read_stamps, mprtc_stop_fn stop, void *stop_data);
mprtc_source *mprtc_source_ref(mprtc_source *source);
void mprtc_source_unref(mprtc_source *source);
mprtc_kind mprtc_source_kind(const mprtc_source *source);

/* Producer side. */
void mprtc_source_push(mprtc_source *source, GstSample *sample);
/* Producer side for an appsink's new-sample callback: pulls the sample and pushes it. */
GstFlowReturn mprtc_source_push_from_appsink(mprtc_source *source, GstAppSink *appsink);
/* The producer is gone for good (device unplugged, peer stopped sending for good): taps end. */
void mprtc_source_end(mprtc_source *source);

/* A new tap of source, enabled. */
mprtc_tap *mprtc_tap_new(mprtc_source *source);
/* Detaches the tap (no sink of it runs after this returns) and frees it. */
void mprtc_tap_free(mprtc_tap *tap);
mprtc_source *mprtc_tap_source(const mprtc_tap *tap);
/* How many taps source has now. */
guint mprtc_source_tap_count(mprtc_source *source);
/* Moves tap, with its sinks, enabled flag, counters and end function, to another source of the
 * same kind: its frames come from there from now on (applyConstraints on one of several clones
 * gets a capture of its own). Not concurrently with other calls on the same tap. */
void mprtc_tap_move(mprtc_tap *tap, mprtc_source *to);
void mprtc_tap_set_enabled(mprtc_tap *tap, bool enabled);

/* fn(data) runs once when the source ends (now, if it has ended already). It runs with the
 * source's lock held, on whatever thread ends it: it must only post work elsewhere. */
void mprtc_tap_set_end_fn(mprtc_tap *tap, void (*fn)(void *data), void *data);

/* Adds a sink; returns its id (> 0) for mprtc_tap_remove_sink. destroy (may be NULL) frees
 * user_data when the sink is removed. */
guint mprtc_tap_add_sink(mprtc_tap *tap, mprtc_sink_fn fn, void *user_data, GDestroyNotify destroy);
/* Removes a sink: it does not run after this returns. */
void mprtc_tap_remove_sink(mprtc_tap *tap, guint id);

typedef struct {
  guint64 frames;            /* samples delivered by the tap */
  GstSample *latest;         /* the last one (a reference, or NULL): free with gst_sample_unref */
  double audio_level;        /* RMS of the last audio sample, 0..1 of full scale (0 when disabled) */
  gint64 received_us;        /* wall-clock time the latest frame was pushed */
  guint64 stamps_read;       /* frames with a stamp since the source started */
  double latency_p50_ms, latency_p95_ms; /* capture-to-push latency over the last 256 stamps */
} mprtc_tap_snapshot;

/* The tap's counters and latest frame, consistent with each other. */
void mprtc_tap_snapshot_get(mprtc_tap *tap, mprtc_tap_snapshot *out);

#endif
