/* The modal dialog: see modal.h. */
#include "view/modal.h"

#include <string.h>

#include "view/components.h"
#include "view/view-internal.h"

/* WeChat's dialog: a white box of rounded corners, 80% of the window's width, over a mask of 60%
 * black; a bold title, the content in grey, a row of two buttons under a hairline. */
static const char MODAL_WXML[] =
    "<view class=\"mask\"><view class=\"box\">\n"
    "<view wx:if=\"{{title}}\" class=\"title\">{{title}}</view>\n"
    "<input wx:if=\"{{editable}}\" id=\"mprtc-modal-input\" class=\"input\" value=\"{{content}}\""
    " placeholder=\"{{placeholderText}}\"/>\n"
    "<view wx:elif=\"{{content}}\" class=\"content\">{{content}}</view>\n"
    "<view class=\"buttons\">\n"
    "<view wx:if=\"{{showCancel}}\" id=\"mprtc-modal-cancel\" class=\"button cancel\""
    " style=\"color: {{cancelColor}}\">{{cancelText}}</view>\n"
    "<view id=\"mprtc-modal-confirm\" class=\"button\" style=\"color: {{confirmColor}}\">{{confirmText}}</view>\n"
    "</view></view></view>\n";

static const char MODAL_WXSS[] =
    ".mask { display: flex; align-items: center; justify-content: center; width: 100vw; height: 100vh;"
    " background-color: rgba(0, 0, 0, 0.6); }\n"
    ".box { width: 80%; max-width: 320px; background-color: #fff; border-radius: 12px; overflow: hidden;"
    " text-align: center; }\n"
    ".title { padding: 32px 24px 0; font-size: 17px; font-weight: 700; color: #000; }\n"
    ".content { padding: 16px 24px 32px; font-size: 17px; line-height: 1.4; color: rgba(0, 0, 0, 0.5); }\n"
    ".input { margin: 16px 24px 32px; padding: 0 8px; font-size: 17px; height: 40px; line-height: 40px;"
    " text-align: left; background-color: #f7f7f7; border-radius: 4px; }\n"
    ".buttons { display: flex; border-top: 1px solid rgba(0, 0, 0, 0.1); }\n"
    ".button { flex: 1; height: 56px; line-height: 56px; font-size: 17px; font-weight: 700; }\n"
    ".cancel { border-right: 1px solid rgba(0, 0, 0, 0.1); }\n";

typedef struct {
  mprtc__bridge *channel; /* a reference */
  int64_t seq;
  json_t *params;
} dialog;

typedef struct mprtc__modal {
  mprtc__wxml_set *files;   /* the dialog's WXML, and nothing else */
  const mprtc__wxml *wxml;  /* in files */
  GQueue waiting;     /* dialog*: the first is shown */
  mprtc__page *page;  /* the first's, or NULL */
} mprtc__modal;

static void dialog_free(gpointer p) {
  dialog *d = p;
  mprtc__bridge_unref(d->channel);
  json_decref(d->params);
  g_free(d);
}

/* The first dialog waiting, rendered and laid out in the window. */
static void show_first(mprtc__view *view) {
  mprtc__modal *m = view->modal;
  g_clear_pointer(&m->page, mprtc__page_free);
  dialog *d = g_queue_peek_head(&m->waiting);
  if (d) {
    mprtc__wxss *sheet = mprtc__wxss_parse("mprtc:modal.wxss", MODAL_WXSS, sizeof MODAL_WXSS - 1, mprtc__view_read_file, view);
    m->page = mprtc__page_new(-1, "mprtc:modal", NULL, d->params, NULL, m->wxml, sheet);
    mprtc__page_render(m->page, m->files);
    /* The app's stylesheet is not the dialog's. */
    mprtc__cascade c = view->cascade;
    c.sheets[0] = NULL;
    mprtc__page_layout(m->page, &c, mprtc__components_intrinsic, view);
  }
  mprtc__view_overlay_changed(view);
  mprtc__view_check_waiting(view);
}

