/* WXML binding expressions: see expr.h. A recursive-descent parser into a small tree, evaluated
 * over JSON values with JS's rules. */
#include "view/expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
  E_LITERAL, /* value (NULL: undefined) */
  E_NAME,    /* name */
  E_MEMBER,  /* a[b] (b a literal string for a.b) */
  E_UNARY,   /* op a */
  E_BINARY,  /* a op b */
  E_AND, E_OR,
  E_COND,    /* a ? b : c */
  E_ARRAY,   /* items */
  E_OBJECT,  /* items: pairs (name, value) or spreads (name NULL) */
} kind;

typedef struct node node;
struct node {
  kind kind;
  json_t *value;      /* E_LITERAL */
  char *name;         /* E_NAME; E_OBJECT items: the key (NULL: a spread) */
  char op[4];         /* E_UNARY, E_BINARY */
  node *a, *b, *c;
  GPtrArray *items;   /* E_ARRAY: node*; E_OBJECT: node* of kind E_OBJECT items (name, a) */
};

struct mprtc__expr {
  node *root;
};

static void collect_names(const node *n, GHashTable *names) {
  if (!n) return;
  if (n->kind == E_NAME) g_hash_table_add(names, g_strdup(n->name));
  collect_names(n->a, names);
  collect_names(n->b, names);
  collect_names(n->c, names);
  for (guint i = 0; n->items && i < n->items->len; i++) collect_names(n->items->pdata[i], names);
}

void mprtc__expr_names(const mprtc__expr *e, GHashTable *names) { collect_names(e->root, names); }

static void node_free(node *n) {
  if (!n) return;
  if (n->value) json_decref(n->value);
  g_free(n->name);
  node_free(n->a);
  node_free(n->b);
  node_free(n->c);
  if (n->items) g_ptr_array_unref(n->items);
  g_free(n);
}

static node *node_new(kind k) {
  node *n = g_new0(node, 1);
  n->kind = k;
  if (k == E_ARRAY || k == E_OBJECT) n->items = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
  return n;
}

/* ---- the parser ------------------------------------------------------------------------------ */

typedef struct {
  const char *src;
  size_t len, pos;
  char *error;
  size_t error_at;
} parser;

static gboolean failed(parser *p) { return p->error != NULL; }

