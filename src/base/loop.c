/* See loop.h. */
#include "base/loop.h"

#include <stdlib.h>

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

void mprtc__loop_init(mprtc__loop *loop, GMainContext *context, mprtc__mailbox *inbox) {
  loop->context = context;
  loop->inbox = inbox;
  loop->spin_us = MPRTC__LOOP_DEFAULT_SPIN_US;
  const char *env = g_getenv("MPRTC_SPIN_US");
  if (env && *env) loop->spin_us = MAX(0, atoi(env));
  g_atomic_int_set(&loop->quit, 0);
  g_atomic_int_set(&loop->traffic, 0);
  /* Before any producer can push (the loop's thread has not started, or has not posted yet). */
  if (inbox) mprtc__mailbox_track_sleep(inbox);
}

void mprtc__loop_note_traffic(mprtc__loop *loop) { g_atomic_int_inc(&loop->traffic); }

void mprtc__loop_quit(mprtc__loop *loop) {
  g_atomic_int_set(&loop->quit, 1);
  g_main_context_wakeup(loop->context);
}

/* Spins until the inbox has items or spin_us passes. Returns TRUE if items arrived. */
static gboolean spin_for_inbox(mprtc__loop *loop) {
  gint64 until = g_get_monotonic_time() + loop->spin_us;
  for (;;) {
    for (int i = 0; i < 64; i++) {
      if (mprtc__mailbox_pending(loop->inbox) > 0) return TRUE;
      cpu_relax();
    }
    if (g_atomic_int_get(&loop->quit) || g_get_monotonic_time() >= until) return FALSE;
  }
}

void mprtc__loop_run(mprtc__loop *loop) {
  gint seen = g_atomic_int_get(&loop->traffic);
  while (!g_atomic_int_get(&loop->quit)) {
    gint now = g_atomic_int_get(&loop->traffic);
    if (loop->spin_us > 0 && loop->inbox && now != seen) {
      seen = now;
      if (spin_for_inbox(loop)) {
        g_main_context_iteration(loop->context, FALSE);
        continue;
      }
    }
    if (loop->inbox) mprtc__mailbox_set_sleeping(loop->inbox, TRUE);
    g_main_context_iteration(loop->context, TRUE);
    if (loop->inbox) mprtc__mailbox_set_sleeping(loop->inbox, FALSE);
  }
}
