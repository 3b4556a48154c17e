/* A media source and its taps: see source.h. */
#include "sdk/media/source.h"

#include <gst/audio/audio.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#define LATENCY_WINDOW 256

typedef struct {
  guint id;
  mprtc__sink_fn fn;
  void *user_data;
  GDestroyNotify destroy;
} sink;

struct mprtc__tap {
  mprtc__source *source;
  bool enabled;
  GArray *sinks;   /* sink */
  guint next_sink;
  guint64 frames;
  GstSample *latest;
  void (*end_fn)(void *data);
  void *end_data;
  GDestroyNotify end_destroy;
};

struct mprtc__source {
  gint refcount;
  mprtc__kind kind;
  bool read_stamps;
  mprtc__stop_fn stop;
  void *stop_data;
  GMutex lock;     /* guards everything below and every tap's fields */
  GPtrArray *taps; /* mprtc__tap* */
  bool ended;
  GstSample *blank; /* a black frame / silence like the last sample, for disabled taps */
  double level;
  bool stamp_valid;
  mprtc__barcode stamp;
  gint64 received_us;
  guint64 stamps_read;
  float latencies[LATENCY_WINDOW]; /* ms, a ring */
};

mprtc__source *mprtc__source_new(mprtc__kind kind, bool read_stamps, mprtc__stop_fn stop, void *stop_data) {
  mprtc__source *s = g_new0(mprtc__source, 1);
  s->refcount = 1;
  s->kind = kind;
  s->read_stamps = read_stamps;
  s->stop = stop;
  s->stop_data = stop_data;
  g_mutex_init(&s->lock);
  s->taps = g_ptr_array_new();
  return s;
}

mprtc__source *mprtc__source_ref(mprtc__source *s) {
  g_atomic_int_inc(&s->refcount);
  return s;
}

void mprtc__source_unref(mprtc__source *s) {
  if (!s || !g_atomic_int_dec_and_test(&s->refcount)) return;
  /* A source that never had a tap still lets its producer go. */
  if (s->stop) s->stop(s->stop_data);
  g_ptr_array_unref(s->taps);
  if (s->blank) gst_sample_unref(s->blank);
  g_mutex_clear(&s->lock);
  g_free(s);
}

mprtc__kind mprtc__source_kind(const mprtc__source *s) { return s->kind; }

/* A sample like sample but black (I420: Y 16, chroma 128) or silent, with its timing. */
static GstSample *make_blank(mprtc__source *s, GstSample *sample) {
  GstBuffer *in = gst_sample_get_buffer(sample);
  GstCaps *caps = gst_sample_get_caps(sample);
  if (!in || !caps) return NULL;
  gsize size = gst_buffer_get_size(in);
  GstBuffer *out = gst_buffer_new_allocate(NULL, size, NULL);
  GstMapInfo map;
  gst_buffer_map(out, &map, GST_MAP_WRITE);
  GstVideoInfo info;
  if (s->kind == MPRTC__KIND_VIDEO && gst_video_info_from_caps(&info, caps) &&
      GST_VIDEO_INFO_FORMAT(&info) == GST_VIDEO_FORMAT_I420 && GST_VIDEO_INFO_SIZE(&info) <= size) {
    memset(map.data, 128, size);
    memset(map.data + GST_VIDEO_INFO_PLANE_OFFSET(&info, 0), 16,
           (gsize)GST_VIDEO_INFO_PLANE_STRIDE(&info, 0) * GST_VIDEO_INFO_HEIGHT(&info));
  } else {
    memset(map.data, 0, size);
  }
  gst_buffer_unmap(out, &map);
  GstSample *blank = gst_sample_new(out, caps, NULL, NULL);
  gst_buffer_unref(out);
  return blank;
}

/* The blank sample for sample's caps and size, timed like sample (lock held). */
static GstSample *blank_for(mprtc__source *s, GstSample *sample) {
  GstBuffer *in = gst_sample_get_buffer(sample);
  if (!s->blank || !gst_caps_is_equal(gst_sample_get_caps(s->blank), gst_sample_get_caps(sample)) ||
      gst_buffer_get_size(gst_sample_get_buffer(s->blank)) != gst_buffer_get_size(in)) {
    if (s->blank) gst_sample_unref(s->blank);
    s->blank = make_blank(s, sample);
    if (!s->blank) return NULL;
  }
  /* The cached buffer is shared: each delivery gets its own metadata (timestamps). */
  GstBuffer *timed = gst_buffer_copy(gst_sample_get_buffer(s->blank));
  GST_BUFFER_PTS(timed) = GST_BUFFER_PTS(in);
  GST_BUFFER_DTS(timed) = GST_BUFFER_DTS(in);
  GST_BUFFER_DURATION(timed) = GST_BUFFER_DURATION(in);
  GstSample *out = gst_sample_new(timed, gst_sample_get_caps(sample), NULL, NULL);
  gst_buffer_unref(timed);
  return out;
}

