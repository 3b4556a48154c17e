/* The cascade and the property values: see style.h. */
#include "view/style.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ----------------------------------------------------------------------------------- */

static const struct {
  const char *name;
  guint32 rgb;
} named_colors[] = {
    {"black", 0x000000}, {"white", 0xffffff}, {"red", 0xff0000}, {"green", 0x008000}, {"blue", 0x0000ff},
    {"yellow", 0xffff00}, {"orange", 0xffa500}, {"purple", 0x800080}, {"pink", 0xffc0cb}, {"gray", 0x808080},
    {"grey", 0x808080}, {"silver", 0xc0c0c0}, {"maroon", 0x800000}, {"olive", 0x808000}, {"lime", 0x00ff00},
    {"aqua", 0x00ffff}, {"cyan", 0x00ffff}, {"teal", 0x008080}, {"navy", 0x000080}, {"fuchsia", 0xff00ff},
    {"magenta", 0xff00ff}, {"brown", 0xa52a2a}, {"gold", 0xffd700}, {"lightgray", 0xd3d3d3},
    {"lightgrey", 0xd3d3d3}, {"darkgray", 0xa9a9a9}, {"darkgrey", 0xa9a9a9}, {"whitesmoke", 0xf5f5f5},
    {"skyblue", 0x87ceeb}, {"steelblue", 0x4682b4}, {"tomato", 0xff6347}, {"crimson", 0xdc143c},
    {"coral", 0xff7f50}, {"salmon", 0xfa8072}, {"indigo", 0x4b0082}, {"violet", 0xee82ee},
    {"beige", 0xf5f5dc}, {"ivory", 0xfffff0}, {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa},
    {"darkblue", 0x00008b}, {"darkgreen", 0x006400}, {"darkred", 0x8b0000}, {"lightblue", 0xadd8e6},
    {"lightgreen", 0x90ee90}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
};

static int hex(char c) { return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1; }

/* A number, or a percentage of scale: rgb()'s components. */
static gboolean component(const char *s, double scale, double *out) {
  char *end;
  double v = g_ascii_strtod(s, &end);
  if (end == s) return FALSE;
  while (g_ascii_isspace(*end)) end++;
  if (*end == '%') {
    v = v / 100.0 * scale;
    end++;
  }
  while (g_ascii_isspace(*end)) end++;
  if (*end) return FALSE;
  *out = v;
  return TRUE;
}

