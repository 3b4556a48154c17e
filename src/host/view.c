/* The public mini-program API (include/mprtc/view.h): the launch, and the host's questions to
 * the view layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/manifest.h"
#include "host/host.h"
#include "logic/runtime.h"
#include "mprtc/error.h"
#include "mprtc/view.h"
#include "sdk/core/sdk.h"
#include "view/view.h"

int mprtc_app_set_window(mprtc_app *app, int width, int height, double pixel_ratio) {
  int err = mprtc__app_frozen(app);
  if (err) return err;
  if (width < 1 || width > 8192 || height < 1 || height > 8192 || !(pixel_ratio >= 0.25 && pixel_ratio <= 8))
    return MPRTC_E_INVAL;
  app->window_width = width;
  app->window_height = height;
  app->pixel_ratio = pixel_ratio;
  return 0;
}

/* A line of the app's log before its logic layer exists: to the host's log handler, or to
 * stderr. */
static void log_line(mprtc_app *app, int level, const char *text) {
  if (app->log.fn) {
    mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_LOG);
    n->level = level;
    n->text = g_strdup(text);
    n->len = strlen(text);
    mprtc__app_notify(app, n);
  } else {
    fprintf(level >= MPRTC_LOG_WARN ? stderr : stdout, "%s\n", text);
  }
}

int mprtc_app_launch(mprtc_app *app, const char *url, mprtc_app_done_fn done, void *user_data) {
  int err = mprtc__app_frozen(app);
  if (err) return err;
  if (!app->root || (url && (!*url || strlen(url) > 4096 || !g_utf8_validate(url, -1, NULL)))) return MPRTC_E_INVAL;
  char *error = NULL;
  mprtc__manifest *manifest = mprtc__manifest_load(app->root, &error);
  if (!manifest) {
    /* The app cannot start: its host hears why, then that it is done. */
    err = mprtc__app_start(app, NULL);
    if (err) {
      g_free(error);
      return err;
    }
    log_line(app, MPRTC_LOG_ERROR, error);
    g_free(error);
    mprtc__run *run = g_new(mprtc__run, 1);
    run->done = done;
    run->user_data = user_data;
    mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_SETTLED);
    n->failed = 1;
    n->payload = run;
    n->drop = g_free;
    mprtc__app_notify(app, n);
    return 0;
  }
  for (guint i = 0; i < manifest->warnings->len; i++) log_line(app, MPRTC_LOG_WARN, manifest->warnings->pdata[i]);
  json_t *json = mprtc__manifest_to_json(manifest);
  /* The window the pages are laid out in, for wx.getSystemInfoSync. */
  json_object_set_new(json, "windowSize", json_pack("{s:i,s:i,s:f}", "width", app->window_width, "height",
                                                     app->window_height, "pixelRatio", app->pixel_ratio));
  char *manifest_json = json_dumps(json, JSON_COMPACT);
  json_decref(json);
  mprtc__view *view = NULL;
  err = mprtc__view_new(app, manifest, app->window_width, app->window_height, app->pixel_ratio, &mprtc__sdk_endpoint,
                        mprtc__container_sdk(app->container), &view);
  if (!err) err = mprtc__app_start(app, view);
  if (!err) err = mprtc__runtime_launch(app->runtime, manifest_json, url, done, user_data);
  free(manifest_json);
  return err;
}

static int ask(mprtc_app *app, mprtc__view_query_kind kind, const char *arg, const char *value, mprtc_view_done_fn done,
               void *user_data) {
  if (!app || !done) return MPRTC_E_INVAL;
  if (!app->view) return MPRTC_E_INVALID_STATE; /* not launched */
  mprtc__view_query(app->view, kind, arg, value, done, user_data);
  return 0;
}

int mprtc_view_dump(mprtc_app *app, mprtc_view_done_fn done, void *user_data) {
  return ask(app, MPRTC__VIEW_DUMP, NULL, NULL, done, user_data);
}

int mprtc_view_snapshot(mprtc_app *app, const char *path, mprtc_view_done_fn done, void *user_data) {
  if (!path || !*path) return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_SNAPSHOT, path, NULL, done, user_data);
}

int mprtc_view_wait(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data) {
  if (!selector || !*selector) return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_WAIT, selector, NULL, done, user_data);
}

int mprtc_view_tap(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data) {
  if (!selector || !*selector) return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_TAP, selector, NULL, done, user_data);
}

int mprtc_view_confirm(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data) {
  if (!selector || !*selector) return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_CONFIRM, selector, NULL, done, user_data);
}

int mprtc_app_automate(mprtc_app *app, const char *method, const char *params_json, mprtc_view_done_fn done,
                       void *user_data) {
  if (!method || !*method || strlen(method) > 128 || (params_json && !g_utf8_validate(params_json, -1, NULL)))
    return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_AUTOMATE, method, params_json ? params_json : "{}", done, user_data);
}

int mprtc_view_input(mprtc_app *app, const char *selector, const char *value, mprtc_view_done_fn done,
                     void *user_data) {
  if (!selector || !*selector || !value || !g_utf8_validate(value, -1, NULL)) return MPRTC_E_INVAL;
  return ask(app, MPRTC__VIEW_INPUT, selector, value, done, user_data);
}
