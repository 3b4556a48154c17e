/* The first handler set: proves the bridge path end to end and serves the tests and the
 * benchmark.
 *   bridge.ping          -> {"pong":true,"sdkTime":<monotonic microseconds>}
 *   bridge.echo          -> the params object (and the attachment), unchanged
 *   bridge.info          -> {"protocol":1,"gstreamer":"1.22.0","objects":<open objects of app>,
 *                            "captures":<capture devices running, all apps>,
 *                            "cpuSeconds":<user+system CPU of the process>,
 *                            "rssBytes":<resident memory of the process>}  (for bench/)
 *   Ticker.constructor   {interval:ms, count:n} -> {"id":N}; emits "tick" {n} every interval
 *                        ms, n = 1..count (count 0: forever), then "done" {}
 *   Ticker.close         target -> null; no event for the ticker afterwards
 */
#include <gst/gst.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sdk/media/capture.h"
#include "sdk/core/call.h"
#include "sdk/core/sdk.h"

static void ping(mprtc__call *call) {
  mprtc__call_return(call, json_pack("{s:b,s:I}", "pong", 1, "sdkTime",
                                     (json_int_t)g_get_monotonic_time()));
}

/* The params, and the attachment as it came. */
static void echo(mprtc__call *call) {
  GBytes *bytes = call->bytes;
  call->bytes = NULL;
  mprtc__call_return_bytes(call, json_incref(call->req.params), bytes);
}

/* Resident memory now (not the peak getrusage gives), from /proc/self/statm; 0 if unreadable. */
static json_int_t resident_bytes(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (json_int_t)resident * sysconf(_SC_PAGESIZE);
}

static double cpu_seconds(void) {
  struct rusage u;
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static void info(mprtc__call *call) {
  guint major, minor, micro, nano;
  gst_version(&major, &minor, &micro, &nano);
  char version[32];
  g_snprintf(version, sizeof version, "%u.%u.%u", major, minor, micro);
  json_int_t objects = mprtc__registry_count(call->app);
  mprtc__call_return(call, json_pack("{s:i,s:s,s:I,s:i,s:f,s:I}", "protocol", MPRTC__BRIDGE_VERSION,
                                     "gstreamer", version, "objects", objects, "captures",
                                     mprtc__capture_running(), "cpuSeconds", cpu_seconds(), "rssBytes",
                                     resident_bytes()));
}

typedef struct {
  GSource *timer;
  mprtc__object *obj; /* borrowed: the timer is destroyed when the object closes */
  json_int_t n, count;
} ticker;

static gboolean ticker_fire(gpointer data) {
  ticker *t = data;
  t->n++;
  mprtc__object_emit(t->obj, "tick", json_pack("{s:I}", "n", t->n));
  if (t->count && t->n >= t->count) {
    mprtc__object_emit(t->obj, "done", json_object());
    g_source_unref(t->timer);
    t->timer = NULL;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void ticker_close(mprtc__object *obj) {
  ticker *t = obj->impl;
  if (t->timer) {
    g_source_destroy(t->timer);
    g_source_unref(t->timer);
    t->timer = NULL;
  }
}

static const mprtc__object_class ticker_class = {"Ticker", ticker_close, g_free};

static void ticker_new(mprtc__call *call) {
  json_int_t interval = 10, count = 0;
  if (!mprtc__call_int_param(call, "interval", 0, 60000, &interval) ||
      !mprtc__call_int_param(call, "count", 0, 1000000, &count))
    return;
  ticker *t = g_new0(ticker, 1);
  t->count = count;
  t->obj = mprtc__call_new_object(call, &ticker_class, t);
  t->timer = g_timeout_source_new((guint)interval);
  g_source_set_callback(t->timer, ticker_fire, t, NULL);
  g_source_attach(t->timer, call->sdk->context);
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)t->obj->id));
}

static const mprtc__method methods[] = {
    {"bridge.ping", NULL, ping},
    {"bridge.echo", NULL, echo},
    {"bridge.info", NULL, info},
    {"Ticker.constructor", NULL, ticker_new},
    {"Ticker.close", "Ticker", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__testing_module = {
    .name = "testing", .methods = methods, .n_methods = G_N_ELEMENTS(methods), .testing = 1};
