/* The container: what every app of a process shares. The native SDK's thread, which runs
 * GStreamer and owns every WebRTC object, and the set of apps running.
 *
 * libmprtc owns GStreamer: the first container of the process initialises it, and it is shut
 * down when the process exits with no container left (a host must not call gst_deinit itself).
 *
 * Thread rules: both functions may be called from any thread; a container is freed from the
 * thread that created it, after every app of it (mprtc_app_free).
 */
#ifndef MPRTC_CONTAINER_H
#define MPRTC_CONTAINER_H

#include "mprtc/export.h"

typedef struct mprtc_container mprtc_container;

/* Starts the SDK thread (and GStreamer, the first time). Returns 0 and *out, or a negative
 * mprtc_error (MPRTC_E_THREAD). */
MPRTC_API int mprtc_container_new(mprtc_container **out);

/* Closes every object of every app, stops the SDK thread and frees the container. */
MPRTC_API void mprtc_container_free(mprtc_container *container);

#endif
