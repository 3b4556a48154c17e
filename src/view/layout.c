/* Block and flex layout: see layout.h. */
#include "view/layout.h"

#include <math.h>
#include <string.h>

typedef struct {
  const mprtc__cascade *cascade;
  mprtc__intrinsic_fn intrinsic;
  void *data;
} ctx;

/* ---- state ------------------------------------------------------------------------------------ */

static void run_free(gpointer p) {
  mprtc__text_run *r = p;
  mprtc__paragraph_free(r->paragraph);
  g_free(r);
}

static void vstate_free(gpointer p) {
  mprtc__vstate *st = p;
  if (st->runs) g_ptr_array_unref(st->runs);
  if (st->component) st->component->free(st->component);
  g_free(st->typed);
  if (st->typed_over) json_decref(st->typed_over);
  g_free(st);
}

mprtc__vstate *mprtc__vstate_of(mprtc__vnode *n) {
  if (!n->state) {
    mprtc__vstate *st = g_new0(mprtc__vstate, 1);
    n->state = st;
    n->state_free = vstate_free;
  }
  return n->state;
}

static mprtc__style *style_of(mprtc__vnode *n) { return &mprtc__vstate_of(n)->style; }

/* ---- styles ----------------------------------------------------------------------------------- */

/* Styles n's subtree where needed: an element that changed, or whose parent was restyled (its
 * inherited values, and descendant selectors over its ancestors' classes, may differ). Marks
 * and returns whether anything in the subtree changed. */
static gboolean compute_styles(const ctx *c, mprtc__vnode *n, const mprtc__style *parent, gboolean restyle) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  restyle = restyle || !st->styled || n->change != MPRTC__VNODE_SAME;
  if (restyle) {
    mprtc__style_compute(c->cascade, n, parent, &st->style);
    st->styled = TRUE;
  }
  gboolean dirty = restyle || n->children_changed;
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *child = n->children->pdata[i];
    if (child->tag) dirty |= compute_styles(c, child, &st->style, restyle);
    else dirty |= child->change != MPRTC__VNODE_SAME;
  }
  st->dirty = dirty;
  if (dirty) {
    st->shown = FALSE;
    st->x = st->y = st->w = st->h = 0;
    st->max_w_known = FALSE;
  }
  return dirty;
}

/* ---- lengths ---------------------------------------------------------------------------------- */

static gboolean definite(const mprtc__length *l, double base) {
  return l->unit == MPRTC__LEN_PX || (l->unit == MPRTC__LEN_PERCENT && base >= 0);
}

static double resolve(const mprtc__length *l, double base, double fallback) {
  if (l->unit == MPRTC__LEN_PX) return l->value;
  if (l->unit == MPRTC__LEN_PERCENT && base >= 0) return l->value * base / 100.0;
  return fallback;
}

typedef struct {
  double m[4], p[4], b[4];
  gboolean auto_left, auto_right;
} edges;

static edges edges_of(const mprtc__style *s, double cb_w) {
  edges e;
  for (int i = 0; i < 4; i++) {
    e.m[i] = resolve(&s->margin[i], cb_w, 0);
    e.p[i] = MAX(0, resolve(&s->padding[i], cb_w, 0));
    e.b[i] = s->display == MPRTC__DISPLAY_NONE ? 0 : s->border_width[i];
  }
  e.auto_left = s->margin[MPRTC__LEFT].unit == MPRTC__LEN_AUTO;
  e.auto_right = s->margin[MPRTC__RIGHT].unit == MPRTC__LEN_AUTO;
  return e;
}

static double inner_w(const edges *e) { return e->p[MPRTC__LEFT] + e->p[MPRTC__RIGHT] + e->b[MPRTC__LEFT] + e->b[MPRTC__RIGHT]; }
static double inner_h(const edges *e) { return e->p[MPRTC__TOP] + e->p[MPRTC__BOTTOM] + e->b[MPRTC__TOP] + e->b[MPRTC__BOTTOM]; }

/* A specified width or height as a border-box size (base: what % is of; < 0 unknown), or < 0
 * when auto. */
static double border_size(const mprtc__style *s, const mprtc__length *l, double base, double edge) {
  if (!definite(l, base)) return -1;
  double v = resolve(l, base, 0);
  return s->border_box ? MAX(v, edge) : v + edge;
}

