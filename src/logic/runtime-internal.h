/* The logic layer's insides, shared by runtime.c and natives.c. */
#ifndef MPRTC_LOGIC_RUNTIME_INTERNAL_H
#define MPRTC_LOGIC_RUNTIME_INTERNAL_H

#include <JavaScriptCore/JavaScript.h>
#include <glib.h>

#include "base/loop.h"
#include "bridge/bridge.h"
#include "mprtc/runtime.h"

struct mprtc_runtime {
  mprtc_sdk *sdk;
  char *app;
  unsigned flags;             /* MPRTC_RUNTIME_* */
  GThread *thread;
  GMainContext *context;     /* the JS thread's own context */
  mprtc__loop loop;
  JSContextGroupRef group;
  JSGlobalContextRef ctx;
  mprtc__bridge *bridge;
  GSource *timer;            /* the one wakeup the JS timer queue asks for */
  gint64 start_monotonic_us; /* performance.timeOrigin as monotonic time */
  double time_origin_ms;     /* performance.timeOrigin, ms since the epoch */
  gint terminated;           /* atomic: JS must not run any more */

  /* Base-library functions C calls into (protected from GC). */
  JSObjectRef fn_run_timers;
  JSObjectRef fn_deliver;
  JSObjectRef fn_run_main;

  mprtc_exec_done_fn exec_done;
  void *exec_user_data;

  GMutex start_lock;
  GCond start_cond;
  int start_state;           /* 0 starting, 1 running, <0 failed */
};

/* The runtime of the calling JS thread (each JS thread runs exactly one). */
mprtc_runtime *mprtc__runtime_current(void);
void mprtc__runtime_set_current(mprtc_runtime *rt);

/* Builds the object of native functions handed to every base-library file. JS thread. */
JSObjectRef mprtc__natives_new(mprtc_runtime *rt);

/* Calls fn with args on the JS thread, printing anything it throws as an uncaught error.
 * Does nothing once the runtime is terminated. */
void mprtc__runtime_call(mprtc_runtime *rt, JSObjectRef fn, size_t argc, const JSValueRef *argv);

/* (Re)arms the JS timer wakeup delay_ms from now; negative disarms. JS thread. */
void mprtc__runtime_arm_timer(mprtc_runtime *rt, double delay_ms);

#endif
