/* The current page as JSON, for `mprtc run --dump-view` and hosts (docs/view.md): the tree as
 * rendered, wx: directives, blocks and templates dissolved into what they produced. */
#include <math.h>

#include "view/layout.h"
#include "view/modal.h"
#include "view/toast.h"
#include "view/view-internal.h"

/* A value as JSON text would carry it: JS's NaN and infinities (which JSON lacks) as null, as
 * JSON.stringify writes them. */
static json_t *plain(json_t *v) {
  double d = mprtc__js_number(v);
  if (v && json_is_object(v) && json_object_size(v) == 0 && (d != d || d - d != 0)) return json_null();
  return json_incref(v);
}

static json_t *dump_node(const mprtc__vnode *n) {
  if (!n->tag) return json_pack("{s:s}", "text", n->text);
  json_t *attrs = json_object();
  const char *k;
  json_t *v;
  json_object_foreach(n->attrs, k, v) json_object_set_new(attrs, k, plain(v));
  json_t *children = json_array();
  for (guint i = 0; i < n->children->len; i++) json_array_append_new(children, dump_node(n->children->pdata[i]));
  const mprtc__vstate *st = n->state;
  json_t *box = json_array();
  double b[4] = {st ? st->x : 0, st ? st->y : 0, st ? st->w : 0, st ? st->h : 0};
  /* Hundredths of a pixel: what layout decides, without float noise. */
  for (int i = 0; i < 4; i++) json_array_append_new(box, mprtc__js_number_value(round(b[i] * 100) / 100));
  json_t *node = json_pack("{s:s, s:o, s:o, s:o}", "tag", n->tag, "attrs", attrs, "box", box, "children", children);
  if (json_object_size(n->dataset)) json_object_set(node, "dataset", n->dataset);
  json_t *media = st && st->component && st->component->describe ? st->component->describe(st->component) : NULL;
  if (media) json_object_set_new(node, "media", media);
  return node;
}

json_t *mprtc__view_dump_page(const mprtc__view *view, const mprtc__page *page) {
  json_t *dump = json_pack("{s:s, s:O, s:o}", "path", page->path, "query", page->query, "root",
                           page->root ? dump_node(page->root) : json_null());
  /* A presented window: how many times it was painted. */
  if (view->present) json_object_set_new(dump, "paints", json_integer((json_int_t)view->paints));
  /* What is drawn over the page. */
  mprtc__page *modal = mprtc__modal_page((mprtc__view *)view);
  if (modal && modal->root) json_object_set_new(dump, "modal", dump_node(modal->root));
  json_t *toast = mprtc__toast_describe((mprtc__view *)view);
  if (toast) json_object_set_new(dump, "toast", toast);
  return dump;
}
