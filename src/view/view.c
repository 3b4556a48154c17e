/* The view layer's thread, its end of the logic layer's channel, and the methods the logic layer
 * calls: see view.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/package.h"
#include "bridge/codec.h"
#include "mprtc/error.h"
#include "view/components.h"
#include "view/image.h"
#include "view/media.h"
#include "view/modal.h"
#include "view/paint.h"
#include "view/toast.h"
#include "view/view-internal.h"

typedef enum { ITEM_REQUEST, ITEM_DETACH, ITEM_QUESTION } item_kind;

typedef struct {
  item_kind kind;
  mprtc__bridge *channel;          /* REQUEST, DETACH: a reference */
  mprtc__message *msg;             /* REQUEST */
  mprtc__view_question *question;  /* QUESTION */
} view_item;

static void question_free(mprtc__view_question *q) {
  g_free(q->arg);
  g_free(q->value);
  g_free(q);
}

static void item_free(gpointer p) {
  view_item *item = p;
  if (item->channel) mprtc__bridge_unref(item->channel);
  mprtc__message_free(item->msg);
  if (item->question) question_free(item->question);
  g_free(item);
}

/* ---- answers to the host ---------------------------------------------------------------------- */

typedef struct {
  mprtc_view_done_fn done;
  void *user_data;
  int err;
  char *text;
} answer;

void mprtc__view_answer_deliver(mprtc_app *app, void *payload) {
  answer *a = payload;
  a->done(app, a->err, a->text, a->user_data);
}

static void answer_free(void *payload) {
  answer *a = payload;
  g_free(a->text);
  g_free(a);
}

void mprtc__view_answer(mprtc__view *view, mprtc__view_question *q, int err, const char *text) {
  g_ptr_array_remove(view->questions, q);
  /* An automation client gets JSON: a tap's "no handler" is for people. */
  if (q->kind == MPRTC__VIEW_AUTOMATE && err == 0 && !q->answers_json) text = "{}";
  if (q->done) {
    answer *a = g_new0(answer, 1);
    a->done = q->done;
    a->user_data = q->user_data;
    a->err = err;
    a->text = g_strdup(text);
    mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_VIEW);
    n->payload = a;
    /* An answer the host never gets (the app went first) is just freed. */
    n->drop = answer_free;
    mprtc__app_notify(view->app, n);
  }
  question_free(q);
}

/* ---- replies to the logic layer --------------------------------------------------------------- */

void mprtc__view_reply(mprtc__bridge *channel, int64_t seq, json_t *result) {
  size_t len;
  char *text = mprtc__reply_result_encode(seq, result, -1, &len);
  json_decref(result);
  if (text) mprtc__bridge_send(channel, mprtc__message_new(text, len, NULL));
}

static void reply_error(mprtc__bridge *channel, int64_t seq, int err, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void reply_error(mprtc__bridge *channel, int64_t seq, int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  size_t len;
  char *text = mprtc__reply_error_encode(seq, err, message, NULL, &len);
  g_free(message);
  if (text) mprtc__bridge_send(channel, mprtc__message_new(text, len, NULL));
}

/* The logic layer's console gets the view's warnings: they are the app's. */
void mprtc__view_warn(mprtc__view *view, const char *text) {
  mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_LOG);
  n->level = MPRTC_LOG_WARN;
  n->text = g_strconcat("[view] ", text, NULL);
  n->len = strlen(n->text);
  if (view->app->log.fn) {
    mprtc__app_notify(view->app, n);
  } else {
    fprintf(stderr, "%s\n", n->text);
    mprtc__notice_free(n);
  }
}

static void flush_warnings(mprtc__view *view) {
  GPtrArray *warnings = mprtc__wxml_set_take_warnings(view->wxml);
  for (guint i = 0; i < warnings->len; i++) mprtc__view_warn(view, warnings->pdata[i]);
  g_ptr_array_unref(warnings);
  for (guint i = 0; i < view->cascade.warnings->len; i++) mprtc__view_warn(view, view->cascade.warnings->pdata[i]);
  g_ptr_array_set_size(view->cascade.warnings, 0);
}

/* A stylesheet of the package; a missing file is an empty sheet. */
static mprtc__wxss *load_sheet(mprtc__view *view, const char *path) {
  size_t len = 0;
  char *error = NULL;
  char *text = mprtc__view_read_file(path, &len, &error, view);
  g_free(error);
  mprtc__wxss *sheet = mprtc__wxss_parse(path, text ? text : "", text ? len : 0, mprtc__view_read_file, view);
  g_free(text);
  for (guint i = 0; i < sheet->warnings->len; i++) g_ptr_array_add(view->cascade.warnings, g_strdup(sheet->warnings->pdata[i]));
  return sheet;
}

