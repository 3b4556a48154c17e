/* Following a GObject's signals for as long as an SDK object cares: a table of handlers, each
 * holding its own reference to the data it gets, connected together and disconnected together.
 *
 * Thread rules: the thread that owns the instance (the SDK thread).
 */
#ifndef MPRTC_SDK_SIGNALS_H
#define MPRTC_SDK_SIGNALS_H

#include <glib-object.h>

typedef struct {
  const char *signal;  /* "on-ice-candidate", "notify::ready-state", ... */
  GCallback handler;
} mprtc__signal;

/* Connects every signal of signals (n of them) on instance with data: each handler gets a
 * reference (ref(data)), released with unref when it is disconnected. The handler IDs are
 * appended to ids (a GArray of gulong). */
void mprtc__signals_connect(gpointer instance, const mprtc__signal *signals, size_t n, gpointer data,
                            gpointer (*ref)(gpointer), GDestroyNotify unref, GArray *ids);

/* Disconnects the handlers of ids from instance (their references go) and empties ids. */
void mprtc__signals_disconnect(gpointer instance, GArray *ids);

#endif