static node *fail(parser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static node *fail(parser *p, const char *fmt, ...) {
  if (!p->error) {
    va_list ap;
    va_start(ap, fmt);
    p->error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    p->error_at = p->pos;
  }
  return NULL;
}

static void skip_space(parser *p) {
  while (p->pos < p->len && g_ascii_isspace(p->src[p->pos])) p->pos++;
}

static gboolean at_end(parser *p) {
  skip_space(p);
  return p->pos >= p->len;
}

/* Consumes s if it comes next (and, for a word, is not the start of a longer name). */
static gboolean eat(parser *p, const char *s) {
  skip_space(p);
  size_t n = strlen(s);
  if (p->pos + n > p->len || memcmp(p->src + p->pos, s, n) != 0) return FALSE;
  if (g_ascii_isalpha(s[0])) {
    char next = p->pos + n < p->len ? p->src[p->pos + n] : 0;
    if (g_ascii_isalnum(next) || next == '_' || next == '$') return FALSE;
  }
  p->pos += n;
  return TRUE;
}

/* An operator s that is not the start of a longer one in others (e.g. '<' but not '<='). */
static gboolean eat_op(parser *p, const char *s, const char *const *longer) {
  skip_space(p);
  for (const char *const *l = longer; l && *l; l++) {
    size_t n = strlen(*l);
    if (p->pos + n <= p->len && memcmp(p->src + p->pos, *l, n) == 0) return FALSE;
  }
  return eat(p, s);
}

static gboolean name_start(char c) { return g_ascii_isalpha(c) || c == '_' || c == '$' || (unsigned char)c >= 0x80; }
static gboolean name_char(char c) { return name_start(c) || g_ascii_isdigit(c); }

static char *read_name(parser *p) {
  skip_space(p);
  size_t start = p->pos;
  if (p->pos >= p->len || !name_start(p->src[p->pos])) return NULL;
  while (p->pos < p->len && name_char(p->src[p->pos])) p->pos++;
  return g_strndup(p->src + start, p->pos - start);
}

static node *literal(json_t *v) {
  node *n = node_new(E_LITERAL);
  n->value = v;
  return n;
}

static node *parse_cond(parser *p);

static node *parse_string(parser *p) {
  char quote = p->src[p->pos++];
  GString *s = g_string_new("");
  while (p->pos < p->len && p->src[p->pos] != quote) {
    char c = p->src[p->pos++];
    if (c == '\\' && p->pos < p->len) {
      char e = p->src[p->pos++];
      switch (e) {
        case 'n': g_string_append_c(s, '\n'); break;
        case 't': g_string_append_c(s, '\t'); break;
        case 'r': g_string_append_c(s, '\r'); break;
        case 'u': {
          if (p->pos + 4 > p->len) break;
          char hex[5] = {0};
          memcpy(hex, p->src + p->pos, 4);
          p->pos += 4;
          g_string_append_unichar(s, (gunichar)strtoul(hex, NULL, 16));
          break;
        }
        default: g_string_append_c(s, e);
      }
    } else {
      g_string_append_c(s, c);
    }
  }
  if (p->pos >= p->len) {
    g_string_free(s, TRUE);
    return fail(p, "unterminated string");
  }
  p->pos++;
  json_t *v = json_stringn(s->str, s->len);
  g_string_free(s, TRUE);
  return v ? literal(v) : fail(p, "the string is not valid UTF-8");
}

static node *parse_number(parser *p) {
  const char *start = p->src + p->pos;
  char *end;
  double d;
  if (p->pos + 1 < p->len && start[0] == '0' && (start[1] == 'x' || start[1] == 'X'))
    d = (double)strtoull(start + 2, &end, 16);
  else
    d = g_ascii_strtod(start, &end);
  if (end == start) return fail(p, "a number was expected");
  p->pos += (size_t)(end - start);
  if (p->pos < p->len && name_char(p->src[p->pos])) return fail(p, "a number must not run into a name");
  return literal(mprtc__js_number_value(d));
}

/* The items of [..] or of an object ({..} or the mustache's brace-less form) up to close ('\0':
 * the end of the source). */
static node *parse_object_items(parser *p, char close) {
  node *obj = node_new(E_OBJECT);
  for (;;) {
    skip_space(p);
    if (close ? eat(p, (char[]){close, 0}) : at_end(p)) break;
    node *item = node_new(E_OBJECT);
    if (eat(p, "...")) {
      item->a = parse_cond(p);
    } else {
      skip_space(p);
      if (p->pos < p->len && (p->src[p->pos] == '\'' || p->src[p->pos] == '"')) {
        node *key = parse_string(p);
        if (key) item->name = g_strdup(json_string_value(key->value));
        node_free(key);
      } else {
        item->name = read_name(p);
      }
      if (!item->name && !failed(p)) fail(p, "a key, or ...spread, was expected");
      if (!failed(p) && eat(p, ":")) {
        item->a = parse_cond(p);
      } else if (!failed(p)) {
        /* {a} is {a: a}. */
        item->a = node_new(E_NAME);
        item->a->name = g_strdup(item->name);
      }
    }
    g_ptr_array_add(obj->items, item);
    if (failed(p)) break;
    if (eat(p, ",")) continue;
    if (close ? eat(p, (char[]){close, 0}) : at_end(p)) break;
    fail(p, "',' or '%s' was expected", close ? (char[]){close, 0} : "the end");
    break;
  }
  if (failed(p)) {
    node_free(obj);
    return NULL;
  }
  return obj;
}

static node *parse_primary(parser *p) {
  skip_space(p);
  if (p->pos >= p->len) return fail(p, "an expression was expected");
  char c = p->src[p->pos];
  if (c == '\'' || c == '"') return parse_string(p);
  if (g_ascii_isdigit(c) || (c == '.' && p->pos + 1 < p->len && g_ascii_isdigit(p->src[p->pos + 1]))) return parse_number(p);
  if (eat(p, "(")) {
    node *n = parse_cond(p);
    if (n && !eat(p, ")")) {
      node_free(n);
      return fail(p, "')' was expected");
    }
    return n;
  }
  if (eat(p, "[")) {
    node *arr = node_new(E_ARRAY);
    while (!eat(p, "]")) {
      node *item = parse_cond(p);
      if (!item) {
        node_free(arr);
        return NULL;
      }
      g_ptr_array_add(arr->items, item);
      if (!eat(p, ",") && !(skip_space(p), p->pos < p->len && p->src[p->pos] == ']')) {
        node_free(arr);
        return fail(p, "',' or ']' was expected");
      }
    }
    return arr;
  }
  if (eat(p, "{")) return parse_object_items(p, '}');
  if (eat(p, "true")) return literal(json_true());
  if (eat(p, "false")) return literal(json_false());
  if (eat(p, "null")) return literal(json_null());
  if (eat(p, "undefined")) return literal(NULL);
  char *name = read_name(p);
  if (!name) return fail(p, "unexpected '%c'", c);
  node *n = node_new(E_NAME);
  n->name = name;
  return n;
}

static node *parse_postfix(parser *p) {
  node *n = parse_primary(p);
  while (n) {
    node *m;
    if (eat_op(p, ".", (const char *const[]){"...", NULL})) {
      char *name = read_name(p);
      if (!name) {
        node_free(n);
        return fail(p, "a name was expected after '.'");
      }
      m = node_new(E_MEMBER);
      m->a = n;
      m->b = literal(json_string(name));
      g_free(name);
    } else if (eat(p, "[")) {
      m = node_new(E_MEMBER);
      m->a = n;
      m->b = parse_cond(p);
      if (!m->b || !eat(p, "]")) {
        node_free(m);
        return fail(p, "']' was expected");
      }
    } else if (eat(p, "(")) {
      node_free(n);
      p->pos--; /* the place of the '(' */
      return fail(p, "function calls are not allowed in a binding");
    } else {
      break;
    }
    n = m;
  }
  return n;
}

static node *parse_unary(parser *p) {
  static const char *const ops[] = {"!", "-", "+", "~", "typeof", NULL};
  for (const char *const *op = ops; *op; op++) {
    if (!eat_op(p, *op, strcmp(*op, "!") == 0 ? (const char *const[]){"!=", NULL} : NULL)) continue;
    node *n = node_new(E_UNARY);
    g_strlcpy(n->op, strcmp(*op, "typeof") == 0 ? "t" : *op, sizeof n->op);
    n->a = parse_unary(p);
    if (!n->a) {
      node_free(n);
      return NULL;
    }
    return n;
  }
  return parse_postfix(p);
}

/* One level of left-associative binary operators: ops, each with the longer ones it must not be
 * the start of. */
typedef struct {
  const char *op;
  const char *const *not_before;
} binop;

static node *parse_level(parser *p, int level);

static const binop *level_ops(int level) {
  static const binop mul[] = {{"*", NULL}, {"/", NULL}, {"%", NULL}, {NULL, NULL}};
  static const binop add[] = {{"+", NULL}, {"-", NULL}, {NULL, NULL}};
  static const binop rel[] = {{"<=", NULL}, {">=", NULL}, {"<", NULL}, {">", NULL}, {NULL, NULL}};
  static const binop eq[] = {{"===", NULL}, {"!==", NULL}, {"==", NULL}, {"!=", NULL}, {NULL, NULL}};
  static const char *const not_and[] = {"&&", NULL}, *const not_or[] = {"||", NULL};
  static const binop band[] = {{"&", not_and}, {NULL, NULL}};
  static const binop bxor[] = {{"^", NULL}, {NULL, NULL}};
  static const binop bor[] = {{"|", not_or}, {NULL, NULL}};
  static const binop and[] = {{"&&", NULL}, {NULL, NULL}};
  static const binop or[] = {{"||", NULL}, {NULL, NULL}};
  static const binop *const levels[] = {or, and, bor, bxor, band, eq, rel, add, mul};
  return level < (int)G_N_ELEMENTS(levels) ? levels[level] : NULL;
}

static node *parse_level(parser *p, int level) {
  const binop *ops = level_ops(level);
  if (!ops) return parse_unary(p);
  node *n = parse_level(p, level + 1);
  while (n) {
    const binop *found = NULL;
    for (const binop *o = ops; o->op && !found; o++)
      if (eat_op(p, o->op, o->not_before)) found = o;
    if (!found) break;
    node *m = node_new(strcmp(found->op, "&&") == 0 ? E_AND : strcmp(found->op, "||") == 0 ? E_OR : E_BINARY);
    g_strlcpy(m->op, found->op, sizeof m->op);
    m->a = n;
    m->b = parse_level(p, level + 1);
    if (!m->b) {
      node_free(m);
      return NULL;
    }
    n = m;
  }
  return n;
}

static node *parse_cond(parser *p) {
  node *n = parse_level(p, 0);
  if (!n || !eat(p, "?")) return n;
  node *c = node_new(E_COND);
  c->a = n;
  c->b = parse_cond(p);
  if (c->b && !eat(p, ":")) fail(p, "':' was expected");
  if (c->b && !failed(p)) c->c = parse_cond(p);
  if (failed(p)) {
    node_free(c);
    return NULL;
  }
  return c;
}

/* Whether the mustache is the brace-less object form: it starts with ...spread, or with a key
 * (a name or a string) followed by ':' or ','. */
static gboolean object_form_ahead(parser *p) {
  size_t start = p->pos;
  gboolean object = FALSE;
  if (eat(p, "...")) {
    object = TRUE;
  } else {
    skip_space(p);
    gboolean key = FALSE;
    if (p->pos < p->len && (p->src[p->pos] == '\'' || p->src[p->pos] == '"')) {
      node *s = parse_string(p);
      key = s != NULL;
      node_free(s);
      g_free(p->error);
      p->error = NULL;
    } else {
      char *name = read_name(p);
      key = name != NULL;
      g_free(name);
    }
    object = key && (eat(p, ":") || eat(p, ","));
  }
  p->pos = start;
  return object;
}

/* The whole mustache: an expression, or the brace-less object form (a: 1, ...b / a, b). */
static node *parse_top(parser *p) {
  if (object_form_ahead(p)) return parse_object_items(p, '\0');
  node *n = parse_cond(p);
  if (n && !at_end(p)) {
    node_free(n);
    return fail(p, "unexpected '%c'", p->src[p->pos]);
  }
  return n;
}

mprtc__expr *mprtc__expr_parse(const char *src, size_t len, char **error, size_t *offset) {
  parser p = {src, len, 0, NULL, 0};
  node *root = at_end(&p) ? fail(&p, "an empty binding") : parse_top(&p);
  if (!root) {
    *error = p.error;
    *offset = p.error_at;
    return NULL;
  }
  mprtc__expr *e = g_new(mprtc__expr, 1);
  e->root = root;
  return e;
}

void mprtc__expr_free(mprtc__expr *e) {
  if (!e) return;
  node_free(e->root);
  g_free(e);
}

gboolean mprtc__expr_is_path(const mprtc__expr *e) {
  const node *n = e->root;
  while (n->kind == E_MEMBER) n = n->a;
  return n->kind == E_NAME;
}

/* ---- JS's numbers --------------------------------------------------------------------------- */

/* JSON has no NaN or Infinity (jansson refuses them), yet {{a / 0}} shows "Infinity" and NaN is
 * falsy: the three are shared values of their own, known by address. */
static json_t *nonfinite(int which) {
  static json_t *values[3];
  static gsize once;
  if (g_once_init_enter(&once)) {
    for (int i = 0; i < 3; i++) values[i] = json_object();
    g_once_init_leave(&once, 1);
  }
  return values[which];
}

json_t *mprtc__js_number_value(double d) {
  if (isnan(d)) return json_incref(nonfinite(0));
  if (isinf(d)) return json_incref(nonfinite(d > 0 ? 1 : 2));
  /* Whole numbers stay integers, so that data written back out reads as it came in. */
  if (d == floor(d) && fabs(d) < 9007199254740992.0 && !(d == 0 && signbit(d))) return json_integer((json_int_t)d);
  return json_real(d);
}

/* Whether v is a JS number, and which. */
static gboolean number_of(const json_t *v, double *d) {
  if (!v) return FALSE;
  if (json_is_number(v)) {
    *d = json_number_value(v);
    return TRUE;
  }
  if (!json_is_object(v)) return FALSE;
  if (v == nonfinite(0)) *d = NAN;
  else if (v == nonfinite(1)) *d = INFINITY;
  else if (v == nonfinite(2)) *d = -INFINITY;
  else return FALSE;
  return TRUE;
}

/* ---- JS's conversions ------------------------------------------------------------------------ */

gboolean mprtc__js_truthy(const json_t *v) {
  if (!v || json_is_null(v) || json_is_false(v)) return FALSE;
  double d;
  if (number_of(v, &d)) return d != 0 && !isnan(d);
  if (json_is_string(v)) return json_string_length(v) > 0;
  return TRUE;
}

static double string_number(const char *s) {
  while (g_ascii_isspace(*s)) s++;
  if (!*s) return 0;
  char *end;
  double d;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) d = (double)strtoull(s + 2, &end, 16);
  else if (strncmp(s, "Infinity", 8) == 0 || strncmp(s, "+Infinity", 9) == 0) d = INFINITY, end = (char *)s + (s[0] == '+' ? 9 : 8);
  else if (strncmp(s, "-Infinity", 9) == 0) d = -INFINITY, end = (char *)s + 9;
  else d = g_ascii_strtod(s, &end);
  if (end == s) return NAN;
  while (g_ascii_isspace(*end)) end++;
  return *end ? NAN : d;
}

