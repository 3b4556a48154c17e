/* Selectors over the vnode tree, as WXSS writes them and as hosts and tests find elements with
 * them: a tag (`view`, `page`, `*`), `.class`, `#id`, compounds of those (`button.primary`),
 * descendant (`.list text`) and child (`.list > view`) combinators, and lists (`a, b`).
 * Attribute selectors and pseudo-classes are not supported: the parser says so.
 *
 * Thread rules: pure; any thread.
 */
#ifndef MPRTC_VIEW_SELECTOR_H
#define MPRTC_VIEW_SELECTOR_H

#include <glib.h>

#include "view/render.h"

typedef struct mprtc__selector mprtc__selector;

/* Parses text (len bytes; -1: NUL-terminated). NULL with *error (a sentence, g_free it) and
 * *offset (the byte where it went wrong). */
mprtc__selector *mprtc__selector_parse(const char *text, gssize len, char **error, size_t *offset);
void mprtc__selector_free(mprtc__selector *s);

/* Whether one of the list's selectors matches n (an element). */
gboolean mprtc__selector_matches(const mprtc__selector *s, const mprtc__vnode *n);

/* Specificity of the list's most specific selector that matches n, as (ids << 20) | (classes
 * << 10) | tags; -1 when none matches. */
int mprtc__selector_match_specificity(const mprtc__selector *s, const mprtc__vnode *n);

/* Every element under root (root included) that matches, in document order (borrowed). */
GPtrArray *mprtc__selector_query_all(const mprtc__selector *s, mprtc__vnode *root);

/* Whether the element's class attribute lists name. */
gboolean mprtc__vnode_has_class(const mprtc__vnode *n, const char *name);

#endif
