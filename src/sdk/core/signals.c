/* See signals.h. */
#include "sdk/core/signals.h"

void mprtc__signals_connect(gpointer instance, const mprtc__signal *signals, size_t n, gpointer data,
                            gpointer (*ref)(gpointer), GDestroyNotify unref, GArray *ids) {
  for (size_t i = 0; i < n; i++) {
    gulong id = g_signal_connect_data(instance, signals[i].signal, signals[i].handler, ref(data),
                                      (GClosureNotify)(void (*)(void))unref, 0);
    g_array_append_val(ids, id);
  }
}

void mprtc__signals_disconnect(gpointer instance, GArray *ids) {
  for (guint i = 0; i < ids->len; i++) g_signal_handler_disconnect(instance, g_array_index(ids, gulong, i));
  g_array_set_size(ids, 0);
}
