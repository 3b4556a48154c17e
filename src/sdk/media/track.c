/* MediaStreamTrack on the SDK thread: a tap of a source (a device or a peer's media).
 *
 *   MediaStreamTrack.setEnabled  target, {enabled} -> null (disabled: black frames / silence)
 *   MediaStreamTrack.clone       target -> track description (a new tap of the same source)
 *   MediaStreamTrack.snapshot    target, {withData} -> the latest frame's facts (frames,
 *                                width, height, meanLuma, stamp {counter, captureTime},
 *                                receivedTime, latency {p50, p95, samples}, audioLevel, and with
 *                                withData the I420 / S16LE bytes attached)
 *   MediaStreamTrack.applyConstraints  target, {constraints} -> {settings}: the constraint
 *                                algorithm over the track's device, the current settings kept
 *                                where the constraints allow; when they change, the device's
 *                                format changes (or a clone gets a capture of its own). A peer's
 *                                track keeps its settings: constraints they meet are taken.
 *                                OverconstrainedError {constraint} (nothing changes), TypeError
 *   MediaStreamTrack.stop        target -> null (the device is released with its last track)
 * Events: ended {} when the source ends (device lost, peer gone).
 */
#include <gst/audio/audio.h>
#include <gst/video/video.h>

#include "sdk/media/media.h"
#include "sdk/media/renderer.h"

const char *mprtc__kind_name(mprtc__kind kind) { return kind == MPRTC__KIND_AUDIO ? "audio" : "video"; }

static void emit_ended(mprtc__object *obj, void *unused) {
  mprtc__renderers_track_gone(obj, TRUE);
  mprtc__object_emit(obj, "ended", json_object());
}

/* Source lock held, any thread: only posts. */
static void on_source_end(void *data) {
  mprtc__object *obj = data;
  mprtc__sdk_post(((mprtc__track *)obj->impl)->sdk, obj, emit_ended, NULL, NULL);
}

static void track_close(mprtc__object *obj) {
  mprtc__track *t = obj->impl;
  mprtc__renderers_track_gone(obj, FALSE); /* stop() told them already */
  /* After this no sink of the track runs and, with its last track, the device stops. */
  mprtc__tap_free(t->tap);
  t->tap = NULL;
}

static void track_finalize(void *impl) {
  mprtc__track *t = impl;
  g_free(t->label);
  if (t->settings) json_decref(t->settings);
  if (t->capabilities) json_decref(t->capabilities);
  g_free(t);
}

const mprtc__object_class mprtc__track_class = {"MediaStreamTrack", track_close, track_finalize};

mprtc__object *mprtc__track_new(mprtc__sdk *sdk, mprtc_app *app, mprtc__bridge *channel, mprtc__source *source,
                                const char *label, json_t *settings, json_t *capabilities) {
  mprtc__track *t = g_new0(mprtc__track, 1);
  t->sdk = sdk;
  t->kind = mprtc__source_kind(source);
  t->label = g_strdup(label);
  t->settings = settings;
  t->capabilities = capabilities;
  t->tap = mprtc__tap_new(source);
  t->obj = mprtc__registry_add(sdk->registry, app, channel, &mprtc__track_class, t);
  mprtc__tap_set_end_fn(t->tap, on_source_end, t->obj, NULL); /* the object outlives its tap */
  return t->obj;
}

json_t *mprtc__track_describe(mprtc__object *obj) {
  mprtc__track *t = obj->impl;
  return json_pack("{s:I,s:s,s:s,s:O?,s:O?}", "id", (json_int_t)obj->id, "kind", mprtc__kind_name(t->kind),
                   "label", t->label, "settings", t->settings, "capabilities", t->capabilities);
}

/* stop(): the renderers showing the track see it end; then it closes. */
static void stop(mprtc__call *call) {
  mprtc__renderers_track_gone(call->object, TRUE);
  mprtc__call_close_target(call);
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
                                         t->label, t->settings ? json_deep_copy(t->settings) : NULL,
                                         t->capabilities ? json_incref(t->capabilities) : NULL);
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

/* The format a track's settings give its device, compared. */
static gboolean same_format(mprtc__kind kind, const json_t *a, const json_t *b) {
  static const char *const video[] = {"width", "height", "frameRate", NULL}, *const audio[] = {"channelCount", NULL};
  for (const char *const *k = kind == MPRTC__KIND_VIDEO ? video : audio; *k; k++)
    if (!json_equal(json_object_get(a, *k), json_object_get(b, *k))) return FALSE;
  return TRUE;
}

/* applyConstraints: the capture delivers the new format. A track alone on its capture changes
 * it in place; one that shares it with clones gets a capture of its own, so that the clones keep
 * theirs. */
static void apply_constraints(mprtc__call *call) {
  static const char *const allowed[] = {"constraints", NULL};
  json_t *constraints = json_object_get(call->req.params, "constraints");
  if (!mprtc__call_only_members(call, allowed)) return;
  if (!json_is_object(constraints)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'constraints' must be a MediaTrackConstraints dictionary", call->req.method);
    return;
  }
  mprtc__track *t = call->object->impl;
  mprtc__source *source = mprtc__tap_source(t->tap);
  mprtc__capture_device *device = mprtc__capture_device_of(source);
  mprtc__constraint_error e;
  if (!device) {
    /* A peer's track: its settings are the peer's to choose. */
    json_t *none = json_object();
    int met = mprtc__check_settings(t->kind, constraints, t->settings ? t->settings : none, &e);
    json_decref(none);
    if (met < 0) mprtc__reject_constraint_error(call, &e);
    else mprtc__call_return(call, json_pack("{s:O?}", "settings", t->settings));
    return;
  }
  json_t *devices = json_pack("[o]", mprtc__describe_device(device, TRUE)), *settings = NULL;
  if (mprtc__select_settings(t->kind, constraints, devices, t->settings, &settings, &e) < 0) {
    mprtc__reject_constraint_error(call, &e);
  } else {
    GError *error = NULL;
    mprtc__source *own = NULL;
    mprtc__capture_settings format = mprtc__capture_settings_of(settings);
    if (t->settings && same_format(t->kind, settings, t->settings)) {
      /* Nothing the device delivers changes. */
    } else if (mprtc__source_tap_count(source) == 1) {
      mprtc__capture_reformat(source, &format);
    } else if ((own = mprtc__capture_open(device, &format, &error))) {
      mprtc__tap_move(t->tap, own);
    }
    if (error) {
      mprtc__call_reject(call, MPRTC_E_NOT_READABLE, "%s: %s", call->req.method, error->message);
      g_error_free(error);
    } else {
      if (t->settings) json_decref(t->settings);
      t->settings = json_incref(settings);
      mprtc__call_return(call, json_pack("{s:O}", "settings", settings));
    }
    if (own) mprtc__source_unref(own);
  }
  if (settings) json_decref(settings);
  json_decref(devices);
  mprtc__capture_device_free(device);
}

static const mprtc__method methods[] = {
    {"MediaStreamTrack.setEnabled", "MediaStreamTrack", set_enabled},
    {"MediaStreamTrack.clone", "MediaStreamTrack", clone_track},
    {"MediaStreamTrack.snapshot", "MediaStreamTrack", snapshot},
    {"MediaStreamTrack.applyConstraints", "MediaStreamTrack", apply_constraints},
    {"MediaStreamTrack.stop", "MediaStreamTrack", stop},
};

const mprtc__sdk_module mprtc__track_module = {.name = "track", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
