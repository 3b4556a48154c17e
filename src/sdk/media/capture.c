/* Running captures: see capture.h. */
#include "sdk/media/capture.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>

/* ---- a running capture ---------------------------------------------------------------------- */

typedef struct {
  GstElement *pipeline;
  GstElement *filter;   /* the format delivered (borrowed from the pipeline) */
  mprtc__source *source; /* the producer's reference */
  mprtc__capture_device *device; /* a copy */
  guint device_watch;   /* real devices: hears the device go (mprtc__devices_watch), or 0 */
  guint32 frames;       /* fake camera: the stamp's counter */
  gboolean started;
} capture;

static gint running_captures;
/* Running captures by their source (mprtc__source* -> capture*), for reformats. */
static GMutex captures_lock;
static GHashTable *captures_by_source;

int mprtc__capture_running(void) { return g_atomic_int_get(&running_captures); }

static GstFlowReturn on_sample(GstAppSink *sink, gpointer data) {
  return mprtc__source_push_from_appsink(((capture *)data)->source, sink);
}

/* Stamps each fake camera frame with its counter and the time it leaves the camera. */
static GstPadProbeReturn stamp_frame(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
  capture *c = data;
  GstBuffer *buf = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buf;
  GstCaps *caps = gst_pad_get_current_caps(pad);
  GstVideoInfo vi;
  GstVideoFrame frame;
  if (caps && gst_video_info_from_caps(&vi, caps) && gst_video_frame_map(&frame, &vi, buf, GST_MAP_WRITE)) {
    mprtc__barcode code = {c->frames++, (guint32)g_get_real_time()};
    mprtc__barcode_stamp(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                        GST_VIDEO_FRAME_PLANE_DATA(&frame, 1), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                        GST_VIDEO_FRAME_PLANE_DATA(&frame, 2), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2),
                        vi.width, vi.height, code);
    gst_video_frame_unmap(&frame);
  }
  if (caps) gst_caps_unref(caps);
  return GST_PAD_PROBE_OK;
}

/* The device failed (unplugged, lost): its tracks end. Any thread. */
static GstBusSyncReply on_bus(GstBus *bus, GstMessage *msg, gpointer data) {
  capture *c = data;
  if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR || GST_MESSAGE_TYPE(msg) == GST_MESSAGE_EOS)
    mprtc__source_end(c->source);
  return GST_BUS_DROP;
}

/* A device provider's thread: an unplugged device ends its captures. PulseAudio, for one,
 * would move the capture to another microphone instead of failing it. */
static void on_device_change(GstDevice *device, bool added, void *data) {
  capture *c = data;
  if (added) return;
  char *id = mprtc__capture_device_id(device);
  if (strcmp(id, c->device->id) == 0) mprtc__source_end(c->source);
  g_free(id);
}

static void capture_stop(void *data) {
  capture *c = data;
  if (c->device_watch) mprtc__devices_unwatch(c->device_watch);
  g_mutex_lock(&captures_lock);
  if (captures_by_source) g_hash_table_remove(captures_by_source, c->source);
  g_mutex_unlock(&captures_lock);
  if (c->started) g_atomic_int_add(&running_captures, -1);
  gst_element_set_state(c->pipeline, GST_STATE_NULL);
  gst_object_unref(c->pipeline);
  mprtc__source_unref(c->source);
  mprtc__capture_device_free(c->device);
  g_free(c);
}

static GstElement *make_source_element(const mprtc__capture_device *d) {
  if (d->device) return gst_device_create_element(d->device, NULL);
  if (d->kind == MPRTC__KIND_VIDEO) {
    GstElement *e = gst_element_factory_make("videotestsrc", NULL);
    /* A moving pattern: encoders see motion, as from a real camera. */
    if (e) g_object_set(e, "is-live", TRUE, "pattern", 0 /* smpte */, "horizontal-speed", 4, NULL);
    return e;
  }
  GstElement *e = gst_element_factory_make("audiotestsrc", NULL);
  if (e) g_object_set(e, "is-live", TRUE, "freq", 440.0, "volume", 0.25, "samplesperbuffer", 480, NULL);
  return e;
}

