/* The logic layer: a JavaScriptCore context on its own JS thread. See runtime.h.
 *
 * The JS thread iterates its own GMainContext: the channels' inboxes (replies and events), the
 * single timer wakeup of the base library's timer queue, and invocations from other threads
 * (exec requests) are all sources on it. JavaScript runs only on this thread.
 */
#include "logic/runtime.h"

#include <jsc/jsc.h>
#include <stdio.h>
#include <string.h>

#include "logic/baselib.h"
#include "logic/jsutil.h"
#include "mprtc/error.h"

/* JSC exports these but declares them only in private headers (JSContextRefPrivate.h). */
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);
JS_EXPORT void JSContextGroupSetExecutionTimeLimit(JSContextGroupRef group, double limit,
                                                   JSShouldTerminateCallback callback,
                                                   void *context);
JS_EXPORT void JSGlobalContextSetUnhandledRejectionCallback(JSGlobalContextRef ctx,
                                                            JSObjectRef function,
                                                            JSValueRef *exception);

/* How often the watchdog asks whether JS should stop, in seconds of uninterrupted JS. */
#define MPRTC__WATCHDOG_PERIOD_S 0.05

/* WTF's (C++) initialisation, exported by libjavascriptcoregtk: makes the calling thread WTF's
 * main thread, whose RunLoop is the default GMainContext. Without it the first full GC timer
 * that fires on a JS thread dereferences a null main RunLoop (MemoryPressureHandler). */
extern void _ZN3WTF20initializeMainThreadEv(void);

/* flags: the first runtime's MPRTC_APP_* (JSC's options are the process's, and are set before
 * its first VM exists). */
static gpointer initialize_wtf(gpointer flags) {
  /* The watchdog (--timeout) interrupts JIT code through VM traps. By default JSC plants them
   * from another thread that suspends the JS thread with a signal and patches its code: that
   * crashed the JS thread inside JIT code now and then (3 of 22 interop runs, always while the
   * JIT was busy at start-up; 0 of 20 since). Polling traps are checks compiled into loops and
   * calls instead: no signal, no patching, but ~10% off the bridge's pipelined throughput, so
   * only where a watchdog is asked for (without one, no trap is ever planted). */
  if (GPOINTER_TO_UINT(flags) & MPRTC_APP_WATCHDOG) jsc_options_set_boolean("usePollingTraps", TRUE);
  _ZN3WTF20initializeMainThreadEv();
  return NULL;
}

static __thread mprtc__runtime *current_runtime;

mprtc__runtime *mprtc__runtime_current(void) { return current_runtime; }

void mprtc__runtime_log(mprtc__runtime *rt, int level, const char *text, size_t len) {
  mprtc_app *app = rt->app;
  if (app->log.fn) {
    mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_LOG);
    n->level = level;
    n->text = g_strndup(text, len);
    n->len = len;
    mprtc__app_notify(app, n);
    return;
  }
  FILE *f = level >= MPRTC_LOG_WARN ? stderr : stdout;
  fwrite(text, 1, len, f);
  fputc('\n', f);
}

static void report_uncaught(mprtc__runtime *rt, JSValueRef exception) {
  char *text = mprtc__js_describe(rt->ctx, exception);
  char *line = g_strconcat("Uncaught ", text, NULL);
  mprtc__runtime_log(rt, MPRTC_LOG_ERROR, line, strlen(line));
  g_free(line);
  g_free(text);
}

void mprtc__runtime_call(mprtc__runtime *rt, JSObjectRef fn, size_t argc, const JSValueRef *argv) {
  if (g_atomic_int_get(&rt->terminated) || !fn) return;
  JSValueRef exception = NULL;
  JSObjectCallAsFunction(rt->ctx, fn, NULL, argc, argv, &exception);
  /* The base library's entry points catch and report their own errors; this is the last
   * resort (and the path of a termination by timeout, which nothing can catch). */
  if (exception && !g_atomic_int_get(&rt->terminated)) report_uncaught(rt, exception);
}

