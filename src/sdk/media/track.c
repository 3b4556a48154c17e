/* MediaStreamTrack on the SDK thread: a tap of a source (a device or a peer's media).
 *
 *   MediaStreamTrack.setEnabled  target, {enabled} -> null (disabled: black frames / silence)
 *   MediaStreamTrack.clone       target -> track description (a new tap of the same source)
 *   MediaStreamTrack.snapshot    target, {withData} -> the latest frame's facts (frames,
 *                                width, height, meanLuma, stamp {counter, captureTime},
 *                                receivedTime, latency {p50, p95, samples}, audioLevel, and with
 *                                withData the I420 / S16LE bytes attached)
 *   MediaStreamTrack.applySettings  target, {width, height, frameRate | channelCount, settings}
 *                                -> track description (applyConstraints: the device's format
 *                                changes, or a clone gets a capture of its own)
 *   MediaStreamTrack.stop        target -> null (the device is released with its last track)
 * Events: ended {} when the source ends (device lost, peer gone).
 */
#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include "sdk/media/media.h"

const char *mprtc__kind_name(mprtc__kind kind) { return kind == MPRTC__KIND_AUDIO ? "audio" : "video"; }

static void emit_ended(mprtc__object *obj, void *unused) {
  mprtc__object_emit(obj, "ended", json_object());
}

/* Source lock held, any thread: only posts. */
static void on_source_end(void *data) {
  mprtc__object *obj = data;
  mprtc__sdk_post(((mprtc__track *)obj->impl)->sdk, obj, emit_ended, NULL, NULL);
}

static void track_close(mprtc__object *obj) {
  mprtc__track *t = obj->impl;
  /* After this no sink of the track runs and, with its last track, the device stops. */
  mprtc__tap_free(t->tap);
  t->tap = NULL;
}

static void track_finalize(void *impl) {
  mprtc__track *t = impl;
  g_free(t->label);
  if (t->settings) json_decref(t->settings);
  g_free(t);
}

const mprtc__object_class mprtc__track_class = {"MediaStreamTrack", track_close, track_finalize};

mprtc__object *mprtc__track_new(mprtc__sdk *sdk, mprtc_app *app, mprtc__bridge *channel, mprtc__source *source,
                                const char *label, json_t *settings) {
  mprtc__track *t = g_new0(mprtc__track, 1);
  t->sdk = sdk;
  t->kind = mprtc__source_kind(source);
  t->label = g_strdup(label);
  t->settings = settings;
  t->tap = mprtc__tap_new(source);
  t->obj = mprtc__registry_add(sdk->registry, app, channel, &mprtc__track_class, t);
  mprtc__tap_set_end_fn(t->tap, on_source_end, t->obj);
  return t->obj;
}

json_t *mprtc__track_describe(mprtc__object *obj) {
  mprtc__track *t = obj->impl;
  return json_pack("{s:I,s:s,s:s,s:O?}", "id", (json_int_t)obj->id, "kind", mprtc__kind_name(t->kind),
                   "label", t->label, "settings", t->settings);
}

static void set_enabled(mprtc__call *call) {
  static const char *const allowed[] = {"enabled", NULL};
  json_t *enabled = json_object_get(call->req.params, "enabled");
  if (!mprtc__call_only_members(call, allowed)) return;
  if (!json_is_boolean(enabled)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'enabled' must be a boolean", call->req.method);
    return;
  }
  mprtc__tap_set_enabled(((mprtc__track *)call->object->impl)->tap, json_is_true(enabled));
  mprtc__call_return(call, NULL);
}

static void clone_track(mprtc__call *call) {
  mprtc__track *t = call->object->impl;
  mprtc__object *copy = mprtc__track_new(call->sdk, call->app, call->channel, mprtc__tap_source(t->tap),
                                         t->label, t->settings ? json_deep_copy(t->settings) : NULL);
  mprtc__call_return(call, mprtc__track_describe(copy));
}

/* Mean of the luma plane: tells a black (disabled) picture from a live one. */
static double mean_luma(GstVideoFrame *frame) {
  const guint8 *y = GST_VIDEO_FRAME_PLANE_DATA(frame, 0);
  int stride = GST_VIDEO_FRAME_PLANE_STRIDE(frame, 0);
  int w = GST_VIDEO_FRAME_WIDTH(frame), h = GST_VIDEO_FRAME_HEIGHT(frame);
  guint64 sum = 0;
  for (int r = 0; r < h; r++)
    for (int c = 0; c < w; c++) sum += y[r * stride + c];
  return w && h ? (double)sum / ((double)w * h) : 0;
}

