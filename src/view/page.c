/* A page in the view layer: see page.h. */
#include "view/page.h"

#include <string.h>

mprtc__page *mprtc__page_new(int64_t id, const char *path, json_t *query, json_t *data, json_t *window,
                             const mprtc__wxml *wxml, mprtc__wxss *sheet) {
  mprtc__page *page = g_new0(mprtc__page, 1);
  page->id = id;
  page->path = g_strdup(path);
  page->query = query ? json_incref(query) : json_object();
  page->data = data ? json_deep_copy(data) : json_object();
  page->window = window ? json_incref(window) : json_object();
  page->wxml = wxml;
  page->sheet = sheet;
  page->changed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  return page;
}

void mprtc__page_free(mprtc__page *page) {
  if (!page) return;
  mprtc__vnode_free(page->root);
  mprtc__wxss_free(page->sheet);
  json_decref(page->query);
  json_decref(page->data);
  json_decref(page->window);
  g_hash_table_unref(page->changed);
  g_free(page->path);
  g_free(page);
}

/* The container a segment reaches into: an object for a key, an array for an index. What is
 * there of the other kind (or nothing) is replaced, as the platform does. */
static json_t *container_for(const json_t *segment) { return json_is_string(segment) ? json_object() : json_array(); }

static gboolean fits(const json_t *container, const json_t *segment) {
  return json_is_string(segment) ? json_is_object(container) : json_is_array(container);
}

static json_t *get(json_t *container, const json_t *segment) {
  if (json_is_string(segment)) return json_object_get(container, json_string_value(segment));
  return json_array_get(container, (size_t)json_integer_value(segment));
}

static void set(json_t *container, const json_t *segment, json_t *value) {
  if (json_is_string(segment)) {
    json_object_set(container, json_string_value(segment), value);
    return;
  }
  size_t index = (size_t)json_integer_value(segment);
  /* Past the end: the gap is filled with null (JSON's undefined). */
  while (json_array_size(container) < index) json_array_append_new(container, json_null());
  if (index == json_array_size(container)) json_array_append(container, value);
  else json_array_set(container, index, value);
}

gboolean mprtc__page_apply(mprtc__page *page, const json_t *segments, json_t *value, char **error) {
  size_t n = json_array_size(segments);
  if (!json_is_array(segments) || n == 0 || !json_is_string(json_array_get(segments, 0))) {
    *error = g_strdup("a setData path starts with a key");
    return FALSE;
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *s = json_array_get(segments, i);
    if (!json_is_string(s) && !(json_is_integer(s) && json_integer_value(s) >= 0 && json_integer_value(s) <= 1 << 24)) {
      *error = g_strdup("a setData path segment is a key or an index (0 to 2^24)");
      return FALSE;
    }
  }
  g_hash_table_add(page->changed, g_strdup(json_string_value(json_array_get(segments, 0))));
  /* Copy on write: the containers on the path are copied (shallow) before they change, so that
   * the values the last render was made of stay as they were (src/view/render.h reuses what
   * did not change). */
  json_t *container = page->data;
  for (size_t i = 0; i + 1 < n; i++) {
    const json_t *s = json_array_get(segments, i), *next = json_array_get(segments, i + 1);
    json_t *child = get(container, s);
    child = child && fits(child, next) ? json_copy(child) : container_for(next);
    set(container, s, child);
    json_decref(child);
    container = child;
  }
  set(container, json_array_get(segments, n - 1), value ? value : json_null());
  return TRUE;
}

/* What a user typed into an <input> stays until the page sets its value. */
static void keep_typed(mprtc__vnode *n) {
  if (!n->tag) return;
  mprtc__vstate *st = n->state;
  if (st && st->typed && strcmp(n->tag, "input") == 0) {
    json_t *bound = json_object_get(n->attrs, "value");
    if (json_equal(bound, st->typed_over) || (!bound && !st->typed_over)) {
      json_object_set_new(n->attrs, "value", json_string(st->typed));
    } else {
      g_clear_pointer(&st->typed, g_free);
      g_clear_pointer(&st->typed_over, json_decref);
    }
  }
  for (guint i = 0; i < n->children->len; i++) keep_typed(n->children->pdata[i]);
}

guint mprtc__page_render(mprtc__page *page, mprtc__wxml_set *set) {
  mprtc__vnode *fresh = mprtc__render_update(set, page->wxml, page->data, page->root, page->changed);
  g_hash_table_remove_all(page->changed);
  guint changes = mprtc__vnode_reconcile(fresh, page->root);
  page->root = fresh;
  page->renders++;
  keep_typed(fresh);
  return changes;
}

void mprtc__page_layout(mprtc__page *page, mprtc__cascade *c, mprtc__intrinsic_fn intrinsic, void *data) {
  c->sheets[1] = page->sheet;
  page->height = mprtc__layout_page(page->root, c, c->window_width, c->window_height, intrinsic, data);
}
