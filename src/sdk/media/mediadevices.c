/* navigator.mediaDevices on the SDK thread: the devices, the permission check and opening a
 * device as a track. The constraint algorithm (which device, which settings) runs in JS
 * (src/baselib/mediadevices.js) over the capabilities given here.
 *
 *   MediaDevices.enumerate  {} -> {devices: [{deviceId, kind, label, groupId, capabilities}]}
 *                           (labels empty until the app is granted that kind)
 *   MediaDevices.request    {audio, video} -> {devices} once the host granted what is asked;
 *                           NotAllowedError otherwise
 *   MediaDevices.open       {deviceId, width, height, frameRate | channelCount, settings}
 *                           -> track description {id, kind, label, settings}
 *   MediaDevices.watch      {} -> {id}: an object of class MediaDevices that sends devicechange
 *                           {} when a camera or microphone comes or goes (until it is closed,
 *                           with MediaDevices.close or the app)
 */
#include <string.h>

#include "sdk/media/capture.h"
#include "sdk/media/media.h"

extern const mprtc__sdk_module mprtc__mediadevices_module;

static const char *permission_of(mprtc__kind kind) {
  return kind == MPRTC__KIND_VIDEO ? "camera" : "microphone";
}

static json_t *range(double lo, double hi) { return json_pack("{s:f,s:f}", "min", lo, "max", hi); }

static json_t *describe_device(const mprtc__capture_device *d, gboolean with_label) {
  json_t *caps;
  if (d->kind == MPRTC__KIND_VIDEO) {
    caps = json_pack("{s:o,s:o,s:o,s:o,s:[s?]}", "width", range(d->min_width, d->max_width), "height",
                     range(d->min_height, d->max_height), "frameRate", range(d->min_frame_rate, d->max_frame_rate),
                     "aspectRatio", range((double)d->min_width / d->max_height, (double)d->max_width / d->min_height),
                     "facingMode", d->facing_mode);
  } else {
    caps = json_pack("{s:o,s:o,s:o}", "sampleRate", range(d->sample_rate, d->sample_rate), "channelCount",
                     range(1, d->max_channels), "sampleSize", range(16, 16));
  }
  return json_pack("{s:s,s:s,s:s,s:s,s:o}", "deviceId", d->id, "kind",
                   d->kind == MPRTC__KIND_VIDEO ? "videoinput" : "audioinput", "label", with_label ? d->label : "",
                   "groupId", d->group_id, "capabilities", caps);
}

static json_t *device_list(mprtc__call *call) {
  GPtrArray *devices = mprtc__capture_devices();
  json_t *list = json_array();
  for (guint i = 0; i < devices->len; i++) {
    mprtc__capture_device *d = devices->pdata[i];
    gboolean granted = mprtc__permission_granted(call->app, permission_of(d->kind));
    json_array_append_new(list, describe_device(d, granted));
  }
  g_ptr_array_unref(devices);
  return json_pack("{s:o}", "devices", list);
}

static void enumerate(mprtc__call *call) {
  static const char *const allowed[] = {NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  mprtc__call_return(call, device_list(call));
}

static void request_answered(const char *denied, void *data) {
  mprtc__call *call = data;
  if (denied) {
    mprtc__call_reject(call, MPRTC_E_NOT_ALLOWED, "Permission denied: the user has not let the app use the %s", denied);
    return;
  }
  mprtc__call_return(call, device_list(call));
}

static void request(mprtc__call *call) {
  static const char *const allowed[] = {"audio", "video", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "audio", JSON_TRUE) ||
      !mprtc__call_typed_param(call, "video", JSON_TRUE))
    return;
  const char *permissions[3] = {NULL};
  int n = 0;
  if (json_is_true(json_object_get(call->req.params, "video"))) permissions[n++] = "camera";
  if (json_is_true(json_object_get(call->req.params, "audio"))) permissions[n++] = "microphone";
  if (n == 0) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: ask for audio, video or both", call->req.method);
    return;
  }
  mprtc__permission_check(call->sdk, call->app, permissions, request_answered, call);
}

gboolean mprtc__capture_settings_param(mprtc__call *call, const mprtc__capture_device *device,
                                       mprtc__capture_settings *out) {
  json_int_t width = 0, height = 0, channels = 1;
  json_t *rate = json_object_get(call->req.params, "frameRate");
  if (!mprtc__call_typed_param(call, "settings", JSON_OBJECT) ||
      !mprtc__call_int_param(call, "width", 1, 16384, &width) ||
      !mprtc__call_int_param(call, "height", 1, 16384, &height) ||
      !mprtc__call_int_param(call, "channelCount", 1, 2, &channels))
    return FALSE;
  if (rate && !json_is_number(rate)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'frameRate' must be a number", call->req.method);
    return FALSE;
  }
  *out = (mprtc__capture_settings){(int)width, (int)height, rate ? json_number_value(rate) : 30, (int)channels};
  const char *outside = NULL;
  if (device->kind == MPRTC__KIND_VIDEO) {
    if (width < device->min_width || width > device->max_width) outside = "width";
    else if (height < device->min_height || height > device->max_height) outside = "height";
    else if (!(out->frame_rate >= device->min_frame_rate) || out->frame_rate > device->max_frame_rate) outside = "frameRate";
  }
  if (outside) {
    mprtc__call_reject_overconstrained(call, outside, "%s: %dx%d@%g is outside what '%s' can do",
                                       call->req.method, (int)width, (int)height, out->frame_rate, device->label);
    return FALSE;
  }
  if (device->kind == MPRTC__KIND_AUDIO && channels > device->max_channels) {
    mprtc__call_reject_overconstrained(call, "channelCount", "%s: '%s' has at most %d channels", call->req.method,
                                       device->label, device->max_channels);
    return FALSE;
  }
  return TRUE;
}

