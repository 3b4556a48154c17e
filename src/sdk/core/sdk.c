/* The SDK thread: owns GStreamer, the registry, the dispatch table and the modules' state.
 * Call blocks come in through its endpoint (src/sdk/core/endpoint.c). */
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

#include "mprtc/error.h"
#include "sdk/core/sdk.h"

typedef struct {
  GFunc fn;
  void *data;
} background_job;

static void run_background(gpointer job_ptr, gpointer sdk_ptr) {
  background_job *job = job_ptr;
  mprtc__sdk *sdk = sdk_ptr;
  job->fn(job->data, NULL);
  g_free(job);
  g_mutex_lock(&sdk->background_lock);
  sdk->background_pending--;
  g_cond_broadcast(&sdk->background_cond);
  g_mutex_unlock(&sdk->background_lock);
}

void mprtc__sdk_run_in_background(mprtc__sdk *sdk, GFunc fn, void *data) {
  background_job *job = g_new(background_job, 1);
  job->fn = fn;
  job->data = data;
  g_mutex_lock(&sdk->background_lock);
  sdk->background_pending++;
  g_mutex_unlock(&sdk->background_lock);
  g_thread_pool_push(sdk->background, job, NULL);
}

/* Waits for the background threads; a job stuck for longer than this is left behind. */
#define BACKGROUND_WAIT_US (5 * G_USEC_PER_SEC)

static void wait_for_background(mprtc__sdk *sdk) {
  gint64 deadline = g_get_monotonic_time() + BACKGROUND_WAIT_US;
  g_mutex_lock(&sdk->background_lock);
  while (sdk->background_pending > 0)
    if (!g_cond_wait_until(&sdk->background_cond, &sdk->background_lock, deadline)) break;
  guint stuck = sdk->background_pending;
  g_mutex_unlock(&sdk->background_lock);
  if (stuck) {
    g_printerr("mprtc: %u background job(s) (connection teardowns) did not finish in %d s; leaving them behind\n",
               stuck, (int)(BACKGROUND_WAIT_US / G_USEC_PER_SEC));
  } else {
    g_thread_pool_free(sdk->background, FALSE, TRUE);
    sdk->background = NULL;
  }
}

void *mprtc__sdk_module_state(mprtc__sdk *sdk, const mprtc__sdk_module *module) {
  for (size_t i = 0; mprtc__sdk_modules[i]; i++)
    if (mprtc__sdk_modules[i] == module) return sdk->module_state[i];
  return NULL;
}

static gpointer sdk_thread(gpointer data) {
  mprtc__sdk *sdk = data;
  g_main_context_push_thread_default(sdk->context);
  /* GStreamer is initialised here so that every element is created on the thread that owns it.
   * gst_init is idempotent and thread-safe. */
  gst_init(NULL, NULL);
  sdk->registry = mprtc__registry_new();
  for (size_t i = 0; mprtc__sdk_modules[i]; i++)
    if (mprtc__sdk_modules[i]->init) mprtc__sdk_modules[i]->init(sdk, &sdk->module_state[i]);
  mprtc__sdk_run_in_background(sdk, mprtc__sdk_warm_up, NULL);

  g_mutex_lock(&sdk->start_lock);
  sdk->started = TRUE;
  g_cond_signal(&sdk->start_cond);
  g_mutex_unlock(&sdk->start_lock);

  mprtc__loop_run(&sdk->loop);

  /* Requests still queued get no reply (their channels are closed by now); objects close. */
  mprtc__registry_free(sdk->registry);
  sdk->registry = NULL;
  mprtc__permission_orphan_all(sdk);
  /* Work posted and still queued holds object references: run the queue dry (objects are
   * closed, so their work is skipped; work of no object still runs). */
  while (g_main_context_iteration(sdk->context, FALSE)) {
  }
  for (size_t i = 0; mprtc__sdk_modules[i]; i++)
    if (mprtc__sdk_modules[i]->shutdown) mprtc__sdk_modules[i]->shutdown(sdk, sdk->module_state[i]);
  g_main_context_pop_thread_default(sdk->context);
  return NULL;
}

static void sdk_destroy(mprtc__sdk *sdk) {
  mprtc__mailbox_free(sdk->requests);
  mprtc__dispatch_free(sdk->dispatch);
  g_free(sdk->module_state);
  g_mutex_clear(&sdk->background_lock);
  g_cond_clear(&sdk->background_cond);
  g_mutex_clear(&sdk->start_lock);
  g_cond_clear(&sdk->start_cond);
  g_main_context_unref(sdk->context);
  g_free(sdk);
}

int mprtc__sdk_new(mprtc__sdk **out) {
  mprtc__sdk *sdk = g_new0(mprtc__sdk, 1);
  sdk->context = g_main_context_new();
  sdk->requests = mprtc__mailbox_new(sdk->context, mprtc__sdk_handle_items, sdk, mprtc__sdk_item_free);
  mprtc__loop_init(&sdk->loop, sdk->context, sdk->requests);
  sdk->dispatch = mprtc__dispatch_new();
  size_t n = 0;
  while (mprtc__sdk_modules[n]) mprtc__dispatch_add(sdk->dispatch, mprtc__sdk_modules[n++]);
  sdk->module_state = g_new0(void *, n);
  g_mutex_init(&sdk->background_lock);
  g_cond_init(&sdk->background_cond);
  sdk->background = g_thread_pool_new(run_background, sdk, 2, FALSE, NULL);
  g_mutex_init(&sdk->start_lock);
  g_cond_init(&sdk->start_cond);

  GError *error = NULL;
  sdk->thread = g_thread_try_new("mprtc-sdk", sdk_thread, sdk, &error);
  if (!sdk->thread) {
    g_error_free(error);
    g_thread_pool_free(sdk->background, TRUE, TRUE);
    sdk_destroy(sdk);
    return MPRTC_E_THREAD;
  }
  g_mutex_lock(&sdk->start_lock);
  while (!sdk->started) g_cond_wait(&sdk->start_cond, &sdk->start_lock);
  g_mutex_unlock(&sdk->start_lock);
  *out = sdk;
  return 0;
}

void mprtc__sdk_free(mprtc__sdk *sdk) {
  if (!sdk) return;
  mprtc__loop_quit(&sdk->loop);
  g_thread_join(sdk->thread);
  wait_for_background(sdk);
  /* A background thread that is stuck still refers to the SDK: then it is all left behind. */
  if (!sdk->background) sdk_destroy(sdk);
}