double mprtc__js_number(const json_t *v) {
  if (!v) return NAN;
  if (json_is_null(v) || json_is_false(v)) return 0;
  if (json_is_true(v)) return 1;
  double d;
  if (number_of(v, &d)) return d;
  if (json_is_string(v)) return string_number(json_string_value(v));
  char *s = mprtc__js_string_of(v); /* arrays: their join; objects: NaN */
  d = json_is_array(v) ? string_number(s) : NAN;
  g_free(s);
  return d;
}

char *mprtc__js_number_string(double d) {
  if (isnan(d)) return g_strdup("NaN");
  if (isinf(d)) return g_strdup(d > 0 ? "Infinity" : "-Infinity");
  if (d == 0) return g_strdup("0");
  /* Whole numbers below 2^53 (indexes, IDs, counters: most of what pages show) are their digits. */
  if (fabs(d) < 9007199254740992.0 && d == (double)(gint64)d) return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)d);
  /* The shortest decimal that reads back as d, then laid out as JS does. */
  char digits[32];
  int precision;
  for (precision = 1; precision <= 17; precision++) {
    g_snprintf(digits, sizeof digits, "%.*e", precision - 1, d);
    if (g_ascii_strtod(digits, NULL) == d) break;
  }
  /* digits: [-]D.DDDDe[+-]XX */
  gboolean negative = digits[0] == '-';
  char *mant = digits + negative, *e = strchr(mant, 'e');
  int exponent = atoi(e + 1);
  GString *m = g_string_new("");
  for (char *c = mant; c < e; c++)
    if (*c != '.') g_string_append_c(m, *c);
  while (m->len > 1 && m->str[m->len - 1] == '0') g_string_truncate(m, m->len - 1);
  int k = (int)m->len, n = exponent + 1;
  GString *out = g_string_new(negative ? "-" : "");
  if (k <= n && n <= 21) {
    g_string_append(out, m->str);
    for (int i = 0; i < n - k; i++) g_string_append_c(out, '0');
  } else if (0 < n && n <= 21) {
    g_string_append_len(out, m->str, n);
    g_string_append_c(out, '.');
    g_string_append(out, m->str + n);
  } else if (-6 < n && n <= 0) {
    g_string_append(out, "0.");
    for (int i = 0; i < -n; i++) g_string_append_c(out, '0');
    g_string_append(out, m->str);
  } else {
    g_string_append_c(out, m->str[0]);
    if (k > 1) {
      g_string_append_c(out, '.');
      g_string_append(out, m->str + 1);
    }
    g_string_append_printf(out, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
  }
  g_string_free(m, TRUE);
  return g_string_free(out, FALSE);
}