gboolean mprtc__parse_color(const char *text, mprtc__color *out) {
  char *t = g_ascii_strdown(text, -1);
  g_strstrip(t);
  gboolean ok = FALSE;
  size_t n = strlen(t);
  if (t[0] == '#') {
    int d[8];
    size_t k = n - 1;
    gboolean digits = k == 3 || k == 4 || k == 6 || k == 8;
    for (size_t i = 0; digits && i < k; i++) digits = (d[i] = hex(t[1 + i])) >= 0;
    if (digits) {
      if (k <= 4) {
        out->r = d[0] * 17 / 255.0, out->g = d[1] * 17 / 255.0, out->b = d[2] * 17 / 255.0;
        out->a = k == 4 ? d[3] * 17 / 255.0 : 1;
      } else {
        out->r = (d[0] * 16 + d[1]) / 255.0, out->g = (d[2] * 16 + d[3]) / 255.0, out->b = (d[4] * 16 + d[5]) / 255.0;
        out->a = k == 8 ? (d[6] * 16 + d[7]) / 255.0 : 1;
      }
      ok = TRUE;
    }
  } else if ((g_str_has_prefix(t, "rgb(") || g_str_has_prefix(t, "rgba(")) && t[n - 1] == ')') {
    char *inner = g_strndup(strchr(t, '(') + 1, n - (size_t)(strchr(t, '(') - t) - 2);
    /* Commas, or the modern spaces with a slash before alpha. */
    char **parts = g_strsplit_set(inner, " ,/", -1);
    GPtrArray *values = g_ptr_array_new();
    for (char **p = parts; *p; p++)
      if (*g_strstrip(*p)) g_ptr_array_add(values, *p);
    double v[4] = {0, 0, 0, 1};
    ok = values->len == 3 || values->len == 4;
    for (guint i = 0; ok && i < values->len; i++) ok = component(values->pdata[i], i < 3 ? 255 : 1, &v[i]);
    if (ok) {
      out->r = CLAMP(v[0], 0, 255) / 255.0, out->g = CLAMP(v[1], 0, 255) / 255.0, out->b = CLAMP(v[2], 0, 255) / 255.0;
      out->a = CLAMP(v[3], 0, 1);
    }
    g_ptr_array_unref(values);
    g_strfreev(parts);
    g_free(inner);
  } else if (strcmp(t, "transparent") == 0) {
    *out = (mprtc__color){0, 0, 0, 0};
    ok = TRUE;
  } else {
    for (guint i = 0; i < G_N_ELEMENTS(named_colors) && !ok; i++) {
      if (strcmp(t, named_colors[i].name) == 0) {
        guint32 c = named_colors[i].rgb;
        *out = (mprtc__color){((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0, 1};
        ok = TRUE;
      }
    }
  }
  g_free(t);
  return ok;
}

gboolean mprtc__parse_length(const char *text, double window_width, double window_height, double font_size,
                             mprtc__length *out) {
  while (g_ascii_isspace(*text)) text++;
  if (g_ascii_strcasecmp(text, "auto") == 0) {
    *out = (mprtc__length){0, MPRTC__LEN_AUTO};
    return TRUE;
  }
  if (g_ascii_strcasecmp(text, "none") == 0) {
    *out = (mprtc__length){0, MPRTC__LEN_NONE};
    return TRUE;
  }
  char *end;
  double v = g_ascii_strtod(text, &end);
  if (end == text || !isfinite(v)) return FALSE;
  char unit[8] = {0};
  size_t n = strlen(end);
  while (n > 0 && g_ascii_isspace(end[n - 1])) n--;
  if (n >= sizeof unit) return FALSE;
  for (size_t i = 0; i < n; i++) unit[i] = g_ascii_tolower(end[i]);
  if (n == 0 && v == 0) *out = (mprtc__length){0, MPRTC__LEN_PX};
  else if (strcmp(unit, "px") == 0) *out = (mprtc__length){v, MPRTC__LEN_PX};
  else if (strcmp(unit, "rpx") == 0) *out = (mprtc__length){v * window_width / 750.0, MPRTC__LEN_PX};
  else if (strcmp(unit, "em") == 0) *out = (mprtc__length){v * font_size, MPRTC__LEN_PX};
  else if (strcmp(unit, "rem") == 0) *out = (mprtc__length){v * 16.0, MPRTC__LEN_PX};
  else if (strcmp(unit, "vw") == 0) *out = (mprtc__length){v * window_width / 100.0, MPRTC__LEN_PX};
  else if (strcmp(unit, "vh") == 0) *out = (mprtc__length){v * window_height / 100.0, MPRTC__LEN_PX};
  else if (strcmp(unit, "%") == 0) *out = (mprtc__length){v, MPRTC__LEN_PERCENT};
  else return FALSE;
  return TRUE;
}

/* ---- properties ------------------------------------------------------------------------------- */

typedef struct {
  const mprtc__cascade *c;
  mprtc__style *s;
} setting;

static gboolean length_of(const setting *st, const char *v, mprtc__length *out) {
  return mprtc__parse_length(v, st->c->window_width, st->c->window_height, st->s->font_size, out);
}

/* The words of a value ("1px solid rgba(0, 0, 0, 0.1)"): split at white space outside
 * parentheses, none empty; g_strfreev them. */
static char **words_of(const char *v) {
  GPtrArray *words = g_ptr_array_new();
  const char *start = NULL;
  int depth = 0;
  for (const char *p = v;; p++) {
    gboolean space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
    if (*p && !start && !space) start = p;
    if (*p == '(') depth++;
    if (*p == ')' && depth > 0) depth--;
    if (start && (!*p || (space && depth == 0))) {
      g_ptr_array_add(words, g_strndup(start, (gsize)(p - start)));
      start = NULL;
    }
    if (!*p) break;
  }
  g_ptr_array_add(words, NULL);
  return (char **)g_ptr_array_free(words, FALSE);
}

/* "a b c d" in CSS's 1-4 value form for the four sides. */
static gboolean four_sides(const setting *st, const char *v, mprtc__length out[4]) {
  char **parts = words_of(v);
  GPtrArray *vals = g_ptr_array_new();
  for (char **p = parts; *p; p++) g_ptr_array_add(vals, *p);
  mprtc__length l[4];
  gboolean ok = vals->len >= 1 && vals->len <= 4;
  for (guint i = 0; ok && i < vals->len; i++) ok = length_of(st, vals->pdata[i], &l[i]);
  if (ok) {
    static const int pick[4][4] = {{0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}};
    for (int side = 0; side < 4; side++) out[side] = l[pick[vals->len - 1][side]];
  }
  g_ptr_array_unref(vals);
  g_strfreev(parts);
  return ok;
}

static gboolean keyword(const char *v, const char *const *names, int *out) {
  for (int i = 0; names[i]; i++)
    if (g_ascii_strcasecmp(v, names[i]) == 0) {
      *out = i;
      return TRUE;
    }
  return FALSE;
}

/* One border: "1px solid #ccc" in any order (style none: no border). */
static gboolean border_of(const setting *st, const char *v, double *width, mprtc__color *color) {
  char **parts = words_of(v);
  gboolean ok = TRUE, none = FALSE;
  double w = 3; /* medium */
  mprtc__color col = st->s->color;
  static const char *const styles[] = {"solid", "dashed", "dotted", "double", "none", "hidden", NULL};
  for (char **p = parts; *p && ok; p++) {
    mprtc__length l;
    int k;
    if (keyword(*p, styles, &k)) none = k >= 4;
    else if (g_ascii_strcasecmp(*p, "thin") == 0) w = 1;
    else if (g_ascii_strcasecmp(*p, "medium") == 0) w = 3;
    else if (g_ascii_strcasecmp(*p, "thick") == 0) w = 5;
    else if (length_of(st, *p, &l) && l.unit == MPRTC__LEN_PX) w = l.value;
    else if (!mprtc__parse_color(*p, &col)) ok = FALSE;
  }
  g_strfreev(parts);
  if (ok) {
    *width = none ? 0 : w;
    *color = col;
  }
  return ok;
}

typedef gboolean (*setter)(const setting *st, const char *v);

#define LENGTH_SETTER(field)                                        \
  static gboolean set_##field(const setting *st, const char *v) {   \
    mprtc__length l;                                                \
    if (!length_of(st, v, &l)) return FALSE;                        \
    st->s->field = l;                                               \
    return TRUE;                                                    \
  }
LENGTH_SETTER(width)
LENGTH_SETTER(height)
LENGTH_SETTER(min_width)
LENGTH_SETTER(min_height)
LENGTH_SETTER(max_width)
LENGTH_SETTER(max_height)
LENGTH_SETTER(flex_basis)

#define SIDE_SETTER(name, field, side)                              \
  static gboolean set_##name(const setting *st, const char *v) {    \
    mprtc__length l;                                                \
    if (!length_of(st, v, &l)) return FALSE;                        \
    st->s->field[side] = l;                                         \
    return TRUE;                                                    \
  }
