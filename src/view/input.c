/* A user's input on the current page, as the host gives it (a tap, typed text), turned into the
 * platform's events for the page's handlers; and the host's waiting for an element. */
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"
#include "view/components.h"
#include "view/layout.h"
#include "view/modal.h"
#include "view/selector.h"
#include "view/view-internal.h"

/* The first element that matches s in page, or NULL. */
static mprtc__vnode *find(const mprtc__selector *s, mprtc__page *page) {
  mprtc__vnode *found = NULL;
  if (page && page->root) {
    GPtrArray *all = mprtc__selector_query_all(s, page->root);
    if (all->len) found = all->pdata[0];
    g_ptr_array_unref(all);
  }
  return found;
}

/* The first element that matches q's selector where the user's input goes (the dialog of
 * wx.showModal while one is shown: it takes every tap), with its page in *page; or, with
 * anywhere, in the dialog or the page under it (what a host waits for may be either). NULL,
 * after answering q with why not if answer_if_none. */
static mprtc__vnode *target_of(mprtc__view *view, mprtc__view_question *q, gboolean answer_if_none, gboolean anywhere,
                               mprtc__page **page) {
  char *error = NULL;
  size_t offset = 0;
  mprtc__selector *s = mprtc__selector_parse(q->arg, -1, &error, &offset);
  if (!s) {
    char *text = g_strdup_printf("bad selector '%s': %s at %zu", q->arg, error, offset);
    mprtc__view_answer(view, q, MPRTC_E_SYNTAX, text);
    g_free(text);
    g_free(error);
    return NULL;
  }
  mprtc__page *modal = mprtc__modal_page(view);
  mprtc__page *top = modal ? modal : view->current;
  mprtc__vnode *found = find(s, top);
  if (!found && anywhere && modal) found = find(s, top = view->current);
  if (page) *page = top;
  if (!found && answer_if_none) {
    char *text = modal && find(s, view->current)
                     ? g_strdup_printf("'%s' is under the dialog of wx.showModal, which takes every tap until answered", q->arg)
                     : g_strdup_printf("no element of %s matches '%s'", view->current ? view->current->path : "the view (no page)",
                                       q->arg);
    mprtc__view_answer(view, q, MPRTC_E_NOT_FOUND, text);
    g_free(text);
  }
  mprtc__selector_free(s);
  return found;
}

/* {id, dataset} of an element, as event.target and event.currentTarget carry it. */
static json_t *event_target(const mprtc__vnode *n) {
  json_t *id = json_object_get(n->attrs, "id");
  char *id_text = id ? mprtc__js_string_of(id) : g_strdup("");
  json_t *t = json_pack("{s:s, s:O}", "id", id_text, "dataset", n->dataset);
  g_free(id_text);
  return t;
}

int mprtc__view_dispatch(mprtc__view *view, mprtc__page *page, mprtc__view_question *q, mprtc__vnode *target,
                         const char *type, json_t *detail, gboolean bubbles) {
  int sent = 0;
  gboolean caught = FALSE;
  double stamp = (double)(g_get_monotonic_time() - view->start_us) / 1000.0;
  for (mprtc__vnode *n = target; n && n->tag && !caught; n = bubbles ? n->parent : NULL) {
    for (guint i = 0; i < n->events->len && !caught; i++) {
      const mprtc__vevent *e = n->events->pdata[i];
      if (strcmp(e->type, type) != 0) continue;
      caught = e->catch_;
      if (!*e->handler || !view->logic) continue;
      int64_t id = ++view->next_event;
      json_t *event = json_pack("{s:s, s:f, s:o, s:o, s:O}", "type", type, "timeStamp", stamp, "target", event_target(target),
                                "currentTarget", event_target(n), "detail", detail);
      json_t *data = json_pack("{s:I, s:I, s:s, s:o}", "pageId", (json_int_t)page->id, "eventId", (json_int_t)id,
                               "handler", e->handler, "event", event);
      size_t len;
      char *text = mprtc__event_encode(MPRTC__VIEW_TARGET, "event", data, -1, &len);
      json_decref(data);
      if (!text) continue;
      mprtc__bridge_send(view->logic, mprtc__message_new(text, len, NULL));
      if (q) g_hash_table_insert(view->events, g_memdup2(&id, sizeof id), q);
      sent++;
    }
  }
  return sent;
}

