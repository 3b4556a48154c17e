/* Places in a text: see textpos.h. */
#include "base/textpos.h"

void mprtc__textpos_init(mprtc__textpos *tp, const char *text, size_t len) {
  tp->text = text;
  tp->len = len;
  tp->line_starts = g_array_new(FALSE, FALSE, sizeof(size_t));
  size_t zero = 0;
  g_array_append_val(tp->line_starts, zero);
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n') {
      size_t next = i + 1;
      g_array_append_val(tp->line_starts, next);
    }
  }
}

void mprtc__textpos_clear(mprtc__textpos *tp) {
  if (tp->line_starts) g_array_unref(tp->line_starts);
  tp->line_starts = NULL;
}

void mprtc__textpos_place(const mprtc__textpos *tp, size_t offset, int *line, int *column) {
  if (offset > tp->len) offset = tp->len;
  /* The last line start at or before offset. */
  guint lo = 0, hi = tp->line_starts->len;
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;
    if (g_array_index(tp->line_starts, size_t, mid) <= offset) lo = mid;
    else hi = mid;
  }
  size_t start = g_array_index(tp->line_starts, size_t, lo);
  *line = (int)lo + 1;
  /* Characters, not bytes; a broken sequence counts a character a byte. */
  int characters = 0;
  for (const char *p = tp->text + start, *end = tp->text + offset; p < end; characters++) {
    const char *next = g_utf8_find_next_char(p, end);
    p = next ? next : end;
  }
  *column = characters + 1;
}

char *mprtc__textpos_message(const mprtc__textpos *tp, const char *file, size_t offset, const char *fmt, va_list ap) {
  int line, column;
  mprtc__textpos_place(tp, offset, &line, &column);
  char *what = g_strdup_vprintf(fmt, ap);
  char *out = g_strdup_printf("%s:%d:%d: %s", file, line, column, what);
  g_free(what);
  return out;
}
