/* The logic layer of one app: a JavaScriptCore context on a JS thread of its own, holding the
 * base library's globals (console, timers, EventTarget, DOMException, ..., and the WebRTC API),
 * with bridge channels to the SDK and to the host's methods.
 *
 * Thread rules: mprtc__runtime_new, _exec, _terminate and _free from any thread but the
 * runtime's own JS thread; the rest (natives.c) on the JS thread.
 */
#ifndef MPRTC_LOGIC_RUNTIME_H
#define MPRTC_LOGIC_RUNTIME_H

#include <JavaScriptCore/JavaScript.h>
#include <glib.h>

#include "app/app.h"
#include "base/loop.h"
#include "bridge/bridge.h"

/* The channels a runtime opens, one per endpoint it talks to. */
enum {
  MPRTC__PORT_SDK,  /* call blocks of the W3C API: native.post */
  MPRTC__PORT_HOST, /* the host's own methods (mprtc_app_add_method): native.postHost */
  MPRTC__PORT_VIEW, /* the view layer of a mini-program (mprtc_app_launch): native.postView;
                       no endpoint (and no channel) for an app that only runs scripts */
  MPRTC__PORTS
};

typedef struct {
  const mprtc__endpoint *endpoint;
  void *data;
} mprtc__runtime_port;

typedef struct mprtc__runtime mprtc__runtime;

struct mprtc__runtime {
  mprtc_app *app;              /* a reference */
  GThread *thread;
  GMainContext *context;       /* the JS thread's own context */
  mprtc__loop loop;
  JSContextGroupRef group;
  JSGlobalContextRef ctx;
  mprtc__runtime_port ports[MPRTC__PORTS];
  mprtc__bridge *channels[MPRTC__PORTS]; /* JS thread; NULL once closed */
  GSource *timer;              /* the one wakeup the JS timer queue asks for */
  GHashTable *runs;            /* JS thread: run number -> mprtc__run of the scripts running */
  int next_run;
  gint64 start_monotonic_us;   /* performance.timeOrigin as monotonic time */
  double time_origin_ms;       /* performance.timeOrigin, ms since the epoch */
  gint terminated;             /* atomic: JS must not run any more */

  /* Base-library functions C calls into (protected from GC). */
  JSObjectRef fn_run_timers;
  JSObjectRef fn_deliver;
  JSObjectRef fn_run_main;
  JSObjectRef fn_launch;

  GMutex start_lock;
  GCond start_cond;
  int start_state;             /* 0 starting, 1 running, <0 failed */
};

/* The first call must come from the thread that iterates the default GMainContext: WTF makes
 * it JavaScriptCore's main thread. Starts a JS thread for app with a fresh context, opens its
 * channels to ports and evaluates the base library. Returns 0 and *out, or MPRTC_E_THREAD. */
int mprtc__runtime_new(mprtc_app *app, const mprtc__runtime_port ports[MPRTC__PORTS], mprtc__runtime **out);

/* Runs the file at path (absolute, inside the app's package) as an ES module; args (argc
 * strings, copied) become `mprtc.args`. When it settles, the app's host gets a SETTLED notice
 * for done(user_data). */
int mprtc__runtime_exec(mprtc__runtime *rt, const char *path, int argc, const char *const *args,
                        mprtc_app_done_fn done, void *user_data);

/* Launches the mini-program of manifest_json (src/app/manifest.h's JSON) at url (NULL: its
 * entry page) with the framework (src/baselib/miniprogram.js). When its first page is ready,
 * or the launch failed, the app's host gets a SETTLED notice for done(user_data). */
int mprtc__runtime_launch(mprtc__runtime *rt, const char *manifest_json, const char *url, mprtc_app_done_fn done,
                          void *user_data);

/* Stops every later callback into JS, and with MPRTC_APP_WATCHDOG also JavaScript running now. */
void mprtc__runtime_terminate(mprtc__runtime *rt);

/* Closes the channels (the SDK closes the app's objects), stops the JS thread, frees rt. */
void mprtc__runtime_free(mprtc__runtime *rt);

/* ---- the JS thread ---- */

/* The runtime of the calling JS thread (each JS thread runs exactly one). */
mprtc__runtime *mprtc__runtime_current(void);

/* Builds the object of native functions handed to every base-library file (natives.c). */
JSObjectRef mprtc__natives_new(mprtc__runtime *rt);

/* Calls fn with args, reporting anything it throws as an uncaught error. Does nothing once the
 * runtime is terminated. */
void mprtc__runtime_call(mprtc__runtime *rt, JSObjectRef fn, size_t argc, const JSValueRef *argv);

/* (Re)arms the JS timer wakeup delay_ms from now; negative disarms. */
void mprtc__runtime_arm_timer(mprtc__runtime *rt, double delay_ms);

/* The run of that number, taken out of the runtime (NULL if there is none). */
mprtc__run *mprtc__runtime_take_run(mprtc__runtime *rt, int number);

/* Writes one line of the app's output at level (mprtc_log_level): to the host's log handler, or
 * without one to stdout (DEBUG, INFO) or stderr (WARN, ERROR). */
void mprtc__runtime_log(mprtc__runtime *rt, int level, const char *text, size_t len);

#endif
