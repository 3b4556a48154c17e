/* From WXML and a page's data to the tree the view shows (a vnode tree): wx:if/elif/else chosen,
 * wx:for repeated, <block> and <template is> dissolved into their content, <include> inlined,
 * bindings evaluated, events and data-* sorted out of the attributes.
 *
 * The files of a page come from a set (mprtc__wxml_set), which parses each file once and
 * resolves <import src> and <include src> (relative to the file, or from the package root with a
 * leading '/'). Templates a file may use: its own and those of the files it imports (not
 * further: import is not transitive, as on the platform). <include> brings a file's content
 * without its templates.
 *
 * After setData the view renders the page again and reconciles the new tree with the old one
 * (mprtc__vnode_reconcile): a node that stays (same place in the WXML, same wx:key) keeps its
 * view state, and the changes are known node by node.
 *
 * Thread rules: pure (a set and its trees belong to one thread at a time).
 */
#ifndef MPRTC_VIEW_RENDER_H
#define MPRTC_VIEW_RENDER_H

#include <glib.h>
#include <jansson.h>

#include "view/wxml.h"

/* ---- the files ---- */

/* Reads a file of the package (path inside it, without a leading '/'): its text (g_free it) and
 * *len, or NULL with *error (g_free it). */
typedef char *(*mprtc__wxml_read_fn)(const char *path, size_t *len, char **error, void *data);

typedef struct mprtc__wxml_set mprtc__wxml_set;

mprtc__wxml_set *mprtc__wxml_set_new(mprtc__wxml_read_fn read, void *data);
void mprtc__wxml_set_free(mprtc__wxml_set *set);

/* Loads path (and what it imports and includes, once each). NULL with *error ("<file>:<line>:
 * <column>: <what>") when it or one of them cannot be read or parsed, or includes itself. */
const mprtc__wxml *mprtc__wxml_set_load(mprtc__wxml_set *set, const char *path, char **error);

/* The warnings of everything loaded since the last call (char*, taken: free the array). */
GPtrArray *mprtc__wxml_set_take_warnings(mprtc__wxml_set *set);

/* ---- the tree ---- */

typedef struct {
  char *type;      /* "tap", "input", ... */
  char *handler;   /* the page method's name */
  gboolean catch_; /* catchtap: the event stops here */
} mprtc__vevent;

typedef struct mprtc__vnode mprtc__vnode;
struct mprtc__vnode {
  char *tag;               /* NULL: a text node */
  char *text;              /* a text node's */
  json_t *attrs;           /* name -> value after binding: everything but events and data-* */
  json_t *dataset;         /* data-foo-bar -> fooBar */
  GPtrArray *events;       /* mprtc__vevent* */
  GPtrArray *children;     /* mprtc__vnode* */
  mprtc__vnode *parent;

  /* Reconciliation. */
  const mprtc__wxml_node *source;
  char *identity;          /* what makes it the same node in the next render */
  enum { MPRTC__VNODE_NEW, MPRTC__VNODE_SAME, MPRTC__VNODE_CHANGED } change;
  gboolean children_changed; /* a child came, went or moved since the last render */
  json_t *for_item, *for_index; /* an element wx:for made: the item and index it was made of */
  gboolean reused;         /* taken whole from the previous render (mprtc__render_update) */

  /* The view's own state of the node (layout, a component): kept across renders. */
  void *state;
  GDestroyNotify state_free;
};

/* Renders file (loaded in set) over data (the page's data; borrowed). The root is a "page"
 * element. Problems found while rendering (a template that does not exist, a duplicated
 * wx:key) go to the set's warnings, once each. */
mprtc__vnode *mprtc__render(mprtc__wxml_set *set, const mprtc__wxml *file, const json_t *data);

/* The same after a change of the data's top-level names in changed (a set of strings): an
 * element of a wx:for whose item, index and bindings are as before is taken whole from previous
 * (marked reused) instead of rendered again. previous must then be reconciled with the result
 * (which skips what was taken) before it is freed. */
mprtc__vnode *mprtc__render_update(mprtc__wxml_set *set, const mprtc__wxml *file, const json_t *data,
                                   mprtc__vnode *previous, GHashTable *changed);

void mprtc__vnode_free(mprtc__vnode *n);

/* Matches fresh (a new render) against old: each node of fresh that has a counterpart in old
 * takes its view state and is marked SAME or CHANGED (attributes, dataset, events or text
 * differ); the others are NEW. old is freed (with the state of nodes that went away). Returns
 * how many nodes are NEW or CHANGED, plus how many went away. */
guint mprtc__vnode_reconcile(mprtc__vnode *fresh, mprtc__vnode *old);

/* The attribute as text (NULL when absent): JS's String() of its value. g_free it. */
char *mprtc__vnode_attr_text(const mprtc__vnode *n, const char *name);

#endif
