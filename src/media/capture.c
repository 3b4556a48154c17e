/* Capture devices: see capture.h. */
#include "media/capture.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>

void mprtc_capture_device_free(mprtc_capture_device *d) {
  if (!d) return;
  g_free(d->id);
  g_free(d->group_id);
  g_free(d->label);
  g_free(d->facing_mode);
  if (d->device) gst_object_unref(d->device);
  g_free(d);
}

static mprtc_capture_device *fake_camera(void) {
  mprtc_capture_device *d = g_new0(mprtc_capture_device, 1);
  d->id = g_strdup(MPRTC_FAKE_CAMERA_ID);
  d->group_id = g_strdup("mprtc-fake-devices");
  d->kind = MPRTC_KIND_VIDEO;
  d->label = g_strdup("mprtc fake camera (test pattern)");
  d->facing_mode = g_strdup("user");
  d->min_width = 64, d->max_width = 1920;
  d->min_height = 40, d->max_height = 1080;
  d->min_frame_rate = 1, d->max_frame_rate = 60;
  return d;
}

static mprtc_capture_device *fake_microphone(void) {
  mprtc_capture_device *d = g_new0(mprtc_capture_device, 1);
  d->id = g_strdup(MPRTC_FAKE_MICROPHONE_ID);
  d->group_id = g_strdup("mprtc-fake-devices");
  d->kind = MPRTC_KIND_AUDIO;
  d->label = g_strdup("mprtc fake microphone (440 Hz tone)");
  d->sample_rate = 48000;
  d->max_channels = 2;
  return d;
}

/* A stable ID for a real device: a hash of what names it (its class and display name and, for
 * V4L2, its node), so that the same camera keeps its ID across runs. */
static char *device_id(GstDevice *device) {
  GstStructure *props = gst_device_get_properties(device);
  const char *path = props ? gst_structure_get_string(props, "device.path") : NULL;
  char *klass = gst_device_get_device_class(device);
  char *name = gst_device_get_display_name(device);
  char *key = g_strdup_printf("%s|%s|%s", klass, name, path ? path : "");
  char *id = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
  g_free(key);
  g_free(klass);
  g_free(name);
  if (props) gst_structure_free(props);
  return id;
}

static mprtc_capture_device *real_device(GstDevice *device) {
  mprtc_capture_device *d = g_new0(mprtc_capture_device, 1);
  d->device = gst_object_ref(device);
  d->id = device_id(device);
  d->group_id = g_strdup(d->id);
  d->label = gst_device_get_display_name(device);
  d->kind = gst_device_has_classes(device, "Video") ? MPRTC_KIND_VIDEO : MPRTC_KIND_AUDIO;
  /* Converters and scalers sit behind every device, so any size and rate can be given. */
  d->min_width = 64, d->max_width = 1920;
  d->min_height = 40, d->max_height = 1080;
  d->min_frame_rate = 1, d->max_frame_rate = 60;
  d->sample_rate = 48000;
  d->max_channels = 2;
  return d;
}

GPtrArray *mprtc_capture_devices(void) {
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)mprtc_capture_device_free);
  g_ptr_array_add(out, fake_camera());
  g_ptr_array_add(out, fake_microphone());
  GstDeviceMonitor *monitor = gst_device_monitor_new();
  gst_device_monitor_add_filter(monitor, "Video/Source", NULL);
  gst_device_monitor_add_filter(monitor, "Audio/Source", NULL);
  /* start + get_devices probes once; no monitoring thread is left running. */
  if (gst_device_monitor_start(monitor)) {
    GList *devices = gst_device_monitor_get_devices(monitor);
    for (GList *l = devices; l; l = l->next) {
      GstDevice *device = l->data;
      /* PulseAudio lists the monitors of its outputs as sources: not microphones. */
      GstStructure *props = gst_device_get_properties(device);
      const char *pclass = props ? gst_structure_get_string(props, "device.class") : NULL;
      gboolean monitor_source = pclass && strcmp(pclass, "monitor") == 0;
      if (props) gst_structure_free(props);
      if (!monitor_source) g_ptr_array_add(out, real_device(device));
    }
    g_list_free_full(devices, gst_object_unref);
    gst_device_monitor_stop(monitor);
  }
  gst_object_unref(monitor);
  return out;
}