static double clamp_size(const mprtc__style *s, gboolean width, double v, double base, double edge) {
  const mprtc__length *min = width ? &s->min_width : &s->min_height, *max = width ? &s->max_width : &s->max_height;
  double hi = border_size(s, max, base, edge), lo = border_size(s, min, base, edge);
  if (hi >= 0 && v > hi) v = hi;
  if (lo >= 0 && v < lo) v = lo;
  return MAX(v, edge);
}

/* ---- inline runs ------------------------------------------------------------------------------- */

static gboolean is_inline(mprtc__vnode *n) { return !n->tag || style_of(n)->display == MPRTC__DISPLAY_INLINE; }

static gboolean is_replaced(const mprtc__vnode *n) {
  return strcmp(n->tag, "image") == 0 || strcmp(n->tag, "webrtc-video") == 0 || strcmp(n->tag, "input") == 0;
}

/* Adds inline n (a text node, or an inline element and what it holds) to p; style: the
 * element's around a text node. */
static void add_inline(mprtc__paragraph *p, mprtc__vnode *n, const mprtc__style *style, mprtc__vnode *owner) {
  if (!n->tag) {
    gboolean keep_newlines = owner && strcmp(owner->tag, "text") == 0;
    mprtc__paragraph_add(p, n->text, style, owner, keep_newlines);
    return;
  }
  mprtc__vstate *st = mprtc__vstate_of(n);
  if (st->style.display == MPRTC__DISPLAY_NONE) return;
  st->shown = TRUE;
  for (guint i = 0; i < n->children->len; i++) add_inline(p, n->children->pdata[i], &st->style, n);
}

/* The inline runs among n's children, as paragraphs (those that shape the same as before are
 * kept: their pango layout with them). Each entry of items is a block child or a run. */
typedef struct {
  mprtc__vnode *node;   /* a block-level child, or NULL */
  mprtc__text_run *run; /* or a run */
  GPtrArray *inlines;   /* the inline elements of the run (for their boxes) */
} flow_item;

static void flow_items_free(GArray *items) {
  for (guint i = 0; i < items->len; i++) {
    flow_item *it = &g_array_index(items, flow_item, i);
    if (it->inlines) g_ptr_array_unref(it->inlines);
  }
  g_array_unref(items);
}

static void collect_inline_elements(mprtc__vnode *n, GPtrArray *out) {
  if (!n->tag) return;
  g_ptr_array_add(out, n);
  for (guint i = 0; i < n->children->len; i++) collect_inline_elements(n->children->pdata[i], out);
}

static GArray *flow_items(mprtc__vnode *n) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  GPtrArray *old = st->runs;
  st->runs = g_ptr_array_new_with_free_func(run_free);
  GArray *items = g_array_new(FALSE, TRUE, sizeof(flow_item));
  mprtc__paragraph *p = NULL;
  GPtrArray *inlines = NULL;
  for (guint i = 0; i <= n->children->len; i++) {
    mprtc__vnode *child = i < n->children->len ? n->children->pdata[i] : NULL;
    if (child && is_inline(child)) {
      if (!p) {
        p = mprtc__paragraph_new();
        inlines = g_ptr_array_new();
      }
      add_inline(p, child, &st->style, child->tag ? child : NULL);
      collect_inline_elements(child, inlines);
      continue;
    }
    if (p) {
      if (mprtc__paragraph_empty(p)) {
        mprtc__paragraph_free(p);
        g_ptr_array_unref(inlines);
      } else {
        /* The same text and styles as the run in this place before: its shaping is kept. */
        guint k = st->runs->len;
        if (old && k < old->len) mprtc__paragraph_take_shaping(p, ((mprtc__text_run *)old->pdata[k])->paragraph);
        mprtc__text_run *run = g_new0(mprtc__text_run, 1);
        run->paragraph = p;
        g_ptr_array_add(st->runs, run);
        flow_item it = {NULL, run, inlines};
        g_array_append_val(items, it);
      }
      p = NULL;
      inlines = NULL;
    }
    if (child) {
      mprtc__vstate *cs = mprtc__vstate_of(child);
      if (cs->style.display == MPRTC__DISPLAY_NONE) continue;
      flow_item it = {child, NULL, NULL};
      g_array_append_val(items, it);
    }
  }
  if (old) g_ptr_array_unref(old);
  return items;
}

