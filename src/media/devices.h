/* Capture devices: the built-in fake camera and microphone (always there) and real V4L2
 * cameras / PulseAudio microphones found by GStreamer's device monitor, and watching them come
 * and go.
 *
 * Thread rules: any thread. Watch callbacks run on a device provider's thread.
 */
#ifndef MPRTC_MEDIA_DEVICES_H
#define MPRTC_MEDIA_DEVICES_H

#include <gst/gst.h>
#include <stdbool.h>

#include "media/source.h"

#define MPRTC_FAKE_CAMERA_ID "mprtc-fake-camera"
#define MPRTC_FAKE_MICROPHONE_ID "mprtc-fake-microphone"

typedef struct {
  char *id;            /* stable for the device */
  char *group_id;
  mprtc_kind kind;
  char *label;
  char *facing_mode;   /* "user", "environment" or NULL */
  /* What it can do (video: size and rate; audio: rate and channels). */
  int min_width, max_width, min_height, max_height;
  double min_frame_rate, max_frame_rate;
  int sample_rate, max_channels;
  GstDevice *device;   /* NULL for the fake devices */
} mprtc_capture_device;

void mprtc_capture_device_free(mprtc_capture_device *d);
mprtc_capture_device *mprtc_capture_device_copy(const mprtc_capture_device *d);

/* Every device now present: the fake ones first. GPtrArray of mprtc_capture_device*, freeing
 * them. */
GPtrArray *mprtc_capture_devices(void);

/* Whether mprtc_capture_devices lists device (cameras and microphones, not the monitors of
 * audio outputs), and the stable ID it gives it (g_free it). */
bool mprtc_capture_device_listed(GstDevice *device);
char *mprtc_capture_device_id(GstDevice *device);

/* A listed device came (added) or went. Runs on a device provider's thread, with the watchers'
 * lock held: it must not block, nor watch or unwatch. device is borrowed. */
typedef void (*mprtc_device_change_fn)(GstDevice *device, bool added, void *data);

/* While any watch is held, the process's device monitor runs and fn(data) hears every change
 * from the return on (the devices already there are not announced). Returns the watch's id. */
guint mprtc_devices_watch(mprtc_device_change_fn fn, void *data);
/* fn does not run after this returns. */
void mprtc_devices_unwatch(guint id);

#endif