static void open_device(mprtc__call *call) {
  static const char *const allowed[] = {"deviceId", "width", "height", "frameRate", "channelCount", "settings", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "deviceId", JSON_STRING)) return;
  const char *id = json_string_value(json_object_get(call->req.params, "deviceId"));
  if (!id) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'deviceId' must be a string", call->req.method);
    return;
  }
  GPtrArray *devices = mprtc__capture_devices();
  mprtc__capture_device *device = NULL;
  for (guint i = 0; i < devices->len && !device; i++)
    if (strcmp(((mprtc__capture_device *)devices->pdata[i])->id, id) == 0) device = devices->pdata[i];
  mprtc__capture_settings settings;
  if (!device) {
    mprtc__call_reject(call, MPRTC_E_NOT_FOUND, "%s: no device '%s'", call->req.method, id);
  } else if (!mprtc__permission_granted(call->app, permission_of(device->kind))) {
    mprtc__call_reject(call, MPRTC_E_NOT_ALLOWED, "%s: the app may not use the %s", call->req.method,
                       permission_of(device->kind));
  } else if (mprtc__capture_settings_param(call, device, &settings)) {
    GError *error = NULL;
    mprtc__source *source = mprtc__capture_open(device, &settings, &error);
    if (!source) {
      mprtc__call_reject(call, MPRTC_E_NOT_READABLE, "%s: %s", call->req.method, error->message);
      g_error_free(error);
    } else {
      json_t *s = json_object_get(call->req.params, "settings");
      mprtc__object *track = mprtc__track_new(call->sdk, call->app, call->channel, source, device->label,
                                              s ? json_incref(s) : NULL);
      mprtc__source_unref(source);
      mprtc__call_return(call, mprtc__track_describe(track));
    }
  }
  g_ptr_array_unref(devices);
}

/* ---- devicechange ---------------------------------------------------------------------------- */

/* The module's state: the watch objects of every app, and the one device watch they share. */
typedef struct {
  mprtc__sdk *sdk;
  GPtrArray *watchers; /* mprtc__object* of class MediaDevices (borrowed: the registry holds them) */
  guint watch;         /* mprtc__devices_watch while there are watchers */
} watchers;

static void watchers_init(mprtc__sdk *sdk, void **state) {
  watchers *w = g_new0(watchers, 1);
  w->sdk = sdk;
  w->watchers = g_ptr_array_new();
  *state = w;
}

/* Every watch object is closed by now, and with the last one the device watch stopped. */
static void watchers_shutdown(mprtc__sdk *sdk, void *state) {
  watchers *w = state;
  g_ptr_array_unref(w->watchers);
  g_free(w);
}

static void emit_devicechange(mprtc__object *unused, void *state) {
  watchers *w = state;
  for (guint i = 0; i < w->watchers->len; i++) mprtc__object_emit(w->watchers->pdata[i], "devicechange", json_object());
}

/* A device provider's thread: only posts. */
static void on_devices_changed(GstDevice *device, bool added, void *state) {
  watchers *w = state;
  mprtc__sdk_post(w->sdk, NULL, emit_devicechange, w, NULL);
}

static void watch_close(mprtc__object *obj) {
  watchers *w = obj->impl;
  if (g_ptr_array_remove(w->watchers, obj) && w->watchers->len == 0) {
    mprtc__devices_unwatch(w->watch);
    w->watch = 0;
  }
}

/* impl is the module's state, not the object's: nothing to free. */
static const mprtc__object_class watch_class = {"MediaDevices", watch_close, NULL};

/* The SDK watches the devices while an app does: one watch for all of them. */
static void watch(mprtc__call *call) {
  static const char *const allowed[] = {NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  watchers *w = mprtc__sdk_module_state(call->sdk, &mprtc__mediadevices_module);
  mprtc__object *obj = mprtc__call_new_object(call, &watch_class, w);
  if (w->watchers->len == 0) w->watch = mprtc__devices_watch(on_devices_changed, w);
  g_ptr_array_add(w->watchers, obj);
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)obj->id));
}

static void close_watch(mprtc__call *call) {
  mprtc__registry_close(call->sdk->registry, call->object);
  mprtc__call_return(call, NULL);
}

static const mprtc__method methods[] = {
    {"MediaDevices.enumerate", NULL, enumerate},
    {"MediaDevices.request", NULL, request},
    {"MediaDevices.open", NULL, open_device},
    {"MediaDevices.watch", NULL, watch},
    {"MediaDevices.close", "MediaDevices", close_watch},
};

const mprtc__sdk_module mprtc__mediadevices_module = {
    .name = "mediadevices", .methods = methods, .n_methods = G_N_ELEMENTS(methods),
    .init = watchers_init, .shutdown = watchers_shutdown};