/* The boxes of a run's inline elements, from the pieces they hold. */
static void place_inlines(flow_item *it) {
  for (guint i = it->inlines->len; i > 0; i--) {
    mprtc__vnode *el = it->inlines->pdata[i - 1];
    mprtc__vstate *st = mprtc__vstate_of(el);
    double x, y, w, h;
    gboolean any = mprtc__paragraph_piece_box(it->run->paragraph, el, &x, &y, &w, &h);
    if (any) {
      st->x = it->run->x + x, st->y = it->run->y + y, st->w = w, st->h = h;
    } else {
      st->x = it->run->x, st->y = it->run->y, st->w = st->h = 0;
    }
    /* An element's box holds those of the elements inside it. */
    for (guint k = 0; k < el->children->len; k++) {
      mprtc__vnode *child = el->children->pdata[k];
      if (!child->tag) continue;
      mprtc__vstate *cs = mprtc__vstate_of(child);
      if (cs->w == 0 && cs->h == 0) continue;
      if (!any) {
        st->x = cs->x, st->y = cs->y, st->w = cs->w, st->h = cs->h;
        any = TRUE;
        continue;
      }
      double x1 = MAX(st->x + st->w, cs->x + cs->w), y1 = MAX(st->y + st->h, cs->y + cs->h);
      st->x = MIN(st->x, cs->x), st->y = MIN(st->y, cs->y);
      st->w = x1 - st->x, st->h = y1 - st->y;
    }
  }
}

/* ---- measuring -------------------------------------------------------------------------------- */

static double max_content_width(const ctx *c, mprtc__vnode *n);

static double intrinsic_width(const ctx *c, mprtc__vnode *n) {
  double w = 0, h = 0;
  if (c->intrinsic && c->intrinsic(n, &w, &h, c->data)) return w;
  return 0;
}

/* The max-content width of n's children (its content box). */
static double children_max_width(const ctx *c, mprtc__vnode *n) {
  const mprtc__style *s = style_of(n);
  GArray *items = flow_items(n);
  double total = 0, widest = 0;
  for (guint i = 0; i < items->len; i++) {
    flow_item *it = &g_array_index(items, flow_item, i);
    double w;
    if (it->run) {
      double h;
      mprtc__paragraph_layout(it->run->paragraph, s, -1, &w, &h);
    } else {
      edges e = edges_of(style_of(it->node), -1);
      w = max_content_width(c, it->node) + e.m[MPRTC__LEFT] + e.m[MPRTC__RIGHT];
    }
    total += w;
    widest = MAX(widest, w);
  }
  flow_items_free(items);
  return s->display == MPRTC__DISPLAY_FLEX && s->row ? total : widest;
}

/* The max-content width of n's border box. */
static double max_content_width(const ctx *c, mprtc__vnode *n) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  /* Measuring rebuilds an element's runs: a kept layout keeps its width too. */
  if (st->max_w_known) return st->max_w;
  const mprtc__style *s = style_of(n);
  edges e = edges_of(s, -1);
  double specified = border_size(s, &s->width, -1, inner_w(&e));
  if (specified >= 0) return specified;
  double content = is_replaced(n) ? intrinsic_width(c, n) : children_max_width(c, n);
  st->max_w = clamp_size(s, TRUE, content + inner_w(&e), -1, inner_w(&e));
  st->max_w_known = TRUE;
  return st->max_w;
}

/* ---- placing ---------------------------------------------------------------------------------- */

static void translate(mprtc__vnode *n, double dx, double dy) {
  if (!n->tag || (dx == 0 && dy == 0)) return;
  mprtc__vstate *st = mprtc__vstate_of(n);
  st->x += dx;
  st->y += dy;
  for (guint i = 0; st->runs && i < st->runs->len; i++) {
    mprtc__text_run *r = st->runs->pdata[i];
    r->x += dx;
    r->y += dy;
  }
  for (guint i = 0; i < n->children->len; i++) translate(n->children->pdata[i], dx, dy);
}

static double layout_box(const ctx *c, mprtc__vnode *n, double x, double y, double w, double forced_h, double cb_h);

