/* Capture devices: see devices.h. */
#include "sdk/media/devices.h"

#include <string.h>

void mprtc__capture_device_free(mprtc__capture_device *d) {
  if (!d) return;
  g_free(d->id);
  g_free(d->group_id);
  g_free(d->label);
  g_free(d->facing_mode);
  if (d->device) gst_object_unref(d->device);
  g_free(d);
}

static mprtc__capture_device *fake_camera(void) {
  mprtc__capture_device *d = g_new0(mprtc__capture_device, 1);
  d->id = g_strdup(MPRTC__FAKE_CAMERA_ID);
  d->group_id = g_strdup("mprtc-fake-devices");
  d->kind = MPRTC__KIND_VIDEO;
  d->label = g_strdup("mprtc fake camera (test pattern)");
  d->facing_mode = g_strdup("user");
  d->min_width = 64, d->max_width = 1920;
  d->min_height = 40, d->max_height = 1080;
  d->min_frame_rate = 1, d->max_frame_rate = 60;
  return d;
}

static mprtc__capture_device *fake_microphone(void) {
  mprtc__capture_device *d = g_new0(mprtc__capture_device, 1);
  d->id = g_strdup(MPRTC__FAKE_MICROPHONE_ID);
  d->group_id = g_strdup("mprtc-fake-devices");
  d->kind = MPRTC__KIND_AUDIO;
  d->label = g_strdup("mprtc fake microphone (440 Hz tone)");
  d->sample_rate = 48000;
  d->max_channels = 2;
  return d;
}

/* A stable ID for a real device: a hash of what names it (its class and display name and, for
 * V4L2, its node), so that the same camera keeps its ID across runs. */
char *mprtc__capture_device_id(GstDevice *device) {
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

static mprtc__capture_device *real_device(GstDevice *device) {
  mprtc__capture_device *d = g_new0(mprtc__capture_device, 1);
  d->device = gst_object_ref(device);
  d->id = mprtc__capture_device_id(device);
  d->group_id = g_strdup(d->id);
  d->label = gst_device_get_display_name(device);
  d->kind = gst_device_has_classes(device, "Video") ? MPRTC__KIND_VIDEO : MPRTC__KIND_AUDIO;
  /* Converters and scalers sit behind every device, so any size and rate can be given. */
  d->min_width = 64, d->max_width = 1920;
  d->min_height = 40, d->max_height = 1080;
  d->min_frame_rate = 1, d->max_frame_rate = 60;
  d->sample_rate = 48000;
  d->max_channels = 2;
  return d;
}

bool mprtc__capture_device_listed(GstDevice *device) {
  if (!gst_device_has_classes(device, "Video/Source") && !gst_device_has_classes(device, "Audio/Source")) return false;
  /* PulseAudio lists the monitors of its outputs as sources: not microphones. */
  GstStructure *props = gst_device_get_properties(device);
  const char *pclass = props ? gst_structure_get_string(props, "device.class") : NULL;
  bool monitor_source = pclass && strcmp(pclass, "monitor") == 0;
  if (props) gst_structure_free(props);
  return !monitor_source;
}

mprtc__capture_device *mprtc__capture_device_copy(const mprtc__capture_device *d) {
  mprtc__capture_device *copy = g_memdup2(d, sizeof *d);
  copy->id = g_strdup(d->id);
  copy->group_id = g_strdup(d->group_id);
  copy->label = g_strdup(d->label);
  copy->facing_mode = g_strdup(d->facing_mode);
  if (d->device) gst_object_ref(d->device);
  return copy;
}

/* ---- the device monitor ---------------------------------------------------------------------
 *
 * One for the process. GStreamer 1.22's device providers are singletons whose bus forwards to
 * the monitor made last (one sync handler): a second monitor, even a short-lived one for a
 * listing, would silence the first. It runs for a listing, or for as long as someone watches.
 * Its own bus has a sync handler that hands the changes to the watchers at once, on the
 * provider's thread (nobody pops that bus).
 *
 * Locks: monitor_lock guards the monitor, its start and stop and the watch count;
 * watchers_lock the callbacks, and is held while they run. Never both: stopping the monitor
 * waits for the provider's thread, which may be delivering a change. */
static GMutex monitor_lock;
static GstDeviceMonitor *monitor;
static int watch_count;

typedef struct {
  guint id;
  mprtc__device_change_fn fn;
  void *data;
  GDestroyNotify destroy;
} watcher;

static GMutex watchers_lock;
static GArray *watchers; /* watcher */
static guint next_watcher = 1;

static GstBusSyncReply on_monitor_message(GstBus *bus, GstMessage *msg, gpointer unused) {
  GstDevice *device = NULL;
  gboolean added = GST_MESSAGE_TYPE(msg) == GST_MESSAGE_DEVICE_ADDED;
  if (added) gst_message_parse_device_added(msg, &device);
  else if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_DEVICE_REMOVED) gst_message_parse_device_removed(msg, &device);
  if (device && mprtc__capture_device_listed(device)) {
    g_mutex_lock(&watchers_lock);
    for (guint i = 0; watchers && i < watchers->len; i++) {
      watcher *w = &g_array_index(watchers, watcher, i);
      w->fn(device, added, w->data);
    }
    g_mutex_unlock(&watchers_lock);
  }
  if (device) gst_object_unref(device);
  return GST_BUS_DROP;
}