SIDE_SETTER(margin_top, margin, MPRTC__TOP)
SIDE_SETTER(margin_right, margin, MPRTC__RIGHT)
SIDE_SETTER(margin_bottom, margin, MPRTC__BOTTOM)
SIDE_SETTER(margin_left, margin, MPRTC__LEFT)
SIDE_SETTER(padding_top, padding, MPRTC__TOP)
SIDE_SETTER(padding_right, padding, MPRTC__RIGHT)
SIDE_SETTER(padding_bottom, padding, MPRTC__BOTTOM)
SIDE_SETTER(padding_left, padding, MPRTC__LEFT)

static gboolean set_margin(const setting *st, const char *v) { return four_sides(st, v, st->s->margin); }
static gboolean set_padding(const setting *st, const char *v) { return four_sides(st, v, st->s->padding); }

static gboolean set_border_sides(const setting *st, const char *v, int from, int to) {
  double w;
  mprtc__color c;
  if (!border_of(st, v, &w, &c)) return FALSE;
  for (int side = from; side <= to; side++) {
    st->s->border_width[side] = w;
    st->s->border_color[side] = c;
  }
  return TRUE;
}
static gboolean set_border(const setting *st, const char *v) { return set_border_sides(st, v, 0, 3); }
static gboolean set_border_top(const setting *st, const char *v) { return set_border_sides(st, v, 0, 0); }
static gboolean set_border_right(const setting *st, const char *v) { return set_border_sides(st, v, 1, 1); }
static gboolean set_border_bottom(const setting *st, const char *v) { return set_border_sides(st, v, 2, 2); }
static gboolean set_border_left(const setting *st, const char *v) { return set_border_sides(st, v, 3, 3); }

static gboolean set_border_width(const setting *st, const char *v) {
  mprtc__length l[4];
  if (!four_sides(st, v, l)) return FALSE;
  for (int i = 0; i < 4; i++) {
    if (l[i].unit != MPRTC__LEN_PX) return FALSE;
    st->s->border_width[i] = l[i].value;
  }
  return TRUE;
}