/* ---- the presented window ---------------------------------------------------------------------- */

#define PAINT_INTERVAL_US (G_USEC_PER_SEC / 60)

static gboolean paint_now(gpointer data);

/* View thread: paints what changed since the last paint into the window. */
static void present(mprtc__view *view) {
  mprtc__page *page = view->current;
  double x0 = 0, y0 = 0, x1 = view->width, y1 = view->height;
  gboolean whole = view->page_changed || !view->screen;
  if (!page) return;
  if (!view->screen)
    view->screen = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(view->width * view->pixel_ratio),
                                              (int)ceil(view->height * view->pixel_ratio));
  /* Every video's frame is shown by a whole repaint too. */
  double vx0, vy0, vx1, vy1;
  gboolean videos = mprtc__media_damage(page, &vx0, &vy0, &vx1, &vy1);
  if (!whole) {
    if (!videos) return;
    x0 = vx0, y0 = vy0, x1 = vx1, y1 = vy1;
  }
  view->page_changed = FALSE;
  mprtc__paint_window_region(view->screen, page->root, view->width, view->height, view->pixel_ratio, x0, y0, x1 - x0,
                             y1 - y0, mprtc__components_paint, view);
  mprtc__modal_paint(view, view->screen, x0, y0, x1 - x0, y1 - y0);
  mprtc__toast_paint(view, view->screen, x0, y0, x1 - x0, y1 - y0);
  view->paints++;
}

static gboolean paint_now(gpointer data) {
  mprtc__view *view = data;
  gint64 now = g_get_monotonic_time();
  if (now - view->last_paint_us < PAINT_INTERVAL_US) {
    /* Not more often than a screen refreshes: the rest of the interval first. */
    GSource *later = g_timeout_source_new((guint)((PAINT_INTERVAL_US - (now - view->last_paint_us)) / 1000 + 1));
    g_source_set_callback(later, paint_now, view, NULL);
    g_source_attach(later, view->context);
    g_source_unref(later);
    return G_SOURCE_REMOVE;
  }
  /* Frames that come while this paint runs ask for the next one. */
  g_atomic_int_set(&view->paint_scheduled, 0);
  view->last_paint_us = now;
  present(view);
  return G_SOURCE_REMOVE;
}

void mprtc__view_schedule_paint(void *data) {
  mprtc__view *view = data;
  if (!view->present || !g_atomic_int_compare_and_exchange(&view->paint_scheduled, 0, 1)) return;
  GSource *source = g_idle_source_new();
  g_source_set_callback(source, paint_now, view, NULL);
  g_source_attach(source, view->context);
  g_source_unref(source);
}

static void page_changed(mprtc__view *view) {
  view->page_changed = TRUE;
  mprtc__view_schedule_paint(view);
}

void mprtc__view_overlay_changed(mprtc__view *view) { page_changed(view); }

guint mprtc__view_render(mprtc__view *view, mprtc__page *page) {
  guint changes = mprtc__page_render(page, view->wxml);
  view->cascade.sheets[0] = view->app_sheet;
  mprtc__page_layout(page, &view->cascade, mprtc__components_intrinsic, view);
  mprtc__media_sync(view, page);
  flush_warnings(view);
  if (page == view->current) page_changed(view);
  return changes;
}

/* ---- the methods ------------------------------------------------------------------------------- */

mprtc__page *mprtc__view_page_of(mprtc__view *view, const json_t *params) {
  json_t *id = json_object_get(params, "pageId");
  if (!json_is_integer(id)) return NULL;
  int64_t key = json_integer_value(id);
  return g_hash_table_lookup(view->pages, &key);
}

static void show(mprtc__view *view, mprtc__page *page) {
  view->current = page;
  page_changed(view);
  mprtc__view_check_waiting(view);
}

