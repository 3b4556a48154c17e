/* The toast: see toast.h. */
#include "view/toast.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "view/view-internal.h"

typedef struct mprtc__toast {
  char *title;
  char *icon;
  GSource *timer;   /* hides it, or NULL (until hidden) */
} mprtc__toast;

static void stop_timer(mprtc__toast *t) {
  if (!t->timer) return;
  g_source_destroy(t->timer);
  g_source_unref(t->timer);
  t->timer = NULL;
}

void mprtc__toast_free(mprtc__view *view) {
  mprtc__toast *t = view->toast;
  if (!t) return;
  stop_timer(t);
  g_free(t->title);
  g_free(t->icon);
  g_free(t);
  view->toast = NULL;
}

void mprtc__toast_hide(mprtc__view *view) {
  if (!view->toast) return;
  mprtc__toast_free(view);
  mprtc__view_overlay_changed(view);
}

static gboolean on_timeout(gpointer data) {
  mprtc__view *view = data;
  g_source_unref(view->toast->timer);
  view->toast->timer = NULL;
  mprtc__toast_hide(view);
  return G_SOURCE_REMOVE;
}

void mprtc__toast_show(mprtc__view *view, const char *title, const char *icon, int duration_ms) {
  mprtc__toast_free(view);
  mprtc__toast *t = g_new0(mprtc__toast, 1);
  t->title = g_strdup(title);
  t->icon = g_strdup(icon);
  if (duration_ms > 0) {
    t->timer = g_timeout_source_new((guint)duration_ms);
    g_source_set_callback(t->timer, on_timeout, view, NULL);
    g_source_attach(t->timer, view->context);
  }
  view->toast = t;
  mprtc__view_overlay_changed(view);
}

json_t *mprtc__toast_describe(mprtc__view *view) {
  return view->toast ? json_pack("{s:s,s:s}", "title", view->toast->title, "icon", view->toast->icon) : NULL;
}

/* The icon in a square of side s at (x, y): white strokes, as WeChat's. */
static void paint_icon(cairo_t *cr, const char *icon, double x, double y, double s) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, s / 12);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  if (strcmp(icon, "success") == 0) {
    cairo_move_to(cr, x + s * 0.18, y + s * 0.52);
    cairo_line_to(cr, x + s * 0.42, y + s * 0.76);
    cairo_line_to(cr, x + s * 0.84, y + s * 0.28);
  } else if (strcmp(icon, "error") == 0) {
    cairo_arc(cr, x + s / 2, y + s / 2, s * 0.42, 0, 2 * M_PI);
    cairo_move_to(cr, x + s / 2, y + s * 0.25);
    cairo_line_to(cr, x + s / 2, y + s * 0.58);
    cairo_stroke(cr);
    cairo_arc(cr, x + s / 2, y + s * 0.74, s / 20, 0, 2 * M_PI);
    cairo_fill(cr);
    return;
  } else {
    /* loading: three quarters of a ring */
    cairo_arc(cr, x + s / 2, y + s / 2, s * 0.4, 0, 1.5 * M_PI);
  }
  cairo_stroke(cr);
}

void mprtc__toast_paint(mprtc__view *view, cairo_surface_t *surface, double cx, double cy, double cw, double ch) {
  mprtc__toast *t = view->toast;
  if (!t) return;
  cairo_t *cr = cairo_create(surface);
  cairo_scale(cr, view->pixel_ratio, view->pixel_ratio);
  cairo_rectangle(cr, cx, cy, cw, ch);
  cairo_clip(cr);
  PangoLayout *layout = pango_cairo_create_layout(cr);
  PangoFontDescription *font = pango_font_description_from_string("sans-serif 17px");
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
  pango_layout_set_text(layout, t->title, -1);
  pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
  gboolean with_icon = strcmp(t->icon, "none") != 0;
  /* WeChat: a 136 px square with an icon; a strip up to most of the window's width without. */
  double box_w = with_icon ? 136 : MIN(view->width * 0.8, 320);
  pango_layout_set_width(layout, (int)((box_w - 24) * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  int tw, th;
  pango_layout_get_pixel_size(layout, &tw, &th);
  double box_h = with_icon ? MAX(136, 40 + 55 + 12 + th + 12) : th + 24;
  double x = (view->width - box_w) / 2, y = (view->height - box_h) / 2;
  mprtc__paint_rounded_path(cr, x, y, box_w, box_h, 8);
  cairo_set_source_rgba(cr, 0.3, 0.3, 0.3, 0.95);
  cairo_fill(cr);
  if (with_icon) paint_icon(cr, t->icon, x + (box_w - 55) / 2, y + 27, 55);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_move_to(cr, x + 12, with_icon ? y + 27 + 55 + 12 : y + 12);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
}