/* Size, mean luma and the frame stamp (media/barcode.h) if the picture carries one. */
static void add_picture_facts(json_t *out, GstSample *sample) {
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buf = gst_sample_get_buffer(sample);
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) ||
      !gst_video_frame_map(&frame, &info, buf, GST_MAP_READ))
    return;
  json_object_set_new(out, "width", json_integer(info.width));
  json_object_set_new(out, "height", json_integer(info.height));
  json_object_set_new(out, "format", json_string(gst_video_format_to_string(info.finfo->format)));
  if (info.fps_n > 0 && info.fps_d > 0) json_object_set_new(out, "frameRate", json_real((double)info.fps_n / info.fps_d));
  json_object_set_new(out, "meanLuma", json_real(mean_luma(&frame)));
  mprtc__barcode stamp;
  if (mprtc__barcode_read(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                         info.width, info.height, &stamp))
    json_object_set_new(out, "stamp", json_pack("{s:I,s:I}", "counter", (json_int_t)stamp.counter,
                                                "captureTime", (json_int_t)stamp.time_us));
  gst_video_frame_unmap(&frame);
}

typedef struct {
  GstBuffer *buffer;
  GstMapInfo map;
} mapped_buffer;

static void unmap_buffer(gpointer p) {
  mapped_buffer *m = p;
  gst_buffer_unmap(m->buffer, &m->map);
  gst_buffer_unref(m->buffer);
  g_free(m);
}

/* The sample's bytes as they are, mapped for as long as the bytes live: they cross the bridge
 * beside the reply without a copy. */
static GBytes *sample_bytes(GstSample *sample) {
  mapped_buffer *m = g_new(mapped_buffer, 1);
  m->buffer = gst_buffer_ref(gst_sample_get_buffer(sample));
  if (!gst_buffer_map(m->buffer, &m->map, GST_MAP_READ)) {
    gst_buffer_unref(m->buffer);
    g_free(m);
    return NULL;
  }
  return g_bytes_new_with_free_func(m->map.data, m->map.size, unmap_buffer, m);
}

static void snapshot(mprtc__call *call) {
  static const char *const allowed[] = {"withData", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "withData", JSON_TRUE)) return;
  gboolean with_data = json_is_true(json_object_get(call->req.params, "withData"));
  mprtc__track *t = call->object->impl;
  mprtc__tap_snapshot s;
  mprtc__tap_snapshot_get(t->tap, &s);
  json_t *out = json_pack("{s:I,s:I}", "frames", (json_int_t)s.frames, "receivedTime", (json_int_t)s.received_us);
  if (t->kind == MPRTC__KIND_AUDIO) json_object_set_new(out, "audioLevel", json_real(s.audio_level));
  if (s.latest && t->kind == MPRTC__KIND_VIDEO) add_picture_facts(out, s.latest);
  GBytes *data = s.latest && with_data ? sample_bytes(s.latest) : NULL;
  if (s.stamps_read)
    json_object_set_new(out, "latency", json_pack("{s:f,s:f,s:I}", "p50", s.latency_p50_ms, "p95",
                                                  s.latency_p95_ms, "samples", (json_int_t)s.stamps_read));
  if (s.latest) gst_sample_unref(s.latest);
  mprtc__call_return_bytes(call, out, data);
}

/* applyConstraints with new settings: the capture delivers the new format. A track alone on its
 * capture changes it in place; one that shares it with clones gets a capture of its own, so
 * that the clones keep theirs. */
static void apply_settings(mprtc__call *call) {
  static const char *const allowed[] = {"width", "height", "frameRate", "channelCount", "settings", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  if (!json_is_object(json_object_get(call->req.params, "settings"))) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'settings' (the W3C settings the format gives) is required", call->req.method);
    return;
  }
  mprtc__track *t = call->object->impl;
  mprtc__source *source = mprtc__tap_source(t->tap);
  mprtc__capture_device *device = mprtc__capture_device_of(source);
  mprtc__capture_settings settings;
  if (!device) {
    mprtc__call_reject_overconstrained(call, "deviceId", "%s: the track's source is not a device: its format cannot change",
                                       call->req.method);
  } else if (mprtc__capture_settings_param(call, device, &settings)) {
    GError *error = NULL;
    mprtc__source *own = NULL;
    if (mprtc__source_tap_count(source) == 1) mprtc__capture_reformat(source, &settings);
    else if ((own = mprtc__capture_open(device, &settings, &error))) mprtc__tap_move(t->tap, own);
    if (error) {
      mprtc__call_reject(call, MPRTC_E_NOT_READABLE, "%s: %s", call->req.method, error->message);
      g_error_free(error);
    } else {
      if (t->settings) json_decref(t->settings);
      t->settings = json_incref(json_object_get(call->req.params, "settings"));
      mprtc__call_return(call, mprtc__track_describe(call->object));
    }
    if (own) mprtc__source_unref(own);
  }
  mprtc__capture_device_free(device);
}

static void stop(mprtc__call *call) {
  mprtc__registry_close(call->sdk->registry, call->object);
  mprtc__call_return(call, NULL);
}

static const mprtc__method methods[] = {
    {"MediaStreamTrack.setEnabled", "MediaStreamTrack", set_enabled},
    {"MediaStreamTrack.clone", "MediaStreamTrack", clone_track},
    {"MediaStreamTrack.snapshot", "MediaStreamTrack", snapshot},
    {"MediaStreamTrack.applySettings", "MediaStreamTrack", apply_settings},
    {"MediaStreamTrack.stop", "MediaStreamTrack", stop},
};

const mprtc__sdk_module mprtc__track_module = {.name = "track", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
