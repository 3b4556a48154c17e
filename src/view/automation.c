/* The view's half of automation (docs/automation.md): a host's request of the protocol that
 * WeChat DevTools serves to miniprogram-automator. What concerns elements (found by selector,
 * known afterwards by an ID kept in their view state), their text, attributes and WXML, taps,
 * events and typing, and the screenshot, is answered here; what concerns the app and its pages'
 * data goes to the logic layer (src/baselib/automation.js) and its reply comes back as
 * View.automationReply. */
#include <stdlib.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"
#include "view/components.h"
#include "view/layout.h"
#include "view/modal.h"
#include "view/selector.h"
#include "view/view-internal.h"

/* Answers q with result (taken) as JSON text. */
static void answer_json(mprtc__view *view, mprtc__view_question *q, json_t *result) {
  char *text = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(result);
  q->answers_json = TRUE;
  mprtc__view_answer(view, q, 0, text);
  free(text);
}

static void answer_error(mprtc__view *view, mprtc__view_question *q, int err, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void answer_error(mprtc__view *view, mprtc__view_question *q, int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  mprtc__view_answer(view, q, err, text);
  g_free(text);
}

/* ---- elements ---------------------------------------------------------------------------------- */

/* {elementId, tagName} of n, which keeps its ID for as long as it is rendered. */
static json_t *describe(mprtc__view *view, mprtc__vnode *n) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  if (!st->element_id) st->element_id = ++view->next_element;
  char id[32];
  g_snprintf(id, sizeof id, "%" G_GUINT64_FORMAT, st->element_id);
  return json_pack("{s:s, s:s}", "elementId", id, "tagName", n->tag);
}

mprtc__vnode *mprtc__automation_element(mprtc__vnode *n, guint64 id) {
  if (!n->tag) return NULL;
  const mprtc__vstate *st = n->state;
  if (st && st->element_id == id) return n;
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *found = mprtc__automation_element(n->children->pdata[i], id);
    if (found) return found;
  }
  return NULL;
}

/* The elements under scope (scope itself not included, as querySelectorAll) that match params'
 * selector; NULL after answering q. */
static GPtrArray *query(mprtc__view *view, mprtc__view_question *q, mprtc__vnode *scope, const json_t *params) {
  const char *text = json_string_value(json_object_get(params, "selector"));
  char *error = NULL;
  size_t offset = 0;
  mprtc__selector *s = text ? mprtc__selector_parse(text, -1, &error, &offset) : NULL;
  if (!s) {
    answer_error(view, q, MPRTC_E_SYNTAX, "bad selector '%s': %s at %zu", text ? text : "", error ? error : "none given", offset);
    g_free(error);
    return NULL;
  }
  GPtrArray *all = mprtc__selector_query_all(s, scope);
  g_ptr_array_remove(all, scope);
  mprtc__selector_free(s);
  return all;
}

static void get_elements(mprtc__view *view, mprtc__view_question *q, mprtc__vnode *scope, const json_t *params,
                         gboolean first) {
  GPtrArray *found = query(view, q, scope, params);
  if (!found) return;
  if (first) {
    /* The client takes an error for "none" (Page.$ gives null). */
    if (found->len) answer_json(view, q, describe(view, found->pdata[0]));
    else answer_error(view, q, MPRTC_E_NOT_FOUND, "no element matches '%s'", json_string_value(json_object_get(params, "selector")));
  } else {
    json_t *list = json_array();
    for (guint i = 0; i < found->len; i++) json_array_append_new(list, describe(view, found->pdata[i]));
    answer_json(view, q, json_pack("{s:o}", "elements", list));
  }
  g_ptr_array_unref(found);
}

static void text_of(const mprtc__vnode *n, GString *out) {
  if (!n->tag) {
    g_string_append(out, n->text);
    return;
  }
  for (guint i = 0; i < n->children->len; i++) text_of(n->children->pdata[i], out);
}

static void append_escaped(GString *out, const char *text) {
  char *escaped = g_markup_escape_text(text, -1);
  g_string_append(out, escaped);
  g_free(escaped);
}

/* n as WXML: its tag and attributes as rendered (events and data-* are not attributes), then
 * its children; inner: the children only. */
static void wxml_of(const mprtc__vnode *n, GString *out, gboolean inner) {
  if (!n->tag) {
    append_escaped(out, n->text);
    return;
  }
  if (!inner) {
    g_string_append_printf(out, "<%s", n->tag);
    const char *k;
    json_t *v;
    json_object_foreach(n->attrs, k, v) {
      char *value = mprtc__js_string_of(v);
      g_string_append_printf(out, " %s=\"", k);
      append_escaped(out, value);
      g_string_append_c(out, '"');
      g_free(value);
    }
    g_string_append_c(out, '>');
  }
  for (guint i = 0; i < n->children->len; i++) wxml_of(n->children->pdata[i], out, FALSE);
  if (!inner) g_string_append_printf(out, "</%s>", n->tag);
}