char *mprtc__js_string_of(const json_t *v) {
  if (!v) return g_strdup("undefined");
  double d;
  if (number_of(v, &d)) return mprtc__js_number_string(d);
  switch (json_typeof(v)) {
    case JSON_NULL: return g_strdup("null");
    case JSON_TRUE: return g_strdup("true");
    case JSON_FALSE: return g_strdup("false");
    case JSON_STRING: return g_strndup(json_string_value(v), json_string_length(v));
    case JSON_ARRAY: {
      GString *s = g_string_new("");
      size_t i;
      json_t *item;
      json_array_foreach(v, i, item) {
        if (i) g_string_append_c(s, ',');
        if (!json_is_null(item)) {
          char *part = mprtc__js_string_of(item);
          g_string_append(s, part);
          g_free(part);
        }
      }
      return g_string_free(s, FALSE);
    }
    default: return g_strdup("[object Object]");
  }
}

char *mprtc__js_text_of(const json_t *v) {
  return !v || json_is_null(v) ? g_strdup("") : mprtc__js_string_of(v);
}

/* ---- evaluation ------------------------------------------------------------------------------ */

static json_t *eval(const node *n, const mprtc__scope *scope);

static json_t *number(double d) { return mprtc__js_number_value(d); }

static json_t *lookup(const mprtc__scope *scope, const char *name) {
  for (; scope; scope = scope->outer) {
    json_t *v = json_object_get(scope->vars, name);
    if (v) return json_incref(v);
  }
  return NULL;
}