static gboolean set_border_color(const setting *st, const char *v) {
  mprtc__color c;
  if (!mprtc__parse_color(v, &c)) return FALSE;
  for (int i = 0; i < 4; i++) st->s->border_color[i] = c;
  return TRUE;
}

static gboolean set_border_style(const setting *st, const char *v) {
  static const char *const styles[] = {"solid", "dashed", "dotted", "double", "none", "hidden", NULL};
  int k;
  if (!keyword(v, styles, &k)) return FALSE;
  if (k >= 4)
    for (int i = 0; i < 4; i++) st->s->border_width[i] = 0;
  return TRUE;
}

static gboolean set_border_radius(const setting *st, const char *v) {
  mprtc__length l;
  /* One radius for all corners (the first of several). */
  char *first = g_strndup(v, strcspn(v, " \t/"));
  gboolean ok = length_of(st, first, &l) && l.unit != MPRTC__LEN_AUTO;
  g_free(first);
  if (!ok) return FALSE;
  /* A percentage is kept negative, resolved at layout against the box. */
  st->s->border_radius = l.unit == MPRTC__LEN_PERCENT ? -l.value : l.value;
  return TRUE;
}

static gboolean set_box_sizing(const setting *st, const char *v) {
  static const char *const names[] = {"content-box", "border-box", NULL};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->border_box = k == 1;
  return TRUE;
}

static gboolean set_background_color(const setting *st, const char *v) { return mprtc__parse_color(v, &st->s->background); }

/* background: only its colour is drawn; the rest of the shorthand is ignored. */
static gboolean set_background(const setting *st, const char *v) {
  char **parts = words_of(v);
  gboolean ok = FALSE;
  for (char **p = parts; *p && !ok; p++) ok = mprtc__parse_color(*p, &st->s->background);
  if (!ok && g_ascii_strcasecmp(v, "none") == 0) st->s->background = (mprtc__color){0, 0, 0, 0}, ok = TRUE;
  g_strfreev(parts);
  return ok;
}

static gboolean set_color(const setting *st, const char *v) { return mprtc__parse_color(v, &st->s->color); }

static gboolean set_opacity(const setting *st, const char *v) {
  char *end;
  double o = g_ascii_strtod(v, &end);
  if (end == v || *end) return FALSE;
  st->s->opacity = CLAMP(o, 0, 1);
  return TRUE;
}

static gboolean set_display(const setting *st, const char *v) {
  static const char *const names[] = {"block", "flex", "inline", "none", "inline-block", "inline-flex", NULL};
  static const mprtc__display as[] = {MPRTC__DISPLAY_BLOCK, MPRTC__DISPLAY_FLEX, MPRTC__DISPLAY_INLINE, MPRTC__DISPLAY_NONE,
                                      MPRTC__DISPLAY_BLOCK, MPRTC__DISPLAY_FLEX};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->display = as[k];
  return TRUE;
}

static gboolean set_flex_direction(const setting *st, const char *v) {
  static const char *const names[] = {"row", "column", "row-reverse", "column-reverse", NULL};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->row = k == 0 || k == 2;
  st->s->reverse = k >= 2;
  return TRUE;
}

static gboolean number_of(const char *v, double *out) {
  char *end;
  double d = g_ascii_strtod(v, &end);
  if (end == v || *end || d < 0 || !isfinite(d)) return FALSE;
  *out = d;
  return TRUE;
}

static gboolean set_flex_grow(const setting *st, const char *v) { return number_of(v, &st->s->flex_grow); }
static gboolean set_flex_shrink(const setting *st, const char *v) { return number_of(v, &st->s->flex_shrink); }

/* flex: none | auto | <grow> [<shrink>] [<basis>] | <basis> */
static gboolean set_flex(const setting *st, const char *v) {
  mprtc__style *s = st->s;
  if (g_ascii_strcasecmp(v, "none") == 0) {
    s->flex_grow = 0, s->flex_shrink = 0, s->flex_basis = (mprtc__length){0, MPRTC__LEN_AUTO};
    return TRUE;
  }
  if (g_ascii_strcasecmp(v, "auto") == 0) {
    s->flex_grow = 1, s->flex_shrink = 1, s->flex_basis = (mprtc__length){0, MPRTC__LEN_AUTO};
    return TRUE;
  }
  char **parts = words_of(v);
  double numbers[2];
  int n_numbers = 0;
  mprtc__length basis = {0, MPRTC__LEN_PX}; /* flex: 1 is 1 1 0% */
  gboolean ok = TRUE, any = FALSE;
  for (char **p = parts; *p && ok; p++) {
    any = TRUE;
    double d;
    mprtc__length l;
    if (n_numbers < 2 && number_of(*p, &d)) numbers[n_numbers++] = d;
    else if (length_of(st, *p, &l)) basis = l;
    else ok = FALSE;
  }
  g_strfreev(parts);
  if (!ok || !any) return FALSE;
  s->flex_grow = n_numbers > 0 ? numbers[0] : 1;
  s->flex_shrink = n_numbers > 1 ? numbers[1] : 1;
  s->flex_basis = basis;
  return TRUE;
}