/* ---- a running capture ---------------------------------------------------------------------- */

typedef struct {
  GstElement *pipeline;
  GstElement *filter;   /* the format delivered (borrowed from the pipeline) */
  mprtc_source *source; /* the producer's reference */
  mprtc_capture_device *device; /* a copy */
  guint32 frames;       /* fake camera: the stamp's counter */
  gboolean started;
} capture;

static gint running_captures;
/* Running captures by their source (mprtc_source* -> capture*), for reformats. */
static GMutex captures_lock;
static GHashTable *captures_by_source;

int mprtc_capture_running(void) { return g_atomic_int_get(&running_captures); }

static GstFlowReturn on_sample(GstAppSink *sink, gpointer data) {
  return mprtc_source_push_from_appsink(((capture *)data)->source, sink);
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
    mprtc_barcode code = {c->frames++, (guint32)g_get_real_time()};
    mprtc_barcode_stamp(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
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
    mprtc_source_end(c->source);
  return GST_BUS_DROP;
}

static void capture_stop(void *data) {
  capture *c = data;
  g_mutex_lock(&captures_lock);
  if (captures_by_source) g_hash_table_remove(captures_by_source, c->source);
  g_mutex_unlock(&captures_lock);
  if (c->started) g_atomic_int_add(&running_captures, -1);
  gst_element_set_state(c->pipeline, GST_STATE_NULL);
  gst_object_unref(c->pipeline);
  mprtc_source_unref(c->source);
  mprtc_capture_device_free(c->device);
  g_free(c);
}

static GstElement *make_source_element(const mprtc_capture_device *d) {
  if (d->device) return gst_device_create_element(d->device, NULL);
  if (d->kind == MPRTC_KIND_VIDEO) {
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
static GstCaps *format_caps(mprtc_kind kind, const mprtc_capture_settings *s) {
  if (kind == MPRTC_KIND_VIDEO) {
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

static mprtc_capture_device *device_copy(const mprtc_capture_device *d) {
  mprtc_capture_device *copy = g_memdup2(d, sizeof *d);
  copy->id = g_strdup(d->id);
  copy->group_id = g_strdup(d->group_id);
  copy->label = g_strdup(d->label);
  copy->facing_mode = g_strdup(d->facing_mode);
  if (d->device) gst_object_ref(d->device);
  return copy;
}

mprtc_capture_device *mprtc_capture_device_of(mprtc_source *source) {
  g_mutex_lock(&captures_lock);
  capture *c = captures_by_source ? g_hash_table_lookup(captures_by_source, source) : NULL;
  mprtc_capture_device *d = c ? device_copy(c->device) : NULL;
  g_mutex_unlock(&captures_lock);
  return d;
}

bool mprtc_capture_reformat(mprtc_source *source, const mprtc_capture_settings *s) {
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

mprtc_source *mprtc_capture_open(const mprtc_capture_device *d, const mprtc_capture_settings *s,
                                 GError **error) {
  gboolean video = d->kind == MPRTC_KIND_VIDEO;
  GstElement *src = make_source_element(d);
  if (!src) {
    g_set_error(error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN, "cannot create a source for '%s'", d->label);
    return NULL;
  }
  capture *c = g_new0(capture, 1);
  c->device = device_copy(d);
  c->pipeline = gst_pipeline_new(NULL);
  GstElement *filter = gst_element_factory_make("capsfilter", NULL);
  GstCaps *caps = format_caps(d->kind, s);
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
  c->source = mprtc_source_new(d->kind, false, capture_stop, c);
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
  g_mutex_lock(&captures_lock);
  if (!captures_by_source) captures_by_source = g_hash_table_new(NULL, NULL);
  g_hash_table_insert(captures_by_source, c->source, c);
  g_mutex_unlock(&captures_lock);
  /* The caller's reference; c keeps the producer's until capture_stop. */
  return mprtc_source_ref(c->source);
}
