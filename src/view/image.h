/* <image src="..."> pictures: PNG and JPEG files of the package, decoded once per view with
 * gdk-pixbuf, drawn with the platform's modes (scaleToFill, aspectFit, aspectFill, widthFix,
 * heightFix, and the cropping ones as top left ... bottom right).
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_IMAGE_H
#define MPRTC_VIEW_IMAGE_H

#include <cairo.h>
#include <glib.h>

typedef struct mprtc__images mprtc__images;

/* Reads package files (as mprtc__wxml_read_fn). */
typedef char *(*mprtc__images_read_fn)(const char *path, size_t *len, char **error, void *data);

mprtc__images *mprtc__images_new(mprtc__images_read_fn read, void *data);
void mprtc__images_free(mprtc__images *images);

/* The picture of src as the page at page_path names it (relative to the page's folder, or from
 * the root with a leading '/'), or NULL; *warning is set (g_free it) the first time a src
 * cannot be shown. */
cairo_surface_t *mprtc__images_get(mprtc__images *images, const char *page_path, const char *src, char **warning);

/* Draws picture into (x, y, w, h) as mode says ("scaleToFill" when NULL or unknown). */
void mprtc__image_draw(cairo_t *cr, cairo_surface_t *picture, const char *mode, double x, double y, double w, double h);

#endif
