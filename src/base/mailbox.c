/* Mailbox: see mailbox.h. A GSource whose prepare/check look at an atomic count, so an idle
 * consumer sleeps in poll() and a push wakes it through g_main_context_wakeup(). */
#include "base/mailbox.h"

typedef struct {
  GSource source;
  struct mprtc__mailbox *mb;
} mailbox_source;

struct mprtc__mailbox {
  GMutex lock;
  GPtrArray *items;   /* guarded by lock */
  GPtrArray *spare;   /* consumer-only: the array swapped in at the next drain */
  gint count;         /* atomic mirror of items->len, read without the lock */
  gboolean tracked;   /* the consumer declares when it sleeps (mprtc__mailbox_track_sleep) */
  gint sleeping;      /* atomic: the consumer may be blocked in poll() */
  GMainContext *context;
  mailbox_source *source;
  mprtc__mailbox_handler handler;
  void *user_data;
  GDestroyNotify item_free;
};

static gboolean source_prepare(GSource *source, gint *timeout) {
  *timeout = -1;
  return g_atomic_int_get(&((mailbox_source *)source)->mb->count) > 0;
}

static gboolean source_check(GSource *source) {
  return g_atomic_int_get(&((mailbox_source *)source)->mb->count) > 0;
}

static gboolean source_dispatch(GSource *source, GSourceFunc cb, gpointer data) {
  mprtc__mailbox_drain(((mailbox_source *)source)->mb);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs mailbox_funcs = {source_prepare, source_check, source_dispatch, NULL, NULL,
                                     NULL};

mprtc__mailbox *mprtc__mailbox_new(GMainContext *consumer, mprtc__mailbox_handler handler,
                                   void *user_data, GDestroyNotify item_free) {
  mprtc__mailbox *mb = g_new0(mprtc__mailbox, 1);
  g_mutex_init(&mb->lock);
  mb->items = g_ptr_array_new_with_free_func(item_free);
  mb->spare = g_ptr_array_new_with_free_func(item_free);
  mb->context = g_main_context_ref(consumer);
  mb->handler = handler;
  mb->user_data = user_data;
  mb->item_free = item_free;
  mb->sleeping = 1;
  mb->source = (mailbox_source *)g_source_new(&mailbox_funcs, sizeof(mailbox_source));
  mb->source->mb = mb;
  g_source_set_name(&mb->source->source, "mprtc mailbox");
  g_source_attach(&mb->source->source, consumer);
  return mb;
}

void mprtc__mailbox_push(mprtc__mailbox *mb, void *item) {
  g_mutex_lock(&mb->lock);
  g_ptr_array_add(mb->items, item);
  gboolean was_empty = g_atomic_int_add(&mb->count, 1) == 0;
  g_mutex_unlock(&mb->lock);
  /* Both sides use sequentially consistent atomics: either the consumer's prepare() sees the
   * new count, or this sees that it is sleeping (the consumer sets sleeping before prepare). */
  if (was_empty && (!mb->tracked || g_atomic_int_get(&mb->sleeping)))
    g_main_context_wakeup(mb->context);
}

void mprtc__mailbox_track_sleep(mprtc__mailbox *mb) {
  g_atomic_int_set(&mb->sleeping, 0);
  mb->tracked = TRUE;
}

void mprtc__mailbox_set_sleeping(mprtc__mailbox *mb, gboolean sleeping) {
  g_atomic_int_set(&mb->sleeping, sleeping ? 1 : 0);
}

guint mprtc__mailbox_pending(mprtc__mailbox *mb) { return (guint)g_atomic_int_get(&mb->count); }

guint mprtc__mailbox_drain(mprtc__mailbox *mb) {
  /* spare is NULL while a batch is being handled: a nested drain waits for the next turn. */
  if (g_atomic_int_get(&mb->count) == 0 || !mb->spare) return 0;
  g_mutex_lock(&mb->lock);
  GPtrArray *batch = mb->items;
  mb->items = mb->spare;
  mb->spare = NULL;
  g_atomic_int_set(&mb->count, 0);
  g_mutex_unlock(&mb->lock);

  guint n = batch->len;
  mb->handler(batch, mb->user_data);
  g_ptr_array_set_size(batch, 0);
  mb->spare = batch;
  return n;
}

void mprtc__mailbox_free(mprtc__mailbox *mb) {
  if (!mb) return;
  g_source_destroy(&mb->source->source);
  g_source_unref(&mb->source->source);
  g_ptr_array_unref(mb->items);
  if (mb->spare) g_ptr_array_unref(mb->spare);
  g_main_context_unref(mb->context);
  g_mutex_clear(&mb->lock);
  g_free(mb);
}
