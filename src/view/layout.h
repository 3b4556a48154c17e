/* Layout: the boxes of a page's elements from their computed styles (src/view/style.h), in CSS
 * pixels from the page's top left. Block layout (children stacked, auto widths filling the
 * container, margin: auto centring) and flex layout in one line (flex-direction, flex-grow and
 * -shrink over flex-basis, justify-content, align-items and align-self), with text in
 * paragraphs (src/view/text.h). Margins do not collapse; floats and positioning are not
 * supported.
 *
 * Each element keeps its layout in its vnode's state (mprtc__vstate), which reconciliation
 * carries across renders: a paragraph whose text and style did not change is not shaped again.
 *
 * Thread rules: the view thread (text shaping is per thread).
 */
#ifndef MPRTC_VIEW_LAYOUT_H
#define MPRTC_VIEW_LAYOUT_H

#include "view/style.h"
#include "view/text.h"

/* A run of inline content laid out as a paragraph inside a block, at (x, y) of the page. */
typedef struct {
  mprtc__paragraph *paragraph;
  double x, y, w, h;
} mprtc__text_run;

/* What a component (src/view/media.h) keeps in an element's state: it frees itself, and tells
 * the dump what it is doing. */
struct mprtc__component {
  void (*free)(struct mprtc__component *c);
  json_t *(*describe)(struct mprtc__component *c); /* a new reference, or NULL */
};

/* The view's state of one element. */
typedef struct mprtc__vstate {
  mprtc__style style;
  double x, y, w, h;          /* the border box, CSS px from the page's top left */
  gboolean shown;             /* laid out (not display: none, not inside one) */
  GPtrArray *runs;            /* mprtc__text_run*: the inline runs among its children */
  double scroll_top;          /* scroll-view: how far its content is scrolled (its scroll-top) */
  char *typed;                /* input: what the user typed, until the page sets the value */
  json_t *typed_over;         /* input: the value attribute the typing replaced */
  struct mprtc__component *component; /* webrtc-video, webrtc-audio: src/view/media.h */
  guint64 element_id;         /* the ID an automation client knows it by, or 0 */
  gint64 touch_start_us;      /* when an automation client's touch began, or 0 */

  /* What the last layout was given and found, so that an unchanged subtree given the same
   * room is moved, not laid out again. */
  gboolean styled;            /* style holds the computed style */
  gboolean dirty;             /* it or something inside changed since the last layout */
  gboolean laid;              /* the fields below are of its last layout */
  double in_w, in_forced_h, in_cb_h;
  gboolean max_w_known;
  double max_w;               /* its max-content width */
} mprtc__vstate;

/* The state of n, made when it has none. */
mprtc__vstate *mprtc__vstate_of(mprtc__vnode *n);

/* Computes the styles of root's tree (a page) with c and lays it out in a window of
 * width x height CSS px; the root is at least as tall as the window. Returns the page's
 * height. Only what reconciliation marked (src/view/render.h) is styled and laid out again: an
 * element whose subtree did not change and that gets the same room keeps its layout, moved. measure (may be NULL) gives a replaced element's intrinsic size (image). */
typedef gboolean (*mprtc__intrinsic_fn)(mprtc__vnode *n, double *w, double *h, void *data);
double mprtc__layout_page(mprtc__vnode *root, const mprtc__cascade *c, double width, double height,
                          mprtc__intrinsic_fn intrinsic, void *data);

#endif
