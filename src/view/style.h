/* Computed styles: for each element of a page, the value of every property the view supports,
 * from the view's own defaults per tag, the app's and the page's WXSS (by specificity, then
 * order; !important first), the element's style="" attribute, and what it inherits (color,
 * font-size, font-weight, text-align, line-height). Lengths are resolved to CSS pixels where
 * they can be (px, rpx: 750rpx is the window's width, em); percentages and auto wait for layout.
 *
 * Supported properties (docs/view.md): display (block, flex, none, inline), flex-direction,
 * flex (and flex-grow, flex-shrink, flex-basis), justify-content, align-items, align-self,
 * width, height, min-/max-width and -height, margin, padding, border (width, style, color, per
 * side) and border-radius, box-sizing, background-color (and background with a colour),
 * color, font-size, font-weight, text-align, line-height, opacity, overflow. Anything else is
 * ignored, with one warning per property name.
 *
 * Thread rules: pure; any thread.
 */
#ifndef MPRTC_VIEW_STYLE_H
#define MPRTC_VIEW_STYLE_H

#include <glib.h>
#include <stdint.h>

#include "view/render.h"
#include "view/wxss.h"

typedef enum { MPRTC__LEN_AUTO, MPRTC__LEN_PX, MPRTC__LEN_PERCENT, MPRTC__LEN_NONE } mprtc__len_unit;

typedef struct {
  double value;
  mprtc__len_unit unit;
} mprtc__length;

/* RGBA, 0..1 each. */
typedef struct {
  double r, g, b, a;
} mprtc__color;

typedef enum { MPRTC__DISPLAY_BLOCK, MPRTC__DISPLAY_FLEX, MPRTC__DISPLAY_INLINE, MPRTC__DISPLAY_NONE } mprtc__display;
typedef enum { MPRTC__ALIGN_START, MPRTC__ALIGN_CENTER, MPRTC__ALIGN_END, MPRTC__ALIGN_STRETCH, MPRTC__ALIGN_AUTO } mprtc__align;
typedef enum {
  MPRTC__JUSTIFY_START, MPRTC__JUSTIFY_CENTER, MPRTC__JUSTIFY_END,
  MPRTC__JUSTIFY_SPACE_BETWEEN, MPRTC__JUSTIFY_SPACE_AROUND, MPRTC__JUSTIFY_SPACE_EVENLY,
} mprtc__justify;
typedef enum { MPRTC__TEXT_LEFT, MPRTC__TEXT_CENTER, MPRTC__TEXT_RIGHT } mprtc__text_align;

enum { MPRTC__TOP, MPRTC__RIGHT, MPRTC__BOTTOM, MPRTC__LEFT };

typedef struct {
  mprtc__display display;
  gboolean row;               /* flex-direction: row (else column) */
  gboolean reverse;           /* row-reverse / column-reverse */
  double flex_grow, flex_shrink;
  mprtc__length flex_basis;
  mprtc__justify justify_content;
  mprtc__align align_items, align_self;
  mprtc__length width, height, min_width, min_height, max_width, max_height;
  mprtc__length margin[4], padding[4];
  double border_width[4];     /* px (0 where the style is none) */
  mprtc__color border_color[4];
  double border_radius;       /* px */
  gboolean border_box;        /* box-sizing: border-box */
  mprtc__color background;
  mprtc__color color;         /* inherited */
  double font_size;           /* px, inherited */
  int font_weight;            /* 100..900, inherited */
  mprtc__text_align text_align; /* inherited */
  double line_height;         /* inherited: > 0 px, or < 0: a multiple of the font size (-1.4 = 1.4) */
  double opacity;
  gboolean clip;              /* overflow: hidden (and scroll-view) */
} mprtc__style;

/* The style of the page's root element before any sheet (what its children inherit from). */
void mprtc__style_initial(mprtc__style *s);

/* Parses a CSS colour (#rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(), the named colours,
 * transparent). */
gboolean mprtc__parse_color(const char *text, mprtc__color *out);

/* Parses a CSS length: px, rpx (window_width / 750 px each), em (of font_size), vw, vh, %,
 * auto, 0. */
gboolean mprtc__parse_length(const char *text, double window_width, double window_height, double font_size,
                             mprtc__length *out);

/* The sheets of a page, in cascade order (the app's, then the page's). */
typedef struct {
  const mprtc__wxss *sheets[2];
  double window_width, window_height;
  GHashTable *warned;          /* property names warned about (a set; the caller's) */
  GPtrArray *warnings;         /* char*: where new warnings go */
} mprtc__cascade;

/* Computes the style of element n (its parent's given, NULL for the root) into out. */
void mprtc__style_compute(const mprtc__cascade *c, const mprtc__vnode *n, const mprtc__style *parent, mprtc__style *out);

#endif
