/* One page in the view layer: its path and query, its copy of the page's data (kept in step by
 * setData), its WXML and the tree rendered from them.
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_PAGE_H
#define MPRTC_VIEW_PAGE_H

#include <glib.h>
#include <jansson.h>
#include <stdint.h>

#include "view/layout.h"
#include "view/render.h"
#include "view/wxss.h"

typedef struct mprtc__page {
  int64_t id;             /* the logic layer's page ID */
  char *path;             /* "pages/index/index" */
  json_t *query;          /* {name: "value"} */
  json_t *data;           /* the view's copy of the page's data */
  json_t *window;         /* the page's window settings (manifest) */
  const mprtc__wxml *wxml; /* in the view's set */
  mprtc__wxss *sheet;     /* the page's <path>.wxss (empty when it has none) */
  mprtc__vnode *root;     /* the rendered tree, NULL before the first render */
  guint renders;          /* how many times it was rendered */
  double height;          /* of the laid-out page, CSS px (at least the window's) */
  GHashTable *changed;    /* the data's top-level names setData changed since the last render */
} mprtc__page;

/* sheet is taken. */
mprtc__page *mprtc__page_new(int64_t id, const char *path, json_t *query, json_t *data, json_t *window,
                             const mprtc__wxml *wxml, mprtc__wxss *sheet);
void mprtc__page_free(mprtc__page *page);

/* Applies one setData update: segments (an array of keys and indexes, as the logic layer parsed
 * the path) and the value (borrowed). FALSE with *error when the update is malformed. */
gboolean mprtc__page_apply(mprtc__page *page, const json_t *segments, json_t *value, char **error);

/* Renders the page from its data and reconciles with the tree before; returns how many nodes
 * changed. */
guint mprtc__page_render(mprtc__page *page, mprtc__wxml_set *set);

/* Lays the rendered page out in the window (c: the app's sheet first; the page's is added). */
void mprtc__page_layout(mprtc__page *page, mprtc__cascade *c, mprtc__intrinsic_fn intrinsic, void *data);

#endif