static json_t *text_value(char *text) {
  json_t *v = text ? json_string(text) : json_null();
  g_free(text);
  return v;
}

static json_t *dom_property(mprtc__vnode *n, const char *name) {
  const mprtc__vstate *st = n->state;
  if (strcmp(name, "innerText") == 0 || strcmp(name, "textContent") == 0) {
    GString *text = g_string_new(NULL);
    text_of(n, text);
    return text_value(g_string_free(text, FALSE));
  }
  if (strcmp(name, "offsetWidth") == 0) return json_real(st ? st->w : 0);
  if (strcmp(name, "offsetHeight") == 0) return json_real(st ? st->h : 0);
  if (strcmp(name, "offsetLeft") == 0) return json_real(st ? st->x : 0);
  if (strcmp(name, "offsetTop") == 0) return json_real(st ? st->y : 0);
  if (strcmp(name, "tagName") == 0) return json_string(n->tag);
  return text_value(mprtc__vnode_attr_text(n, strcmp(name, "className") == 0 ? "class" : name));
}

/* {<names' key>: [the value of each name]} */
static json_t *values_of(mprtc__vnode *n, const json_t *params, const char *key, json_t *(*value)(mprtc__vnode *, const char *)) {
  json_t *names = json_object_get(params, "names"), *list = json_array();
  size_t i;
  json_t *name;
  json_array_foreach(names, i, name) json_array_append_new(list, json_is_string(name) ? value(n, json_string_value(name)) : json_null());
  return json_pack("{s:o}", key, list);
}

static json_t *attribute(mprtc__vnode *n, const char *name) { return text_value(mprtc__vnode_attr_text(n, name)); }

/* The component's properties: its attributes, and which of them there are ("__propPublic"). */
static json_t *property(mprtc__vnode *n, const char *name) {
  if (strcmp(name, "__propPublic") != 0) return json_incref(json_object_get(n->attrs, name) ? json_object_get(n->attrs, name) : json_null());
  json_t *names = json_object();
  const char *k;
  json_t *v;
  json_object_foreach(n->attrs, k, v) json_object_set_new(names, k, json_true());
  if (strcmp(n->tag, "input") == 0) json_object_set_new(names, "value", json_true());
  return names;
}

/* touchstart, touchend (and longpress when the touch lasted 350 ms, as the platform counts it). */
static void touch(mprtc__view *view, mprtc__view_question *q, mprtc__page *page, mprtc__vnode *n, gboolean start) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  gint64 now = g_get_monotonic_time();
  json_t *detail = json_pack("{s:i, s:i}", "x", 0, "y", 0);
  int sent = mprtc__view_dispatch(view, page, q, n, start ? "touchstart" : "touchend", detail, TRUE);
  if (start) st->touch_start_us = now;
  else if (st->touch_start_us && now - st->touch_start_us >= 350 * 1000)
    sent += mprtc__view_dispatch(view, page, q, n, "longpress", detail, TRUE);
  if (!start) st->touch_start_us = 0;
  json_decref(detail);
  q->pending_events = sent;
  if (!sent) mprtc__view_answer(view, q, 0, NULL);
}

