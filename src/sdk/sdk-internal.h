/* The SDK's insides, shared by the files of src/sdk/ and the bridge. */
#ifndef MPRTC_SDK_INTERNAL_H
#define MPRTC_SDK_INTERNAL_H

#include <glib.h>

#include "base/loop.h"
#include "base/mailbox.h"
#include "mprtc/sdk.h"
#include "sdk/dispatch.h"
#include "sdk/registry.h"

typedef struct mprtc__bridge mprtc__bridge;

struct mprtc_sdk {
  GThread *thread;
  GMainContext *context;      /* the SDK thread's context: webrtcbin callbacks are re-posted here */
  mprtc__loop loop;
  mprtc__mailbox *requests;   /* call blocks and channel detaches from JS threads */
  mprtc__registry *registry;  /* SDK thread only */
  mprtc__dispatch *dispatch;  /* read-only after start */

  GMutex start_lock;
  GCond start_cond;
  gboolean started;
};

/* Any thread. Queues a call block text (malloc'd, taken) from bridge's app. */
void mprtc__sdk_submit(mprtc_sdk *sdk, mprtc__bridge *bridge, char *text, size_t len);

/* Any thread. Queues the detach of a closed channel: after the call blocks queued before it,
 * the SDK closes every object of the channel and drops its reference. */
void mprtc__sdk_detach(mprtc_sdk *sdk, mprtc__bridge *bridge);

/* Handler sets, each registering its methods (src/sdk/<interface>.c). */
void mprtc__bridge_test_register(mprtc__dispatch *d);
void mprtc__websocket_register(mprtc__dispatch *d);

#endif
