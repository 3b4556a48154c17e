/* The WXML parser: see wxml.h. One pass over the text with a cursor; elements nest by recursion
 * up to MAX_DEPTH; each problem names the place in the file where it is. */
#include "view/wxml.h"

#include "base/textpos.h"

#include <stdarg.h>
#include <string.h>

#define MAX_DEPTH 256

typedef struct {
  const char *file, *text;
  size_t len, pos;
  char *error;
  GPtrArray *warnings;
  mprtc__textpos where;
  GHashTable *unknown;  /* the unknown elements warned of (once each per file) */
} parser;

/* ---- places and problems --------------------------------------------------------------------- */

static void place(const parser *p, size_t offset, int *line, int *column) {
  mprtc__textpos_place(&p->where, offset, line, column);
}

static char *placed(const parser *p, size_t offset, const char *fmt, va_list ap) G_GNUC_PRINTF(3, 0);
static char *placed(const parser *p, size_t offset, const char *fmt, va_list ap) {
  return mprtc__textpos_message(&p->where, p->file, offset, fmt, ap);
}

static gboolean fail(parser *p, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean fail(parser *p, size_t at, const char *fmt, ...) {
  if (p->error) return FALSE;
  va_list ap;
  va_start(ap, fmt);
  p->error = placed(p, at, fmt, ap);
  va_end(ap);
  return FALSE;
}

static void warn(parser *p, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void warn(parser *p, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(p->warnings, placed(p, at, fmt, ap));
  va_end(ap);
}

/* ---- values ---------------------------------------------------------------------------------- */

static void part_free(gpointer data) {
  mprtc__wxml_part *part = data;
  g_free(part->literal);
  mprtc__expr_free(part->expr);
  g_free(part);
}

static void value_free(mprtc__wxml_value *v) {
  if (!v) return;
  g_ptr_array_unref(v->parts);
  g_free(v);
}

/* Text with its entities replaced. */
static char *decode_entities(const char *s, size_t len) {
  static const struct { const char *name; const char *text; } named[] = {
    {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xc2\xa0"},
  };
  GString *out = g_string_sized_new(len);
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '&') {
      g_string_append_c(out, s[i]);
      continue;
    }
    const char *semi = memchr(s + i, ';', MIN(len - i, 12));
    gboolean done = FALSE;
    if (semi) {
      size_t n = (size_t)(semi - (s + i)) - 1;
      const char *name = s + i + 1;
      if (n > 1 && name[0] == '#') {
        char *end;
        char digits[12] = {0};
        memcpy(digits, name + 1, MIN(n - 1, sizeof digits - 1));
        gunichar c = digits[0] == 'x' || digits[0] == 'X' ? (gunichar)strtoul(digits + 1, &end, 16)
                                                           : (gunichar)strtoul(digits, &end, 10);
        if (*end == '\0' && g_unichar_validate(c) && c != 0) {
          g_string_append_unichar(out, c);
          done = TRUE;
        }
      } else {
        for (guint k = 0; k < G_N_ELEMENTS(named) && !done; k++) {
          if (strlen(named[k].name) == n && memcmp(name, named[k].name, n) == 0) {
            g_string_append(out, named[k].text);
            done = TRUE;
          }
        }
      }
      if (done) i = (size_t)(semi - s);
    }
    if (!done) g_string_append_c(out, '&');
  }
  return g_string_free(out, FALSE);
}

/* Where the binding that opens at open ("{{") closes ("}}"): the first "}}" outside strings and
 * outside braces the expression opened itself ({{ {a: {b: 1}} }} is one binding). */
static gboolean find_close(const parser *p, size_t open, size_t end, size_t *close) {
  int depth = 0;
  char quote = 0;
  for (size_t j = open + 2; j < end; j++) {
    char c = p->text[j];
    if (quote) {
      if (c == '\\') j++;
      else if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '{') {
      depth++;
    } else if (c == '}') {
      if (depth == 0 && j + 1 < end && p->text[j + 1] == '}') {
        *close = j;
        return TRUE;
      }
      if (depth > 0) depth--;
    }
  }
  return FALSE;
}

static void add_literal(mprtc__wxml_value *v, const char *s, size_t len) {
  if (len == 0) return;
  mprtc__wxml_part *part = g_new0(mprtc__wxml_part, 1);
  part->literal = decode_entities(s, len);
  g_ptr_array_add(v->parts, part);
}

/* The value written at text[start, end). */
static mprtc__wxml_value *parse_value(parser *p, size_t start, size_t end) {
  mprtc__wxml_value *v = g_new0(mprtc__wxml_value, 1);
  v->parts = g_ptr_array_new_with_free_func(part_free);
  size_t i = start;
  int bindings = 0;
  while (i < end) {
    const char *open_at = g_strstr_len(p->text + i, (gssize)(end - i), "{{");
    if (!open_at) break;
    size_t open = (size_t)(open_at - p->text), close;
    add_literal(v, p->text + i, open - i);
    if (!find_close(p, open, end, &close)) {
      fail(p, open, "'{{' is not closed by '}}'");
      value_free(v);
      return NULL;
    }
    char *error = NULL;
    size_t offset = 0;
    mprtc__expr *e = mprtc__expr_parse(p->text + open + 2, close - open - 2, &error, &offset);
    if (!e) {
      fail(p, open + 2 + offset, "bad binding {{%.*s}}: %s", (int)(close - open - 2), p->text + open + 2, error);
      g_free(error);
      value_free(v);
      return NULL;
    }
    mprtc__wxml_part *part = g_new0(mprtc__wxml_part, 1);
    part->expr = e;
    g_ptr_array_add(v->parts, part);
    bindings++;
    i = close + 2;
  }
  add_literal(v, p->text + i, end - i);
  v->single = bindings == 1 && v->parts->len == 1;
  return v;
}

json_t *mprtc__wxml_value_eval(const mprtc__wxml_value *v, const mprtc__scope *scope) {
  if (v->single) return mprtc__expr_eval(((mprtc__wxml_part *)v->parts->pdata[0])->expr, scope);
  if (v->parts->len == 1 && ((mprtc__wxml_part *)v->parts->pdata[0])->literal)
    return json_string(((mprtc__wxml_part *)v->parts->pdata[0])->literal);
  GString *s = g_string_new("");
  for (guint i = 0; i < v->parts->len; i++) {
    const mprtc__wxml_part *part = v->parts->pdata[i];
    if (part->literal) {
      g_string_append(s, part->literal);
    } else {
      json_t *x = mprtc__expr_eval(part->expr, scope);
      char *text = mprtc__js_text_of(x);
      g_string_append(s, text);
      g_free(text);
      if (x) json_decref(x);
    }
  }
  json_t *out = json_stringn(s->str, s->len);
  g_string_free(s, TRUE);
  return out;
}

const char *mprtc__wxml_value_static(const mprtc__wxml_value *v) {
  if (v->parts->len == 0) return "";
  if (v->parts->len == 1 && ((mprtc__wxml_part *)v->parts->pdata[0])->literal)
    return ((mprtc__wxml_part *)v->parts->pdata[0])->literal;
  return NULL;
}

/* ---- nodes ----------------------------------------------------------------------------------- */

static void attr_free(gpointer data) {
  mprtc__wxml_attr *a = data;
  g_free(a->name);
  value_free(a->value);
  g_free(a);
}

static void node_free(gpointer data) {
  mprtc__wxml_node *n = data;
  if (!n) return;
  g_free(n->tag);
  value_free(n->text);
  if (n->attrs) g_ptr_array_unref(n->attrs);
  if (n->children) g_ptr_array_unref(n->children);
  value_free(n->condition);
  value_free(n->for_list);
  g_free(n->for_item);
  g_free(n->for_index);
  g_free(n->for_key);
  g_free(n);
}

static mprtc__wxml_node *node_new(parser *p, size_t at, const char *tag, size_t tag_len) {
  mprtc__wxml_node *n = g_new0(mprtc__wxml_node, 1);
  n->tag = tag ? g_strndup(tag, tag_len) : NULL;
  n->attrs = g_ptr_array_new_with_free_func(attr_free);
  n->children = g_ptr_array_new_with_free_func(node_free);
  place(p, at, &n->line, &n->column);
  return n;
}

const mprtc__wxml_attr *mprtc__wxml_attr_get(const mprtc__wxml_node *n, const char *name) {
  for (guint i = 0; n->attrs && i < n->attrs->len; i++) {
    const mprtc__wxml_attr *a = n->attrs->pdata[i];
    if (strcmp(a->name, name) == 0) return a;
  }
  return NULL;
}

/* ---- the parser ------------------------------------------------------------------------------ */

static gboolean at(const parser *p, const char *s) {
  size_t n = strlen(s);
  return p->pos + n <= p->len && memcmp(p->text + p->pos, s, n) == 0;
}

static void skip_space(parser *p) {
  while (p->pos < p->len && g_ascii_isspace(p->text[p->pos])) p->pos++;
}

static gboolean name_char(char c) {
  return g_ascii_isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '@' || (unsigned char)c >= 0x80;
}

/* A name at the cursor: its start and length (0: none). */
static size_t read_name(parser *p, size_t *start) {
  *start = p->pos;
  while (p->pos < p->len && name_char(p->text[p->pos])) p->pos++;
  return p->pos - *start;
}

/* A name that a wx: directive takes as it is (wx:for-item, wx:for-index, wx:key). */
static char *static_name(parser *p, const mprtc__wxml_attr *a, size_t at_offset) {
  const char *s = a->value ? mprtc__wxml_value_static(a->value) : NULL;
  if (!s || !*s) {
    fail(p, at_offset, "%s needs a name, without {{ }}", a->name);
    return NULL;
  }
  return g_strdup(s);
}

/* Takes the wx: directives of n out of its attributes. */
static gboolean take_directives(parser *p, mprtc__wxml_node *n, GArray *offsets) {
  for (guint i = 0; i < n->attrs->len;) {
    mprtc__wxml_attr *a = n->attrs->pdata[i];
    size_t at_offset = g_array_index(offsets, size_t, i);
    if (!g_str_has_prefix(a->name, "wx:")) {
      i++;
      continue;
    }
    const char *d = a->name + 3;
    gboolean condition = strcmp(d, "if") == 0 || strcmp(d, "elif") == 0;
    gboolean list = strcmp(d, "for") == 0 || strcmp(d, "for-items") == 0;
    if ((condition || list) && !a->value) return fail(p, at_offset, "%s needs a value", a->name);
    if (condition || strcmp(d, "else") == 0) {
      if (n->branch != MPRTC__WXML_NO_BRANCH)
        return fail(p, at_offset, "%s on an element that has a wx:if, wx:elif or wx:else already", a->name);
      n->branch = strcmp(d, "if") == 0 ? MPRTC__WXML_IF : condition ? MPRTC__WXML_ELIF : MPRTC__WXML_ELSE;
      if (condition) n->condition = g_steal_pointer(&a->value);
    } else if (list) {
      n->for_list = g_steal_pointer(&a->value);
    } else if (strcmp(d, "for-item") == 0) {
      if (!(n->for_item = static_name(p, a, at_offset))) return FALSE;
    } else if (strcmp(d, "for-index") == 0) {
      if (!(n->for_index = static_name(p, a, at_offset))) return FALSE;
    } else if (strcmp(d, "key") == 0) {
      if (!(n->for_key = static_name(p, a, at_offset))) return FALSE;
    } else {
      warn(p, at_offset, "unknown directive '%s' ignored", a->name);
    }
    g_ptr_array_remove_index(n->attrs, i);
    g_array_remove_index(offsets, i);
  }
  if (!n->for_item) n->for_item = g_strdup("item");
  if (!n->for_index) n->for_index = g_strdup("index");
  return TRUE;
}

/* The attributes of an element, up to '>' or '/>' (not consumed). */
static gboolean parse_attrs(parser *p, mprtc__wxml_node *n) {
  GArray *offsets = g_array_new(FALSE, FALSE, sizeof(size_t));
  gboolean ok = TRUE;
  for (;;) {
    size_t before = p->pos;
    skip_space(p);
    if (p->pos >= p->len) {
      ok = fail(p, p->pos, "the tag <%s> is not finished", n->tag);
      break;
    }
    if (at(p, ">") || at(p, "/>")) break;
    if (p->pos == before) {
      ok = fail(p, p->pos, "a space was expected between attributes");
      break;
    }
    size_t name_start, name_len = read_name(p, &name_start);
    if (name_len == 0) {
      ok = fail(p, p->pos, "unexpected '%c' in the tag <%s>", p->text[p->pos], n->tag);
      break;
    }
    mprtc__wxml_attr *a = g_new0(mprtc__wxml_attr, 1);
    a->name = g_strndup(p->text + name_start, name_len);
    place(p, name_start, &a->line, &a->column);
    size_t after_name = p->pos;
    skip_space(p);
    if (at(p, "=")) {
      p->pos++;
      skip_space(p);
      size_t start, end;
      if (p->pos < p->len && (p->text[p->pos] == '"' || p->text[p->pos] == '\'')) {
        char quote = p->text[p->pos++];
        start = p->pos;
        const char *close = memchr(p->text + p->pos, quote, p->len - p->pos);
        if (!close) {
          ok = fail(p, start - 1, "the value of '%s' is not closed by %c", a->name, quote);
          attr_free(a);
          break;
        }
        end = (size_t)(close - p->text);
        p->pos = end + 1;
      } else {
        start = p->pos;
        while (p->pos < p->len && !g_ascii_isspace(p->text[p->pos]) && p->text[p->pos] != '>' && !at(p, "/>")) p->pos++;
        end = p->pos;
        if (end == start) {
          attr_free(a);
          ok = fail(p, p->pos, "a value was expected after '='");
          break;
        }
      }
      a->value = parse_value(p, start, end);
      if (!a->value) {
        attr_free(a);
        ok = FALSE;
        break;
      }
    } else {
      p->pos = after_name;
    }
    if (mprtc__wxml_attr_get(n, a->name)) {
      warn(p, name_start, "the attribute '%s' is given twice: the last one counts", a->name);
      for (guint i = 0; i < n->attrs->len; i++) {
        if (strcmp(((mprtc__wxml_attr *)n->attrs->pdata[i])->name, a->name) == 0) {
          g_ptr_array_remove_index(n->attrs, i);
          g_array_remove_index(offsets, i);
          break;
        }
      }
    }
    g_ptr_array_add(n->attrs, a);
    g_array_append_val(offsets, name_start);
  }
  ok = ok && take_directives(p, n, offsets);
  g_array_unref(offsets);
  return ok;
}

static gboolean parse_children(parser *p, mprtc__wxml_node *parent, GPtrArray *into, int depth);

/* Checks that a wx:elif or wx:else follows a wx:if or wx:elif among its siblings. */
static gboolean check_branch(parser *p, GPtrArray *siblings, mprtc__wxml_node *n, size_t at_offset) {
  if (n->branch != MPRTC__WXML_ELIF && n->branch != MPRTC__WXML_ELSE) return TRUE;
  mprtc__wxml_node *prev = siblings->len ? siblings->pdata[siblings->len - 1] : NULL;
  if (!prev || !prev->tag || (prev->branch != MPRTC__WXML_IF && prev->branch != MPRTC__WXML_ELIF))
    return fail(p, at_offset, "%s without a wx:if or wx:elif just before it", n->branch == MPRTC__WXML_ELIF ? "wx:elif" : "wx:else");
  return TRUE;
}

/* The elements the view knows; any other is drawn as a <view>, with a warning. */
static gboolean known_element(const char *tag) {
  static const char *const known[] = {"view", "text", "button", "input", "image", "scroll-view", "block",
                                      "webrtc-video", "webrtc-audio", "template", "import", "include", "wxs",
                                      NULL};
  for (const char *const *k = known; *k; k++)
    if (strcmp(tag, *k) == 0) return TRUE;
  return FALSE;
}

/* One element at '<'. */
static gboolean parse_element(parser *p, GPtrArray *into, int depth) {
  size_t open = p->pos++;
  size_t tag_start, tag_len = read_name(p, &tag_start);
  if (tag_len == 0) return fail(p, open, "a tag name was expected after '<'");
  if (depth >= MAX_DEPTH) return fail(p, open, "elements nest deeper than %d", MAX_DEPTH);
  mprtc__wxml_node *n = node_new(p, open, p->text + tag_start, tag_len);
  if (!known_element(n->tag) && g_hash_table_add(p->unknown, g_strdup(n->tag)))
    warn(p, open, "unknown element <%s> is drawn as a <view>", n->tag);
  if (!parse_attrs(p, n) || !check_branch(p, into, n, open)) {
    node_free(n);
    return FALSE;
  }
  g_ptr_array_add(into, n);
  if (at(p, "/>")) {
    p->pos += 2;
    return TRUE;
  }
  p->pos++; /* '>' */
  if (strcmp(n->tag, "wxs") == 0) {
    /* Script modules are not supported: skip to </wxs>. */
    const char *end = g_strstr_len(p->text + p->pos, (gssize)(p->len - p->pos), "</wxs>");
    warn(p, open, "<wxs> is not supported: its module is left out");
    if (!end) return fail(p, open, "<wxs> is not closed");
    p->pos = (size_t)(end - p->text) + 6;
    return TRUE;
  }
  if (!parse_children(p, n, n->children, depth + 1)) return FALSE;
  /* parse_children stopped at "</". */
  size_t close = p->pos;
  p->pos += 2;
  size_t name_start, name_len = read_name(p, &name_start);
  skip_space(p);
  if (!at(p, ">")) return fail(p, close, "'>' was expected to end the closing tag");
  if (name_len != strlen(n->tag) || memcmp(p->text + name_start, n->tag, name_len) != 0)
    return fail(p, close, "</%.*s> does not close <%s> (line %d, column %d)", (int)name_len, p->text + name_start,
                n->tag, n->line, n->column);
  p->pos++;
  return TRUE;
}

/* Text and elements up to "</" (or the end of the file, for the top level). */
static gboolean parse_children(parser *p, mprtc__wxml_node *parent, GPtrArray *into, int depth) {
  gboolean keep_space = parent && strcmp(parent->tag, "text") == 0;
  while (p->pos < p->len) {
    if (at(p, "<!--")) {
      const char *end = g_strstr_len(p->text + p->pos + 4, (gssize)(p->len - p->pos - 4), "-->");
      if (!end) return fail(p, p->pos, "the comment is not closed by -->");
      p->pos = (size_t)(end - p->text) + 3;
      continue;
    }
    if (at(p, "</")) {
      if (parent) return TRUE;
      size_t start, len;
      size_t close = p->pos;
      p->pos += 2;
      len = read_name(p, &start);
      return fail(p, close, "</%.*s> closes nothing", (int)len, p->text + start);
    }
    if (at(p, "<")) {
      if (!parse_element(p, into, depth)) return FALSE;
      continue;
    }
    /* Text up to the next tag; '<' inside a binding is an operator, not a tag. */
    size_t start = p->pos;
    while (p->pos < p->len && p->text[p->pos] != '<') {
      if (at(p, "{{")) {
        size_t close;
        if (!find_close(p, p->pos, p->len, &close)) return fail(p, p->pos, "'{{' is not closed by '}}'");
        p->pos = close + 2;
      } else {
        p->pos++;
      }
    }
    gboolean blank = TRUE;
    for (size_t i = start; i < p->pos && blank; i++) blank = g_ascii_isspace(p->text[i]);
    if (blank && !keep_space) continue;
    mprtc__wxml_node *text = node_new(p, start, NULL, 0);
    text->text = parse_value(p, start, p->pos);
    if (!text->text) {
      node_free(text);
      return FALSE;
    }
    g_ptr_array_add(into, text);
  }
  if (parent) return fail(p, p->pos, "<%s> (line %d, column %d) is not closed", parent->tag, parent->line, parent->column);
  return TRUE;
}

mprtc__wxml *mprtc__wxml_parse(const char *file, const char *text, size_t len, char **error) {
  parser p = {file, text, len, 0, NULL, NULL, {0}, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  mprtc__wxml *w = g_new0(mprtc__wxml, 1);
  w->file = g_strdup(file);
  w->children = g_ptr_array_new_with_free_func(node_free);
  w->warnings = g_ptr_array_new_with_free_func(g_free);
  p.warnings = w->warnings;
  mprtc__textpos_init(&p.where, text, len);
  const char *bad, *nul = memchr(text, '\0', len);
  if (nul) fail(&p, (size_t)(nul - text), "a NUL byte in the file");
  else if (!g_utf8_validate(text, (gssize)len, &bad)) fail(&p, (size_t)(bad - text), "the file is not valid UTF-8 here");
  else parse_children(&p, NULL, w->children, 0);
  mprtc__textpos_clear(&p.where);
  g_hash_table_unref(p.unknown);
  if (p.error) {
    *error = p.error;
    mprtc__wxml_free(w);
    return NULL;
  }
  return w;
}

void mprtc__wxml_free(mprtc__wxml *w) {
  if (!w) return;
  g_free(w->file);
  g_ptr_array_unref(w->children);
  g_ptr_array_unref(w->warnings);
  g_free(w);
}
