/* navigator.mediaDevices on the SDK thread: the devices, the constraint algorithm
 * (src/sdk/media/constraints.c), the permission check and opening devices as tracks of a stream.
 *
 *   MediaDevices.enumerate     {} -> {devices: [{deviceId, kind, label, groupId, capabilities}]}
 *                              (labels empty until the app is granted that kind)
 *   MediaDevices.getUserMedia  {audio?, video?: true | MediaTrackConstraints} -> {stream: {id,
 *                              streamId}, tracks: [track description]}: the best device of each
 *                              kind asked, the host's permission, the devices opened and a
 *                              MediaStream registered under its ID, all in one call: the stream
 *                              exists when the promise resolves. TypeError, NotFoundError,
 *                              OverconstrainedError {constraint}, NotAllowedError,
 *                              NotReadableError otherwise, and nothing is left open.
 *   MediaDevices.watch         {} -> {id}: an object of class MediaDevices that sends devicechange
 *                              {} when a camera or microphone comes or goes (until it is closed,
 *                              with MediaDevices.close or the app)
 */
#include <string.h>

#include "sdk/media/capture.h"
#include "sdk/media/constraints.h"
#include "sdk/media/media.h"

extern const mprtc__sdk_module mprtc__mediadevices_module;

static const char *permission_of(mprtc__kind kind) {
  return kind == MPRTC__KIND_VIDEO ? "camera" : "microphone";
}

static json_t *range(double lo, double hi) { return json_pack("{s:f,s:f}", "min", lo, "max", hi); }

