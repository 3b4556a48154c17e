/* mprtc: standard WebRTC for mini-programs. The umbrella header of libmprtc.
 *
 * A host program embeds mprtc like this (docs/embedding.md has the whole example):
 *   mprtc_container_new(&container);            one per process, usually: GStreamer, the SDK
 *   mprtc_app_new(container, "demo", dir, &app); an app: its package, its logic layer
 *   mprtc_app_set_log_handler(app, ...);        options, before the app runs
 *   mprtc_app_add_method(app, "vibrate", ...);  the host's own methods for app code
 *   mprtc_app_run(app, "main.js", ...);         runs; callbacks come on the app's context
 *   mprtc_app_free(app); mprtc_container_free(container);
 */
#ifndef MPRTC_H
#define MPRTC_H

#include "mprtc/app.h"
#include "mprtc/automation.h"
#include "mprtc/container.h"
#include "mprtc/error.h"
#include "mprtc/export.h"
#include "mprtc/signal.h"
#include "mprtc/view.h"

/* The library version, e.g. "0.1.0". Any thread. */
MPRTC_API const char *mprtc_version(void);

#endif