static void create_page(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  json_t *id = json_object_get(req->params, "pageId"), *path = json_object_get(req->params, "path");
  json_t *query = json_object_get(req->params, "query"), *data = json_object_get(req->params, "data");
  if (!json_is_integer(id) || !json_is_string(path) || (query && !json_is_object(query)) || !json_is_object(data)) {
    reply_error(channel, req->seq, MPRTC_E_INVAL, "View.createPage takes {pageId, path, query, data}");
    return;
  }
  const char *p = json_string_value(path);
  int64_t key = json_integer_value(id);
  if (!mprtc__manifest_has_page(view->manifest, p)) {
    reply_error(channel, req->seq, MPRTC_E_NOT_FOUND, "'%s' is not a page of app.json", p);
    return;
  }
  if (g_hash_table_contains(view->pages, &key)) {
    reply_error(channel, req->seq, MPRTC_E_INVAL, "page %" G_GINT64_FORMAT " exists already", key);
    return;
  }
  char *file = g_strconcat(p, ".wxml", NULL);
  char *error = NULL;
  const mprtc__wxml *wxml = mprtc__wxml_set_load(view->wxml, file, &error);
  g_free(file);
  flush_warnings(view);
  if (!wxml) {
    reply_error(channel, req->seq, MPRTC_E_SYNTAX, "%s", error);
    g_free(error);
    return;
  }
  if (!view->app_sheet) view->app_sheet = load_sheet(view, "app.wxss");
  char *sheet_path = g_strconcat(p, ".wxss", NULL);
  mprtc__wxss *sheet = load_sheet(view, sheet_path);
  g_free(sheet_path);
  mprtc__page *page = mprtc__page_new(key, p, query, data, json_object_get(view->manifest->page_windows, p), wxml, sheet);
  g_hash_table_insert(view->pages, g_memdup2(&key, sizeof key), page);
  mprtc__view_render(view, page);
  show(view, page);
  mprtc__view_reply(channel, req->seq, json_object());
}

static void set_data(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__page *page = mprtc__view_page_of(view, req->params);
  json_t *updates = json_object_get(req->params, "updates");
  if (!page || !json_is_array(updates)) {
    reply_error(channel, req->seq, page ? MPRTC_E_INVAL : MPRTC_E_NOT_FOUND,
                page ? "View.setData takes {pageId, updates: [[path segments, value], ...]}" : "no such page");
    return;
  }
  size_t i;
  json_t *u;
  json_array_foreach(updates, i, u) {
    char *error = NULL;
    if (!json_is_array(u) || json_array_size(u) != 2 ||
        !mprtc__page_apply(page, json_array_get(u, 0), json_array_get(u, 1), &error)) {
      reply_error(channel, req->seq, MPRTC_E_INVAL, "update %zu: %s", i, error ? error : "not [segments, value]");
      g_free(error);
      return;
    }
  }
  guint changes = mprtc__view_render(view, page);
  if (page == view->current) mprtc__view_check_waiting(view);
  mprtc__view_reply(channel, req->seq, json_pack("{s:I}", "changes", (json_int_t)changes));
}

static void show_page(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__page *page = mprtc__view_page_of(view, req->params);
  if (!page) {
    reply_error(channel, req->seq, MPRTC_E_NOT_FOUND, "no such page");
    return;
  }
  show(view, page);
  mprtc__view_reply(channel, req->seq, json_object());
}

static void destroy_page(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__page *page = mprtc__view_page_of(view, req->params);
  if (!page) {
    reply_error(channel, req->seq, MPRTC_E_NOT_FOUND, "no such page");
    return;
  }
  if (view->current == page) view->current = NULL;
  g_hash_table_remove(view->pages, &page->id);
  page_changed(view);
  mprtc__view_reply(channel, req->seq, json_object());
}

/* View.showToast {title, icon, duration}: the logic layer checked them (src/baselib/toast.js). */
static void show_toast(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  json_t *title = json_object_get(req->params, "title"), *icon = json_object_get(req->params, "icon");
  json_t *duration = json_object_get(req->params, "duration");
  const char *i = json_string_value(icon);
  if (!json_is_string(title) || !i || !json_is_integer(duration) || json_integer_value(duration) < 0 ||
      json_integer_value(duration) > G_MAXINT ||
      (strcmp(i, "success") != 0 && strcmp(i, "error") != 0 && strcmp(i, "loading") != 0 && strcmp(i, "none") != 0)) {
    reply_error(channel, req->seq, MPRTC_E_INVAL, "View.showToast takes {title, icon: success|error|loading|none, duration}");
    return;
  }
  mprtc__toast_show(view, json_string_value(title), i, (int)json_integer_value(duration));
  mprtc__view_reply(channel, req->seq, json_object());
}

static void hide_toast(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__toast_hide(view);
  mprtc__view_reply(channel, req->seq, json_object());
}

/* View.showModal: answered when the user taps one of the dialog's buttons (src/view/modal.h). */
static void show_modal(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  char *error = NULL;
  if (!mprtc__modal_request(view, channel, req->seq, req->params, &error)) {
    reply_error(channel, req->seq, MPRTC_E_INVAL, "%s", error);
    g_free(error);
  }
}

