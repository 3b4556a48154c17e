/* WXML's binding expressions: what stands between {{ and }}. The platform's language: literals
 * (numbers, 'strings', "strings", true, false, null, undefined), names looked up in the data,
 * member access (a.b, a[b]), the JS operators (unary ! - + ~ typeof; * / %; + -; < > <= >=;
 * == != === !==; & ^ |; && ||; ?:), array literals [a, 1] and object literals {a: 1, ...b}, and
 * the mustache's own object form without braces: {{a: 1, ...b}} and {{a, b}} (for template
 * data). No calls, no assignment. Values follow JS: JSON values, with undefined (NULL) beside
 * them, and JS's conversions.
 *
 * Thread rules: pure; any thread.
 */
#ifndef MPRTC_VIEW_EXPR_H
#define MPRTC_VIEW_EXPR_H

#include <glib.h>
#include <jansson.h>

typedef struct mprtc__expr mprtc__expr;

/* Where names are looked up: the innermost scope first (wx:for's item and index, a template's
 * data), then the outer ones, then the page's data. A scope is a JSON object. */
typedef struct mprtc__scope {
  const json_t *vars;
  const struct mprtc__scope *outer;
} mprtc__scope;

/* Compiles src (len bytes, without the braces). NULL with *error (a sentence, g_free it) and
 * *offset (the byte of src where it went wrong) when it does not parse. */
mprtc__expr *mprtc__expr_parse(const char *src, size_t len, char **error, size_t *offset);
void mprtc__expr_free(mprtc__expr *e);

/* The value of e in scope: a new reference, or NULL for undefined. */
json_t *mprtc__expr_eval(const mprtc__expr *e, const mprtc__scope *scope);

/* Adds to names (a set of strings, owned by the caller's table: g_str_hash, g_free keys) every
 * name e looks up: what its value depends on. */
void mprtc__expr_names(const mprtc__expr *e, GHashTable *names);

/* Whether e is a lone name or member path of the data (what wx:for's item can be bound to). */
gboolean mprtc__expr_is_path(const mprtc__expr *e);

/* JS's conversions of a value (NULL: undefined). */
gboolean mprtc__js_truthy(const json_t *v);
double mprtc__js_number(const json_t *v);
/* String(v), g_free it; what WXML shows for a value in text and attributes (undefined and null
 * show as nothing, as on the platform). */
char *mprtc__js_string_of(const json_t *v);
char *mprtc__js_text_of(const json_t *v);
/* A JS number as a value: an integer when whole, NaN and the infinities as shared values of their
 * own (JSON has none). */
json_t *mprtc__js_number_value(double d);
/* JS's Number.prototype.toString for a finite or infinite number, g_free it. */
char *mprtc__js_number_string(double d);

#endif
