/* What the view layer's files share (src/view/view.c, input.c, dump.c): the view's record.
 *
 * Thread rules: the view thread, but for the fields marked otherwise.
 */
#ifndef MPRTC_VIEW_VIEW_INTERNAL_H
#define MPRTC_VIEW_VIEW_INTERNAL_H

#include <cairo.h>

#include "base/loop.h"
#include "view/page.h"
#include "view/paint.h"
#include "view/view.h"

/* A host's question, answered once on the app's context. */
typedef struct {
  mprtc__view_query_kind kind;
  char *arg, *value;
  mprtc_view_done_fn done;
  void *user_data;
  int pending_events;  /* TAP, INPUT: the events sent whose handlers have not finished */
  gboolean answers_json; /* AUTOMATE: the answer's text is the result's JSON (otherwise {} is) */
  int64_t typed_page;    /* AUTOMATE typing: the input's page and element ID, for the value its */
  guint64 typed_element; /* handler returns (0: none) */
} mprtc__view_question;

struct mprtc__view {
  mprtc_app *app;               /* a reference; immutable */
  mprtc__manifest *manifest;    /* immutable */
  double width, height, pixel_ratio; /* immutable */
  GThread *thread;
  GMainContext *context;
  mprtc__loop loop;
  mprtc__mailbox *inbox;        /* any thread pushes: blocks, detaches, questions */

  mprtc__bridge *logic;         /* the logic layer's channel (a reference), for events; NULL
                                   once detached */
  mprtc__wxml_set *wxml;        /* every WXML file loaded, parsed once */
  struct mprtc__images *images; /* the pictures of <image>, decoded once */
  mprtc__wxss *app_sheet;       /* app.wxss (empty when there is none), loaded with the first page */
  mprtc__cascade cascade;       /* the window, and the style warnings given (once each) */
  GHashTable *pages;            /* page ID (int64*) -> mprtc__page* */
  mprtc__page *current;         /* the page shown, or NULL */
  GPtrArray *waiting;           /* mprtc__view_question* of kind WAIT */
  GHashTable *events;           /* event ID (int64*) -> mprtc__view_question* (borrowed, in
                                   tapping) or NULL */
  GPtrArray *questions;         /* every question in flight (owned) */
  int64_t next_event;
  gint64 start_us;              /* events' timeStamp counts from here */

  /* The view's own channel to the SDK, for the media elements' renderers (src/view/media.c). */
  const mprtc__endpoint *sdk_endpoint; /* immutable */
  void *sdk_data;
  mprtc__bridge *sdk;           /* NULL before the thread starts and once it ends */
  int64_t sdk_seq;
  GHashTable *media_calls;      /* seq (int64*) -> the element (borrowed; NULL once it went) of a
                                   Renderer.create or .set in flight */
  GHashTable *renderers;        /* renderer ID (int64*) -> its element (borrowed) */

  /* The presented window (MPRTC_APP_PRESENT): what a screen shows, kept painted. */
  gboolean present;             /* immutable */
  cairo_surface_t *screen;      /* NULL until the first paint */
  gint paint_scheduled;         /* atomic: a paint is on its way to the view thread */
  gboolean page_changed;        /* since the last paint: repaint all of it, not just videos */
  gint64 last_paint_us;
  guint64 paints;

  struct mprtc__toast *toast;   /* the toast shown (src/view/toast.h), or NULL */
  struct mprtc__modal *modal;
  gboolean launched;            /* the first page is ready (View.launched) */
  GPtrArray *automation_waiting; /* AUTOMATE questions (borrowed) asked before the launch */
  guint64 next_element;         /* the last element ID given to an automation client */
  GHashTable *automation_calls; /* ID (int64*) -> the AUTOMATE question (borrowed) the logic
                                   layer is answering */   /* the dialogs of wx.showModal (src/view/modal.h), or NULL */
};

/* Reads a file of the package (as mprtc__wxml_read_fn: path inside the package). */
char *mprtc__view_read_file(const char *path, size_t *len, char **error, void *view);

/* A warning of the app's, from its view (to the host's log). */
void mprtc__view_warn(mprtc__view *view, const char *text);

/* Any thread: the presented window wants painting again (when presenting; at most 60 times a
 * second). */
void mprtc__view_schedule_paint(void *view);

/* What is drawn over the page (the dialog, the toast) changed: the window is painted again. */
void mprtc__view_overlay_changed(mprtc__view *view);

/* Renders page from its data and lays it out; returns how many nodes changed. */
guint mprtc__view_render(mprtc__view *view, mprtc__page *page);

/* The open page params' pageId names, or NULL. */
mprtc__page *mprtc__view_page_of(mprtc__view *view, const json_t *params);

/* Replies result (taken) to the logic layer's request seq on channel. */
void mprtc__view_reply(mprtc__bridge *channel, int64_t seq, json_t *result);

/* Answers q (removed from the view's questions and freed). */
void mprtc__view_answer(mprtc__view *view, mprtc__view_question *q, int err, const char *text);

/* src/view/input.c: a host's question about the current page (WAIT, TAP, INPUT), and the
 * logic layer's word that an event's handler finished (View.eventDone params). */
void mprtc__view_ask(mprtc__view *view, mprtc__view_question *q);
void mprtc__view_event_done(mprtc__view *view, const json_t *params);
/* Sends the event of type from target (an element of page) to the page's handlers, up the tree
 * when it bubbles, until one catches it; with q, each handler's finishing counts down q's
 * pending events. Returns how many handlers were sent it. */
int mprtc__view_dispatch(mprtc__view *view, mprtc__page *page, mprtc__view_question *q, mprtc__vnode *target,
                         const char *type, json_t *detail, gboolean bubbles);
/* Sends the event type (detail taken) from target and makes q wait for its handlers: answered
 * at once when there are none. */
void mprtc__view_dispatch_waiting(mprtc__view *view, mprtc__page *page, mprtc__view_question *q, mprtc__vnode *target,
                                  const char *type, json_t *detail, gboolean bubbles);
/* A tap on target, an element of page (the current page or the dialog), as the user's: its
 * handlers run (answering q once they have), or the dialog's button answers. */
void mprtc__view_tap_element(mprtc__view *view, mprtc__view_question *q, mprtc__page *page, mprtc__vnode *target);
/* Typing value into target (an enabled <input>, or q is answered with why not, naming it what):
 * the value shows, and its input handlers run. */
void mprtc__view_type_into(mprtc__view *view, mprtc__view_question *q, mprtc__page *page, mprtc__vnode *target,
                           const char *what, const char *value);
/* After every render of the current page: the waiting questions are looked at again. */
void mprtc__view_check_waiting(mprtc__view *view);

/* src/view/automation.c: a host's automation request (an AUTOMATE question); the logic layer's
 * reply to one it was given (View.automationReply params); an event of the app's for the host
 * (View.automationEvent params). */
void mprtc__automation_ask(mprtc__view *view, mprtc__view_question *q);
void mprtc__automation_reply(mprtc__view *view, const json_t *params);
void mprtc__automation_event(mprtc__view *view, const json_t *params);
/* The first page is ready: the requests that waited for it are taken now. */
void mprtc__automation_launched(mprtc__view *view);
/* The element of root's tree an automation client knows by id, or NULL. */
mprtc__vnode *mprtc__automation_element(mprtc__vnode *root, guint64 id);

/* src/view/dump.c: the current page as docs/view.md describes it, new reference. */
json_t *mprtc__view_dump_page(const mprtc__view *view, const mprtc__page *page);

#endif