/* What a capture of kind delivers with settings s. */
static GstCaps *format_caps(mprtc__kind kind, const mprtc__capture_settings *s) {
  if (kind == MPRTC__KIND_VIDEO) {
    int num, den;
    gst_util_double_to_fraction(s->frame_rate, &num, &den);
    return gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", "width", G_TYPE_INT, s->width,
                               "height", G_TYPE_INT, s->height, "framerate", GST_TYPE_FRACTION, num, den,
                               "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  }
  return gst_caps_new_simple("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout", G_TYPE_STRING,
                             "interleaved", "rate", G_TYPE_INT, 48000, "channels", G_TYPE_INT,
                             s->channels > 0 ? s->channels : 1, NULL);
}

mprtc__capture_device *mprtc__capture_device_of(mprtc__source *source) {
  g_mutex_lock(&captures_lock);
  capture *c = captures_by_source ? g_hash_table_lookup(captures_by_source, source) : NULL;
  mprtc__capture_device *d = c ? mprtc__capture_device_copy(c->device) : NULL;
  g_mutex_unlock(&captures_lock);
  return d;
}

bool mprtc__capture_reformat(mprtc__source *source, const mprtc__capture_settings *s) {
  g_mutex_lock(&captures_lock);
  capture *c = captures_by_source ? g_hash_table_lookup(captures_by_source, source) : NULL;
  if (c) {
    /* The converters between the device and the filter renegotiate on the next frame; the
     * device keeps its own format unless it can give the new one directly. */
    GstCaps *caps = format_caps(c->device->kind, s);
    g_object_set(c->filter, "caps", caps, NULL);
    gst_caps_unref(caps);
  }
  g_mutex_unlock(&captures_lock);
  return c != NULL;
}

mprtc__source *mprtc__capture_open(const mprtc__capture_device *d, const mprtc__capture_settings *s,
                                 GError **error) {
  gboolean video = d->kind == MPRTC__KIND_VIDEO;
  GstElement *src = make_source_element(d);
  if (!src) {
    g_set_error(error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN, "cannot create a source for '%s'", d->label);
    return NULL;
  }
  capture *c = g_new0(capture, 1);
  c->device = mprtc__capture_device_copy(d);
  c->pipeline = gst_pipeline_new(NULL);
  GstElement *filter = gst_element_factory_make("capsfilter", NULL);
  GstCaps *caps = format_caps(d->kind, s);
  /* A reformat (applyConstraints) changes these caps while frames are in flight: "delayed"
   * lets the old format through until the new one is negotiated. With "immediate" the capture
   * failed now and then under load, which ended its tracks (2 of 6 runs of the mediadevices
   * test under ASan with both cores busy; 0 of 8 with "delayed"). */
  gst_util_set_object_arg(G_OBJECT(filter), "caps-change-mode", "delayed");
  g_object_set(filter, "caps", caps, NULL);
  gst_caps_unref(caps);
  c->filter = filter;
  GstElement *sink = gst_element_factory_make("appsink", NULL);
  g_object_set(sink, "sync", FALSE, "max-buffers", 2, "drop", TRUE, NULL);
  const char *const *convert = video ? (const char *const[]){"videoconvert", "videoscale", "videorate", NULL}
                                     : (const char *const[]){"audioconvert", "audioresample", NULL};
  gst_bin_add_many(GST_BIN(c->pipeline), src, filter, sink, NULL);
  GstElement *prev = src;
  for (int i = 0; convert[i]; i++) {
    GstElement *e = gst_element_factory_make(convert[i], NULL);
    gst_bin_add(GST_BIN(c->pipeline), e);
    gst_element_link(prev, e);
    prev = e;
  }
  gst_element_link_many(prev, filter, sink, NULL);
  c->source = mprtc__source_new(d->kind, false, capture_stop, c);
  GstAppSinkCallbacks callbacks = {.new_sample = on_sample};
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, c, NULL);
  if (video && !d->device) {
    GstPad *pad = gst_element_get_static_pad(filter, "src");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_frame, c, NULL);
    gst_object_unref(pad);
  }
  GstBus *bus = gst_element_get_bus(c->pipeline);
  gst_bus_set_sync_handler(bus, on_bus, c, NULL);
  gst_object_unref(bus);
  if (gst_element_set_state(c->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error(error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY, "'%s' could not be started (busy?)", d->label);
    capture_stop(c);
    return NULL;
  }
  c->started = TRUE;
  g_atomic_int_inc(&running_captures);
  if (d->device) c->device_watch = mprtc__devices_watch(on_device_change, c, NULL); /* unwatched by capture_stop */
  g_mutex_lock(&captures_lock);
  if (!captures_by_source) captures_by_source = g_hash_table_new(NULL, NULL);
  g_hash_table_insert(captures_by_source, c->source, c);
  g_mutex_unlock(&captures_lock);
  /* The caller's reference; c keeps the producer's until capture_stop. */
  return mprtc__source_ref(c->source);
}
