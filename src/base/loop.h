/* The event loop of the JS thread and the SDK thread: a GMainContext iterated until told to
 * quit, with a short bounded spin after bridge traffic. Waking a thread that sleeps in poll()
 * costs tens of microseconds on a VM; a call block round trip costs a few. So right after a
 * burst of traffic the loop keeps polling the mailbox (no syscall, just an atomic read) for
 * spin_us before it goes to sleep. Traffic-free wakeups (timers, GStreamer) never spin.
 *
 * Thread rules: mprtc__loop_run runs on the thread that owns the context; mprtc__loop_quit and
 * mprtc__loop_note_traffic may be called from any thread.
 */
#ifndef MPRTC_BASE_LOOP_H
#define MPRTC_BASE_LOOP_H

#include <glib.h>

#include "base/mailbox.h"

typedef struct {
  GMainContext *context;
  mprtc__mailbox *inbox; /* the mailbox whose arrivals end a spin early; may be NULL */
  gint64 spin_us;        /* 0 disables spinning */
  gint quit;             /* atomic */
  gint traffic;          /* atomic counter, bumped by mprtc__loop_note_traffic */
} mprtc__loop;

/* Initialises loop for context; spin_us from $MPRTC_SPIN_US when set, else the default. Call
 * it before any other thread can push into inbox. */
void mprtc__loop_init(mprtc__loop *loop, GMainContext *context, mprtc__mailbox *inbox);

/* Default spin after traffic, in microseconds. */
#define MPRTC__LOOP_DEFAULT_SPIN_US 50

void mprtc__loop_run(mprtc__loop *loop);
void mprtc__loop_quit(mprtc__loop *loop);
void mprtc__loop_note_traffic(mprtc__loop *loop);

#endif
