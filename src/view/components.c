/* Replaced elements for the layout and the painter: see components.h. */
#include "view/components.h"

#include <string.h>

#include "mprtc/error.h"
#include "view/image.h"
#include "view/media.h"
#include "view/paint.h"
#include "view/modal.h"
#include "view/toast.h"
#include "view/view-internal.h"

static cairo_surface_t *picture_of(mprtc__view *view, mprtc__vnode *n) {
  json_t *src = json_object_get(n->attrs, "src");
  if (!json_is_string(src) || !view->current) return NULL;
  char *warning = NULL;
  cairo_surface_t *picture = mprtc__images_get(view->images, view->current->path, json_string_value(src), &warning);
  if (warning) {
    mprtc__view_warn(view, warning);
    g_free(warning);
  }
  return picture;
}

gboolean mprtc__components_intrinsic(mprtc__vnode *n, double *w, double *h, void *data) {
  if (strcmp(n->tag, "image") != 0) return FALSE;
  cairo_surface_t *picture = picture_of(data, n);
  if (!picture) return FALSE;
  *w = cairo_image_surface_get_width(picture);
  *h = cairo_image_surface_get_height(picture);
  return TRUE;
}

void mprtc__components_paint(mprtc__vnode *n, cairo_t *cr, double x, double y, double w, double h, void *data) {
  mprtc__view *view = data;
  if (strcmp(n->tag, "image") == 0) {
    cairo_surface_t *picture = picture_of(view, n);
    json_t *mode = json_object_get(n->attrs, "mode");
    if (picture) mprtc__image_draw(cr, picture, json_is_string(mode) ? json_string_value(mode) : NULL, x, y, w, h);
  } else if (strcmp(n->tag, "webrtc-video") == 0) {
    mprtc__media_paint(n, cr, x, y, w, h);
  }
}

cairo_surface_t *mprtc__components_picture(mprtc__view *view) {
  mprtc__page *page = view->current;
  cairo_surface_t *surface = mprtc__paint_window(page ? page->root : NULL, view->width, view->height, view->pixel_ratio,
                                                 mprtc__components_paint, view);
  mprtc__modal_paint(view, surface, 0, 0, view->width, view->height);
  mprtc__toast_paint(view, surface, 0, 0, view->width, view->height);
  return surface;
}

int mprtc__components_snapshot(mprtc__view *view, const char *path, char **error) {
  cairo_surface_t *surface = mprtc__components_picture(view);
  cairo_status_t status = cairo_surface_write_to_png(surface, path);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    *error = g_strdup_printf("cannot write the snapshot '%s': %s", path, cairo_status_to_string(status));
    return MPRTC_E_IO;
  }
  return 0;
}