void mprtc__view_dispatch_waiting(mprtc__view *view, mprtc__page *page, mprtc__view_question *q, mprtc__vnode *target,
                                  const char *type, json_t *detail, gboolean bubbles) {
  q->pending_events = mprtc__view_dispatch(view, page, q, target, type, detail, bubbles);
  json_decref(detail);
  if (q->pending_events == 0) mprtc__view_answer(view, q, 0, "no handler");
}

static gboolean disabled(const mprtc__vnode *n) {
  return mprtc__js_truthy(json_object_get(n->attrs, "disabled"));
}

void mprtc__view_tap_element(mprtc__view *view, mprtc__view_question *q, mprtc__page *page, mprtc__vnode *target) {
  if (page == mprtc__modal_page(view)) {
    mprtc__view_answer(view, q, 0, mprtc__modal_tap(view, target) ? NULL : "no handler");
    return;
  }
  /* A disabled button takes no taps; the tap still happened, it just does nothing. */
  if (disabled(target)) {
    mprtc__view_answer(view, q, 0, "disabled");
    return;
  }
  mprtc__view_dispatch_waiting(view, page, q, target, "tap", json_pack("{s:i, s:i}", "x", 0, "y", 0), TRUE);
}

static void tap(mprtc__view *view, mprtc__view_question *q) {
  mprtc__page *page;
  mprtc__vnode *target = target_of(view, q, TRUE, FALSE, &page);
  if (target) mprtc__view_tap_element(view, q, page, target);
}

/* Whether target (named what) takes typing: an enabled <input>; otherwise q is answered. */
static gboolean takes_typing(mprtc__view *view, mprtc__view_question *q, mprtc__vnode *target, const char *what) {
  if (strcmp(target->tag, "input") != 0) {
    char *text = g_strdup_printf("'%s' is a <%s>, not an <input>", what, target->tag);
    mprtc__view_answer(view, q, MPRTC_E_INVAL, text);
    g_free(text);
    return FALSE;
  }
  if (disabled(target)) {
    mprtc__view_answer(view, q, 0, "disabled");
    return FALSE;
  }
  return TRUE;
}

/* The first <input> q's selector matches, enabled, with its page in *page; NULL after answering
 * q. */
static mprtc__vnode *input_target(mprtc__view *view, mprtc__view_question *q, mprtc__page **page) {
  mprtc__vnode *target = target_of(view, q, TRUE, FALSE, page);
  return target && takes_typing(view, q, target, q->arg) ? target : NULL;
}

void mprtc__view_type_into(mprtc__view *view, mprtc__view_question *q, mprtc__page *page, mprtc__vnode *target,
                           const char *what, const char *value) {
  if (!takes_typing(view, q, target, what)) return;
  /* What the user typed shows at once, and stays until the page sets the value itself. */
  mprtc__vstate *st = mprtc__vstate_of(target);
  if (!st->typed) {
    json_t *bound = json_object_get(target->attrs, "value");
    st->typed_over = bound ? json_incref(bound) : NULL;
  }
  g_free(st->typed);
  st->typed = g_strdup(value);
  if (q->kind == MPRTC__VIEW_AUTOMATE && st->element_id) {
    q->typed_page = page->id;
    q->typed_element = st->element_id;
  }
  json_object_set_new(target->attrs, "value", json_string(value));
  json_t *detail = json_pack("{s:s, s:i, s:i}", "value", value, "cursor", (int)g_utf8_strlen(value, -1), "keyCode", 0);
  mprtc__view_dispatch_waiting(view, page, q, target, "input", detail, TRUE);
}

