/* Selectors: see selector.h. A selector is a list of compounds from left to right, each with
 * the combinator that joins it to the one before; matching goes from the right. */
#include "view/selector.h"

#include <string.h>

typedef struct {
  char *tag;        /* NULL: any */
  char *id;         /* NULL: any */
  GPtrArray *classes; /* char* */
  gboolean child;   /* joined to the compound before by '>' (else by a space) */
} compound;

typedef struct {
  GPtrArray *compounds; /* compound*, left to right */
  int specificity;
} complex_selector;

struct mprtc__selector {
  GPtrArray *list; /* complex_selector* */
};

static void compound_free(gpointer p) {
  compound *c = p;
  g_free(c->tag);
  g_free(c->id);
  g_ptr_array_unref(c->classes);
  g_free(c);
}

static void complex_free(gpointer p) {
  complex_selector *c = p;
  g_ptr_array_unref(c->compounds);
  g_free(c);
}

void mprtc__selector_free(mprtc__selector *s) {
  if (!s) return;
  g_ptr_array_unref(s->list);
  g_free(s);
}

static gboolean ident_char(char c) { return g_ascii_isalnum(c) || c == '-' || c == '_' || (unsigned char)c >= 0x80; }

mprtc__selector *mprtc__selector_parse(const char *text, gssize len, char **error, size_t *offset) {
  size_t n = len < 0 ? strlen(text) : (size_t)len, i = 0;
  mprtc__selector *s = g_new0(mprtc__selector, 1);
  s->list = g_ptr_array_new_with_free_func(complex_free);
  const char *problem = NULL;
  while (!problem) {
    complex_selector *cx = g_new0(complex_selector, 1);
    cx->compounds = g_ptr_array_new_with_free_func(compound_free);
    g_ptr_array_add(s->list, cx);
    gboolean child = FALSE;
    for (;;) {
      gboolean space = FALSE;
      while (i < n && g_ascii_isspace(text[i])) i++, space = TRUE;
      if (i < n && text[i] == '>') {
        if (cx->compounds->len == 0) { problem = "'>' needs a selector before it"; break; }
        child = TRUE;
        i++;
        while (i < n && g_ascii_isspace(text[i])) i++;
      }
      if (i >= n || text[i] == ',') {
        if (child) problem = "'>' needs a selector after it";
        else if (cx->compounds->len == 0) problem = "a selector was expected";
        break;
      }
      if (cx->compounds->len > 0 && !space && !child) { problem = "unexpected character in the selector"; break; }
      compound *c = g_new0(compound, 1);
      c->classes = g_ptr_array_new_with_free_func(g_free);
      c->child = child;
      child = FALSE;
      g_ptr_array_add(cx->compounds, c);
      gboolean any = FALSE;
      while (i < n && !problem) {
        char ch = text[i];
        if (ch == '*' && !any) {
          i++;
          any = TRUE;
          continue;
        }
        if (ch == '.' || ch == '#' || ident_char(ch)) {
          size_t start = ch == '.' || ch == '#' ? i + 1 : i;
          size_t j = start;
          while (j < n && ident_char(text[j])) j++;
          if (j == start) { problem = ch == '.' ? "a class name was expected after '.'" : "an id was expected after '#'"; break; }
          char *name = g_strndup(text + start, j - start);
          if (ch == '.') {
            g_ptr_array_add(c->classes, name);
            cx->specificity += 1 << 10;
          } else if (ch == '#') {
            g_free(c->id);
            c->id = name;
            cx->specificity += 1 << 20;
          } else if (any) {
            g_free(name);
            problem = "a tag name must come first in a compound selector";
            break;
          } else {
            c->tag = name;
            cx->specificity += 1;
          }
          any = TRUE;
          i = j;
          continue;
        }
        if (ch == '[') problem = "attribute selectors are not supported";
        else if (ch == ':') problem = "pseudo-classes and pseudo-elements are not supported";
        else if (ch == '+' || ch == '~') problem = "sibling combinators are not supported";
        else if (!g_ascii_isspace(ch) && ch != '>' && ch != ',') problem = "unexpected character in the selector";
        break;
      }
      if (problem) break;
    }
    if (problem) break;
    if (i >= n) break;
    i++; /* ',' */
  }
  if (problem) {
    *error = g_strdup(problem);
    *offset = i;
    mprtc__selector_free(s);
    return NULL;
  }
  return s;
}

gboolean mprtc__vnode_has_class(const mprtc__vnode *n, const char *name) {
  json_t *v = n->attrs ? json_object_get(n->attrs, "class") : NULL;
  if (!json_is_string(v)) return FALSE;
  const char *s = json_string_value(v);
  size_t len = strlen(name);
  for (const char *p = s; (p = strstr(p, name)); p += len) {
    gboolean starts = p == s || g_ascii_isspace(p[-1]);
    gboolean ends = p[len] == '\0' || g_ascii_isspace(p[len]);
    if (starts && ends) return TRUE;
  }
  return FALSE;
}

static gboolean compound_matches(const compound *c, const mprtc__vnode *n) {
  if (!n->tag) return FALSE;
  if (c->tag && strcmp(c->tag, n->tag) != 0) return FALSE;
  if (c->id) {
    json_t *id = json_object_get(n->attrs, "id");
    if (!json_is_string(id) || strcmp(json_string_value(id), c->id) != 0) return FALSE;
  }
  for (guint i = 0; i < c->classes->len; i++)
    if (!mprtc__vnode_has_class(n, c->classes->pdata[i])) return FALSE;
  return TRUE;
}

/* Whether compounds[0..k] match with compounds[k] on n. */
static gboolean matches_from(const complex_selector *cx, int k, const mprtc__vnode *n) {
  const compound *c = cx->compounds->pdata[k];
  if (!compound_matches(c, n)) return FALSE;
  if (k == 0) return TRUE;
  if (c->child) return n->parent && matches_from(cx, k - 1, n->parent);
  for (const mprtc__vnode *a = n->parent; a; a = a->parent)
    if (matches_from(cx, k - 1, a)) return TRUE;
  return FALSE;
}

int mprtc__selector_match_specificity(const mprtc__selector *s, const mprtc__vnode *n) {
  int best = -1;
  for (guint i = 0; i < s->list->len; i++) {
    const complex_selector *cx = s->list->pdata[i];
    if (cx->specificity > best && matches_from(cx, (int)cx->compounds->len - 1, n)) best = cx->specificity;
  }
  return best;
}

gboolean mprtc__selector_matches(const mprtc__selector *s, const mprtc__vnode *n) {
  return mprtc__selector_match_specificity(s, n) >= 0;
}

static void query(const mprtc__selector *s, mprtc__vnode *n, GPtrArray *out) {
  if (!n->tag) return;
  if (mprtc__selector_matches(s, n)) g_ptr_array_add(out, n);
  for (guint i = 0; i < n->children->len; i++) query(s, n->children->pdata[i], out);
}

GPtrArray *mprtc__selector_query_all(const mprtc__selector *s, mprtc__vnode *root) {
  GPtrArray *out = g_ptr_array_new();
  query(s, root, out);
  return out;
}
