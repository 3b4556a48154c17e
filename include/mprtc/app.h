/* An app: one mini-program running in a container. Its code is the package in one folder (the
 * package root) and nothing outside it: its logic layer (a JavaScriptCore context on a JS thread
 * of its own, with the W3C WebRTC API), its objects in the SDK, its permission answers.
 *
 * Life of an app:
 *   mprtc_app_new              the record; nothing runs yet
 *   mprtc_app_set_* / add_method   options, only before the first run
 *   mprtc_app_run              starts the JS thread (the first time) and runs a script
 *   mprtc_app_terminate        (optional) stops JavaScript, even a `while (true) {}`
 *   mprtc_app_free             closes its objects, stops its thread
 *
 * Callbacks (log lines, permission questions, host methods, a script settling) run on the app's
 * context (mprtc_app_set_context; the default GMainContext unless set), in the order the app
 * caused them: the host must iterate that context.
 *
 * Thread rules: every function here may be called from any thread but the app's own JS thread;
 * mprtc_app_free from the thread that iterates the app's context (or once it no longer does).
 * The first mprtc_app_run of the process must come from the thread that iterates the default
 * GMainContext (the process's main or UI thread): JavaScriptCore schedules timers of its own
 * there. mprtc_permission_request_answer, mprtc_host_call_return and mprtc_host_call_reject:
 * any thread.
 */
#ifndef MPRTC_APP_H
#define MPRTC_APP_H

#include <glib.h>
#include <stddef.h>

#include "mprtc/container.h"
#include "mprtc/export.h"

typedef struct mprtc_app mprtc_app;

/* Flags of mprtc_app_set_flags. */
enum {
  /* Lets mprtc_app_terminate stop JavaScript that never yields (`while (true) {}`). Costs a
   * CPU-time system call on every entry into JS; leave it off where no timeout is enforced.
   * When the process's first running app has it, JavaScriptCore compiles polling checks into JS
   * for every app of the process (its signal-based interrupts crashed JIT code). */
  MPRTC_APP_WATCHDOG = 1 << 0,
  /* The test surface: the global `mprtc.bridge` (raw call blocks) and the SDK's test-only
   * methods (bridge.ping, bridge.echo, bridge.info, Ticker). For tests and benchmarks only;
   * apps never get it by default. */
  MPRTC_APP_TESTING = 1 << 1,
  /* A mini-program's view keeps its window painted as a screen shows it: repainted after every
   * change of the page and every new video frame (at most 60 times a second), the region that
   * changed. Without it the page is painted only for snapshots. For hosts that show the window
   * (and for measuring what showing costs). */
  MPRTC_APP_PRESENT = 1 << 2,
};

/* A new app of container: id is 1..64 characters of [A-Za-z0-9._-], unique among the apps
 * running in the container; root is the package directory, or NULL to take the folder of the
 * first script run. Every file the app loads must be inside the root. Returns 0 and *out, or
 * MPRTC_E_INVAL (a bad ID, a root that is not a directory) or MPRTC_E_APP_EXISTS. */
MPRTC_API int mprtc_app_new(mprtc_container *container, const char *id, const char *root, mprtc_app **out);

MPRTC_API const char *mprtc_app_id(const mprtc_app *app);

/* ---- options: before the first mprtc_app_run (MPRTC_E_BUSY afterwards) ---- */

/* MPRTC_APP_* flags. */
MPRTC_API int mprtc_app_set_flags(mprtc_app *app, unsigned flags);

/* The context the app's callbacks run on (a reference is taken); NULL: the default one. */
MPRTC_API int mprtc_app_set_context(mprtc_app *app, GMainContext *context);

typedef enum {
  MPRTC_LOG_DEBUG,  /* console.debug */
  MPRTC_LOG_INFO,   /* console.log, info, dir, table, ... */
  MPRTC_LOG_WARN,   /* console.warn */
  MPRTC_LOG_ERROR,  /* console.error, uncaught exceptions and rejections */
} mprtc_log_level;

/* One line (or several, for a multi-line value) the app printed, UTF-8, without the final
 * newline; text is valid during the call. */
typedef void (*mprtc_log_fn)(mprtc_app *app, mprtc_log_level level, const char *text, size_t len,
                             void *user_data);

/* Where the app's console output and error reports go. Without a handler, DEBUG and INFO go to
 * stdout and WARN and ERROR to stderr, written by the JS thread. destroy (may be NULL) is
 * called on user_data when the app is freed. */
