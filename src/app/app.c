/* The app record: see app.h. */
#include "app/app.h"

#include "app/files.h"

static void host_method_free(gpointer p) {
  mprtc__host_method *m = p;
  if (m->destroy) m->destroy(m->user_data);
  g_free(m);
}

mprtc_app *mprtc__app_new(mprtc_container *container, const char *id, const char *root) {
  mprtc_app *app = g_new0(mprtc_app, 1);
  app->refcount = 1;
  app->id = g_strdup(id);
  app->root = g_strdup(root);
  app->container = container;
  app->context = g_main_context_ref(g_main_context_default());
  app->window_width = 375;
  app->window_height = 667;
  app->pixel_ratio = 2;
  app->host_methods = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, host_method_free);
  g_mutex_init(&app->notices_lock);
  app->objects = g_hash_table_new(g_int64_hash, g_int64_equal);
  app->stream_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  app->grants = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init(&app->slots_lock);
  app->slots = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  return app;
}

void mprtc__app_release_handlers(mprtc_app *app) {
  mprtc__host_handler *handlers[] = {&app->log, &app->permission, &app->automation, &app->exit, &app->file_chooser};
  for (guint i = 0; i < G_N_ELEMENTS(handlers); i++) {
    if (handlers[i]->destroy) handlers[i]->destroy(handlers[i]->data);
    *handlers[i] = (mprtc__host_handler){0};
  }
  g_hash_table_remove_all(app->host_methods);
}

mprtc_app *mprtc__app_ref(mprtc_app *app) {
  g_atomic_int_inc(&app->refcount);
  return app;
}

void mprtc__app_unref(mprtc_app *app) {
  if (!app || !g_atomic_int_dec_and_test(&app->refcount)) return;
  /* The last reference: no part uses the app any more, so its tables are nobody's now. */
  mprtc__app_release_handlers(app);
  g_hash_table_unref(app->host_methods);
  g_hash_table_unref(app->objects);
  g_hash_table_unref(app->stream_ids);
  g_hash_table_unref(app->grants);
  GHashTableIter it;
  gpointer slot;
  g_hash_table_iter_init(&it, app->slots);
  while (g_hash_table_iter_next(&it, NULL, &slot)) app->slot_free(slot);
  g_hash_table_unref(app->slots);
  g_mutex_clear(&app->slots_lock);
  /* Freed with the host's channel, unless the app never ran. */
  mprtc__files_free(app->files);
  g_main_context_unref(app->context);
  g_mutex_clear(&app->notices_lock);
  g_free(app->root);
  g_free(app->id);
  g_free(app);
}

void mprtc__app_put_slot(mprtc_app *app, int64_t key, void *slot, GDestroyNotify unref) {
  g_mutex_lock(&app->slots_lock);
  app->slot_free = unref;
  /* One left before under the same key (its Renderer.create was refused) goes. */
  gpointer old = g_hash_table_lookup(app->slots, &key);
  if (old) unref(old);
  g_hash_table_insert(app->slots, g_memdup2(&key, sizeof key), slot);
  g_mutex_unlock(&app->slots_lock);
}

void *mprtc__app_take_slot(mprtc_app *app, int64_t key) {
  g_mutex_lock(&app->slots_lock);
  gpointer stolen_key = NULL, slot = NULL;
  if (g_hash_table_steal_extended(app->slots, &key, &stolen_key, &slot)) g_free(stolen_key);
  g_mutex_unlock(&app->slots_lock);
  return slot;
}

mprtc__notice *mprtc__notice_new(mprtc__notice_kind kind) {
  mprtc__notice *n = g_new0(mprtc__notice, 1);
  n->kind = kind;
  return n;
}

void mprtc__notice_free(mprtc__notice *n) {
  if (!n) return;
  /* Whatever the host never got is answered here, so that nothing waits for ever. */
  if (n->payload && n->drop) n->drop(n->payload);
  g_free(n->text);
  g_free(n);
}

void mprtc__app_notify(mprtc_app *app, mprtc__notice *n) {
  g_mutex_lock(&app->notices_lock);
  if (app->notices) {
    mprtc__mailbox_push(app->notices, n);
    n = NULL;
  }
  g_mutex_unlock(&app->notices_lock);
  mprtc__notice_free(n);
}

struct mprtc__files *mprtc__app_files(mprtc_app *app) {
  if (!app->files) app->files = mprtc__files_new(app->id, app->root);
  return app->files;
}

gboolean mprtc__app_testing(const mprtc_app *app) { return (app->flags & MPRTC_APP_TESTING) != 0; }

const char *mprtc_app_id(const mprtc_app *app) { return app->id; }