/* base[key], as JS reads it: arrays by index (and length), strings by index (and length),
 * objects by key. */
static json_t *member(const json_t *base, const json_t *key) {
  if (!base || json_is_null(base)) return NULL;
  char *k = mprtc__js_string_of(key);
  json_t *out = NULL;
  if (json_is_object(base)) {
    out = json_object_get(base, k);
    if (out) json_incref(out);
  } else if (json_is_array(base) || json_is_string(base)) {
    size_t len = json_is_array(base) ? json_array_size(base) : (size_t)g_utf8_strlen(json_string_value(base), -1);
    double idx;
    if (!number_of(key, &idx)) idx = string_number(k);
    if (strcmp(k, "length") == 0) {
      out = json_integer((json_int_t)len);
    } else if (idx >= 0 && idx < (double)len && idx == floor(idx)) {
      if (json_is_array(base)) {
        out = json_incref(json_array_get(base, (size_t)idx));
      } else {
        const char *s = g_utf8_offset_to_pointer(json_string_value(base), (glong)idx);
        out = json_stringn(s, (size_t)(g_utf8_next_char(s) - s));
      }
    }
  }
  g_free(k);
  return out;
}

static gboolean is_primitive(const json_t *v) {
  double d;
  return !v || number_of(v, &d) || !(json_is_object(v) || json_is_array(v));
}

