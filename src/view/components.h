/* The view's replaced and media elements, as the layout and the painter see them: <image>
 * pictures (src/view/image.h) and <webrtc-video>/<webrtc-audio> bound to the app's streams
 * (src/view/media.h).
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_COMPONENTS_H
#define MPRTC_VIEW_COMPONENTS_H

#include <cairo.h>

#include "view/page.h"

struct mprtc__view;

/* A replaced element's intrinsic size (as mprtc__intrinsic_fn; data: the view). */
gboolean mprtc__components_intrinsic(mprtc__vnode *n, double *w, double *h, void *view);

/* What a replaced element shows (as mprtc__paint_content_fn; data: the view). */
void mprtc__components_paint(mprtc__vnode *n, cairo_t *cr, double x, double y, double w, double h, void *view);

/* The window as a user sees it: the current page, the dialog and the toast over it (a new
 * surface, the window's size times the pixel ratio). */
cairo_surface_t *mprtc__components_picture(struct mprtc__view *view);

/* Paints the current page into a PNG file at path: 0, or an error with *error set. */
int mprtc__components_snapshot(struct mprtc__view *view, const char *path, char **error);

#endif
