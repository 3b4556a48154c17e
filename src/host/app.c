/* The public app API (include/mprtc/app.h): the app record's options, its runs and its end. */
#include <string.h>

#include "app/package.h"
#include "bridge/codec.h"
#include "host/host.h"
#include "logic/runtime.h"
#include "mprtc/error.h"
#include "sdk/core/sdk.h"
#include "view/view.h"

int mprtc_app_new(mprtc_container *container, const char *id, const char *root, mprtc_app **out) {
  if (!container || !id || !out || !mprtc__app_id_valid(id)) return MPRTC_E_INVAL;
  char *resolved = NULL;
  if (root && !(resolved = mprtc__package_root(root))) return MPRTC_E_INVAL;
  mprtc_app *app = mprtc__app_new(container, id, resolved);
  g_free(resolved);
  int err = mprtc__container_claim(container, app);
  if (err) {
    mprtc__app_unref(app);
    return err;
  }
  *out = app;
  return 0;
}

/* Options hold from the first run on. */
int mprtc__app_frozen(mprtc_app *app) {
  if (!app) return MPRTC_E_INVAL;
  return g_atomic_int_get(&app->started) ? MPRTC_E_BUSY : 0;
}

int mprtc_app_set_flags(mprtc_app *app, unsigned flags) {
  int err = mprtc__app_frozen(app);
  if (!err) app->flags = flags;
  return err;
}

int mprtc_app_set_context(mprtc_app *app, GMainContext *context) {
  int err = mprtc__app_frozen(app);
  if (err) return err;
  g_main_context_unref(app->context);
  app->context = g_main_context_ref(context ? context : g_main_context_default());
  return 0;
}

/* Replaces a handler of the host's, letting go of the one before. */
static int set_handler(mprtc_app *app, mprtc__host_handler *h, mprtc__host_fn fn, void *data, GDestroyNotify destroy) {
  int err = mprtc__app_frozen(app);
  if (err) return err;
  if (h->destroy) h->destroy(h->data);
  *h = (mprtc__host_handler){fn, data, destroy};
  return 0;
}

int mprtc_app_set_log_handler(mprtc_app *app, mprtc_log_fn fn, void *user_data, GDestroyNotify destroy) {
  return set_handler(app, &app->log, (mprtc__host_fn)fn, user_data, destroy);
}

int mprtc_app_set_permission_handler(mprtc_app *app, mprtc_permission_fn fn, void *user_data,
                                     GDestroyNotify destroy) {
  return set_handler(app, &app->permission, (mprtc__host_fn)fn, user_data, destroy);
}

int mprtc_app_set_automation_handler(mprtc_app *app, mprtc_automation_event_fn fn, void *user_data,
                                     GDestroyNotify destroy) {
  return set_handler(app, &app->automation, (mprtc__host_fn)fn, user_data, destroy);
}

int mprtc_app_set_exit_handler(mprtc_app *app, mprtc_app_exit_fn fn, void *user_data, GDestroyNotify destroy) {
  return set_handler(app, &app->exit, (mprtc__host_fn)fn, user_data, destroy);
}

int mprtc_app_set_file_chooser(mprtc_app *app, mprtc_file_chooser_fn fn, void *user_data, GDestroyNotify destroy) {
  return set_handler(app, &app->file_chooser, (mprtc__host_fn)fn, user_data, destroy);
}

/* A host method's name: an identifier of at most MPRTC__NAME_MAX characters. */
static gboolean method_name_valid(const char *name) {
  return name && !strchr(name, '.') && mprtc__method_name_valid(name);
}

int mprtc_app_add_method(mprtc_app *app, const char *name, mprtc_host_method_fn fn, void *user_data,
                         GDestroyNotify destroy) {
  int err = mprtc__app_frozen(app);
  if (err) return err;
  if (!fn || !method_name_valid(name) || g_hash_table_contains(app->host_methods, name)) return MPRTC_E_INVAL;
  mprtc__host_method *m = g_new(mprtc__host_method, 1);
  m->fn = fn;
  m->user_data = user_data;
  m->destroy = destroy;
  g_hash_table_insert(app->host_methods, g_strdup(name), m);
  return 0;
}

int mprtc__app_start(mprtc_app *app, mprtc__view *view) {
  g_atomic_int_set(&app->started, 1);
  g_mutex_lock(&app->notices_lock);
  app->notices = mprtc__notices_new(app);
  g_mutex_unlock(&app->notices_lock);
  app->view = view;
  mprtc__runtime_port ports[MPRTC__PORTS] = {
      [MPRTC__PORT_SDK] = {&mprtc__sdk_endpoint, mprtc__container_sdk(app->container)},
      [MPRTC__PORT_HOST] = {&mprtc__host_endpoint, app},
      [MPRTC__PORT_VIEW] = {view ? &mprtc__view_endpoint : NULL, view},
  };
  return mprtc__runtime_new(app, ports, &app->runtime);
}

int mprtc_app_run(mprtc_app *app, const char *script, int argc, const char *const *args, mprtc_app_done_fn done,
                  void *user_data) {
  if (!app || !script || argc < 0 || (argc > 0 && !args)) return MPRTC_E_INVAL;
  if (!app->root) {
    /* No root given: the script names its own folder, from the current directory. */
    char *absolute = g_canonicalize_filename(script, NULL);
    char *dir = g_path_get_dirname(absolute);
    app->root = mprtc__package_root(dir);
    g_free(dir);
    g_free(absolute);
    if (!app->root) return MPRTC_E_IO;
  }
  int err;
  char *message = NULL;
  char *path = mprtc__package_resolve(app->root, script, &err, &message);
  g_free(message);
  if (!path) return err;
  if (!g_atomic_int_get(&app->started) && (err = mprtc__app_start(app, NULL))) {
    g_free(path);
    return err;
  }
  if (!app->runtime) {
    g_free(path);
    return MPRTC_E_CLOSED;
  }
  err = mprtc__runtime_exec(app->runtime, path, argc, args, done, user_data);
  g_free(path);
  return err;
}

void mprtc_app_terminate(mprtc_app *app) {
  if (app && app->runtime) mprtc__runtime_terminate(app->runtime);
}

void mprtc_app_free(mprtc_app *app) {
  if (!app) return;
  mprtc__container_release(app->container, app);
  /* The JS thread stops and closes the app's channels: the SDK closes its objects after the
   * blocks already sent. */
  mprtc__runtime_free(app->runtime);
  app->runtime = NULL;
  /* Then the view, whose channel from the JS thread is closed now. */
  mprtc__view_free(app->view);
  app->view = NULL;
  /* What the host has not had yet goes: a permission question is answered no. */
  g_mutex_lock(&app->notices_lock);
  mprtc__mailbox *notices = app->notices;
  app->notices = NULL;
  g_mutex_unlock(&app->notices_lock);
  mprtc__mailbox_free(notices);
  /* The host's functions and data are let go here, on the host's thread: the SDK may hold the
   * record a while longer, but it never calls the host. */
  mprtc__app_release_handlers(app);
  mprtc__app_unref(app);
}
