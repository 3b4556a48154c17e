/* The view layer of one mini-program app: a thread of its own with its own state (it never
 * shares JS objects with the logic layer), holding the app's open pages and rendering the
 * current one.
 *
 * It is an endpoint of the bridge: the logic layer's channel brings call blocks (View.createPage,
 * View.setData, View.showPage, View.destroyPage, View.eventDone; docs/view.md), and events go
 * back on it as data (a user's tap becomes {event: "event", target: -1, data: {pageId,
 * handler, event}}). The host asks it things through mprtc__view_query (include/mprtc/view.h).
 *
 * Thread rules: mprtc__view_new and mprtc__view_free from the host's side (never the view
 * thread); mprtc__view_query and the endpoint's functions from any thread; the rest on the view
 * thread.
 */
#ifndef MPRTC_VIEW_VIEW_H
#define MPRTC_VIEW_VIEW_H

#include <jansson.h>

#include "app/app.h"
#include "app/manifest.h"
#include "bridge/bridge.h"
#include "mprtc/view.h"

typedef struct mprtc__view mprtc__view;

/* The target view events name in the logic layer's listeners. */
#define MPRTC__VIEW_TARGET (-1)

/* Starts the view thread of app (a reference is taken) with manifest (taken); its media
 * elements reach the SDK through sdk (an endpoint, with its data). */
int mprtc__view_new(mprtc_app *app, mprtc__manifest *manifest, int width, int height, double pixel_ratio,
                    const mprtc__endpoint *sdk, void *sdk_data, mprtc__view **out);
/* Stops the thread and frees the view: the logic layer's channel must be closed already. */
void mprtc__view_free(mprtc__view *view);

/* The end of the logic layer's channel (endpoint data: the mprtc__view). */
extern const mprtc__endpoint mprtc__view_endpoint;

typedef enum {
  MPRTC__VIEW_DUMP,
  MPRTC__VIEW_SNAPSHOT, /* arg: the PNG's path */
  MPRTC__VIEW_WAIT,     /* arg: the selector */
  MPRTC__VIEW_TAP,      /* arg: the selector */
  MPRTC__VIEW_INPUT,    /* arg: the selector; value: the text */
  MPRTC__VIEW_CONFIRM,  /* arg: the selector */
  MPRTC__VIEW_AUTOMATE, /* arg: the automation method; value: its params' JSON (src/view/automation.c) */
} mprtc__view_query_kind;

/* The host's context: hands an answer (a MPRTC__NOTICE_VIEW's payload) to its host. */
void mprtc__view_answer_deliver(mprtc_app *app, void *payload);

/* Any thread. Asks the view; done runs on the app's context. */
void mprtc__view_query(mprtc__view *view, mprtc__view_query_kind kind, const char *arg, const char *value,
                       mprtc_view_done_fn done, void *user_data);

#endif