MPRTC_API int mprtc_app_set_log_handler(mprtc_app *app, mprtc_log_fn fn, void *user_data, GDestroyNotify destroy);

/* Camera and microphone permission. When the app's getUserMedia needs a device kind the app has
 * no answer for yet, the host is asked: permission is "camera" or "microphone". The host answers
 * once, from any thread, now or later (after asking its user), with
 * mprtc_permission_request_answer; the answer holds for the app's life. Without a handler
 * every request is denied (getUserMedia rejects with NotAllowedError). */
typedef struct mprtc_permission_request mprtc_permission_request;
typedef void (*mprtc_permission_fn)(mprtc_app *app, mprtc_permission_request *request, const char *permission,
                                    void *user_data);
MPRTC_API int mprtc_app_set_permission_handler(mprtc_app *app, mprtc_permission_fn fn, void *user_data,
                                               GDestroyNotify destroy);

/* Answers request (granted: nonzero) and frees it. Exactly once. */
MPRTC_API void mprtc_permission_request_answer(mprtc_permission_request *request, int granted);

/* ---- the host's own methods ----
 * A host adds methods that app code calls, as a real host adds its own wx.* calls: in JS,
 * `mprtc.host.<name>(params)` returns a promise. params is a JSON object (the JSON text is given
 * to fn); the host settles the call once, from any thread, now or later. */
typedef struct mprtc_host_call mprtc_host_call;
typedef void (*mprtc_host_method_fn)(mprtc_app *app, mprtc_host_call *call, const char *params_json,
                                     void *user_data);

/* name: 1..64 characters of [A-Za-z0-9_], not starting with a digit, once per app. destroy (may
 * be NULL) is called on user_data when the app is freed. MPRTC_E_INVAL for a bad or taken
 * name. */
MPRTC_API int mprtc_app_add_method(mprtc_app *app, const char *name, mprtc_host_method_fn fn, void *user_data,
                                   GDestroyNotify destroy);

/* Fulfils the call's promise with the value of result_json (NULL: null). Text that is not
 * JSON rejects the call with a TypeError instead. Frees call. */
MPRTC_API void mprtc_host_call_return(mprtc_host_call *call, const char *result_json);

/* Rejects the call's promise with the error of err's name (mprtc_error_dom_name: MPRTC_E_INVAL
 * is a TypeError, MPRTC_E_NOT_ALLOWED a NotAllowedError, ...) and message. Frees call. */
MPRTC_API void mprtc_host_call_reject(mprtc_host_call *call, int err, const char *message);

/* ---- running ---- */

/* Called once, on the app's context, when the script of one mprtc_app_run settles: failed is 0
 * when it fulfilled, 1 when it threw or rejected (its error and stack were logged at
 * MPRTC_LOG_ERROR). Not called when the app is freed first. */
typedef void (*mprtc_app_done_fn)(mprtc_app *app, int failed, void *user_data);

/* Runs script as an ES module: top-level await, import of files inside the package. script is
 * absolute or relative to the package root; for an app made without a root, the first script is
 * taken from the current directory and its folder becomes the root. The first run starts the
 * app's JS thread with a fresh logic-layer context; later runs share it (globals and modules
 * loaded), and may overlap: each calls its own done when its script settles. args (argc strings,
 * copied) become `mprtc.args` in JS (the latest run's). Returns 0, or a negative mprtc_error, in which case done never runs:
 * MPRTC_E_OUTSIDE_PACKAGE (the script is outside the root), MPRTC_E_IO (no such file),
 * MPRTC_E_THREAD, MPRTC_E_CLOSED (terminated). */
MPRTC_API int mprtc_app_run(mprtc_app *app, const char *script, int argc, const char *const *args,
                            mprtc_app_done_fn done, void *user_data);

/* Stops every later callback into JS, and with MPRTC_APP_WATCHDOG also JavaScript running now:
 * for timeouts. The app cannot run again. */
MPRTC_API void mprtc_app_terminate(mprtc_app *app);

/* Stops the JS thread, closes the app's objects in the SDK (its connections, tracks, sockets)
 * and frees the app; its ID is free for a new app at once. Callbacks the host has not had yet are
 * dropped (their permission questions answered no). A permission request or host call the host
 * holds stays valid until answered; the answer then goes nowhere. */
MPRTC_API void mprtc_app_free(mprtc_app *app);

#endif