static void automation_reply(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__automation_reply(view, req->params);
  mprtc__view_reply(channel, req->seq, json_object());
}

static void automation_event(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__automation_event(view, req->params);
  mprtc__view_reply(channel, req->seq, json_object());
}

/* The first page is ready: automation requests asked before it are answered now. */
static void launched(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__view_reply(channel, req->seq, json_object());
  mprtc__automation_launched(view);
}

/* wx.exitMiniProgram: the host hears it and closes the app. */
static void exit_app(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__app_notify(view->app, mprtc__notice_new(MPRTC__NOTICE_EXIT));
  mprtc__view_reply(channel, req->seq, json_object());
}

static void event_done(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req) {
  mprtc__view_event_done(view, req->params);
  mprtc__view_reply(channel, req->seq, json_object());
}

static const struct {
  const char *name;
  void (*fn)(mprtc__view *view, mprtc__bridge *channel, const mprtc__request *req);
} methods[] = {
    {"View.createPage", create_page}, {"View.setData", set_data},       {"View.showPage", show_page},
    {"View.destroyPage", destroy_page}, {"View.eventDone", event_done},
    {"View.showToast", show_toast},     {"View.hideToast", hide_toast},   {"View.showModal", show_modal},
    {"View.automationReply", automation_reply}, {"View.automationEvent", automation_event}, {"View.exit", exit_app},
    {"View.launched", launched},
};

static void handle_request(mprtc__view *view, mprtc__bridge *channel, mprtc__message *msg) {
  mprtc__request req;
  char errmsg[MPRTC__ERRMSG_MAX];
  int err = mprtc__request_decode(msg->text, msg->len, msg->bytes ? (int64_t)g_bytes_get_size(msg->bytes) : -1, &req, errmsg);
  if (err) {
    reply_error(channel, req.seq, err, "%s", errmsg);
    return;
  }
  if (!view->logic) view->logic = mprtc__bridge_ref(channel);
  gboolean found = FALSE;
  if (strcmp(req.app, view->app->id) != 0) {
    reply_error(channel, req.seq, MPRTC_E_APP_MISMATCH, "a call block may only name its own app");
    found = TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS(methods) && !found; i++) {
    if (strcmp(req.method, methods[i].name) == 0) {
      methods[i].fn(view, channel, &req);
      found = TRUE;
    }
  }
  if (!found) reply_error(channel, req.seq, MPRTC_E_UNKNOWN_METHOD, "unknown method '%s'", req.method);
  mprtc__request_clear(&req);
}

/* ---- the thread --------------------------------------------------------------------------------- */

static void handle_items(GPtrArray *items, void *data) {
  mprtc__view *view = data;
  for (guint i = 0; i < items->len; i++) {
    view_item *item = items->pdata[i];
    switch (item->kind) {
      case ITEM_REQUEST: handle_request(view, item->channel, item->msg); break;
      case ITEM_DETACH:
        if (view->logic == item->channel) {
          mprtc__bridge_unref(view->logic);
          view->logic = NULL;
        }
        break;
      case ITEM_QUESTION:
        g_ptr_array_add(view->questions, item->question);
        mprtc__view_ask(view, g_steal_pointer(&item->question));
        break;
    }
  }
}

static void push(mprtc__view *view, view_item *item) { mprtc__mailbox_push(view->inbox, item); }

static void submit(void *data, mprtc__bridge *channel, mprtc__message *msg) {
  view_item *item = g_new0(view_item, 1);
  item->kind = ITEM_REQUEST;
  item->channel = mprtc__bridge_ref(channel);
  item->msg = msg;
  push(data, item);
}

static void detach(void *data, mprtc__bridge *channel) {
  view_item *item = g_new0(view_item, 1);
  item->kind = ITEM_DETACH;
  item->channel = mprtc__bridge_ref(channel);
  push(data, item);
}

const mprtc__endpoint mprtc__view_endpoint = {submit, detach};

void mprtc__view_query(mprtc__view *view, mprtc__view_query_kind kind, const char *arg, const char *value,
                       mprtc_view_done_fn done, void *user_data) {
  view_item *item = g_new0(view_item, 1);
  item->kind = ITEM_QUESTION;
  item->question = g_new0(mprtc__view_question, 1);
  item->question->kind = kind;
  item->question->arg = g_strdup(arg);
  item->question->value = g_strdup(value);
  item->question->done = done;
  item->question->user_data = user_data;
  push(view, item);
}