/* monitor_lock held. */
static GstDeviceMonitor *the_monitor(void) {
  if (!monitor) {
    monitor = gst_device_monitor_new();
    gst_device_monitor_add_filter(monitor, "Video/Source", NULL);
    gst_device_monitor_add_filter(monitor, "Audio/Source", NULL);
    GstBus *bus = gst_device_monitor_get_bus(monitor);
    gst_bus_set_sync_handler(bus, on_monitor_message, NULL, NULL);
    gst_object_unref(bus);
  }
  return monitor;
}

guint mprtc__devices_watch(mprtc__device_change_fn fn, void *data, GDestroyNotify destroy) {
  g_mutex_lock(&monitor_lock);
  /* No provider at all (none installed) is not an error: nothing will change. The devices
   * there already are announced while it starts: before the callback is in. */
  if (watch_count++ == 0) gst_device_monitor_start(the_monitor());
  g_mutex_unlock(&monitor_lock);
  g_mutex_lock(&watchers_lock);
  if (!watchers) watchers = g_array_new(FALSE, FALSE, sizeof(watcher));
  watcher w = {next_watcher++, fn, data, destroy};
  g_array_append_val(watchers, w);
  g_mutex_unlock(&watchers_lock);
  return w.id;
}

void mprtc__devices_unwatch(guint id) {
  watcher gone = {0};
  g_mutex_lock(&watchers_lock);
  for (guint i = 0; watchers && i < watchers->len; i++)
    if (g_array_index(watchers, watcher, i).id == id) {
      gone = g_array_index(watchers, watcher, i);
      g_array_remove_index(watchers, i--);
    }
  g_mutex_unlock(&watchers_lock);
  if (gone.destroy) gone.destroy(gone.data);
  g_mutex_lock(&monitor_lock);
  if (watch_count > 0 && --watch_count == 0) gst_device_monitor_stop(monitor);
  g_mutex_unlock(&monitor_lock);
}

GPtrArray *mprtc__capture_devices(void) {
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)mprtc__capture_device_free);
  g_ptr_array_add(out, fake_camera());
  g_ptr_array_add(out, fake_microphone());
  g_mutex_lock(&monitor_lock);
  GstDeviceMonitor *m = the_monitor();
  /* Without watchers, start + get_devices probes once: no monitoring is left running. */
  gboolean probe = watch_count == 0;
  if (!probe || gst_device_monitor_start(m)) {
    GList *devices = gst_device_monitor_get_devices(m);
    for (GList *l = devices; l; l = l->next)
      if (mprtc__capture_device_listed(l->data)) g_ptr_array_add(out, real_device(l->data));
    g_list_free_full(devices, gst_object_unref);
    if (probe) gst_device_monitor_stop(m);
  }
  g_mutex_unlock(&monitor_lock);
  return out;
}

