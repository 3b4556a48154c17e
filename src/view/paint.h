/* The painter: a laid-out page (src/view/layout.h) drawn with cairo, the same code for the
 * headless snapshot and (later) a window. Backgrounds with rounded corners, borders, text, the
 * value of an <input>, and what replaced elements show (a picture, a video frame) through a
 * hook; overflow: hidden clips; opacity groups.
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_PAINT_H
#define MPRTC_VIEW_PAINT_H

#include <cairo.h>

#include "view/layout.h"

/* Paints what replaced element n shows into its content box (x, y, w, h in CSS px). */
typedef void (*mprtc__paint_content_fn)(mprtc__vnode *n, cairo_t *cr, double x, double y, double w, double h, void *data);

/* Paints root's tree (laid out) onto cr, whose user space is CSS px with (0, 0) the page's top
 * left, within the window width x height. */
void mprtc__paint(mprtc__vnode *root, cairo_t *cr, double width, double height, mprtc__paint_content_fn content, void *data);

/* A new image of the window, width x height CSS px at ratio device pixels each, white behind
 * the page. */
cairo_surface_t *mprtc__paint_window(mprtc__vnode *root, double width, double height, double ratio,
                                     mprtc__paint_content_fn content, void *data);

/* Paints the window again into surface (made by mprtc__paint_window, of the same size), only
 * within the clip rectangle (x, y, w, h in CSS px). */
void mprtc__paint_window_region(cairo_surface_t *surface, mprtc__vnode *root, double width, double height, double ratio,
                                double x, double y, double w, double h, mprtc__paint_content_fn content, void *data);

/* The rectangle (x, y, w, h) with corners of radius r as cr's path. */
void mprtc__paint_rounded_path(cairo_t *cr, double x, double y, double w, double h, double r);

#endif
