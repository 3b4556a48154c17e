/* The painter: see paint.h. */
#include "view/paint.h"

#include <math.h>
#include <string.h>

static void set_color(cairo_t *cr, const mprtc__color *c) { cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a); }

void mprtc__paint_rounded_path(cairo_t *cr, double x, double y, double w, double h, double r) {
  r = MIN(r, MIN(w, h) / 2);
  if (r <= 0) {
    cairo_rectangle(cr, x, y, w, h);
    return;
  }
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path(cr);
}

static double radius_of(const mprtc__vstate *st) {
  double r = st->style.border_radius;
  /* A percentage (kept negative) is of the box's smaller side. */
  return r < 0 ? -r / 100.0 * MIN(st->w, st->h) : r;
}

static void paint_borders(cairo_t *cr, const mprtc__vstate *st, double radius) {
  const mprtc__style *s = &st->style;
  const double *bw = s->border_width;
  if (bw[0] <= 0 && bw[1] <= 0 && bw[2] <= 0 && bw[3] <= 0) return;
  gboolean uniform = bw[0] == bw[1] && bw[1] == bw[2] && bw[2] == bw[3] &&
                     memcmp(&s->border_color[0], &s->border_color[1], sizeof(mprtc__color)) == 0 &&
                     memcmp(&s->border_color[1], &s->border_color[2], sizeof(mprtc__color)) == 0 &&
                     memcmp(&s->border_color[2], &s->border_color[3], sizeof(mprtc__color)) == 0;
  if (uniform) {
    /* The band between the border box and the padding box. */
    mprtc__paint_rounded_path(cr, st->x, st->y, st->w, st->h, radius);
    mprtc__paint_rounded_path(cr, st->x + bw[0], st->y + bw[0], MAX(0, st->w - 2 * bw[0]), MAX(0, st->h - 2 * bw[0]),
                              MAX(0, radius - bw[0]));
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set_color(cr, &s->border_color[0]);
    cairo_fill(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    return;
  }
  /* Sides of their own: rectangles along each edge. */
  const double x = st->x, y = st->y, w = st->w, h = st->h;
  const double rects[4][4] = {{x, y, w, bw[MPRTC__TOP]},
                              {x + w - bw[MPRTC__RIGHT], y, bw[MPRTC__RIGHT], h},
                              {x, y + h - bw[MPRTC__BOTTOM], w, bw[MPRTC__BOTTOM]},
                              {x, y, bw[MPRTC__LEFT], h}};
  for (int side = 0; side < 4; side++) {
    if (bw[side] <= 0) continue;
    cairo_rectangle(cr, rects[side][0], rects[side][1], rects[side][2], rects[side][3]);
    set_color(cr, &s->border_color[side]);
    cairo_fill(cr);
  }
}

/* The content box of an element, from its border box. */
static void content_box(const mprtc__vstate *st, double *x, double *y, double *w, double *h) {
  const mprtc__style *s = &st->style;
  double pl = s->padding[MPRTC__LEFT].unit == MPRTC__LEN_PX ? s->padding[MPRTC__LEFT].value : 0;
  double pr = s->padding[MPRTC__RIGHT].unit == MPRTC__LEN_PX ? s->padding[MPRTC__RIGHT].value : 0;
  double pt = s->padding[MPRTC__TOP].unit == MPRTC__LEN_PX ? s->padding[MPRTC__TOP].value : 0;
  double pb = s->padding[MPRTC__BOTTOM].unit == MPRTC__LEN_PX ? s->padding[MPRTC__BOTTOM].value : 0;
  *x = st->x + s->border_width[MPRTC__LEFT] + pl;
  *y = st->y + s->border_width[MPRTC__TOP] + pt;
  *w = MAX(0, st->w - s->border_width[MPRTC__LEFT] - s->border_width[MPRTC__RIGHT] - pl - pr);
  *h = MAX(0, st->h - s->border_width[MPRTC__TOP] - s->border_width[MPRTC__BOTTOM] - pt - pb);
}

/* An <input>'s value, or its placeholder in grey, on one line. */
static void paint_input(mprtc__vnode *n, cairo_t *cr, const mprtc__vstate *st) {
  json_t *value = json_object_get(n->attrs, "value");
  char *text = value ? mprtc__js_text_of(value) : g_strdup("");
  mprtc__style style = st->style;
  if (!*text) {
    json_t *placeholder = json_object_get(n->attrs, "placeholder");
    g_free(text);
    text = placeholder ? mprtc__js_text_of(placeholder) : g_strdup("");
    style.color = (mprtc__color){0.6, 0.6, 0.6, 1};
  } else if (json_is_string(json_object_get(n->attrs, "password")) || json_is_true(json_object_get(n->attrs, "password"))) {
    glong chars = g_utf8_strlen(text, -1);
    g_free(text);
    text = g_strnfill((gsize)chars, '*');
  }
  if (*text) {
    double x, y, w, h, tw, th;
    content_box(st, &x, &y, &w, &h);
    mprtc__paragraph *p = mprtc__paragraph_new();
    mprtc__paragraph_add(p, text, &style, NULL, FALSE);
    mprtc__paragraph_layout(p, &style, -1, &tw, &th);
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    mprtc__paragraph_paint(p, cr, x, y + (h - th) / 2);
    cairo_restore(cr);
    mprtc__paragraph_free(p);
  }
  g_free(text);
}

static void paint_node(mprtc__vnode *n, cairo_t *cr, mprtc__paint_content_fn content, void *data) {
  if (!n->tag) return;
  mprtc__vstate *st = n->state;
  if (!st || !st->shown || st->style.display == MPRTC__DISPLAY_NONE) return;
  const mprtc__style *s = &st->style;
  gboolean inline_element = s->display == MPRTC__DISPLAY_INLINE;
  gboolean group = s->opacity < 1;
  if (group) cairo_push_group(cr);
  double radius = radius_of(st);
  if (!inline_element) {
    if (s->background.a > 0) {
      mprtc__paint_rounded_path(cr, st->x, st->y, st->w, st->h, radius);
      set_color(cr, &s->background);
      cairo_fill(cr);
    }
    paint_borders(cr, st, radius);
  }
  cairo_save(cr);
  if (s->clip || radius > 0) {
    /* overflow: hidden and rounded corners clip to the padding box. */
    const double *bw = s->border_width;
    mprtc__paint_rounded_path(cr, st->x + bw[MPRTC__LEFT], st->y + bw[MPRTC__TOP],
                              MAX(0, st->w - bw[MPRTC__LEFT] - bw[MPRTC__RIGHT]), MAX(0, st->h - bw[MPRTC__TOP] - bw[MPRTC__BOTTOM]),
                              MAX(0, radius - bw[MPRTC__TOP]));
    if (s->clip) cairo_clip(cr);
    else cairo_new_path(cr);
  }
  if (strcmp(n->tag, "input") == 0) {
    paint_input(n, cr, st);
  } else if (content && (strcmp(n->tag, "image") == 0 || strcmp(n->tag, "webrtc-video") == 0)) {
    double x, y, w, h;
    content_box(st, &x, &y, &w, &h);
    content(n, cr, x, y, w, h, data);
  }
  for (guint i = 0; st->runs && i < st->runs->len; i++) {
    const mprtc__text_run *r = st->runs->pdata[i];
    mprtc__paragraph_paint(r->paragraph, cr, r->x, r->y);
  }
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *child = n->children->pdata[i];
    /* Inline children are painted in their block's runs. */
    if (child->tag && child->state && ((mprtc__vstate *)child->state)->style.display != MPRTC__DISPLAY_INLINE)
      paint_node(child, cr, content, data);
  }
  cairo_restore(cr);
  if (group) {
    cairo_pop_group_to_source(cr);
    cairo_paint_with_alpha(cr, s->opacity);
  }
}

void mprtc__paint(mprtc__vnode *root, cairo_t *cr, double width, double height, mprtc__paint_content_fn content, void *data) {
  cairo_save(cr);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_clip(cr);
  paint_node(root, cr, content, data);
  cairo_restore(cr);
}

void mprtc__paint_window_region(cairo_surface_t *surface, mprtc__vnode *root, double width, double height, double ratio,
                                double x, double y, double w, double h, mprtc__paint_content_fn content, void *data) {
  cairo_t *cr = cairo_create(surface);
  cairo_scale(cr, ratio, ratio);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (root) mprtc__paint(root, cr, width, height, content, data);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
}

cairo_surface_t *mprtc__paint_window(mprtc__vnode *root, double width, double height, double ratio,
                                     mprtc__paint_content_fn content, void *data) {
  int pw = (int)ceil(width * ratio), ph = (int)ceil(height * ratio);
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
  mprtc__paint_window_region(surface, root, width, height, ratio, 0, 0, width, height, content, data);
  return surface;
}
