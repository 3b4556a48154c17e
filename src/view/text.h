/* Paragraphs: a run of text nodes and <text> elements laid out as lines with pango, each piece
 * in its own style (font size and weight, colour), aligned and line-spaced by the block that
 * holds the run. White space collapses as CSS's `white-space: normal` does, except that inside
 * <text> a newline breaks the line (as on the platform).
 *
 * Thread rules: a paragraph belongs to one thread (pango's font map is per thread).
 */
#ifndef MPRTC_VIEW_TEXT_H
#define MPRTC_VIEW_TEXT_H

#include <cairo.h>
#include <glib.h>

#include "view/style.h"

typedef struct mprtc__paragraph mprtc__paragraph;

mprtc__paragraph *mprtc__paragraph_new(void);
void mprtc__paragraph_free(mprtc__paragraph *p);

/* Appends text in style; owner (may be NULL) names the piece for mprtc__paragraph_piece_box.
 * keep_newlines: a newline breaks the line. */
void mprtc__paragraph_add(mprtc__paragraph *p, const char *text, const mprtc__style *style, const void *owner,
                          gboolean keep_newlines);

/* Whether p shows anything (collapsed white space does not). */
gboolean mprtc__paragraph_empty(mprtc__paragraph *p);

/* The text and styles it holds, as a key: two paragraphs with the same key lay out the same. */
const char *mprtc__paragraph_key(mprtc__paragraph *p);

/* p takes over the shaping of from (same key): from's pango layout is moved, not copied; the
 * pieces (and their owners) stay p's. */
void mprtc__paragraph_take_shaping(mprtc__paragraph *p, mprtc__paragraph *from);

/* Lays p out in lines of at most width px (< 0: one line per hard break, as wide as it gets),
 * aligned and spaced by block (the style of the block holding it); *w and *h: its size. */
void mprtc__paragraph_layout(mprtc__paragraph *p, const mprtc__style *block, double width, double *w, double *h);

/* The box of the pieces owner added, relative to the paragraph's origin; FALSE when it has
 * none. */
gboolean mprtc__paragraph_piece_box(mprtc__paragraph *p, const void *owner, double *x, double *y, double *w, double *h);

/* Paints p (laid out) with its top left at (x, y). */
void mprtc__paragraph_paint(mprtc__paragraph *p, cairo_t *cr, double x, double y);

#endif