/* Block flow: children stacked in the content box. Returns the content height. */
static double layout_flow(const ctx *c, mprtc__vnode *n, double cx, double cy, double cw, double ch) {
  const mprtc__style *s = style_of(n);
  GArray *items = flow_items(n);
  double cursor = cy;
  for (guint i = 0; i < items->len; i++) {
    flow_item *it = &g_array_index(items, flow_item, i);
    if (it->run) {
      double w, h;
      mprtc__paragraph_layout(it->run->paragraph, s, cw, &w, &h);
      it->run->x = cx, it->run->y = cursor, it->run->w = cw, it->run->h = h;
      place_inlines(it);
      cursor += h;
      continue;
    }
    mprtc__vnode *child = it->node;
    const mprtc__style *cs = style_of(child);
    edges e = edges_of(cs, cw);
    double w = border_size(cs, &cs->width, cw, inner_w(&e));
    double ml = e.auto_left ? 0 : e.m[MPRTC__LEFT], mr = e.auto_right ? 0 : e.m[MPRTC__RIGHT];
    if (w < 0) {
      w = cw - ml - mr;
    } else if (e.auto_left || e.auto_right) {
      /* margin: auto centres a box of definite width (one auto side takes all that is left). */
      double left = MAX(0, cw - w - ml - mr);
      if (e.auto_left && e.auto_right) ml += left / 2;
      else if (e.auto_left) ml += left;
    }
    w = clamp_size(cs, TRUE, w, cw, inner_w(&e));
    double h = layout_box(c, child, cx + ml, cursor + e.m[MPRTC__TOP], w, -1, ch);
    cursor += e.m[MPRTC__TOP] + h + e.m[MPRTC__BOTTOM];
  }
  flow_items_free(items);
  return cursor - cy;
}

typedef struct {
  flow_item item;
  edges e;
  double hyp, main, cross;
  double base;
  gboolean stretch;
} flex_item;

static mprtc__align align_of(const mprtc__style *container, const mprtc__style *item) {
  return item && item->align_self != MPRTC__ALIGN_AUTO ? item->align_self : container->align_items;
}

/* Positions along the main axis: the start of each item's margin box. */
static void justify(mprtc__justify j, double free_space, guint n, double *lead, double *gap) {
  *lead = 0;
  *gap = 0;
  if (free_space <= 0 || n == 0) return;
  switch (j) {
    case MPRTC__JUSTIFY_START: break;
    case MPRTC__JUSTIFY_CENTER: *lead = free_space / 2; break;
    case MPRTC__JUSTIFY_END: *lead = free_space; break;
    case MPRTC__JUSTIFY_SPACE_BETWEEN: *gap = n > 1 ? free_space / (n - 1) : 0; break;
    case MPRTC__JUSTIFY_SPACE_AROUND: *gap = free_space / n, *lead = *gap / 2; break;
    case MPRTC__JUSTIFY_SPACE_EVENLY: *gap = free_space / (n + 1), *lead = *gap; break;
  }
}

/* Grows or shrinks the items' hypothetical main sizes to fill avail (runs shrink, never grow). */
static void flex_resolve(flex_item *items, guint n, double avail) {
  double sum = 0, grow = 0, shrink = 0;
  for (guint i = 0; i < n; i++) {
    const mprtc__style *s = items[i].item.node ? style_of(items[i].item.node) : NULL;
    sum += items[i].hyp;
    grow += s ? s->flex_grow : 0;
    shrink += (s ? s->flex_shrink : 1) * items[i].base;
  }
  double free_space = avail - sum;
  for (guint i = 0; i < n; i++) {
    const mprtc__style *s = items[i].item.node ? style_of(items[i].item.node) : NULL;
    items[i].main = items[i].hyp;
    if (free_space > 0 && grow > 0) items[i].main += free_space * (s ? s->flex_grow : 0) / grow;
    else if (free_space < 0 && shrink > 0) items[i].main += free_space * (s ? s->flex_shrink : 1) * items[i].base / shrink;
    items[i].main = MAX(0, items[i].main);
  }
}