static void element_request(mprtc__view *view, mprtc__view_question *q, const char *op, const json_t *params) {
  mprtc__page *page = mprtc__view_page_of(view, params);
  const char *id_text = json_string_value(json_object_get(params, "elementId"));
  guint64 id = id_text ? g_ascii_strtoull(id_text, NULL, 10) : 0;
  mprtc__vnode *n = page && page->root && id ? mprtc__automation_element(page->root, id) : NULL;
  if (!n) {
    answer_error(view, q, MPRTC_E_NOT_FOUND, page ? "element %s is no longer on its page" : "no page %s is open",
                 page ? (id_text ? id_text : "(none)") : "of that pageId");
    return;
  }
  if (strcmp(op, "getElement") == 0 || strcmp(op, "getElements") == 0) {
    get_elements(view, q, n, params, strcmp(op, "getElement") == 0);
  } else if (strcmp(op, "getDOMProperties") == 0) {
    answer_json(view, q, values_of(n, params, "properties", dom_property));
  } else if (strcmp(op, "getAttributes") == 0) {
    answer_json(view, q, values_of(n, params, "attributes", attribute));
  } else if (strcmp(op, "getProperties") == 0) {
    answer_json(view, q, values_of(n, params, "properties", property));
  } else if (strcmp(op, "getWXML") == 0) {
    GString *out = g_string_new(NULL);
    wxml_of(n, out, g_strcmp0(json_string_value(json_object_get(params, "type")), "outer") != 0);
    answer_json(view, q, json_pack("{s:s%}", "wxml", out->str, out->len));
    g_string_free(out, TRUE);
  } else if (strcmp(op, "getOffset") == 0) {
    const mprtc__vstate *st = n->state;
    answer_json(view, q, json_pack("{s:f, s:f}", "left", st ? st->x : 0.0, "top", st ? st->y : 0.0));
  } else if (strcmp(op, "tap") == 0) {
    mprtc__view_tap_element(view, q, page, n);
  } else if (strcmp(op, "touchstart") == 0 || strcmp(op, "touchend") == 0) {
    touch(view, q, page, n, op[5] == 's');
  } else if (strcmp(op, "triggerEvent") == 0) {
    const char *type = json_string_value(json_object_get(params, "type"));
    json_t *detail = json_object_get(params, "detail");
    if (!type || !*type) {
      answer_error(view, q, MPRTC_E_INVAL, "Element.triggerEvent takes {type, detail}");
      return;
    }
    /* An event triggered on an element is its own: it does not bubble. */
    mprtc__view_dispatch_waiting(view, page, q, n, type, detail ? json_incref(detail) : json_object(), FALSE);
  } else if (strcmp(op, "callFunction") == 0) {
    const char *fn = json_string_value(json_object_get(params, "functionName"));
    const char *value = json_string_value(json_array_get(json_object_get(params, "args"), 0));
    if (g_strcmp0(fn, "input.input") != 0 || !value) {
      answer_error(view, q, MPRTC_E_NOT_SUPPORTED, "Element.callFunction: only input.input(text) is supported, not %s",
                   fn ? fn : "(none)");
      return;
    }
    mprtc__view_type_into(view, q, page, n, "the element", value);
  } else {
    answer_error(view, q, MPRTC_E_NOT_SUPPORTED, "Element.%s is not supported by mprtc (docs/automation.md)", op);
  }
}