static void input(mprtc__view *view, mprtc__view_question *q) {
  mprtc__page *page;
  mprtc__vnode *target = target_of(view, q, TRUE, FALSE, &page);
  if (target) mprtc__view_type_into(view, q, page, target, q->arg, q->value);
}

static void confirm(mprtc__view *view, mprtc__view_question *q) {
  mprtc__page *page;
  mprtc__vnode *target = input_target(view, q, &page);
  if (!target) return;
  char *value = mprtc__vnode_attr_text(target, "value");
  json_t *detail = json_pack("{s:s}", "value", value ? value : "");
  g_free(value);
  mprtc__view_dispatch_waiting(view, page, q, target, "confirm", detail, TRUE);
}

void mprtc__view_event_done(mprtc__view *view, const json_t *params) {
  json_t *id = json_object_get(params, "eventId");
  if (!json_is_integer(id)) return;
  int64_t key = json_integer_value(id);
  mprtc__view_question *q = NULL;
  gpointer stored_key = NULL;
  if (!g_hash_table_steal_extended(view->events, &key, &stored_key, (gpointer *)&q)) return;
  g_free(stored_key);
  /* An input handler's returned string becomes the input's value. */
  json_t *value = json_object_get(params, "value");
  mprtc__vnode *target = NULL;
  if (q && json_is_string(value)) {
    if (q->kind == MPRTC__VIEW_INPUT && view->current) {
      target = target_of(view, q, FALSE, FALSE, NULL);
    } else if (q->typed_element) {
      mprtc__page *page = g_hash_table_lookup(view->pages, &q->typed_page);
      target = page && page->root ? mprtc__automation_element(page->root, q->typed_element) : NULL;
    }
  }
  if (target) {
    mprtc__vstate *st = mprtc__vstate_of(target);
    if (st->typed) {
      g_free(st->typed);
      st->typed = g_strdup(json_string_value(value));
    }
    json_object_set(target->attrs, "value", value);
  }
  if (q && --q->pending_events == 0) mprtc__view_answer(view, q, 0, NULL);
}

void mprtc__view_check_waiting(mprtc__view *view) {
  for (guint i = 0; i < view->waiting->len;) {
    mprtc__view_question *q = view->waiting->pdata[i];
    if (target_of(view, q, FALSE, TRUE, NULL)) {
      g_ptr_array_remove_index(view->waiting, i);
      mprtc__view_answer(view, q, 0, NULL);
    } else {
      i++;
    }
  }
}

void mprtc__view_ask(mprtc__view *view, mprtc__view_question *q) {
  switch (q->kind) {
    case MPRTC__VIEW_DUMP: {
      json_t *dump = view->current ? mprtc__view_dump_page(view, view->current) : json_null();
      char *text = json_dumps(dump, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
      json_decref(dump);
      mprtc__view_answer(view, q, 0, text);
      free(text);
      break;
    }
    case MPRTC__VIEW_SNAPSHOT: {
      char *error = NULL;
      int err = mprtc__components_snapshot(view, q->arg, &error);
      mprtc__view_answer(view, q, err, error);
      g_free(error);
      break;
    }
    case MPRTC__VIEW_WAIT: {
      /* A bad selector is answered at once. */
      char *error = NULL;
      size_t offset;
      mprtc__selector *s = mprtc__selector_parse(q->arg, -1, &error, &offset);
      if (!s) {
        target_of(view, q, TRUE, FALSE, NULL);
        g_free(error);
        break;
      }
      mprtc__selector_free(s);
      g_ptr_array_add(view->waiting, q);
      mprtc__view_check_waiting(view);
      break;
    }
    case MPRTC__VIEW_TAP: tap(view, q); break;
    case MPRTC__VIEW_INPUT: input(view, q); break;
    case MPRTC__VIEW_CONFIRM: confirm(view, q); break;
    case MPRTC__VIEW_AUTOMATE: mprtc__automation_ask(view, q); break;
  }
}
