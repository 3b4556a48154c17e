/* Paragraphs with pango: see text.h. */
#include "view/text.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

typedef struct {
  const void *owner;
  guint start, end;     /* byte range in the paragraph's text */
  mprtc__style style;
} piece;

struct mprtc__paragraph {
  GString *text;
  GArray *pieces;       /* piece */
  GString *key;
  gboolean last_space;  /* the text ends with a collapsible space */
  PangoLayout *layout;  /* made at the first layout */
  double laid_width;    /* the width it was laid out at (NAN before) */
  double block_line_height, block_font_size;
  int block_align;
};

/* Pango's context of the calling thread: its fonts and their metrics. */
static PangoContext *thread_context(void) {
  static GPrivate key = G_PRIVATE_INIT(g_object_unref);
  PangoContext *ctx = g_private_get(&key);
  if (!ctx) {
    PangoFontMap *map = pango_cairo_font_map_new();
    ctx = pango_font_map_create_context(map);
    g_object_unref(map);
    /* CSS pixels: 96 dpi makes a pango point a pixel's 72/96; sizes are set absolute anyway. */
    pango_cairo_context_set_resolution(ctx, 96);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, options);
    cairo_font_options_destroy(options);
    g_private_set(&key, ctx);
  }
  return ctx;
}

mprtc__paragraph *mprtc__paragraph_new(void) {
  mprtc__paragraph *p = g_new0(mprtc__paragraph, 1);
  p->text = g_string_new("");
  p->pieces = g_array_new(FALSE, FALSE, sizeof(piece));
  p->key = g_string_new("");
  p->last_space = TRUE; /* leading space collapses away */
  p->laid_width = NAN;
  return p;
}

void mprtc__paragraph_free(mprtc__paragraph *p) {
  if (!p) return;
  g_string_free(p->text, TRUE);
  g_array_unref(p->pieces);
  g_string_free(p->key, TRUE);
  if (p->layout) g_object_unref(p->layout);
  g_free(p);
}

void mprtc__paragraph_add(mprtc__paragraph *p, const char *text, const mprtc__style *style, const void *owner,
                          gboolean keep_newlines) {
  guint start = (guint)p->text->len;
  for (const char *c = text; *c; c++) {
    if (*c == '\n' && keep_newlines) {
      g_string_append_c(p->text, '\n');
      p->last_space = TRUE;
    } else if (g_ascii_isspace(*c)) {
      if (!p->last_space) g_string_append_c(p->text, ' ');
      p->last_space = TRUE;
    } else {
      g_string_append_c(p->text, *c);
      p->last_space = FALSE;
    }
  }
  piece pc = {owner, start, (guint)p->text->len, *style};
  g_array_append_val(p->pieces, pc);
  g_string_append_printf(p->key, "%s\x01%g/%d/%.3f,%.3f,%.3f,%.3f/%g\x02", text, style->font_size, style->font_weight,
                         style->color.r, style->color.g, style->color.b, style->color.a, style->line_height);
  if (p->layout) {
    g_object_unref(p->layout);
    p->layout = NULL;
  }
}

gboolean mprtc__paragraph_empty(mprtc__paragraph *p) {
  for (gsize i = 0; i < p->text->len; i++)
    if (!g_ascii_isspace(p->text->str[i])) return FALSE;
  return TRUE;
}

const char *mprtc__paragraph_key(mprtc__paragraph *p) { return p->key->str; }

void mprtc__paragraph_take_shaping(mprtc__paragraph *p, mprtc__paragraph *from) {
  if (!from->layout || strcmp(p->key->str, from->key->str) != 0) return;
  if (p->layout) g_object_unref(p->layout);
  p->layout = from->layout;
  from->layout = NULL;
  p->laid_width = from->laid_width;
  p->block_line_height = from->block_line_height;
  p->block_font_size = from->block_font_size;
  p->block_align = from->block_align;
}

static PangoFontDescription *font_of(const mprtc__style *s) {
  PangoFontDescription *f = pango_font_description_new();
  pango_font_description_set_family_static(f, "sans-serif");
  pango_font_description_set_absolute_size(f, s->font_size * PANGO_SCALE);
  pango_font_description_set_weight(f, (PangoWeight)CLAMP(s->font_weight, 100, 1000));
  return f;
}

static double line_height_px(double line_height, double font_size) {
  return line_height > 0 ? line_height : -line_height * font_size;
}