json_t *mprtc__describe_device(const mprtc__capture_device *d, gboolean with_label) {
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

/* Every device now, described (labels when the app may see them). */
static json_t *device_list(mprtc_app *app) {
  GPtrArray *devices = mprtc__capture_devices();
  json_t *list = json_array();
  for (guint i = 0; i < devices->len; i++) {
    mprtc__capture_device *d = devices->pdata[i];
    json_array_append_new(list, mprtc__describe_device(d, mprtc__permission_granted(app, permission_of(d->kind))));
  }
  g_ptr_array_unref(devices);
  return list;
}

static void enumerate(mprtc__call *call) {
  static const char *const allowed[] = {NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  mprtc__call_return(call, json_pack("{s:o}", "devices", device_list(call->app)));
}

gboolean mprtc__reject_constraint_error(mprtc__call *call, mprtc__constraint_error *e) {
  if (e->err == MPRTC_E_OVERCONSTRAINED)
    mprtc__call_reject_overconstrained(call, e->constraint, "%s: %s", call->req.method, e->message);
  else
    mprtc__call_reject(call, e->err, "%s: %s", call->req.method, e->message);
  mprtc__constraint_error_clear(e);
  return FALSE;
}

mprtc__capture_settings mprtc__capture_settings_of(const json_t *settings) {
  const json_t *rate = json_object_get(settings, "frameRate"), *channels = json_object_get(settings, "channelCount");
  return (mprtc__capture_settings){(int)json_number_value(json_object_get(settings, "width")),
                                   (int)json_number_value(json_object_get(settings, "height")),
                                   rate ? json_number_value(rate) : 30, channels ? (int)json_number_value(channels) : 1};
}

/* One getUserMedia: what was chosen for each kind, then opened once the host granted it. */
typedef struct {
  mprtc__call *call;
  json_t *chosen[2];  /* per mprtc__kind: {device, settings} (device: its description), or NULL */
  const char *permissions[3];
} user_media;

static void user_media_free(user_media *um) {
  for (int k = 0; k < 2; k++)
    if (um->chosen[k]) json_decref(um->chosen[k]);
  g_free(um);
}

/* The device of description desc, if it is still there (free with mprtc__capture_device_free). */
static mprtc__capture_device *find_device(const json_t *desc) {
  const char *id = json_string_value(json_object_get(desc, "deviceId"));
  GPtrArray *devices = mprtc__capture_devices();
  mprtc__capture_device *found = NULL;
  for (guint i = 0; i < devices->len && !found; i++)
    if (strcmp(((mprtc__capture_device *)devices->pdata[i])->id, id) == 0)
      found = mprtc__capture_device_copy(devices->pdata[i]);
  g_ptr_array_unref(devices);
  return found;
}

/* The host answered: open what was chosen, as tracks of a new stream. */
static void user_media_permitted(const char *denied, void *data) {
  user_media *um = data;
  mprtc__call *call = um->call;
  if (denied) {
    mprtc__call_reject(call, MPRTC_E_NOT_ALLOWED, "Permission denied: the user has not let the app use the %s", denied);
    user_media_free(um);
    return;
  }
  GPtrArray *tracks = g_ptr_array_new();
  char *problem = NULL;
  int err = 0;
  /* Audio first, then video: the order of a browser's getTracks(). */
  for (int k = MPRTC__KIND_AUDIO; k <= MPRTC__KIND_VIDEO && !problem; k++) {
    if (!um->chosen[k]) continue;
    json_t *desc = json_object_get(um->chosen[k], "device"), *settings = json_object_get(um->chosen[k], "settings");
    mprtc__capture_device *device = find_device(desc);
    mprtc__capture_settings format = mprtc__capture_settings_of(settings);
    GError *error = NULL;
    mprtc__source *source = NULL;
    if (!device) {
      err = MPRTC_E_NOT_FOUND;
      problem = g_strdup_printf("the %s went away", permission_of(k));
    } else if (!(source = mprtc__capture_open(device, &format, &error))) {
      err = MPRTC_E_NOT_READABLE;
      problem = g_strdup(error->message);
      g_error_free(error);
    } else {
      json_t *caps = json_deep_copy(json_object_get(desc, "capabilities"));
      json_object_set(caps, "deviceId", json_object_get(desc, "deviceId"));
      json_object_set(caps, "groupId", json_object_get(desc, "groupId"));
      g_ptr_array_add(tracks, mprtc__track_new(call->sdk, call->app, call->channel, source, device->label,
                                               json_incref(settings), caps));
      mprtc__source_unref(source);
    }
    mprtc__capture_device_free(device);
  }
  if (problem) {
    /* Nothing is left open: the devices opened so far close with their tracks. */
    for (guint i = 0; i < tracks->len; i++) mprtc__registry_close(call->sdk->registry, tracks->pdata[i]);
    mprtc__call_reject(call, err, "%s: %s", call->req.method, problem);
    g_free(problem);
  } else {
    mprtc__object *stream = mprtc__stream_new(call->sdk, call->app, call->channel, NULL);
    json_t *list = json_array();
    for (guint i = 0; i < tracks->len; i++) {
      mprtc__stream_add_track(stream, tracks->pdata[i]);
      json_array_append_new(list, mprtc__track_describe(tracks->pdata[i]));
    }
    mprtc__call_return(call, json_pack("{s:{s:I,s:s},s:o}", "stream", "id", (json_int_t)stream->id, "streamId",
                                       ((mprtc__stream *)stream->impl)->stream_id, "tracks", list));
  }
  g_ptr_array_unref(tracks);
  user_media_free(um);
}

/* audio / video of getUserMedia: absent or false (not asked), true, or constraints. */
static gboolean wanted_param(mprtc__call *call, const char *kind, json_t **out) {
  json_t *v = json_object_get(call->req.params, kind);
  *out = NULL;
  if (!v || json_is_false(v)) return TRUE;
  if (json_is_true(v) || json_is_object(v)) {
    *out = v;
    return TRUE;
  }
  mprtc__call_reject(call, MPRTC_E_INVAL, "%s: %s must be a boolean or a MediaTrackConstraints dictionary",
                     call->req.method, kind);
  return FALSE;
}

static void get_user_media(mprtc__call *call) {
  static const char *const allowed[] = {"audio", "video", NULL};
  json_t *wanted[2];
  if (!mprtc__call_only_members(call, allowed) || !wanted_param(call, "audio", &wanted[MPRTC__KIND_AUDIO]) ||
      !wanted_param(call, "video", &wanted[MPRTC__KIND_VIDEO]))
    return;
  if (!wanted[MPRTC__KIND_AUDIO] && !wanted[MPRTC__KIND_VIDEO]) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: At least one of audio and video must be requested", call->req.method);
    return;
  }
  /* The devices are chosen before the user is asked: constraints no device meets, or no device
   * at all, fail without a prompt (mediacapture-main §9.2 getUserMedia). */
  json_t *devices = device_list(call->app);
  user_media *um = g_new0(user_media, 1);
  um->call = call;
  int n = 0;
  for (int k = MPRTC__KIND_AUDIO; k <= MPRTC__KIND_VIDEO; k++) {
    if (!wanted[k]) continue;
    json_t *settings;
    mprtc__constraint_error e;
    int chosen = mprtc__select_settings(k, wanted[k], devices, NULL, &settings, &e);
    if (chosen < 0) {
      json_decref(devices);
      user_media_free(um);
      mprtc__reject_constraint_error(call, &e);
      return;
    }
    um->chosen[k] = json_pack("{s:O,s:o}", "device", json_array_get(devices, chosen), "settings", settings);
    um->permissions[n++] = permission_of(k);
  }
  json_decref(devices);
  mprtc__permission_check(call->sdk, call->app, um->permissions, user_media_permitted, um);
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
  if (w->watchers->len == 0) w->watch = mprtc__devices_watch(on_devices_changed, w, NULL);
  g_ptr_array_add(w->watchers, obj);
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)obj->id));
}

static const mprtc__method methods[] = {
    {"MediaDevices.enumerate", NULL, enumerate},
    {"MediaDevices.getUserMedia", NULL, get_user_media},
    {"MediaDevices.watch", NULL, watch},
    {"MediaDevices.close", "MediaDevices", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__mediadevices_module = {
    .name = "mediadevices", .methods = methods, .n_methods = G_N_ELEMENTS(methods),
    .init = watchers_init, .shutdown = watchers_shutdown};
