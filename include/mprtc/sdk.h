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

/* Camera and microphone permission. When an app's getUserMedia needs a device kind the app has
 * not been answered for yet, the SDK asks the host through this handler: permission is
 * "camera" or "microphone". The host answers once, from any thread, now or later (after
 * asking its user), with mprtc_permission_request_answer; the answer holds for the app for the
 * SDK's life. Without a handler every request is denied (getUserMedia rejects with
 * NotAllowedError). The handler runs on the SDK thread. */
typedef struct mprtc_permission_request mprtc_permission_request;
typedef void (*mprtc_permission_fn)(mprtc_permission_request *request, const char *app,
                                    const char *permission, void *user_data);

/* Installs the handler; call it before any runtime uses the SDK. */
void mprtc_sdk_set_permission_handler(mprtc_sdk *sdk, mprtc_permission_fn fn, void *user_data);

/* Answers request (granted: nonzero) and frees it. Any thread, exactly once. */
void mprtc_permission_request_answer(mprtc_permission_request *request, int granted);

#endif