static double layout_flex(const ctx *c, mprtc__vnode *n, double cx, double cy, double cw, double ch) {
  const mprtc__style *s = style_of(n);
  GArray *flow = flow_items(n);
  guint count = flow->len;
  flex_item *items = g_new0(flex_item, count ? count : 1);
  double margins_main = 0;
  for (guint i = 0; i < count; i++) {
    flex_item *fi = &items[i];
    fi->item = g_array_index(flow, flow_item, i);
    const mprtc__style *is = fi->item.node ? style_of(fi->item.node) : NULL;
    if (is) fi->e = edges_of(is, cw);
    double edge_main = is ? (s->row ? inner_w(&fi->e) : inner_h(&fi->e)) : 0;
    double main_base_ref = s->row ? cw : ch;
    if (is && definite(&is->flex_basis, main_base_ref)) {
      fi->base = border_size(is, &is->flex_basis, main_base_ref, edge_main);
    } else if (is && (s->row ? definite(&is->width, cw) : definite(&is->height, ch))) {
      fi->base = border_size(is, s->row ? &is->width : &is->height, main_base_ref, edge_main);
    } else if (s->row) {
      if (fi->item.run) {
        double h;
        mprtc__paragraph_layout(fi->item.run->paragraph, s, -1, &fi->base, &h);
      } else {
        fi->base = MIN(max_content_width(c, fi->item.node), MAX(0, cw - fi->e.m[MPRTC__LEFT] - fi->e.m[MPRTC__RIGHT]));
      }
    } else {
      fi->base = -1; /* content height: measured below */
    }
    fi->stretch = align_of(s, is) == MPRTC__ALIGN_STRETCH &&
                  (!is || !(s->row ? definite(&is->height, ch) : definite(&is->width, cw)));
    margins_main += s->row ? fi->e.m[MPRTC__LEFT] + fi->e.m[MPRTC__RIGHT] : fi->e.m[MPRTC__TOP] + fi->e.m[MPRTC__BOTTOM];
  }

  double content_h;
  if (s->row) {
    for (guint i = 0; i < count; i++) {
      const mprtc__style *is = items[i].item.node ? style_of(items[i].item.node) : NULL;
      items[i].hyp = is ? clamp_size(is, TRUE, items[i].base, cw, inner_w(&items[i].e)) : items[i].base;
    }
    flex_resolve(items, count, cw - margins_main);
    /* Lay each item out at its main size; its height is its content's unless stretched later. */
    double line = 0;
    for (guint i = 0; i < count; i++) {
      flex_item *fi = &items[i];
      if (fi->item.run) {
        double w, h;
        mprtc__paragraph_layout(fi->item.run->paragraph, s, fi->main, &w, &h);
        fi->item.run->x = cx, fi->item.run->y = cy, fi->item.run->w = fi->main, fi->item.run->h = h;
        fi->cross = h;
      } else {
        double forced = fi->stretch && ch >= 0 ? MAX(0, ch - fi->e.m[MPRTC__TOP] - fi->e.m[MPRTC__BOTTOM]) : -1;
        fi->cross = layout_box(c, fi->item.node, cx, cy, fi->main, forced, ch);
      }
      line = MAX(line, fi->cross + fi->e.m[MPRTC__TOP] + fi->e.m[MPRTC__BOTTOM]);
    }
    if (ch >= 0) line = ch;
    double used = margins_main;
    for (guint i = 0; i < count; i++) used += items[i].main;
    double lead, gap;
    justify(s->justify_content, cw - used, count, &lead, &gap);
    double cursor = cx + lead;
    for (guint k = 0; k < count; k++) {
      flex_item *fi = &items[s->reverse ? count - 1 - k : k];
      const mprtc__style *is = fi->item.node ? style_of(fi->item.node) : NULL;
      double x = cursor + fi->e.m[MPRTC__LEFT];
      double outer = fi->cross + fi->e.m[MPRTC__TOP] + fi->e.m[MPRTC__BOTTOM];
      mprtc__align a = align_of(s, is);
      if (fi->stretch && fi->item.node && ch < 0 && fi->cross + fi->e.m[MPRTC__TOP] + fi->e.m[MPRTC__BOTTOM] < line) {
        /* Stretched to the line, now that it is known. */
        fi->cross = layout_box(c, fi->item.node, cx, cy, fi->main, line - fi->e.m[MPRTC__TOP] - fi->e.m[MPRTC__BOTTOM], ch);
        outer = line;
      }
      double y = cy + fi->e.m[MPRTC__TOP];
      if (a == MPRTC__ALIGN_CENTER) y += (line - outer) / 2;
      else if (a == MPRTC__ALIGN_END) y += line - outer;
      if (fi->item.run) {
        fi->item.run->x = x, fi->item.run->y = y;
        place_inlines(&fi->item);
      } else {
        translate(fi->item.node, x - cx, y - cy);
      }
      cursor += fi->e.m[MPRTC__LEFT] + fi->main + fi->e.m[MPRTC__RIGHT] + gap;
    }
    content_h = line;
  } else {
    /* Column: widths first (the cross axis), then heights. */
    for (guint i = 0; i < count; i++) {
      flex_item *fi = &items[i];
      const mprtc__style *is = fi->item.node ? style_of(fi->item.node) : NULL;
      double avail = MAX(0, cw - fi->e.m[MPRTC__LEFT] - fi->e.m[MPRTC__RIGHT]);
      if (!is) fi->cross = avail;
      else if (definite(&is->width, cw)) fi->cross = clamp_size(is, TRUE, border_size(is, &is->width, cw, inner_w(&fi->e)), cw, inner_w(&fi->e));
      else if (fi->stretch) fi->cross = clamp_size(is, TRUE, avail, cw, inner_w(&fi->e));
      else fi->cross = clamp_size(is, TRUE, MIN(max_content_width(c, fi->item.node), avail), cw, inner_w(&fi->e));
      if (fi->base < 0) {
        if (fi->item.run) {
          double w;
          mprtc__paragraph_layout(fi->item.run->paragraph, s, fi->cross, &w, &fi->base);
        } else {
          fi->base = layout_box(c, fi->item.node, cx, cy, fi->cross, -1, ch);
        }
      }
      fi->hyp = is ? clamp_size(is, FALSE, fi->base, ch, inner_h(&fi->e)) : fi->base;
    }
    if (ch >= 0) flex_resolve(items, count, ch - margins_main);
    else
      for (guint i = 0; i < count; i++) items[i].main = items[i].hyp;
    double used = margins_main;
    for (guint i = 0; i < count; i++) used += items[i].main;
    double lead, gap;
    justify(s->justify_content, ch >= 0 ? ch - used : 0, count, &lead, &gap);
    double cursor = cy + lead;
    for (guint k = 0; k < count; k++) {
      flex_item *fi = &items[s->reverse ? count - 1 - k : k];
      const mprtc__style *is = fi->item.node ? style_of(fi->item.node) : NULL;
      double y = cursor + fi->e.m[MPRTC__TOP];
      double x = cx + fi->e.m[MPRTC__LEFT];
      double room = cw - fi->cross - fi->e.m[MPRTC__LEFT] - fi->e.m[MPRTC__RIGHT];
      mprtc__align a = align_of(s, is);
      if (a == MPRTC__ALIGN_CENTER) x += room / 2;
      else if (a == MPRTC__ALIGN_END) x += room;
      if (fi->item.run) {
        double w, h;
        mprtc__paragraph_layout(fi->item.run->paragraph, s, fi->cross, &w, &h);
        fi->item.run->x = x, fi->item.run->y = y, fi->item.run->w = fi->cross, fi->item.run->h = fi->main;
        place_inlines(&fi->item);
      } else {
        layout_box(c, fi->item.node, x, y, fi->cross, fi->main, ch);
      }
      cursor += fi->e.m[MPRTC__TOP] + fi->main + fi->e.m[MPRTC__BOTTOM] + gap;
    }
    content_h = ch >= 0 ? ch : cursor - cy;
  }
  g_free(items);
  flow_items_free(flow);
  return content_h;
}