/* WXML and WXSS files come from the package, and from nowhere else. */
char *mprtc__view_read_file(const char *path, size_t *len, char **error, void *data) {
  mprtc__view *view = data;
  int err;
  char *resolved = mprtc__package_resolve(view->app->root, path, &err, error);
  if (!resolved) return NULL;
  char *text = NULL;
  gsize n = 0;
  GError *e = NULL;
  if (!g_file_get_contents(resolved, &text, &n, &e)) {
    *error = g_strdup(e->message);
    g_error_free(e);
  }
  g_free(resolved);
  *len = n;
  return text;
}

static void page_free(gpointer p) { mprtc__page_free(p); }

static gpointer view_thread(gpointer data) {
  mprtc__view *view = data;
  g_main_context_push_thread_default(view->context);
  /* A channel's client end lives on its client thread: this one. */
  view->sdk = mprtc__bridge_new(view->sdk_endpoint, view->sdk_data, view->app->id, mprtc__app_ref(view->app),
                                (GDestroyNotify)mprtc__app_unref, view->context, &view->loop, mprtc__media_deliver, view);
  mprtc__loop_run(&view->loop);
  /* Teardown on the view thread: its state is its own. */
  for (guint i = view->questions->len; i > 0; i--)
    mprtc__view_answer(view, view->questions->pdata[i - 1], MPRTC_E_CLOSED, "the app closed");
  g_hash_table_remove_all(view->pages);
  view->current = NULL;
  mprtc__toast_free(view);
  mprtc__modal_free(view);
  /* The SDK closes the renderers still open with the channel. */
  mprtc__bridge_close(view->sdk);
  view->sdk = NULL;
  if (view->logic) mprtc__bridge_unref(view->logic);
  view->logic = NULL;
  mprtc__mailbox_free(view->inbox);
  view->inbox = NULL;
  while (g_main_context_iteration(view->context, FALSE)) {
  }
  g_main_context_pop_thread_default(view->context);
  return NULL;
}

int mprtc__view_new(mprtc_app *app, mprtc__manifest *manifest, int width, int height, double pixel_ratio,
                    const mprtc__endpoint *sdk, void *sdk_data, mprtc__view **out) {
  mprtc__view *view = g_new0(mprtc__view, 1);
  view->app = mprtc__app_ref(app);
  view->manifest = manifest;
  view->width = width;
  view->height = height;
  view->pixel_ratio = pixel_ratio;
  view->context = g_main_context_new();
  view->inbox = mprtc__mailbox_new(view->context, handle_items, view, item_free);
  mprtc__loop_init(&view->loop, view->context, NULL);
  view->wxml = mprtc__wxml_set_new(mprtc__view_read_file, view);
  view->images = mprtc__images_new(mprtc__view_read_file, view);
  view->cascade.window_width = width;
  view->cascade.window_height = height;
  view->cascade.warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  view->cascade.warnings = g_ptr_array_new_with_free_func(g_free);
  view->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, page_free);
  view->waiting = g_ptr_array_new();
  view->events = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  view->questions = g_ptr_array_new();
  view->start_us = g_get_monotonic_time();
  view->sdk_endpoint = sdk;
  view->sdk_data = sdk_data;
  view->present = (app->flags & MPRTC_APP_PRESENT) != 0;
  view->media_calls = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  view->renderers = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  view->automation_calls = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  view->automation_waiting = g_ptr_array_new();
  GError *error = NULL;
  view->thread = g_thread_try_new("mprtc-view", view_thread, view, &error);
  if (!view->thread) {
    g_error_free(error);
    mprtc__view_free(view);
    return MPRTC_E_THREAD;
  }
  *out = view;
  return 0;
}

void mprtc__view_free(mprtc__view *view) {
  if (!view) return;
  if (view->thread) {
    mprtc__loop_quit(&view->loop);
    g_thread_join(view->thread);
  } else {
    mprtc__mailbox_free(view->inbox);
  }
  mprtc__wxml_set_free(view->wxml);
  mprtc__images_free(view->images);
  mprtc__wxss_free(view->app_sheet);
  g_hash_table_unref(view->cascade.warned);
  g_ptr_array_unref(view->cascade.warnings);
  g_hash_table_unref(view->pages);
  g_ptr_array_unref(view->waiting);
  g_hash_table_unref(view->events);
  g_ptr_array_unref(view->questions);
  g_hash_table_unref(view->media_calls);
  g_hash_table_unref(view->renderers);
  g_hash_table_unref(view->automation_calls);
  g_ptr_array_unref(view->automation_waiting);
  if (view->screen) cairo_surface_destroy(view->screen);
  g_main_context_unref(view->context);
  mprtc__manifest_free(view->manifest);
  mprtc__app_unref(view->app);
  g_free(view);
}
