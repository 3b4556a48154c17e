/* The container (include/mprtc/container.h): the SDK and the IDs of the apps running. libmprtc
 * owns GStreamer: the first container starts it (on the SDK thread), and it is shut down when the
 * process exits with no container left, so that a leak checker at exit finds no GStreamer thread
 * still winding down. */
#include <gst/gst.h>
#include <stdlib.h>

#include "host/host.h"
#include "mprtc/error.h"
#include "sdk/core/sdk.h"

struct mprtc_container {
  mprtc__sdk *sdk;
  GMutex lock;
  GHashTable *running; /* app ID -> mprtc_app* (borrowed) of the apps not freed yet; lock */
};

static GMutex containers_lock;
static int live_containers; /* containers_lock */

static void stop_gstreamer_at_exit(void) {
  g_mutex_lock(&containers_lock);
  /* A container still alive at exit still uses GStreamer: then it is left as it is. */
  if (live_containers == 0) {
    gst_deinit();
    g_thread_pool_stop_unused_threads();
  }
  g_mutex_unlock(&containers_lock);
}

int mprtc_container_new(mprtc_container **out) {
  if (!out) return MPRTC_E_INVAL;
  mprtc_container *c = g_new0(mprtc_container, 1);
  int err = mprtc__sdk_new(&c->sdk);
  if (err) {
    g_free(c);
    return err;
  }
  g_mutex_init(&c->lock);
  c->running = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  static gboolean hooked;
  g_mutex_lock(&containers_lock);
  live_containers++;
  if (!hooked) hooked = atexit(stop_gstreamer_at_exit) == 0;
  g_mutex_unlock(&containers_lock);
  *out = c;
  return 0;
}

void mprtc_container_free(mprtc_container *c) {
  if (!c) return;
  if (g_hash_table_size(c->running) > 0)
    g_warning("mprtc_container_free: %u app(s) not freed; their objects close now", g_hash_table_size(c->running));
  mprtc__sdk_free(c->sdk);
  g_hash_table_unref(c->running);
  g_mutex_clear(&c->lock);
  g_free(c);
  g_mutex_lock(&containers_lock);
  live_containers--;
  g_mutex_unlock(&containers_lock);
}

struct mprtc__sdk *mprtc__container_sdk(mprtc_container *c) { return c->sdk; }

int mprtc__container_claim(mprtc_container *c, mprtc_app *app) {
  g_mutex_lock(&c->lock);
  gboolean taken = g_hash_table_contains(c->running, app->id);
  if (!taken) g_hash_table_insert(c->running, g_strdup(app->id), app);
  g_mutex_unlock(&c->lock);
  return taken ? MPRTC_E_APP_EXISTS : 0;
}

void mprtc__container_release(mprtc_container *c, mprtc_app *app) {
  g_mutex_lock(&c->lock);
  if (g_hash_table_lookup(c->running, app->id) == app) g_hash_table_remove(c->running, app->id);
  g_mutex_unlock(&c->lock);
}