static void hide(mprtc__vnode *n) {
  if (!n->tag) return;
  mprtc__vstate *st = mprtc__vstate_of(n);
  st->shown = FALSE;
  st->laid = FALSE;
  st->x = st->y = st->w = st->h = 0;
  for (guint i = 0; i < n->children->len; i++) hide(n->children->pdata[i]);
}

/* A <scroll-view scroll-y scroll-top="N">: its content, laid out, moves up by N (px, or a length
 * such as 40rpx), as far as there is content below the view. */
static void scroll_content(const ctx *c, mprtc__vnode *n, double content_h, double ch) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  json_t *top = json_object_get(n->attrs, "scroll-top");
  double want = 0;
  if (json_is_string(top)) {
    mprtc__length l;
    if (mprtc__parse_length(json_string_value(top), c->cascade->window_width, c->cascade->window_height,
                            st->style.font_size, &l) && l.unit == MPRTC__LEN_PX)
      want = l.value;
    else if (*json_string_value(top))
      want = mprtc__js_number(top);
  } else if (top) {
    want = mprtc__js_number(top);
  }
  if (!mprtc__js_truthy(json_object_get(n->attrs, "scroll-y")) || ch < 0 || isnan(want)) want = 0;
  st->scroll_top = CLAMP(want, 0, MAX(0, content_h - ch));
  if (st->scroll_top == 0) return;
  for (guint i = 0; st->runs && i < st->runs->len; i++) ((mprtc__text_run *)st->runs->pdata[i])->y -= st->scroll_top;
  for (guint i = 0; i < n->children->len; i++) translate(n->children->pdata[i], 0, -st->scroll_top);
}

