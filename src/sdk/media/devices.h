/* Capture devices: the built-in fake camera and microphone (always there) and real V4L2
 * cameras / PulseAudio microphones found by GStreamer's device monitor, and watching them come
 * and go.
 *
 * Thread rules: any thread. Watch callbacks run on a device provider's thread.
 */
#ifndef MPRTC_SDK_MEDIA_DEVICES_H
#define MPRTC_SDK_MEDIA_DEVICES_H

#include <gst/gst.h>
#include <stdbool.h>

#include "sdk/media/source.h"

#define MPRTC__FAKE_CAMERA_ID "mprtc-fake-camera"
#define MPRTC__FAKE_MICROPHONE_ID "mprtc-fake-microphone"

typedef struct {
  char *id;            /* stable for the device */
  char *group_id;
  mprtc__kind kind;
  char *label;
  char *facing_mode;   /* "user", "environment" or NULL */
  /* What it can do (video: size and rate; audio: rate and channels). */
  int min_width, max_width, min_height, max_height;
  double min_frame_rate, max_frame_rate;
  int sample_rate, max_channels;
  GstDevice *device;   /* NULL for the fake devices */
} mprtc__capture_device;

void mprtc__capture_device_free(mprtc__capture_device *d);
mprtc__capture_device *mprtc__capture_device_copy(const mprtc__capture_device *d);

/* Every device now present: the fake ones first. GPtrArray of mprtc__capture_device*, freeing
 * them. */
GPtrArray *mprtc__capture_devices(void);

/* Whether mprtc__capture_devices lists device (cameras and microphones, not the monitors of
 * audio outputs), and the stable ID it gives it (g_free it). */
bool mprtc__capture_device_listed(GstDevice *device);
char *mprtc__capture_device_id(GstDevice *device);

/* A listed device came (added) or went. Runs on a device provider's thread, with the watchers'
 * lock held: it must not block, nor watch or unwatch. device is borrowed. */
typedef void (*mprtc__device_change_fn)(GstDevice *device, bool added, void *data);

/* While any watch is held, the process's device monitor runs and fn(data) hears every change
 * from the return on (the devices already there are not announced). destroy (may be NULL) frees
 * data at mprtc__devices_unwatch. Returns the watch's id. */
guint mprtc__devices_watch(mprtc__device_change_fn fn, void *data, GDestroyNotify destroy);
/* fn does not run after this returns. */
void mprtc__devices_unwatch(guint id);

#endif
