/* Capture devices: the built-in fake camera and microphone (always there) and real V4L2
 * cameras / PulseAudio microphones found by GStreamer's device monitor.
 *
 * The fake camera is a moving test pattern carrying the frame stamp (barcode.h: frame counter
 * and capture time); the fake microphone a 440 Hz tone. Every capture delivers I420 video or
 * S16LE interleaved 48 kHz audio, converted and scaled to the settings asked for.
 *
 * Thread rules: any thread. A source's sinks run on its capture pipeline's streaming thread.
 */
#ifndef MPRTC_MEDIA_CAPTURE_H
#define MPRTC_MEDIA_CAPTURE_H

#include <gst/gst.h>

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

/* Every device now present: the fake ones first. GPtrArray of mprtc_capture_device*, freeing
 * them. */
GPtrArray *mprtc_capture_devices(void);

typedef struct {
  int width, height;
  double frame_rate;
  int channels;
} mprtc_capture_settings;

/* Opens device with settings (within its capabilities: the caller checked) and starts it.
 * Returns a source (the caller's reference) whose last tap stops the capture, or NULL and
 * sets error (the device is busy or failed to start). */
mprtc_source *mprtc_capture_open(const mprtc_capture_device *device, const mprtc_capture_settings *settings,
                                 GError **error);

/* A copy of a running capture's device (free with mprtc_capture_device_free), or NULL when
 * source is not a running capture. */
mprtc_capture_device *mprtc_capture_device_of(mprtc_source *source);

/* Changes the format a running capture delivers (settings within its device's capabilities:
 * the caller checked); its taps get frames of the new size, rate or channel count from then on.
 * false when source is not a running capture. */
bool mprtc_capture_reformat(mprtc_source *source, const mprtc_capture_settings *settings);

/* How many captures are running now (devices in use), for tests and bridge.info. */
int mprtc_capture_running(void);

#endif