/* JS's ==. Objects and arrays are equal only to themselves. */
static gboolean loose_equal(const json_t *a, const json_t *b) {
  gboolean a_nullish = !a || json_is_null(a), b_nullish = !b || json_is_null(b);
  if (a_nullish || b_nullish) return a_nullish && b_nullish;
  if (!is_primitive(a) || !is_primitive(b)) {
    if (!is_primitive(a) && !is_primitive(b)) return a == b;
    /* One object: compare its string with the primitive. */
    const json_t *obj = is_primitive(a) ? b : a, *prim = is_primitive(a) ? a : b;
    char *s = mprtc__js_string_of(obj);
    json_t *sv = json_string(s);
    gboolean eq = loose_equal(sv, prim);
    json_decref(sv);
    g_free(s);
    return eq;
  }
  if (json_is_string(a) && json_is_string(b)) return strcmp(json_string_value(a), json_string_value(b)) == 0;
  return mprtc__js_number(a) == mprtc__js_number(b);
}

static gboolean strict_equal(const json_t *a, const json_t *b) {
  if (!a || !b) return a == b;
  double x, y;
  if (number_of(a, &x) && number_of(b, &y)) return x == y;
  if (json_typeof(a) != json_typeof(b)) return FALSE;
  if (json_is_string(a)) return strcmp(json_string_value(a), json_string_value(b)) == 0;
  if (json_is_object(a) || json_is_array(a)) return a == b;
  return TRUE; /* null, true, false */
}

static json_t *compare(const char *op, const json_t *a, const json_t *b) {
  gboolean r;
  if (json_is_string(a) && json_is_string(b)) {
    int c = strcmp(json_string_value(a), json_string_value(b));
    r = op[0] == '<' ? (op[1] ? c <= 0 : c < 0) : (op[1] ? c >= 0 : c > 0);
  } else {
    double x = mprtc__js_number(a), y = mprtc__js_number(b);
    r = op[0] == '<' ? (op[1] ? x <= y : x < y) : (op[1] ? x >= y : x > y);
  }
  return json_boolean(r);
}