static void build(mprtc__paragraph *p, const mprtc__style *block) {
  /* A trailing collapsible space goes. */
  gsize len = p->text->len;
  while (len > 0 && p->text->str[len - 1] == ' ') len--;
  PangoLayout *layout = pango_layout_new(thread_context());
  pango_layout_set_text(layout, p->text->str, (int)len);
  PangoFontDescription *base = font_of(block);
  pango_layout_set_font_description(layout, base);
  pango_font_description_free(base);
  PangoAttrList *attrs = pango_attr_list_new();
  for (guint i = 0; i < p->pieces->len; i++) {
    const piece *pc = &g_array_index(p->pieces, piece, i);
    PangoFontDescription *f = font_of(&pc->style);
    PangoAttribute *a = pango_attr_font_desc_new(f);
    pango_font_description_free(f);
    a->start_index = pc->start;
    a->end_index = pc->end;
    pango_attr_list_insert(attrs, a);
    a = pango_attr_foreground_new((guint16)(pc->style.color.r * 65535), (guint16)(pc->style.color.g * 65535),
                                  (guint16)(pc->style.color.b * 65535));
    a->start_index = pc->start;
    a->end_index = pc->end;
    pango_attr_list_insert(attrs, a);
    if (pc->style.color.a < 1) {
      a = pango_attr_foreground_alpha_new((guint16)(pc->style.color.a * 65535));
      a->start_index = pc->start;
      a->end_index = pc->end;
      pango_attr_list_insert(attrs, a);
    }
    a = pango_attr_line_height_new_absolute((int)(line_height_px(pc->style.line_height, pc->style.font_size) * PANGO_SCALE));
    a->start_index = pc->start;
    a->end_index = pc->end;
    pango_attr_list_insert(attrs, a);
  }
  pango_layout_set_attributes(layout, attrs);
  pango_attr_list_unref(attrs);
  p->layout = layout;
}

void mprtc__paragraph_layout(mprtc__paragraph *p, const mprtc__style *block, double width, double *w, double *h) {
  double lh = line_height_px(block->line_height, block->font_size);
  gboolean same_block = p->layout && p->block_line_height == lh && p->block_font_size == block->font_size &&
                        p->block_align == (int)block->text_align;
  if (!same_block) {
    if (p->layout) g_object_unref(p->layout);
    p->layout = NULL;
    build(p, block);
    p->block_line_height = lh;
    p->block_font_size = block->font_size;
    p->block_align = (int)block->text_align;
    p->laid_width = NAN;
  }
  if (!(p->laid_width == width)) {
    pango_layout_set_width(p->layout, width < 0 ? -1 : (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(p->layout, block->text_align == MPRTC__TEXT_CENTER ? PANGO_ALIGN_CENTER
                                          : block->text_align == MPRTC__TEXT_RIGHT ? PANGO_ALIGN_RIGHT
                                                                                   : PANGO_ALIGN_LEFT);
    p->laid_width = width;
  }
  PangoRectangle logical;
  pango_layout_get_extents(p->layout, NULL, &logical);
  *w = logical.width / (double)PANGO_SCALE;
  *h = logical.height / (double)PANGO_SCALE;
  if (width >= 0) *w = MIN(*w, width);
}

gboolean mprtc__paragraph_piece_box(mprtc__paragraph *p, const void *owner, double *x, double *y, double *w, double *h) {
  if (!p->layout) return FALSE;
  gboolean any = FALSE;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int len = (int)strlen(pango_layout_get_text(p->layout));
  for (guint i = 0; i < p->pieces->len; i++) {
    const piece *pc = &g_array_index(p->pieces, piece, i);
    if (pc->owner != owner || pc->start >= (guint)len || pc->end <= pc->start) continue;
    /* The lines the range spans, each clipped to the range. */
    PangoLayoutIter *it = pango_layout_get_iter(p->layout);
    do {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
      int ls = line->start_index, le = line->start_index + line->length;
      int s = MAX(ls, (int)pc->start), e = MIN(le, (int)MIN(pc->end, (guint)len));
      if (s >= e) continue;
      int xs, xe;
      pango_layout_line_index_to_x(line, s, FALSE, &xs);
      pango_layout_line_index_to_x(line, e, FALSE, &xe);
      PangoRectangle lr;
      pango_layout_iter_get_line_extents(it, NULL, &lr);
      double lx0 = MIN(xs, xe) / (double)PANGO_SCALE, lx1 = MAX(xs, xe) / (double)PANGO_SCALE;
      double ly0 = lr.y / (double)PANGO_SCALE, ly1 = (lr.y + lr.height) / (double)PANGO_SCALE;
      if (!any) x0 = lx0, y0 = ly0, x1 = lx1, y1 = ly1;
      else x0 = MIN(x0, lx0), y0 = MIN(y0, ly0), x1 = MAX(x1, lx1), y1 = MAX(y1, ly1);
      any = TRUE;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }
  if (any) *x = x0, *y = y0, *w = x1 - x0, *h = y1 - y0;
  return any;
}

void mprtc__paragraph_paint(mprtc__paragraph *p, cairo_t *cr, double x, double y) {
  if (!p->layout) return;
  cairo_save(cr);
  /* Laid out unhinted: drawn at any scale, the glyphs land where the layout measured them. */
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, p->layout);
  cairo_restore(cr);
}
