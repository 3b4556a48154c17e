/* The dispatch table: see dispatch.h. */
#include "sdk/core/dispatch.h"

#include <glib.h>

struct mprtc__dispatch {
  GHashTable *methods; /* name -> const mprtc__method* */
};

mprtc__dispatch *mprtc__dispatch_new(void) {
  mprtc__dispatch *d = g_new0(mprtc__dispatch, 1);
  d->methods = g_hash_table_new(g_str_hash, g_str_equal);
  return d;
}

void mprtc__dispatch_free(mprtc__dispatch *d) {
  if (!d) return;
  g_hash_table_destroy(d->methods);
  g_free(d);
}

void mprtc__dispatch_add(mprtc__dispatch *d, const mprtc__method *methods, size_t n) {
  for (size_t i = 0; i < n; i++) {
    g_warn_if_fail(!g_hash_table_contains(d->methods, methods[i].method));
    g_hash_table_insert(d->methods, (gpointer)methods[i].method, (gpointer)&methods[i]);
  }
}

const mprtc__method *mprtc__dispatch_find(const mprtc__dispatch *d, const char *method) {
  return g_hash_table_lookup(d->methods, method);
}
