/* The native SDK: one thread running GStreamer and owning every WebRTC object.
 *
 * Thread rules: mprtc_sdk_new and mprtc_sdk_free may be called from any thread except the SDK
 * thread itself. Everything else reaches the SDK through a runtime's JSBridge.
 */
#ifndef MPRTC_SDK_H
#define MPRTC_SDK_H

typedef struct mprtc_sdk mprtc_sdk;

/* Starts the SDK thread and initialises GStreamer on it. Returns 0 and *out, or a negative
 * mprtc_error. */
int mprtc_sdk_new(mprtc_sdk **out);

/* Closes every object of every app, stops the SDK thread and frees the SDK. Every runtime
 * using it must have been freed first. */
void mprtc_sdk_free(mprtc_sdk *sdk);

#endif
