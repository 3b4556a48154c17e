/* The dispatch table: see dispatch.h. */
#include "sdk/core/dispatch.h"

#include <glib.h>

#include "sdk/core/module.h"

typedef struct {
  const mprtc__method *method;
  const mprtc__sdk_module *module;
} entry;

struct mprtc__dispatch {
  GHashTable *methods; /* name -> entry* */
};

mprtc__dispatch *mprtc__dispatch_new(void) {
  mprtc__dispatch *d = g_new0(mprtc__dispatch, 1);
  d->methods = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  return d;
}

void mprtc__dispatch_free(mprtc__dispatch *d) {
  if (!d) return;
  g_hash_table_destroy(d->methods);
  g_free(d);
}

void mprtc__dispatch_add(mprtc__dispatch *d, const mprtc__sdk_module *module) {
  for (size_t i = 0; i < module->n_methods; i++) {
    const mprtc__method *m = &module->methods[i];
    g_warn_if_fail(!g_hash_table_contains(d->methods, m->method));
    entry *e = g_new(entry, 1);
    e->method = m;
    e->module = module;
    g_hash_table_insert(d->methods, (gpointer)m->method, e);
  }
}

const mprtc__method *mprtc__dispatch_find(const mprtc__dispatch *d, const char *method,
                                          const mprtc__sdk_module **module) {
  const entry *e = g_hash_table_lookup(d->methods, method);
  if (module) *module = e ? e->module : NULL;
  return e ? e->method : NULL;
}