/* Lays out element n with its border box at (x, y), w wide (border box), forced_h tall when
 * >= 0; cb_h: its container's content height for % heights (< 0 unknown). Returns the
 * border-box height. */
static double layout_box(const ctx *c, mprtc__vnode *n, double x, double y, double w, double forced_h, double cb_h) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  if (!st->dirty && st->laid && st->in_w == w && st->in_forced_h == forced_h && st->in_cb_h == cb_h) {
    translate(n, x - st->x, y - st->y);
    return st->h;
  }
  const mprtc__style *s = &st->style;
  st->shown = TRUE;
  edges e = edges_of(s, w);
  double specified_h = border_size(s, &s->height, cb_h, inner_h(&e));
  double cx = x + e.b[MPRTC__LEFT] + e.p[MPRTC__LEFT], cy = y + e.b[MPRTC__TOP] + e.p[MPRTC__TOP];
  double cw = MAX(0, w - inner_w(&e));
  double definite_h = forced_h >= 0 ? forced_h : specified_h >= 0 ? clamp_size(s, FALSE, specified_h, cb_h, inner_h(&e)) : -1;
  double ch = definite_h >= 0 ? MAX(0, definite_h - inner_h(&e)) : -1;
  double content_h = 0;
  if (is_replaced(n)) {
    for (guint i = 0; i < n->children->len; i++) hide(n->children->pdata[i]);
    double iw = 0, ih = 0;
    if (ch < 0 && c->intrinsic && c->intrinsic(n, &iw, &ih, c->data)) {
      /* An image of mode widthFix keeps its aspect ratio at the width it was given. */
      content_h = iw > 0 ? ih * cw / iw : ih;
    }
  } else {
    content_h = s->display == MPRTC__DISPLAY_FLEX ? layout_flex(c, n, cx, cy, cw, ch) : layout_flow(c, n, cx, cy, cw, ch);
    if (strcmp(n->tag, "scroll-view") == 0) scroll_content(c, n, content_h, ch);
  }
  double h = definite_h >= 0 ? definite_h : clamp_size(s, FALSE, content_h + inner_h(&e), cb_h, inner_h(&e));
  st->x = x, st->y = y, st->w = w, st->h = h;
  st->laid = TRUE;
  st->in_w = w, st->in_forced_h = forced_h, st->in_cb_h = cb_h;
  return h;
}

double mprtc__layout_page(mprtc__vnode *root, const mprtc__cascade *cascade, double width, double height,
                          mprtc__intrinsic_fn intrinsic, void *data) {
  ctx c = {cascade, intrinsic, data};
  compute_styles(&c, root, NULL, FALSE);
  mprtc__vstate *st = mprtc__vstate_of(root);
  if (st->style.display == MPRTC__DISPLAY_NONE) {
    hide(root);
    return height;
  }
  double h = layout_box(&c, root, 0, 0, width, -1, height);
  if (h < height) {
    /* The page fills the window. */
    st->h = height;
    h = height;
  }
  return h;
}