static gboolean set_justify_content(const setting *st, const char *v) {
  static const char *const names[] = {"flex-start", "center", "flex-end", "space-between", "space-around",
                                      "space-evenly", "start", "end", "left", "right", NULL};
  static const mprtc__justify as[] = {MPRTC__JUSTIFY_START, MPRTC__JUSTIFY_CENTER, MPRTC__JUSTIFY_END,
                                      MPRTC__JUSTIFY_SPACE_BETWEEN, MPRTC__JUSTIFY_SPACE_AROUND, MPRTC__JUSTIFY_SPACE_EVENLY,
                                      MPRTC__JUSTIFY_START, MPRTC__JUSTIFY_END, MPRTC__JUSTIFY_START, MPRTC__JUSTIFY_END};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->justify_content = as[k];
  return TRUE;
}

static gboolean align_of(const char *v, mprtc__align *out, gboolean allow_auto) {
  static const char *const names[] = {"flex-start", "center", "flex-end", "stretch", "start", "end", "baseline", "auto", NULL};
  static const mprtc__align as[] = {MPRTC__ALIGN_START, MPRTC__ALIGN_CENTER, MPRTC__ALIGN_END, MPRTC__ALIGN_STRETCH,
                                    MPRTC__ALIGN_START, MPRTC__ALIGN_END, MPRTC__ALIGN_START, MPRTC__ALIGN_AUTO};
  int k;
  if (!keyword(v, names, &k) || (as[k] == MPRTC__ALIGN_AUTO && !allow_auto)) return FALSE;
  *out = as[k];
  return TRUE;
}
static gboolean set_align_items(const setting *st, const char *v) { return align_of(v, &st->s->align_items, FALSE); }
static gboolean set_align_self(const setting *st, const char *v) { return align_of(v, &st->s->align_self, TRUE); }

static gboolean set_font_size(const setting *st, const char *v) {
  static const struct { const char *name; double px; } sizes[] = {
      {"xx-small", 9}, {"x-small", 10}, {"small", 13}, {"medium", 16}, {"large", 18}, {"x-large", 24}, {"xx-large", 32}};
  for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
    if (g_ascii_strcasecmp(v, sizes[i].name) == 0) {
      st->s->font_size = sizes[i].px;
      return TRUE;
    }
  mprtc__length l;
  if (!length_of(st, v, &l) || l.unit == MPRTC__LEN_AUTO || l.unit == MPRTC__LEN_NONE || l.value < 0) return FALSE;
  /* em and % of a font size are the parent's (st->s->font_size still holds it). */
  st->s->font_size = l.unit == MPRTC__LEN_PERCENT ? st->s->font_size * l.value / 100.0 : l.value;
  return TRUE;
}

static gboolean set_font_weight(const setting *st, const char *v) {
  if (g_ascii_strcasecmp(v, "normal") == 0) st->s->font_weight = 400;
  else if (g_ascii_strcasecmp(v, "bold") == 0) st->s->font_weight = 700;
  else if (g_ascii_strcasecmp(v, "bolder") == 0) st->s->font_weight = MIN(900, st->s->font_weight + 300);
  else if (g_ascii_strcasecmp(v, "lighter") == 0) st->s->font_weight = MAX(100, st->s->font_weight - 300);
  else {
    char *end;
    long w = strtol(v, &end, 10);
    if (*end || w < 1 || w > 1000) return FALSE;
    st->s->font_weight = (int)w;
  }
  return TRUE;
}

static gboolean set_text_align(const setting *st, const char *v) {
  static const char *const names[] = {"left", "center", "right", "start", "end", "justify", NULL};
  static const mprtc__text_align as[] = {MPRTC__TEXT_LEFT, MPRTC__TEXT_CENTER, MPRTC__TEXT_RIGHT,
                                         MPRTC__TEXT_LEFT, MPRTC__TEXT_RIGHT, MPRTC__TEXT_LEFT};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->text_align = as[k];
  return TRUE;
}