double mprtc__audio_rms(GstSample *sample) {
  GstBuffer *buf = gst_sample_get_buffer(sample);
  GstMapInfo map;
  if (!buf || !gst_buffer_map(buf, &map, GST_MAP_READ)) return 0;
  const gint16 *pcm = (const gint16 *)map.data;
  gsize n = map.size / 2;
  double sum = 0;
  for (gsize i = 0; i < n; i++) sum += (double)pcm[i] * pcm[i];
  gst_buffer_unmap(buf, &map);
  return n ? sqrt(sum / n) / 32768.0 : 0;
}

/* Reads the frame stamp of an I420 sample (lock held). */
static void read_stamp(mprtc__source *s, GstSample *sample, gint64 now_us) {
  GstVideoInfo info;
  GstVideoFrame frame;
  s->stamp_valid = false;
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) ||
      GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420 ||
      !gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ))
    return;
  s->stamp_valid = mprtc__barcode_read(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0),
                                      GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                                      GST_VIDEO_FRAME_WIDTH(&frame), GST_VIDEO_FRAME_HEIGHT(&frame),
                                      &s->stamp);
  gst_video_frame_unmap(&frame);
  if (!s->stamp_valid) return;
  /* Wrapping difference of the low 32 bits of the same wall clock. */
  gint32 delta = (gint32)((guint32)now_us - s->stamp.time_us);
  s->latencies[s->stamps_read % LATENCY_WINDOW] = delta / 1000.0f;
  s->stamps_read++;
}

void mprtc__source_push(mprtc__source *s, GstSample *sample) {
  gint64 now = g_get_real_time();
  g_mutex_lock(&s->lock);
  if (s->ended) {
    g_mutex_unlock(&s->lock);
    return;
  }
  s->received_us = now;
  if (s->kind == MPRTC__KIND_AUDIO) s->level = mprtc__audio_rms(sample);
  else if (s->read_stamps) read_stamp(s, sample, now);
  GstSample *blank = NULL;
  for (guint i = 0; i < s->taps->len; i++) {
    mprtc__tap *tap = s->taps->pdata[i];
    GstSample *out = sample;
    if (!tap->enabled) {
      if (!blank) blank = blank_for(s, sample);
      if (!blank) continue;
      out = blank;
    }
    tap->frames++;
    if (tap->latest) gst_sample_unref(tap->latest);
    tap->latest = gst_sample_ref(out);
    for (guint k = 0; k < tap->sinks->len; k++) {
      sink *sk = &g_array_index(tap->sinks, sink, k);
      sk->fn(out, sk->user_data);
    }
  }
  g_mutex_unlock(&s->lock);
  if (blank) gst_sample_unref(blank);
}

static void call_end_fn(mprtc__tap *tap) {
  void (*fn)(void *) = tap->end_fn;
  tap->end_fn = NULL;
  if (fn) fn(tap->end_data);
}

