/* A WXML file, parsed: its elements and text as written, with every {{ }} binding compiled
 * (src/view/expr.h) and the wx: directives taken out of the attributes. What it means for a
 * page's data is src/view/render.h's business.
 *
 * The syntax (WeChat's): elements <tag attr="value" attr='value' flag> ... </tag> or <tag/>,
 * every element closed; <!-- comments -->; the entities &lt; &gt; &amp; &quot; &apos; &nbsp;
 * and &#N; &#xN;; text and attribute values with {{ }} bindings. Whitespace-only text between
 * elements is dropped. A problem is "<file>:<line>:<column>: <what>".
 *
 * Thread rules: pure; any thread.
 */
#ifndef MPRTC_VIEW_WXML_H
#define MPRTC_VIEW_WXML_H

#include <glib.h>
#include <jansson.h>

#include "view/expr.h"

/* Text with bindings: "a {{b}} c" is ["a ", b, " c"]. */
typedef struct {
  GPtrArray *parts;     /* mprtc__wxml_part* */
  gboolean single;      /* exactly one binding and nothing around it: its value is the binding's
                           own (a number, an object), not a string */
} mprtc__wxml_value;

typedef struct {
  char *literal;        /* text, or NULL for a binding */
  mprtc__expr *expr;
} mprtc__wxml_part;

typedef struct {
  char *name;
  mprtc__wxml_value *value; /* NULL: the attribute was written without a value (true) */
  int line, column;
} mprtc__wxml_attr;

typedef enum { MPRTC__WXML_NO_BRANCH, MPRTC__WXML_IF, MPRTC__WXML_ELIF, MPRTC__WXML_ELSE } mprtc__wxml_branch;

typedef struct mprtc__wxml_node mprtc__wxml_node;
struct mprtc__wxml_node {
  char *tag;                   /* NULL: a text node */
  mprtc__wxml_value *text;     /* a text node's */
  GPtrArray *attrs;            /* mprtc__wxml_attr*, in order, without the wx: directives */
  GPtrArray *children;         /* mprtc__wxml_node* */
  int line, column;

  mprtc__wxml_branch branch;
  mprtc__wxml_value *condition;  /* wx:if, wx:elif */
  mprtc__wxml_value *for_list;   /* wx:for (or wx:for-items) */
  char *for_item, *for_index;    /* "item", "index" unless given */
  char *for_key;                 /* wx:key: a field of the item, "*this", or NULL */
};

typedef struct {
  char *file;                  /* as given to the parser: the path inside the package */
  GPtrArray *children;         /* mprtc__wxml_node*: the top level */
  GPtrArray *warnings;         /* char*: "<file>:<line>:<column>: <what>" */
} mprtc__wxml;

/* Parses text (len bytes) of file. Returns the tree, or NULL with *error (g_free it). */
mprtc__wxml *mprtc__wxml_parse(const char *file, const char *text, size_t len, char **error);
void mprtc__wxml_free(mprtc__wxml *w);

/* The attribute of that name, or NULL. */
const mprtc__wxml_attr *mprtc__wxml_attr_get(const mprtc__wxml_node *n, const char *name);

/* The value of v in scope: a new reference, NULL for undefined. A value written without
 * bindings is its text; a single binding is its value; anything else is the text of its parts
 * joined (undefined and null showing as nothing). */
json_t *mprtc__wxml_value_eval(const mprtc__wxml_value *v, const mprtc__scope *scope);

/* Whether v has no bindings (and the text it is, if so). */
const char *mprtc__wxml_value_static(const mprtc__wxml_value *v);

#endif