static gboolean set_line_height(const setting *st, const char *v) {
  double d;
  mprtc__length l;
  if (g_ascii_strcasecmp(v, "normal") == 0) st->s->line_height = -1.2;
  else if (number_of(v, &d)) st->s->line_height = -d;
  else if (length_of(st, v, &l) && l.unit == MPRTC__LEN_PX) st->s->line_height = l.value;
  else if (l.unit == MPRTC__LEN_PERCENT) st->s->line_height = -l.value / 100.0;
  else return FALSE;
  return TRUE;
}

static gboolean set_overflow(const setting *st, const char *v) {
  static const char *const names[] = {"visible", "hidden", "scroll", "auto", "clip", NULL};
  int k;
  if (!keyword(v, names, &k)) return FALSE;
  st->s->clip = k != 0;
  return TRUE;
}

static const struct {
  const char *name;
  setter set;
} properties[] = {
    {"display", set_display}, {"flex-direction", set_flex_direction}, {"flex", set_flex},
    {"flex-grow", set_flex_grow}, {"flex-shrink", set_flex_shrink}, {"flex-basis", set_flex_basis},
    {"justify-content", set_justify_content}, {"align-items", set_align_items}, {"align-self", set_align_self},
    {"width", set_width}, {"height", set_height}, {"min-width", set_min_width}, {"min-height", set_min_height},
    {"max-width", set_max_width}, {"max-height", set_max_height},
    {"margin", set_margin}, {"margin-top", set_margin_top}, {"margin-right", set_margin_right},
    {"margin-bottom", set_margin_bottom}, {"margin-left", set_margin_left},
    {"padding", set_padding}, {"padding-top", set_padding_top}, {"padding-right", set_padding_right},
    {"padding-bottom", set_padding_bottom}, {"padding-left", set_padding_left},
    {"border", set_border}, {"border-top", set_border_top}, {"border-right", set_border_right},
    {"border-bottom", set_border_bottom}, {"border-left", set_border_left}, {"border-width", set_border_width},
    {"border-color", set_border_color}, {"border-style", set_border_style}, {"border-radius", set_border_radius},
    {"box-sizing", set_box_sizing}, {"background-color", set_background_color}, {"background", set_background},
    {"color", set_color}, {"font-size", set_font_size}, {"font-weight", set_font_weight},
    {"text-align", set_text_align}, {"line-height", set_line_height}, {"opacity", set_opacity},
    {"overflow", set_overflow}, {"overflow-y", set_overflow},
};

static setter setter_of(const char *name) {
  static GHashTable *table;
  static gsize once;
  if (g_once_init_enter(&once)) {
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < G_N_ELEMENTS(properties); i++) g_hash_table_insert(t, (gpointer)properties[i].name, properties[i].set);
    table = t;
    g_once_init_leave(&once, 1);
  }
  return g_hash_table_lookup(table, name);
}

/* ---- the cascade -------------------------------------------------------------------------------- */

void mprtc__style_initial(mprtc__style *s) {
  memset(s, 0, sizeof *s);
  s->display = MPRTC__DISPLAY_BLOCK;
  s->row = TRUE;
  s->flex_shrink = 1;
  s->flex_basis = (mprtc__length){0, MPRTC__LEN_AUTO};
  s->align_items = MPRTC__ALIGN_STRETCH;
  s->align_self = MPRTC__ALIGN_AUTO;
  s->width = s->height = s->min_width = s->min_height = (mprtc__length){0, MPRTC__LEN_AUTO};
  s->max_width = s->max_height = (mprtc__length){0, MPRTC__LEN_NONE};
  for (int i = 0; i < 4; i++) {
    s->margin[i] = s->padding[i] = (mprtc__length){0, MPRTC__LEN_PX};
    s->border_color[i] = (mprtc__color){0, 0, 0, 1};
  }
  s->color = (mprtc__color){0, 0, 0, 1};
  s->font_size = 16;
  s->font_weight = 400;
  s->line_height = -1.4;
  s->opacity = 1;
}

