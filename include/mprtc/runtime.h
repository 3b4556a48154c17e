/* The logic layer: one app's JavaScriptCore context on its own JS thread, holding the base
 * library's globals (console, timers, EventTarget, DOMException, ..., and the WebRTC API), with
 * a JSBridge channel to the SDK.
 *
 * Thread rules: every function here may be called from any thread except the runtime's own JS
 * thread, unless it says otherwise. Callbacks run on the JS thread.
 */
#ifndef MPRTC_RUNTIME_H
#define MPRTC_RUNTIME_H

#include "mprtc/sdk.h"

typedef struct mprtc_runtime mprtc_runtime;

/* Flags of mprtc_runtime_new. */
enum {
  /* Lets mprtc_runtime_terminate stop JavaScript that never yields (`while (true) {}`). Costs
   * a CPU-time system call on every entry into JS, so leave it off where no timeout is
   * enforced. When the process's first runtime has it, JavaScriptCore compiles polling checks
   * into JS for every runtime of the process (signal-based interrupts crashed JIT code). */
  MPRTC_RUNTIME_WATCHDOG = 1 << 0,
};

/* The first call must come from the thread that iterates the default GMainContext (the
 * process's main or UI thread): JavaScriptCore schedules some of its own timers there.
 * Starts a JS thread for app (1..64 characters of [A-Za-z0-9._-]) with a fresh context bound
 * to sdk, and evaluates the base library in it. flags: MPRTC_RUNTIME_* or 0. Returns 0 and
 * *out, or a negative mprtc_error (MPRTC_E_INVAL for a bad app ID). */
int mprtc_runtime_new(mprtc_sdk *sdk, const char *app, unsigned flags, mprtc_runtime **out);

/* Called once on the JS thread when the module run by mprtc_runtime_exec_file settles:
 * failed is 0 when it fulfilled, 1 when it threw or rejected (the error and its stack have
 * been printed on stderr). */
typedef void (*mprtc_exec_done_fn)(mprtc_runtime *rt, int failed, void *user_data);

/* Runs the file at path as an ES module (top-level await, static and dynamic import of
 * relative files). args (argc strings, copied) become `mprtc.args` in JS. Returns 0, or a
 * negative mprtc_error, in which case done never runs. */
int mprtc_runtime_exec_file(mprtc_runtime *rt, const char *path, int argc,
                            const char *const *args, mprtc_exec_done_fn done, void *user_data);

/* Stops every later callback into JS, and with MPRTC_RUNTIME_WATCHDOG also JavaScript running
 * now: used for timeouts. */
void mprtc_runtime_terminate(mprtc_runtime *rt);

/* Closes the app's bridge channel (the SDK closes its objects), stops the JS thread and frees
 * the runtime. */
void mprtc_runtime_free(mprtc_runtime *rt);

#endif
