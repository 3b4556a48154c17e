/* The SDK's insides, shared by the files of src/sdk/ and the bridge. */
#ifndef MPRTC_SDK_INTERNAL_H
#define MPRTC_SDK_INTERNAL_H

#include <glib.h>

#include "base/loop.h"
#include "base/mailbox.h"
#include "mprtc/sdk.h"
#include "sdk/core/dispatch.h"
#include "sdk/core/registry.h"

typedef struct mprtc__bridge mprtc__bridge;

struct mprtc_sdk {
  GThread *thread;
  GMainContext *context;      /* the SDK thread's context: webrtcbin callbacks are re-posted here */
  mprtc__loop loop;
  mprtc__mailbox *requests;   /* call blocks and channel detaches from JS threads */
  mprtc__registry *registry;  /* SDK thread only */
  mprtc__dispatch *dispatch;  /* read-only after start */

  GThreadPool *background;    /* runs blocking work (webrtcbin to NULL, warm-up) off the SDK thread */
  GMutex background_lock;
  GCond background_cond;
  guint background_pending;   /* guarded by background_lock */

  mprtc_permission_fn permission_fn; /* set before use, then read-only */
  void *permission_data;
  GHashTable *grants;         /* "app\npermission" -> GINT_TO_POINTER(1 granted, 2 denied); SDK thread */
  GHashTable *stream_ids;     /* "app\nstream id" -> mprtc__object* (borrowed); SDK thread */
  GPtrArray *device_watchers; /* MediaDevices.watch objects (borrowed); SDK thread */
  guint device_watch;         /* mprtc__devices_watch while there are watchers; SDK thread */

  GMutex start_lock;
  GCond start_cond;
  gboolean started;
};

/* Any thread. Queues a call block text (malloc'd, taken) from bridge's app. */
void mprtc__sdk_submit(mprtc_sdk *sdk, mprtc__bridge *bridge, char *text, size_t len);

/* Any thread. Queues the detach of a closed channel: after the call blocks queued before it,
 * the SDK closes every object of the channel and drops its reference. */
void mprtc__sdk_detach(mprtc_sdk *sdk, mprtc__bridge *bridge);

/* Any thread. Runs fn(data) on the SDK thread, holding a reference to obj (which may be NULL)
 * meanwhile; when obj is closed by then, fn is not called. destroy (may be NULL) frees data
 * either way. This is how webrtcbin's signal handlers hand their arguments to the SDK thread. */
void mprtc__sdk_post(mprtc_sdk *sdk, mprtc__object *obj, void (*fn)(mprtc__object *obj, void *data),
                     void *data, GDestroyNotify destroy);

/* SDK thread. Runs fn(data, NULL) on a background thread: for work that may block (a webrtcbin
 * pipeline going to NULL can hang while data is in flight) or takes long (the warm-up).
 * mprtc_sdk_free waits for these, up to a bound, and leaves behind (with a warning) one that
 * hangs. */
void mprtc__sdk_run_in_background(mprtc_sdk *sdk, GFunc fn, void *data);

/* Background thread (mprtc__sdk_run_in_background). Does ahead of time, once per process, the
 * slow work of a process's first connection (src/sdk/core/warmup.c). */
void mprtc__sdk_warm_up(gpointer unused, gpointer unused_too);

/* Handler sets, each registering its methods (src/sdk/<interface>.c). */
void mprtc__bridge_test_register(mprtc__dispatch *d);
void mprtc__websocket_register(mprtc__dispatch *d);
void mprtc__peerconnection_register(mprtc__dispatch *d);
void mprtc__datachannel_register(mprtc__dispatch *d);
void mprtc__mediadevices_register(mprtc__dispatch *d);
void mprtc__track_register(mprtc__dispatch *d);
void mprtc__stream_register(mprtc__dispatch *d);
void mprtc__rtp_register(mprtc__dispatch *d);
void mprtc__rtp_sources_register(mprtc__dispatch *d);
void mprtc__stats_register(mprtc__dispatch *d);

/* SDK thread. Asks for each of permissions (NULL-terminated: "camera", "microphone") that app
 * has no answer for yet, then calls done(denied, data): denied is NULL when every one is
 * granted, else one that is not (valid during the call). done may run before this returns. */
void mprtc__permission_check(mprtc_sdk *sdk, const char *app, const char *const *permissions,
                             void (*done)(const char *denied, void *data), void *data);
/* SDK thread. Whether app was granted permission. */
gboolean mprtc__permission_granted(mprtc_sdk *sdk, const char *app, const char *permission);

#endif