GstFlowReturn mprtc__source_push_from_appsink(mprtc__source *s, GstAppSink *appsink) {
  GstSample *sample = gst_app_sink_pull_sample(appsink);
  if (!sample) return GST_FLOW_EOS;
  mprtc__source_push(s, sample);
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

void mprtc__source_end(mprtc__source *s) {
  g_mutex_lock(&s->lock);
  if (!s->ended) {
    s->ended = true;
    for (guint i = 0; i < s->taps->len; i++) call_end_fn(s->taps->pdata[i]);
  }
  g_mutex_unlock(&s->lock);
}

void mprtc__tap_set_end_fn(mprtc__tap *tap, void (*fn)(void *data), void *data, GDestroyNotify destroy) {
  g_mutex_lock(&tap->source->lock);
  GDestroyNotify old_destroy = tap->end_destroy;
  void *old_data = tap->end_data;
  tap->end_fn = fn;
  tap->end_data = data;
  tap->end_destroy = destroy;
  if (tap->source->ended) call_end_fn(tap);
  g_mutex_unlock(&tap->source->lock);
  if (old_destroy) old_destroy(old_data);
}

mprtc__tap *mprtc__tap_new(mprtc__source *s) {
  mprtc__tap *tap = g_new0(mprtc__tap, 1);
  tap->source = mprtc__source_ref(s);
  tap->enabled = true;
  tap->sinks = g_array_new(FALSE, FALSE, sizeof(sink));
  tap->next_sink = 1;
  g_mutex_lock(&s->lock);
  g_ptr_array_add(s->taps, tap);
  g_mutex_unlock(&s->lock);
  return tap;
}

/* A tap let go of s (without its lock): the producer stops with the last tap. */
static void drop_tap_reference(mprtc__source *s, bool was_last) {
  if (was_last && s->stop) {
    mprtc__stop_fn stop = s->stop;
    s->stop = NULL;
    stop(s->stop_data);
  }
  mprtc__source_unref(s);
}

static void destroy_sink(sink *sk) {
  if (sk->destroy) sk->destroy(sk->user_data);
}

void mprtc__tap_free(mprtc__tap *tap) {
  if (!tap) return;
  mprtc__source *s = tap->source;
  g_mutex_lock(&s->lock);
  g_ptr_array_remove(s->taps, tap);
  bool last = s->taps->len == 0;
  GArray *sinks = tap->sinks;
  tap->sinks = NULL;
  g_mutex_unlock(&s->lock);
  for (guint k = 0; k < sinks->len; k++) destroy_sink(&g_array_index(sinks, sink, k));
  g_array_unref(sinks);
  if (tap->latest) gst_sample_unref(tap->latest);
  if (tap->end_destroy) tap->end_destroy(tap->end_data);
  g_free(tap);
  drop_tap_reference(s, last);
}

mprtc__source *mprtc__tap_source(const mprtc__tap *tap) { return tap->source; }

guint mprtc__source_tap_count(mprtc__source *s) {
  g_mutex_lock(&s->lock);
  guint n = s->taps->len;
  g_mutex_unlock(&s->lock);
  return n;
}

void mprtc__tap_move(mprtc__tap *tap, mprtc__source *to) {
  mprtc__source *from = tap->source;
  if (from == to) return;
  /* Out of one list, then into the other: no push sees the tap in between, and the two locks
   * are never held together. */
  g_mutex_lock(&from->lock);
  g_ptr_array_remove(from->taps, tap);
  bool last = from->taps->len == 0;
  g_mutex_unlock(&from->lock);
  g_mutex_lock(&to->lock);
  tap->source = mprtc__source_ref(to);
  g_ptr_array_add(to->taps, tap);
  if (to->ended) call_end_fn(tap);
  g_mutex_unlock(&to->lock);
  drop_tap_reference(from, last);
}

void mprtc__tap_set_enabled(mprtc__tap *tap, bool enabled) {
  g_mutex_lock(&tap->source->lock);
  tap->enabled = enabled;
  g_mutex_unlock(&tap->source->lock);
}

guint mprtc__tap_add_sink(mprtc__tap *tap, mprtc__sink_fn fn, void *user_data, GDestroyNotify destroy) {
  sink sk = {0, fn, user_data, destroy};
  g_mutex_lock(&tap->source->lock);
  sk.id = tap->next_sink++;
  g_array_append_val(tap->sinks, sk);
  g_mutex_unlock(&tap->source->lock);
  return sk.id;
}

void mprtc__tap_remove_sink(mprtc__tap *tap, guint id) {
  sink removed = {0};
  g_mutex_lock(&tap->source->lock);
  for (guint k = 0; k < tap->sinks->len; k++) {
    if (g_array_index(tap->sinks, sink, k).id == id) {
      removed = g_array_index(tap->sinks, sink, k);
      g_array_remove_index(tap->sinks, k);
      break;
    }
  }
  g_mutex_unlock(&tap->source->lock);
  if (removed.id) destroy_sink(&removed);
}

static int compare_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

void mprtc__tap_snapshot_get(mprtc__tap *tap, mprtc__tap_snapshot *out) {
  mprtc__source *s = tap->source;
  float sorted[LATENCY_WINDOW];
  memset(out, 0, sizeof *out);
  g_mutex_lock(&s->lock);
  out->frames = tap->frames;
  out->latest = tap->latest ? gst_sample_ref(tap->latest) : NULL;
  out->audio_level = tap->enabled ? s->level : 0;
  out->received_us = s->received_us;
  out->stamps_read = s->stamps_read;
  guint n = MIN(s->stamps_read, LATENCY_WINDOW);
  memcpy(sorted, s->latencies, n * sizeof(float));
  g_mutex_unlock(&s->lock);
  if (n) {
    qsort(sorted, n, sizeof(float), compare_float);
    out->latency_p50_ms = sorted[n / 2];
    out->latency_p95_ms = sorted[MIN(n - 1, n * 95 / 100)];
  }
}
