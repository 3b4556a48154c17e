/* The object registry: see registry.h. */
#include "sdk/core/registry.h"

struct mprtc__registry {
  GHashTable *objects; /* int64 id -> mprtc__object (the registry's reference), every app's */
  int64_t next_id;
};

mprtc__registry *mprtc__registry_new(void) {
  mprtc__registry *reg = g_new0(mprtc__registry, 1);
  reg->objects = g_hash_table_new(g_int64_hash, g_int64_equal);
  reg->next_id = 1;
  return reg;
}

mprtc__object *mprtc__object_ref(mprtc__object *obj) {
  g_atomic_int_inc(&obj->refcount);
  return obj;
}

void mprtc__object_unref(mprtc__object *obj) {
  if (!obj || !g_atomic_int_dec_and_test(&obj->refcount)) return;
  if (obj->klass->finalize) obj->klass->finalize(obj->impl);
  mprtc__app_unref(obj->app);
  g_free(obj);
}

mprtc__object *mprtc__registry_add(mprtc__registry *reg, mprtc_app *app, mprtc__bridge *channel,
                                   const mprtc__object_class *klass, void *impl) {
  mprtc__object *obj = g_new0(mprtc__object, 1);
  obj->refcount = 1;
  obj->id = reg->next_id++;
  obj->app = mprtc__app_ref(app);
  obj->channel = channel;
  obj->klass = klass;
  obj->impl = impl;
  g_hash_table_insert(reg->objects, &obj->id, obj);
  g_hash_table_insert(app->objects, &obj->id, obj);
  return obj;
}

mprtc__object *mprtc__registry_lookup(mprtc_app *app, int64_t id) {
  return g_hash_table_lookup(app->objects, &id);
}

void mprtc__registry_close(mprtc__registry *reg, mprtc__object *obj) {
  if (obj->closed) return;
  obj->closed = TRUE;
  /* Out of the tables first: a close hook that looks the object up must not find it. */
  g_hash_table_remove(reg->objects, &obj->id);
  g_hash_table_remove(obj->app->objects, &obj->id);
  if (obj->klass->close) obj->klass->close(obj);
  mprtc__object_unref(obj);
}

static gint newest_first(gconstpointer a, gconstpointer b) {
  int64_t ia = (*(mprtc__object *const *)a)->id, ib = (*(mprtc__object *const *)b)->id;
  return ia < ib ? 1 : ia > ib ? -1 : 0;
}

/* Closes the objects of table whose events go to channel (all when channel is NULL), newest
 * first: an object made later (a data channel) may depend on one made earlier (its peer
 * connection), never the reverse. */
static guint close_matching(mprtc__registry *reg, GHashTable *table, mprtc__bridge *channel) {
  GPtrArray *victims = g_ptr_array_new();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, table);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    mprtc__object *obj = value;
    if (!channel || obj->channel == channel) g_ptr_array_add(victims, mprtc__object_ref(obj));
  }
  g_ptr_array_sort(victims, newest_first);
  for (guint i = 0; i < victims->len; i++) {
    mprtc__registry_close(reg, victims->pdata[i]);
    mprtc__object_unref(victims->pdata[i]);
  }
  guint n = victims->len;
  g_ptr_array_free(victims, TRUE);
  return n;
}

guint mprtc__registry_close_channel(mprtc__registry *reg, mprtc_app *app, mprtc__bridge *channel) {
  return close_matching(reg, app->objects, channel);
}

guint mprtc__registry_count(mprtc_app *app) { return g_hash_table_size(app->objects); }

void mprtc__registry_free(mprtc__registry *reg) {
  if (!reg) return;
  close_matching(reg, reg->objects, NULL);
  g_hash_table_destroy(reg->objects);
  g_free(reg);
}