/* The dialog's WXML file (as mprtc__wxml_read_fn). */
static char *read_builtin(const char *path, size_t *len, char **error, void *data) {
  (void)data;
  if (strcmp(path, "mprtc:modal.wxml") != 0) {
    *error = g_strdup_printf("'%s' is not built in", path);
    return NULL;
  }
  *len = sizeof MODAL_WXML - 1;
  return g_strdup(MODAL_WXML);
}

gboolean mprtc__modal_request(mprtc__view *view, mprtc__bridge *channel, int64_t seq, const json_t *params,
                              char **error) {
  static const char *const strings[] = {"title",        "content",      "cancelText", "cancelColor",
                                        "confirmText",  "confirmColor", "placeholderText"};
  for (guint i = 0; i < G_N_ELEMENTS(strings); i++) {
    if (!json_is_string(json_object_get(params, strings[i]))) {
      *error = g_strdup_printf("View.showModal: %s is a string", strings[i]);
      return FALSE;
    }
  }
  if (!json_is_boolean(json_object_get(params, "showCancel")) || !json_is_boolean(json_object_get(params, "editable"))) {
    *error = g_strdup("View.showModal: showCancel and editable are booleans");
    return FALSE;
  }
  if (!view->modal) {
    view->modal = g_new0(mprtc__modal, 1);
    char *e = NULL;
    view->modal->files = mprtc__wxml_set_new(read_builtin, NULL);
    view->modal->wxml = mprtc__wxml_set_load(view->modal->files, "mprtc:modal.wxml", &e);
    g_assert(view->modal->wxml); /* built in */
  }
  dialog *d = g_new0(dialog, 1);
  d->channel = mprtc__bridge_ref(channel);
  d->seq = seq;
  d->params = json_deep_copy(params);
  g_queue_push_tail(&view->modal->waiting, d);
  if (!view->modal->page) show_first(view);
  return TRUE;
}

mprtc__page *mprtc__modal_page(mprtc__view *view) { return view->modal ? view->modal->page : NULL; }

/* What the dialog's input holds: what was typed, or the content it started with. */
static char *input_text(mprtc__vnode *n) {
  if (!n->tag) return NULL;
  json_t *id = json_object_get(n->attrs, "id");
  if (strcmp(n->tag, "input") == 0 && json_is_string(id) && strcmp(json_string_value(id), "mprtc-modal-input") == 0)
    return mprtc__vnode_attr_text(n, "value");
  for (guint i = 0; i < n->children->len; i++) {
    char *text = input_text(n->children->pdata[i]);
    if (text) return text;
  }
  return NULL;
}

gboolean mprtc__modal_tap(mprtc__view *view, mprtc__vnode *n) {
  mprtc__modal *m = view->modal;
  json_t *id = json_object_get(n->attrs, "id");
  const char *name = json_is_string(id) ? json_string_value(id) : "";
  gboolean confirm = strcmp(name, "mprtc-modal-confirm") == 0;
  if (!m || !m->page || (!confirm && strcmp(name, "mprtc-modal-cancel") != 0)) return FALSE;
  dialog *d = g_queue_pop_head(&m->waiting);
  char *content = input_text(m->page->root);
  mprtc__view_reply(d->channel, d->seq, json_pack("{s:b, s:s}", "confirm", confirm, "content", content ? content : ""));
  g_free(content);
  dialog_free(d);
  show_first(view);
  return TRUE;
}

void mprtc__modal_paint(mprtc__view *view, cairo_surface_t *surface, double x, double y, double w, double h) {
  mprtc__page *page = mprtc__modal_page(view);
  if (!page || !page->root) return;
  cairo_t *cr = cairo_create(surface);
  cairo_scale(cr, view->pixel_ratio, view->pixel_ratio);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  mprtc__paint(page->root, cr, view->width, view->height, mprtc__components_paint, view);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
}

void mprtc__modal_free(mprtc__view *view) {
  mprtc__modal *m = view->modal;
  if (!m) return;
  g_queue_clear_full(&m->waiting, dialog_free);
  mprtc__page_free(m->page);
  mprtc__wxml_set_free(m->files);
  g_free(m);
  view->modal = NULL;
}
