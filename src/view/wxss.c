/* The WXSS parser: see wxss.h. CSS's error recovery: a bad rule is skipped to its closing
 * brace, a bad declaration to its semicolon. */
#include "view/wxss.h"

#include <stdarg.h>
#include <string.h>

#include "base/textpos.h"

#define MAX_IMPORT_DEPTH 8

typedef struct {
  const char *file, *text;
  size_t len, pos;
  mprtc__textpos where;
  mprtc__wxss *sheet;
  mprtc__wxss_read_fn read;
  void *read_data;
  int depth;
} parser;

static void warn(parser *p, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void warn(parser *p, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(p->sheet->warnings, mprtc__textpos_message(&p->where, p->file, at, fmt, ap));
  va_end(ap);
}

void mprtc__wxss_declaration_free(gpointer data) {
  mprtc__wxss_declaration *d = data;
  g_free(d->property);
  g_free(d->value);
  g_free(d);
}

static void rule_free(gpointer data) {
  mprtc__wxss_rule *r = data;
  mprtc__selector_free(r->selector);
  g_ptr_array_unref(r->declarations);
  g_free(r);
}

void mprtc__wxss_free(mprtc__wxss *sheet) {
  if (!sheet) return;
  g_ptr_array_unref(sheet->rules);
  g_ptr_array_unref(sheet->warnings);
  g_ptr_array_unref(sheet->files);
  g_free(sheet->file);
  g_free(sheet);
}

/* Skips spaces and comments. */
static void skip(parser *p) {
  for (;;) {
    while (p->pos < p->len && g_ascii_isspace(p->text[p->pos])) p->pos++;
    if (p->pos + 1 < p->len && p->text[p->pos] == '/' && p->text[p->pos + 1] == '*') {
      const char *end = g_strstr_len(p->text + p->pos + 2, (gssize)(p->len - p->pos - 2), "*/");
      if (!end) {
        warn(p, p->pos, "the comment is not closed by */");
        p->pos = p->len;
        return;
      }
      p->pos = (size_t)(end - p->text) + 2;
      continue;
    }
    return;
  }
}

/* The end of what starts at pos, up to one of stops at depth 0 (outside strings, parentheses
 * and brackets), or the text's end. */
static size_t scan_to(const parser *p, size_t pos, size_t end, const char *stops) {
  int depth = 0;
  char quote = 0;
  for (size_t i = pos; i < end; i++) {
    char c = p->text[i];
    if (quote) {
      if (c == '\\') i++;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '/' && i + 1 < end && p->text[i + 1] == '*') {
      const char *close = g_strstr_len(p->text + i + 2, (gssize)(end - i - 2), "*/");
      i = close ? (size_t)(close - p->text) + 1 : end;
    } else if (c == '(' || c == '[') {
      depth++;
    } else if ((c == ')' || c == ']') && depth > 0) {
      depth--;
    } else if (depth == 0 && strchr(stops, c)) {
      return i;
    }
  }
  return end;
}

/* Where the block opened at open ('{') closes, nested blocks included (end when it does not). */
static size_t block_end(const parser *p, size_t open) {
  int depth = 0;
  for (size_t i = open; i < p->len;) {
    i = scan_to(p, i, p->len, "{}");
    if (i >= p->len) return p->len;
    depth += p->text[i] == '{' ? 1 : -1;
    if (depth == 0) return i;
    i++;
  }
  return p->len;
}

/* text[start, end) without comments and the spaces around. */
static char *clean(const char *text, size_t start, size_t end) {
  GString *s = g_string_new("");
  for (size_t i = start; i < end; i++) {
    if (text[i] == '/' && i + 1 < end && text[i + 1] == '*') {
      const char *close = g_strstr_len(text + i + 2, (gssize)(end - i - 2), "*/");
      i = close ? (size_t)(close - text) + 1 : end;
      g_string_append_c(s, ' ');
      continue;
    }
    g_string_append_c(s, text[i]);
  }
  return g_strstrip(g_string_free(s, FALSE));
}

static gboolean property_name_valid(const char *name) {
  if (!*name) return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_') return FALSE;
  return TRUE;
}

/* The declarations of text[start, end). */
static void parse_declarations(parser *p, size_t start, size_t end, GPtrArray *into) {
  size_t i = start;
  while (i < end) {
    size_t stop = scan_to(p, i, end, ";");
    size_t colon = scan_to(p, i, stop, ":");
    char *whole = clean(p->text, i, stop);
    size_t name_at = i;
    while (name_at < stop && g_ascii_isspace(p->text[name_at])) name_at++;
    if (*whole) {
      if (colon >= stop) {
        warn(p, name_at, "'%s' is not a declaration (property: value): ignored", whole);
      } else {
        char *name = clean(p->text, i, colon), *value = clean(p->text, colon + 1, stop);
        char *lower = g_ascii_strdown(name, -1);
        gboolean important = FALSE;
        char *bang = strrchr(value, '!');
        if (bang) {
          char *flag = g_strstrip(g_strdup(bang + 1));
          if (g_ascii_strcasecmp(flag, "important") == 0) {
            important = TRUE;
            *bang = '\0';
            g_strstrip(value);
          }
          g_free(flag);
        }
        if (!property_name_valid(lower)) {
          warn(p, name_at, "'%s' is not a property name: ignored", name);
        } else if (!*value) {
          warn(p, name_at, "'%s' has no value: ignored", lower);
        } else {
          mprtc__wxss_declaration *d = g_new0(mprtc__wxss_declaration, 1);
          d->property = g_steal_pointer(&lower);
          d->value = g_steal_pointer(&value);
          d->important = important;
          mprtc__textpos_place(&p->where, name_at, &d->line, &d->column);
          g_ptr_array_add(into, d);
        }
        g_free(lower);
        g_free(value);
        g_free(name);
      }
    }
    g_free(whole);
    i = stop + 1;
  }
}

static void parse_into(parser *p);

/* @import "file.wxss"; (or url(...)) */
static void import(parser *p, size_t at, const char *prelude) {
  const char *s = prelude + strlen("@import");
  while (g_ascii_isspace(*s)) s++;
  char *target = NULL;
  if (*s == '"' || *s == '\'') {
    const char *close = strchr(s + 1, *s);
    if (close) target = g_strndup(s + 1, (gsize)(close - s - 1));
  } else if (g_str_has_prefix(s, "url(")) {
    const char *close = strchr(s, ')');
    if (close) target = g_strstrip(g_strndup(s + 4, (gsize)(close - s - 4)));
    if (target && (*target == '"' || *target == '\'') && strlen(target) >= 2) {
      char *inner = g_strndup(target + 1, strlen(target) - 2);
      g_free(target);
      target = inner;
    }
  }
  if (!target || !*target) {
    warn(p, at, "@import wants a file: @import \"other.wxss\";");
    g_free(target);
    return;
  }
  if (!p->read || p->depth >= MAX_IMPORT_DEPTH) {
    if (p->read) warn(p, at, "@import nests deeper than %d files: '%s' is left out", MAX_IMPORT_DEPTH, target);
    else warn(p, at, "@import is not available here: '%s' is left out", target);
    g_free(target);
    return;
  }
  /* Relative to this file, or from the package root with a leading '/'. */
  char *dir = target[0] == '/' ? g_strdup("") : g_path_get_dirname(p->file);
  char *joined = g_build_filename(strcmp(dir, ".") == 0 ? "" : dir, target, NULL);
  char *path = g_canonicalize_filename(joined, "/");
  g_free(joined);
  g_free(dir);
  const char *relative = path + 1; /* without the leading '/' */
  size_t len = 0;
  char *error = NULL;
  char *text = p->read(relative, &len, &error, p->read_data);
  if (!text) {
    warn(p, at, "@import '%s': %s", target, error);
    g_free(error);
  } else {
    /* The imported rules name their file: the sheet keeps the name. */
    char *kept = g_strdup(relative);
    g_ptr_array_add(p->sheet->files, kept);
    parser sub = {kept, text, len, 0, {0}, p->sheet, p->read, p->read_data, p->depth + 1};
    mprtc__textpos_init(&sub.where, text, len);
    parse_into(&sub);
    mprtc__textpos_clear(&sub.where);
    g_free(text);
  }
  g_free(path);
  g_free(target);
}

static void parse_into(parser *p) {
  for (;;) {
    skip(p);
    if (p->pos >= p->len) return;
    size_t start = p->pos;
    if (p->text[p->pos] == '}') {
      warn(p, p->pos, "'}' closes nothing: ignored");
      p->pos++;
      continue;
    }
    size_t stop = scan_to(p, p->pos, p->len, "{;}");
    char *prelude = clean(p->text, start, stop);
    if (prelude[0] == '@') {
      if (g_str_has_prefix(prelude, "@import") && (stop >= p->len || p->text[stop] != '{')) {
        import(p, start, prelude);
        p->pos = stop < p->len ? stop + 1 : p->len;
      } else {
        char *name = g_strndup(prelude, strcspn(prelude, " \t\r\n({"));
        warn(p, start, "%s is not supported: its rules are left out", name);
        g_free(name);
        p->pos = stop < p->len && p->text[stop] == '{' ? block_end(p, stop) + 1 : stop + 1;
      }
      g_free(prelude);
      continue;
    }
    if (stop >= p->len || p->text[stop] != '{') {
      warn(p, start, "'%s' is not a rule (selector { declarations }): ignored", prelude);
      p->pos = stop < p->len ? stop + 1 : p->len;
      g_free(prelude);
      continue;
    }
    size_t close = block_end(p, stop);
    if (close >= p->len) warn(p, stop, "'{' is not closed by '}'");
    char *error = NULL;
    size_t offset = 0;
    mprtc__selector *selector = mprtc__selector_parse(prelude, -1, &error, &offset);
    if (!selector) {
      warn(p, start, "bad selector '%s': %s: the rule is ignored", prelude, error);
      g_free(error);
    } else {
      mprtc__wxss_rule *rule = g_new0(mprtc__wxss_rule, 1);
      rule->selector = selector;
      rule->declarations = g_ptr_array_new_with_free_func(mprtc__wxss_declaration_free);
      rule->file = p->file;
      parse_declarations(p, stop + 1, MIN(close, p->len), rule->declarations);
      g_ptr_array_add(p->sheet->rules, rule);
    }
    g_free(prelude);
    p->pos = close < p->len ? close + 1 : p->len;
  }
}

mprtc__wxss *mprtc__wxss_parse(const char *file, const char *text, size_t len, mprtc__wxss_read_fn read, void *data) {
  mprtc__wxss *sheet = g_new0(mprtc__wxss, 1);
  sheet->file = g_strdup(file);
  sheet->rules = g_ptr_array_new_with_free_func(rule_free);
  sheet->warnings = g_ptr_array_new_with_free_func(g_free);
  sheet->files = g_ptr_array_new_with_free_func(g_free);
  parser p = {sheet->file, text, len, 0, {0}, sheet, read, data, 0};
  mprtc__textpos_init(&p.where, text, len);
  const char *bad;
  if (memchr(text, '\0', len) || !g_utf8_validate(text, (gssize)len, &bad))
    warn(&p, 0, "the file is not valid UTF-8 text: it is left out");
  else
    parse_into(&p);
  mprtc__textpos_clear(&p.where);
  return sheet;
}

GPtrArray *mprtc__wxss_parse_inline(const char *text, const char *where, GPtrArray *warnings) {
  mprtc__wxss sheet = {(char *)where, NULL, warnings ? warnings : g_ptr_array_new_with_free_func(g_free), NULL};
  parser p = {where, text, strlen(text), 0, {0}, &sheet, NULL, NULL, 0};
  mprtc__textpos_init(&p.where, text, p.len);
  GPtrArray *out = g_ptr_array_new_with_free_func(mprtc__wxss_declaration_free);
  parse_declarations(&p, 0, p.len, out);
  mprtc__textpos_clear(&p.where);
  if (!warnings) g_ptr_array_unref(sheet.warnings);
  return out;
}
