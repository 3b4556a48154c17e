/* Places in a text: the line and column (1-based, columns in characters) of a byte offset, for
 * messages of the form "<file>:<line>:<column>: <what>".
 *
 * Thread rules: pure; a textpos belongs to one thread at a time.
 */
#ifndef MPRTC_BASE_TEXTPOS_H
#define MPRTC_BASE_TEXTPOS_H

#include <glib.h>

typedef struct {
  const char *text; /* borrowed */
  size_t len;
  GArray *line_starts; /* size_t */
} mprtc__textpos;

void mprtc__textpos_init(mprtc__textpos *tp, const char *text, size_t len);
void mprtc__textpos_clear(mprtc__textpos *tp);
void mprtc__textpos_place(const mprtc__textpos *tp, size_t offset, int *line, int *column);

/* "<file>:<line>:<column>: <what>", g_free it. */
char *mprtc__textpos_message(const mprtc__textpos *tp, const char *file, size_t offset, const char *fmt, va_list ap)
    G_GNUC_PRINTF(4, 0);

#endif