/* The timer wakeup: a source with only a ready time. */
static gboolean timer_dispatch(GSource *source, GSourceFunc cb, gpointer data) {
  mprtc__runtime *rt = mprtc__runtime_current();
  g_source_set_ready_time(source, -1);
  mprtc__runtime_call(rt, rt->fn_run_timers, 0, NULL);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_funcs = {NULL, NULL, timer_dispatch, NULL, NULL, NULL};

void mprtc__runtime_arm_timer(mprtc__runtime *rt, double delay_ms) {
  if (delay_ms < 0) {
    g_source_set_ready_time(rt->timer, -1);
    return;
  }
  g_source_set_ready_time(rt->timer, g_get_monotonic_time() + (gint64)(delay_ms * 1000.0));
}

static void free_bytes(void *bytes, void *unused) { g_free(bytes); }

/* A reply or event for JS: internal.host.deliver(text, bytes). */
static void deliver(mprtc__message *msg, void *user_data) {
  mprtc__runtime *rt = user_data;
  /* Replies are JSON written by the codec: valid UTF-8 with no NUL, so no copy is needed. */
  JSStringRef s = JSStringCreateWithUTF8CString(msg->text);
  JSValueRef args[2] = {JSValueMakeString(rt->ctx, s), JSValueMakeUndefined(rt->ctx)};
  JSStringRelease(s);
  if (msg->bytes) {
    /* The bytes become the ArrayBuffer's own: taken over without a copy where the message held
     * the only reference (a data channel's message), copied where others share them (a frame),
     * as JS may write into an ArrayBuffer. */
    gsize n;
    void *data = g_bytes_unref_to_data(msg->bytes, &n);
    msg->bytes = NULL;
    /* JavaScriptCore takes a buffer without memory for a detached one: an empty body (a 200
     * with no content) must still be an ArrayBuffer of length 0. */
    if (!data) data = g_malloc(1);
    args[1] = JSObjectMakeArrayBufferWithBytesNoCopy(rt->ctx, data, n, free_bytes, NULL, NULL);
  }
  mprtc__runtime_call(rt, rt->fn_deliver, 2, args);
}

static bool should_terminate(JSContextRef ctx, void *data) {
  mprtc__runtime *rt = data;
  if (g_atomic_int_get(&rt->terminated)) return true;
  /* JSC 2.50 does not re-arm the watchdog after a callback that declines, so arm it again:
   * the next check comes after another 50 ms of uninterrupted JS. */
  JSContextGroupSetExecutionTimeLimit(rt->group, MPRTC__WATCHDOG_PERIOD_S, should_terminate, rt);
  return false;
}

static JSObjectRef get_function(mprtc__runtime *rt, JSObjectRef handlers, const char *name) {
  JSValueRef v = mprtc__js_get_property(rt->ctx, handlers, name);
  if (!v || !JSValueIsObject(rt->ctx, v) || !JSObjectIsFunction(rt->ctx, (JSObjectRef)v))
    return NULL;
  JSValueProtect(rt->ctx, v);
  return (JSObjectRef)v;
}

/* Evaluates the base library: each file is the body of function (native, internal), with the
 * wrapper on its first line so that stack traces keep the file's line numbers. Returns 0 or
 * MPRTC_E_INVAL after printing the error (a bug in the base library, never user input). */
static int load_baselib(mprtc__runtime *rt) {
  JSContextRef ctx = rt->ctx;
  JSObjectRef natives = mprtc__natives_new(rt);
  JSObjectRef internal = JSObjectMake(ctx, NULL, NULL);
  JSValueRef args[2] = {natives, internal};
  for (const mprtc__embedded_file *f = mprtc__baselib; f->name; f++) {
    char *source = g_strconcat("(function (native, internal) { 'use strict'; ", f->text, "\n})",
                               NULL);
    JSStringRef src = JSStringCreateWithUTF8CString(source);
    JSStringRef url = JSStringCreateWithUTF8CString(f->name);
    JSValueRef exception = NULL;
    JSValueRef fn = JSEvaluateScript(ctx, src, NULL, url, 1, &exception);
    JSStringRelease(src);
    JSStringRelease(url);
    g_free(source);
    if (!exception) JSObjectCallAsFunction(ctx, (JSObjectRef)fn, NULL, 2, args, &exception);
    if (exception) {
      char *text = mprtc__js_describe(ctx, exception);
      fprintf(stderr, "mprtc: base library %s failed: %s\n", f->name, text);
      g_free(text);
      return MPRTC_E_INVAL;
    }
  }
  /* The files register the functions C calls into on internal.host. */
  JSValueRef host = mprtc__js_get_property(ctx, internal, "host");
  if (!host || !JSValueIsObject(ctx, host)) {
    fprintf(stderr, "mprtc: base library did not register internal.host\n");
    return MPRTC_E_INVAL;
  }
  rt->fn_run_timers = get_function(rt, (JSObjectRef)host, "runTimers");
  rt->fn_deliver = get_function(rt, (JSObjectRef)host, "deliver");
  rt->fn_run_main = get_function(rt, (JSObjectRef)host, "runMain");
  rt->fn_launch = get_function(rt, (JSObjectRef)host, "launch");
  JSObjectRef on_rejection = get_function(rt, (JSObjectRef)host, "unhandledRejection");
  if (!rt->fn_run_timers || !rt->fn_deliver || !rt->fn_run_main || !rt->fn_launch || !on_rejection) {
    fprintf(stderr, "mprtc: base library host functions are missing\n");
    return MPRTC_E_INVAL;
  }
  JSGlobalContextSetUnhandledRejectionCallback(rt->ctx, on_rejection, NULL);
  JSValueUnprotect(ctx, on_rejection);
  return 0;
}

static void set_start_state(mprtc__runtime *rt, int state) {
  g_mutex_lock(&rt->start_lock);
  rt->start_state = state;
  g_cond_signal(&rt->start_cond);
  g_mutex_unlock(&rt->start_lock);
}

static gpointer js_thread(gpointer data) {
  mprtc__runtime *rt = data;
  current_runtime = rt;
  g_main_context_push_thread_default(rt->context);

  rt->group = JSContextGroupCreate();
  /* The watchdog asks should_terminate every 50 ms of uninterrupted JS: it is how a timeout
   * stops `while (true) {}`. It reads the thread's CPU time on every entry into JS (a system
   * call), which halves bridge throughput, hence opt-in. */
  if (rt->app->flags & MPRTC_APP_WATCHDOG)
    JSContextGroupSetExecutionTimeLimit(rt->group, MPRTC__WATCHDOG_PERIOD_S, should_terminate, rt);
  rt->ctx = JSGlobalContextCreateInGroup(rt->group, NULL);
  rt->timer = g_source_new(&timer_funcs, sizeof(GSource));
  g_source_set_name(rt->timer, "mprtc JS timers");
  g_source_attach(rt->timer, rt->context);
  for (int i = 0; i < MPRTC__PORTS; i++)
    if (rt->ports[i].endpoint)
      rt->channels[i] = mprtc__bridge_new(rt->ports[i].endpoint, rt->ports[i].data, rt->app->id, mprtc__app_ref(rt->app),
                                        (GDestroyNotify)mprtc__app_unref, rt->context, &rt->loop, deliver, rt);
  /* After posting a call the JS thread spins briefly on the SDK's inbox for the reply. */
  mprtc__loop_init(&rt->loop, rt->context, mprtc__bridge_inbox(rt->channels[MPRTC__PORT_SDK]));

  int err = load_baselib(rt);
  set_start_state(rt, err ? err : 1);
  if (!err) mprtc__loop_run(&rt->loop);

  /* Teardown, still on the JS thread: no JS runs after this point. */
  g_atomic_int_set(&rt->terminated, 1);
  for (int i = 0; i < MPRTC__PORTS; i++) {
    if (rt->channels[i]) mprtc__bridge_close(rt->channels[i]);
    rt->channels[i] = NULL;
  }
  g_source_destroy(rt->timer);
  g_source_unref(rt->timer);
  JSObjectRef fns[] = {rt->fn_run_timers, rt->fn_deliver, rt->fn_run_main, rt->fn_launch};
  for (size_t i = 0; i < G_N_ELEMENTS(fns); i++)
    if (fns[i]) JSValueUnprotect(rt->ctx, fns[i]);
  JSGlobalContextRelease(rt->ctx);
  JSContextGroupRelease(rt->group);
  /* Sources invoked from other threads and never run hold no JS values; drain them. */
  while (g_main_context_iteration(rt->context, FALSE)) {
  }
  g_main_context_pop_thread_default(rt->context);
  current_runtime = NULL;
  return NULL;
}

int mprtc__runtime_new(mprtc_app *app, const mprtc__runtime_port ports[MPRTC__PORTS], mprtc__runtime **out) {
  static GOnce wtf_once = G_ONCE_INIT;
  g_once(&wtf_once, initialize_wtf, GUINT_TO_POINTER(app->flags));
  mprtc__runtime *rt = g_new0(mprtc__runtime, 1);
  rt->app = mprtc__app_ref(app);
  memcpy(rt->ports, ports, sizeof rt->ports);
  rt->context = g_main_context_new();
  rt->runs = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  rt->start_monotonic_us = g_get_monotonic_time();
  rt->time_origin_ms = (double)g_get_real_time() / 1000.0;
  g_mutex_init(&rt->start_lock);
  g_cond_init(&rt->start_cond);

  GError *error = NULL;
  rt->thread = g_thread_try_new("mprtc-js", js_thread, rt, &error);
  int err = 0;
  if (!rt->thread) {
    g_error_free(error);
    err = MPRTC_E_THREAD;
  } else {
    g_mutex_lock(&rt->start_lock);
    while (rt->start_state == 0) g_cond_wait(&rt->start_cond, &rt->start_lock);
    g_mutex_unlock(&rt->start_lock);
    if (rt->start_state < 0) {
      err = rt->start_state;
      g_thread_join(rt->thread);
      rt->thread = NULL;
    }
  }
  if (err) {
    mprtc__runtime_free(rt);
    return err;
  }
  *out = rt;
  return 0;
}

typedef struct {
  mprtc__runtime *rt;
  char *path;     /* the script; for a launch, the page URL ("" for the entry page) */
  char **args;    /* NULL-terminated */
  char *manifest; /* a launch: the manifest's JSON (else NULL) */
  mprtc__run *run;
} exec_request;

mprtc__run *mprtc__runtime_take_run(mprtc__runtime *rt, int number) {
  mprtc__run *run = NULL;
  g_hash_table_steal_extended(rt->runs, GINT_TO_POINTER(number), NULL, (gpointer *)&run);
  return run;
}

static gboolean exec_on_js_thread(gpointer data) {
  exec_request *req = data;
  mprtc__runtime *rt = req->rt;
  guint n = g_strv_length(req->args);
  JSObjectRef args = mprtc__js_string_array(rt->ctx, (const char *const *)req->args, n);
  /* The run is told by its number when its script settles (native.mainSettled). */
  int number = ++rt->next_run;
  g_hash_table_insert(rt->runs, GINT_TO_POINTER(number), req->run);
  req->run = NULL;
  JSValueRef argv[3] = {mprtc__js_string(rt->ctx, req->path, strlen(req->path)),
                        args, JSValueMakeNumber(rt->ctx, number)};
  if (req->manifest) {
    /* launch(manifest, url, run) */
    argv[1] = argv[0];
    argv[0] = mprtc__js_string(rt->ctx, req->manifest, strlen(req->manifest));
    mprtc__runtime_call(rt, rt->fn_launch, 3, argv);
  } else {
    mprtc__runtime_call(rt, rt->fn_run_main, 3, argv);
  }
  return G_SOURCE_REMOVE;
}

static void exec_request_free(gpointer data) {
  exec_request *req = data;
  g_free(req->path);
  g_free(req->manifest);
  g_strfreev(req->args);
  g_free(req->run);
  g_free(req);
}

static int queue_run(mprtc__runtime *rt, const char *path, int argc, const char *const *args, const char *manifest,
                     mprtc_app_done_fn done, void *user_data) {
  if (g_atomic_int_get(&rt->terminated)) return MPRTC_E_CLOSED;
  exec_request *req = g_new0(exec_request, 1);
  req->manifest = g_strdup(manifest);
  req->rt = rt;
  req->run = g_new(mprtc__run, 1);
  req->run->done = done;
  req->run->user_data = user_data;
  req->path = g_strdup(path);
  req->args = g_new0(char *, argc + 1);
  for (int i = 0; i < argc; i++) req->args[i] = g_strdup(args[i]);
  g_main_context_invoke_full(rt->context, G_PRIORITY_DEFAULT, exec_on_js_thread, req,
                             exec_request_free);
  return 0;
}

int mprtc__runtime_exec(mprtc__runtime *rt, const char *path, int argc, const char *const *args,
                        mprtc_app_done_fn done, void *user_data) {
  return queue_run(rt, path, argc, args, NULL, done, user_data);
}

int mprtc__runtime_launch(mprtc__runtime *rt, const char *manifest_json, const char *url, mprtc_app_done_fn done,
                          void *user_data) {
  return queue_run(rt, url ? url : "", 0, NULL, manifest_json, done, user_data);
}

void mprtc__runtime_terminate(mprtc__runtime *rt) {
  g_atomic_int_set(&rt->terminated, 1);
  mprtc__loop_quit(&rt->loop);
}

void mprtc__runtime_free(mprtc__runtime *rt) {
  if (!rt) return;
  if (rt->thread) {
    mprtc__loop_quit(&rt->loop);
    g_thread_join(rt->thread);
  }
  g_main_context_unref(rt->context);
  g_hash_table_unref(rt->runs);
  g_mutex_clear(&rt->start_lock);
  g_cond_clear(&rt->start_cond);
  mprtc__app_unref(rt->app);
  g_free(rt);
}