/* ---- pages and the app ------------------------------------------------------------------------- */

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int length) {
  g_byte_array_append(closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* {data: the window as a base64 PNG} */
static void screenshot(mprtc__view *view, mprtc__view_question *q) {
  cairo_surface_t *surface = mprtc__components_picture(view);
  GByteArray *png = g_byte_array_new();
  cairo_status_t status = cairo_surface_write_to_png_stream(surface, append_bytes, png);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    answer_error(view, q, MPRTC_E_IO, "cannot encode the screenshot: %s", cairo_status_to_string(status));
  } else {
    char *data = g_base64_encode(png->data, png->len);
    answer_json(view, q, json_pack("{s:s}", "data", data));
    g_free(data);
  }
  g_byte_array_unref(png);
}

/* Page.getWindowProperties: the few document properties of a page's size and scroll. */
static json_t *window_property(mprtc__view *view, mprtc__page *page, const char *name) {
  if (strcmp(name, "document.documentElement.scrollWidth") == 0) return json_real(view->width);
  if (strcmp(name, "document.documentElement.scrollHeight") == 0) return json_real(MAX(page->height, view->height));
  if (strcmp(name, "document.body.scrollTop") == 0 || strcmp(name, "document.documentElement.scrollTop") == 0)
    return json_integer(0); /* the page does not scroll: mprtc has no page scrolling yet */
  return json_null();
}

/* Tool.native {method}: what the user does outside the page. The dialog's buttons are the view's;
 * the back and home buttons are navigation, the logic layer's. */
static void native(mprtc__view *view, mprtc__view_question *q, const json_t *params);

/* To the logic layer, whose View.automationReply answers q. */
static void forward(mprtc__view *view, mprtc__view_question *q, const char *method, json_t *params) {
  if (!view->logic) {
    answer_error(view, q, MPRTC_E_INVALID_STATE, "the mini-program's logic layer is not running");
    return;
  }
  int64_t id = ++view->next_event;
  json_t *data = json_pack("{s:I, s:s, s:O}", "id", (json_int_t)id, "method", method, "params", params);
  size_t len;
  char *text = mprtc__event_encode(MPRTC__VIEW_TARGET, "automation", data, -1, &len);
  json_decref(data);
  if (!text) {
    answer_error(view, q, MPRTC_E_INVAL, "the request's params cannot be sent");
    return;
  }
  g_hash_table_insert(view->automation_calls, g_memdup2(&id, sizeof id), q);
  mprtc__bridge_send(view->logic, mprtc__message_new(text, len, NULL));
}

void mprtc__automation_ask(mprtc__view *view, mprtc__view_question *q) {
  /* A client may connect while the app still starts: it is answered once the first page is
   * ready, as DevTools answers once the project is open. */
  if (!view->launched) {
    g_ptr_array_add(view->automation_waiting, q);
    return;
  }
  const char *method = q->arg;
  json_error_t jerr;
  json_t *params = json_loads(q->value ? q->value : "{}", 0, &jerr);
  if (!json_is_object(params)) {
    answer_error(view, q, MPRTC_E_INVAL, "%s: params must be a JSON object", method);
    json_decref(params);
    return;
  }
  mprtc__page *page = mprtc__view_page_of(view, params);
  if (strcmp(method, "App.captureScreenshot") == 0) {
    screenshot(view, q);
  } else if (strcmp(method, "Tool.native") == 0) {
    native(view, q, params);
  } else if (g_str_has_prefix(method, "Element.")) {
    element_request(view, q, method + strlen("Element."), params);
  } else if (strcmp(method, "Page.getElement") == 0 || strcmp(method, "Page.getElements") == 0 ||
             strcmp(method, "Page.getWindowProperties") == 0) {
    if (!page || !page->root) {
      answer_error(view, q, MPRTC_E_NOT_FOUND, "no page of that pageId is open");
    } else if (strcmp(method, "Page.getWindowProperties") == 0) {
      json_t *names = json_object_get(params, "names"), *list = json_array();
      size_t i;
      json_t *name;
      json_array_foreach(names, i, name)
        json_array_append_new(list, json_is_string(name) ? window_property(view, page, json_string_value(name)) : json_null());
      answer_json(view, q, json_pack("{s:o}", "properties", list));
    } else {
      get_elements(view, q, page->root, params, strcmp(method, "Page.getElement") == 0);
    }
  } else if (g_str_has_prefix(method, "App.") || g_str_has_prefix(method, "Page.")) {
    forward(view, q, method, params);
  } else {
    answer_error(view, q, MPRTC_E_NOT_SUPPORTED, "unknown method '%s'", method);
  }
  json_decref(params);
}

static void native(mprtc__view *view, mprtc__view_question *q, const json_t *params) {
  const char *what = json_string_value(json_object_get(params, "method"));
  gboolean confirm = g_strcmp0(what, "confirmModal") == 0;
  if (confirm || g_strcmp0(what, "cancelModal") == 0) {
    mprtc__page *modal = mprtc__modal_page(view);
    json_t *selector = json_pack("{s:s}", "selector", confirm ? "#mprtc-modal-confirm" : "#mprtc-modal-cancel");
    GPtrArray *found = modal ? query(view, q, modal->root, selector) : NULL;
    json_decref(selector);
    if (!modal) answer_error(view, q, MPRTC_E_INVALID_STATE, "no dialog (wx.showModal) is shown");
    else if (found && !found->len) answer_error(view, q, MPRTC_E_NOT_FOUND, "the dialog has no cancel button (showCancel: false)");
    else if (found) mprtc__view_tap_element(view, q, modal, found->pdata[0]);
    if (found) g_ptr_array_unref(found);
  } else if (g_strcmp0(what, "navigateLeft") == 0 || g_strcmp0(what, "goHome") == 0) {
    json_t *none = json_object();
    forward(view, q, strcmp(what, "goHome") == 0 ? "App.goHome" : "App.navigateLeft", none);
    json_decref(none);
  } else {
    answer_error(view, q, MPRTC_E_NOT_SUPPORTED, "Tool.native %s is not supported by mprtc (docs/automation.md)", what ? what : "(none)");
  }
}

void mprtc__automation_launched(mprtc__view *view) {
  view->launched = TRUE;
  GPtrArray *waiting = view->automation_waiting;
  view->automation_waiting = g_ptr_array_new();
  for (guint i = 0; i < waiting->len; i++) mprtc__automation_ask(view, waiting->pdata[i]);
  g_ptr_array_unref(waiting);
}

void mprtc__automation_reply(mprtc__view *view, const json_t *params) {
  json_t *id = json_object_get(params, "id");
  if (!json_is_integer(id)) return;
  int64_t key = json_integer_value(id);
  mprtc__view_question *q = g_hash_table_lookup(view->automation_calls, &key);
  if (!q) return;
  g_hash_table_remove(view->automation_calls, &key);
  json_t *error = json_object_get(params, "error"), *result = json_object_get(params, "result");
  if (error) answer_error(view, q, MPRTC_E_OPERATION, "%s", json_is_string(error) ? json_string_value(error) : "failed");
  else answer_json(view, q, result ? json_incref(result) : json_object());
}

void mprtc__automation_event(mprtc__view *view, const json_t *params) {
  const char *method = json_string_value(json_object_get(params, "method"));
  json_t *event_params = json_object_get(params, "params");
  /* Only for a host that listens: nothing is queued for nobody. */
  if (!method || !json_is_object(event_params) || !view->app->automation.fn) return;
  mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_AUTOMATION);
  /* The method, a NUL, then the params' JSON, as a host call's. */
  char *text = json_dumps(event_params, JSON_COMPACT);
  n->text = g_strconcat(method, "|", text, NULL);
  n->text[strlen(method)] = '\0';
  free(text);
  mprtc__app_notify(view->app, n);
}