/* The view's own sheet: each tag's defaults (the platform's look, roughly). */
static const char *tag_defaults(const mprtc__vnode *n) {
  const char *t = n->tag;
  if (strcmp(t, "text") == 0) return "display: inline";
  if (strcmp(t, "button") == 0) {
    json_t *type = json_object_get(n->attrs, "type"), *size = json_object_get(n->attrs, "size");
    gboolean primary = json_is_string(type) && strcmp(json_string_value(type), "primary") == 0;
    gboolean warn = json_is_string(type) && strcmp(json_string_value(type), "warn") == 0;
    gboolean mini = json_is_string(size) && strcmp(json_string_value(size), "mini") == 0;
    if (mini) return primary ? "padding: 0 1.34em; font-size: 13px; line-height: 2.3; border-radius: 3px; text-align: center;"
                               "background-color: #07c160; color: #fff; border: 1px solid rgba(0,0,0,0.2); margin: 0 auto; width: 80px"
                             : "padding: 0 1.34em; font-size: 13px; line-height: 2.3; border-radius: 3px; text-align: center;"
                               "background-color: #f2f2f2; color: #000; border: 1px solid rgba(0,0,0,0.2); margin: 0 auto; width: 80px";
    if (primary) return "margin: 0 auto; padding: 0 14px; font-size: 18px; font-weight: 700; line-height: 2.55555556; width: 184px;"
                        "text-align: center; border-radius: 5px; background-color: #07c160; color: #fff; border: 1px solid rgba(0,0,0,0.2)";
    if (warn) return "margin: 0 auto; padding: 0 14px; font-size: 18px; font-weight: 700; line-height: 2.55555556; width: 184px;"
                     "text-align: center; border-radius: 5px; background-color: #f2f2f2; color: #fa5151; border: 1px solid rgba(0,0,0,0.2)";
    return "margin: 0 auto; padding: 0 14px; font-size: 18px; font-weight: 700; line-height: 2.55555556; width: 184px;"
           "text-align: center; border-radius: 5px; background-color: #f2f2f2; color: #000; border: 1px solid rgba(0,0,0,0.2)";
  }
  if (strcmp(t, "input") == 0) return "height: 1.4rem; min-height: 1.4rem; line-height: 1.4rem; overflow: hidden";
  if (strcmp(t, "image") == 0) {
    /* widthFix: the height follows the picture's aspect ratio. */
    json_t *mode = json_object_get(n->attrs, "mode");
    if (json_is_string(mode) && strcmp(json_string_value(mode), "widthFix") == 0) return "width: 320px; overflow: hidden";
    return "width: 320px; height: 240px; overflow: hidden";
  }
  if (strcmp(t, "webrtc-video") == 0) return "width: 300px; height: 225px; background-color: #000; overflow: hidden";
  if (strcmp(t, "webrtc-audio") == 0) return "display: none";
  if (strcmp(t, "scroll-view") == 0) return "overflow: hidden";
  return NULL;
}

/* WeChat's base library: button[disabled]:not([type]), [type=primary][disabled], [type=warn][disabled]. */
static const char *disabled_button_style(const mprtc__vnode *n) {
  if (strcmp(n->tag, "button") != 0 || !mprtc__js_truthy(json_object_get(n->attrs, "disabled"))) return NULL;
  json_t *type = json_object_get(n->attrs, "type");
  const char *t = json_is_string(type) ? json_string_value(type) : "";
  if (strcmp(t, "primary") == 0) return "background-color: #9ed99d; color: rgba(255, 255, 255, 0.6)";
  if (strcmp(t, "warn") == 0) return "background-color: #ec8b89; color: rgba(255, 255, 255, 0.6)";
  return "background-color: #f7f7f7; color: rgba(0, 0, 0, 0.3)";
}

/* The view's own declarations, parsed once per text. */
static GPtrArray *view_declarations(const char *text) {
  static GMutex lock;
  static GHashTable *cache;
  g_mutex_lock(&lock);
  if (!cache) cache = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *d = g_hash_table_lookup(cache, text);
  if (!d) {
    d = mprtc__wxss_parse_inline(text, "(the view)", NULL);
    g_hash_table_insert(cache, (gpointer)text, d);
  }
  g_mutex_unlock(&lock);
  return d;
}

typedef struct {
  const mprtc__wxss_declaration *d;
  const char *file;
  int rank;   /* 0 the view's, 1 the sheets', 2 style="", then +3 for !important */
  int specificity;
  guint order;
} applied;