static int32_t to_int32(double d) {
  if (isnan(d) || isinf(d)) return 0;
  double m = fmod(trunc(d), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (int32_t)(uint32_t)m;
}

static json_t *binary(const char *op, json_t *a, json_t *b) {
  if (strcmp(op, "+") == 0) {
    /* Strings (and objects, as their string) concatenate; the rest adds as numbers. */
    if (json_is_string(a) || json_is_string(b) || !is_primitive(a) || !is_primitive(b)) {
      char *x = mprtc__js_string_of(a), *y = mprtc__js_string_of(b);
      char *s = g_strconcat(x, y, NULL);
      json_t *out = json_string(s);
      g_free(s);
      g_free(x);
      g_free(y);
      return out;
    }
    return number(mprtc__js_number(a) + mprtc__js_number(b));
  }
  double x = mprtc__js_number(a), y = mprtc__js_number(b);
  switch (op[0]) {
    case '-': return number(x - y);
    case '*': return number(x * y);
    case '/': return number(x / y);
    case '%': return number(fmod(x, y));
    case '&': return number(to_int32(x) & to_int32(y));
    case '|': return number(to_int32(x) | to_int32(y));
    case '^': return number(to_int32(x) ^ to_int32(y));
    case '<':
    case '>': return compare(op, a, b);
    case '=': return json_boolean(op[2] ? strict_equal(a, b) : loose_equal(a, b));
    case '!': return json_boolean(!(op[2] ? strict_equal(a, b) : loose_equal(a, b)));
  }
  return NULL;
}

static const char *type_of(const json_t *v) {
  if (!v) return "undefined";
  double d;
  if (number_of(v, &d)) return "number";
  switch (json_typeof(v)) {
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "object";
  }
}

static json_t *eval(const node *n, const mprtc__scope *scope) {
  switch (n->kind) {
    case E_LITERAL: return n->value ? json_incref(n->value) : NULL;
    case E_NAME: return lookup(scope, n->name);
    case E_MEMBER: {
      json_t *base = eval(n->a, scope), *key = eval(n->b, scope);
      json_t *out = member(base, key);
      if (base) json_decref(base);
      if (key) json_decref(key);
      return out;
    }
    case E_UNARY: {
      json_t *a = eval(n->a, scope), *out;
      switch (n->op[0]) {
        case '!': out = json_boolean(!mprtc__js_truthy(a)); break;
        case '-': out = number(-mprtc__js_number(a)); break;
        case '+': out = number(mprtc__js_number(a)); break;
        case '~': out = number(~to_int32(mprtc__js_number(a))); break;
        default: out = json_string(type_of(a));
      }
      if (a) json_decref(a);
      return out;
    }
    case E_BINARY: {
      json_t *a = eval(n->a, scope), *b = eval(n->b, scope);
      json_t *out = binary(n->op, a, b);
      if (a) json_decref(a);
      if (b) json_decref(b);
      return out;
    }
    case E_AND:
    case E_OR: {
      json_t *a = eval(n->a, scope);
      if (mprtc__js_truthy(a) == (n->kind == E_AND)) {
        if (a) json_decref(a);
        return eval(n->b, scope);
      }
      return a;
    }
    case E_COND: {
      json_t *a = eval(n->a, scope);
      gboolean t = mprtc__js_truthy(a);
      if (a) json_decref(a);
      return eval(t ? n->b : n->c, scope);
    }
    case E_ARRAY: {
      json_t *arr = json_array();
      for (guint i = 0; i < n->items->len; i++) {
        json_t *v = eval(n->items->pdata[i], scope);
        json_array_append_new(arr, v ? v : json_null());
      }
      return arr;
    }
    case E_OBJECT: {
      json_t *obj = json_object();
      for (guint i = 0; i < n->items->len; i++) {
        const node *item = n->items->pdata[i];
        json_t *v = eval(item->a, scope);
        if (item->name) {
          if (v) json_object_set(obj, item->name, v);
        } else if (json_is_object(v)) {
          json_object_update(obj, v);
        } else if (json_is_array(v)) {
          size_t k;
          json_t *x;
          json_array_foreach(v, k, x) {
            char key[24];
            g_snprintf(key, sizeof key, "%zu", k);
            json_object_set(obj, key, x);
          }
        }
        if (v) json_decref(v);
      }
      return obj;
    }
  }
  return NULL;
}

json_t *mprtc__expr_eval(const mprtc__expr *e, const mprtc__scope *scope) { return eval(e->root, scope); }
