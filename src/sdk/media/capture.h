/* Running captures of the devices of devices.h.
 *
 * The fake camera is a moving test pattern carrying the frame stamp (barcode.h: frame counter
 * and capture time); the fake microphone a 440 Hz tone. Every capture delivers I420 video or
 * S16LE interleaved 48 kHz audio, converted and scaled to the settings asked for.
 *
 * Thread rules: any thread. A source's sinks run on its capture pipeline's streaming thread.
 */
#ifndef MPRTC_SDK_MEDIA_CAPTURE_H
#define MPRTC_SDK_MEDIA_CAPTURE_H

#include <gst/gst.h>

#include "sdk/media/devices.h"
#include "sdk/media/source.h"

typedef struct {
  int width, height;
  double frame_rate;
  int channels;
} mprtc__capture_settings;

/* Opens device with settings (within its capabilities: the caller checked) and starts it.
 * Returns a source (the caller's reference) whose last tap stops the capture, or NULL and
 * sets error (the device is busy or failed to start). The source ends when the device fails or
 * goes away (unplugged: the device monitor says so while a real device is captured). */
mprtc__source *mprtc__capture_open(const mprtc__capture_device *device, const mprtc__capture_settings *settings,
                                 GError **error);

/* A copy of a running capture's device (free with mprtc__capture_device_free), or NULL when
 * source is not a running capture. */
mprtc__capture_device *mprtc__capture_device_of(mprtc__source *source);

/* Changes the format a running capture delivers (settings within its device's capabilities:
 * the caller checked); its taps get frames of the new size, rate or channel count from then on.
 * false when source is not a running capture. */
bool mprtc__capture_reformat(mprtc__source *source, const mprtc__capture_settings *settings);

/* How many captures are running now (devices in use), for tests and bridge.info. */
int mprtc__capture_running(void);

#endif