static int compare_applied(gconstpointer a, gconstpointer b) {
  const applied *x = a, *y = b;
  if (x->rank != y->rank) return x->rank - y->rank;
  if (x->specificity != y->specificity) return x->specificity < y->specificity ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void warn_once(const mprtc__cascade *c, char *key, char *text) {
  if (!c->warned || g_hash_table_contains(c->warned, key)) {
    g_free(key);
    g_free(text);
    return;
  }
  g_hash_table_add(c->warned, key);
  if (c->warnings) g_ptr_array_add(c->warnings, text);
  else g_free(text);
}

static void add_declarations(GArray *out, GPtrArray *decls, const char *file, int rank, int specificity, guint *order) {
  for (guint i = 0; i < decls->len; i++) {
    const mprtc__wxss_declaration *d = decls->pdata[i];
    applied a = {d, file, rank + (d->important ? 3 : 0), specificity, (*order)++};
    g_array_append_val(out, a);
  }
}

static void apply(const mprtc__cascade *c, mprtc__style *s, const applied *a) {
  setter set = setter_of(a->d->property);
  const char *file = a->file ? a->file : "(the view)";
  if (!set) {
    warn_once(c, g_strdup(a->d->property),
              g_strdup_printf("%s:%d:%d: the property '%s' is not supported: ignored", file, a->d->line, a->d->column,
                              a->d->property));
    return;
  }
  setting st = {c, s};
  if (!set(&st, a->d->value))
    warn_once(c, g_strdup_printf("%s:%d:%d", file, a->d->line, a->d->column),
              g_strdup_printf("%s:%d:%d: '%s: %s' is not a value the view understands: ignored", file, a->d->line,
                              a->d->column, a->d->property, a->d->value));
}

void mprtc__style_compute(const mprtc__cascade *c, const mprtc__vnode *n, const mprtc__style *parent, mprtc__style *out) {
  mprtc__style_initial(out);
  if (parent) {
    /* What is inherited. */
    out->color = parent->color;
    out->font_size = parent->font_size;
    out->font_weight = parent->font_weight;
    out->text_align = parent->text_align;
    out->line_height = parent->line_height;
  }
  GArray *list = g_array_new(FALSE, FALSE, sizeof(applied));
  GPtrArray *owned = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  guint order = 0;
  const char *defaults = tag_defaults(n);
  if (defaults) add_declarations(list, view_declarations(defaults), NULL, 0, 0, &order);
  /* hidden is the view's display: none, which a sheet's display overrides (as on the platform). */
  if (mprtc__js_truthy(json_object_get(n->attrs, "hidden")))
    add_declarations(list, view_declarations("display: none"), NULL, 0, 0, &order);
  /* A disabled button looks disabled, whatever its class says: the platform's base library
   * styles button[disabled] among the page's rules, with the specificity of button[disabled][type]
   * (0,2,1), over a plain .class. */
  const char *disabled = disabled_button_style(n);
  if (disabled) add_declarations(list, view_declarations(disabled), NULL, 1, (2 << 10) | 1, &order);
  for (int k = 0; k < 2; k++) {
    const mprtc__wxss *sheet = c->sheets[k];
    for (guint i = 0; sheet && i < sheet->rules->len; i++) {
      const mprtc__wxss_rule *r = sheet->rules->pdata[i];
      int specificity = mprtc__selector_match_specificity(r->selector, n);
      if (specificity >= 0) add_declarations(list, r->declarations, r->file, 1, specificity, &order);
    }
  }
  json_t *style = json_object_get(n->attrs, "style");
  char *where = NULL;
  if (json_is_string(style) && *json_string_value(style)) {
    where = n->source ? g_strdup_printf("the style of <%s> (WXML line %d)", n->tag, n->source->line) : g_strdup("style=\"\"");
    GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *d = mprtc__wxss_parse_inline(json_string_value(style), where, warnings);
    for (guint i = 0; i < warnings->len; i++) warn_once(c, g_strdup(warnings->pdata[i]), g_strdup(warnings->pdata[i]));
    g_ptr_array_unref(warnings);
    g_ptr_array_add(owned, d);
    /* Declarations of style="" name the attribute as their file. */
    for (guint i = 0; i < d->len; i++) {
      applied a = {d->pdata[i], where, 2 + (((mprtc__wxss_declaration *)d->pdata[i])->important ? 3 : 0), 0, order++};
      g_array_append_val(list, a);
    }
  }
  g_array_sort(list, compare_applied);
  /* font-size first: em lengths of the element are its own font size's. */
  for (guint i = 0; i < list->len; i++) {
    const applied *a = &g_array_index(list, applied, i);
    if (strcmp(a->d->property, "font-size") == 0) apply(c, out, a);
  }
  for (guint i = 0; i < list->len; i++) {
    const applied *a = &g_array_index(list, applied, i);
    if (strcmp(a->d->property, "font-size") != 0) apply(c, out, a);
  }
  /* The children of a flex container are its items: an inline one becomes a block (CSS
   * blockification), so that each <text> of a row is an item of its own. */
  if (parent && parent->display == MPRTC__DISPLAY_FLEX && out->display == MPRTC__DISPLAY_INLINE)
    out->display = MPRTC__DISPLAY_BLOCK;
  g_array_unref(list);
  g_ptr_array_unref(owned);
  g_free(where);
}
