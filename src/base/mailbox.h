/* A mailbox: a many-producer, one-consumer queue of pointers delivered in batches on the
 * consumer's GMainContext. This is how call blocks cross from the JS thread to the SDK thread
 * and how replies and events come back.
 *
 * Thread rules: mprtc__mailbox_push and mprtc__mailbox_pending may be called from any thread;
 * the handler runs on the thread that iterates the consumer context; mprtc__mailbox_free must be
 * called on that thread (or after it has stopped iterating the context).
 */
#ifndef MPRTC_BASE_MAILBOX_H
#define MPRTC_BASE_MAILBOX_H

#include <glib.h>

typedef struct mprtc__mailbox mprtc__mailbox;

/* Receives every item pushed since the last batch, in push order. The mailbox frees the items
 * with its item_free after the handler returns; a handler that keeps one sets its slot to NULL. */
typedef void (*mprtc__mailbox_handler)(GPtrArray *items, void *user_data);

mprtc__mailbox *mprtc__mailbox_new(GMainContext *consumer, mprtc__mailbox_handler handler,
                                   void *user_data, GDestroyNotify item_free);

/* Queues item and wakes the consumer when the mailbox was empty. */
void mprtc__mailbox_push(mprtc__mailbox *mb, void *item);

/* Consumer thread, before the loop uses the two below: from now on a push wakes the consumer
 * only while it has declared itself about to sleep. (Waking costs a system call on both sides.)
 * A consumer that never calls this is always woken. */
void mprtc__mailbox_track_sleep(mprtc__mailbox *mb);
/* Consumer thread: about to block in poll() (TRUE), or awake again (FALSE). */
void mprtc__mailbox_set_sleeping(mprtc__mailbox *mb, gboolean sleeping);

/* Number of items waiting (a snapshot). */
guint mprtc__mailbox_pending(mprtc__mailbox *mb);

/* Delivers what is waiting now, on the consumer thread, without waiting for the main loop.
 * Returns the number of items delivered. */
guint mprtc__mailbox_drain(mprtc__mailbox *mb);

/* Detaches the mailbox from its context and frees undelivered items. */
void mprtc__mailbox_free(mprtc__mailbox *mb);

#endif
