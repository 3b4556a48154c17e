/* <webrtc-video> and <webrtc-audio> elements bound to the SDK's renderers: see media.h. */
#include "view/media.h"

#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "bridge/codec.h"
#include "sdk/media/frame-slot.h"
#include "view/layout.h"
#include "view/view-internal.h"

/* What the element asks of its renderer. */
typedef struct {
  char *stream_id; /* "" for none */
  gboolean muted;
  double volume;
} settings;

typedef struct {
  struct mprtc__component base;
  mprtc__view *view;
  mprtc__vnode *node;        /* borrowed: the component lives in the node's state (set at each sync) */
  int64_t page_id;
  gboolean video;
  int64_t slot_key;
  mprtc__frame_slot *slot;   /* a reference; the SDK's renderer holds another */
  int64_t renderer;          /* the renderer's object ID, 0 before Renderer.create answers */
  int64_t creating;          /* the seq of the Renderer.create in flight, or 0 */
  settings want, sent;       /* what the element says, what the renderer was told */
  gboolean warned;           /* the one warning for the stream ID it shows */
  gboolean refused;          /* the SDK refused the settings sent: not again until they change */
  cairo_surface_t *picture;  /* the latest frame as cairo takes it, at its own size */
  guint64 picture_serial;
  GstVideoConverter *converter; /* frames of converter_in to BGRx of the same size */
  GstVideoInfo converter_in;
  guint64 presented_serial;  /* the frame the presented window shows */
} media;

static void settings_clear(settings *s) {
  g_free(s->stream_id);
  s->stream_id = NULL;
}

static gboolean settings_equal(const settings *a, const settings *b) {
  return a->stream_id && b->stream_id && strcmp(a->stream_id, b->stream_id) == 0 && a->muted == b->muted &&
         a->volume == b->volume;
}

static void settings_copy(settings *to, const settings *from) {
  settings_clear(to);
  *to = *from;
  to->stream_id = g_strdup(from->stream_id);
}

/* ---- calls to the SDK ---- */

/* Sends method with params (taken) to the SDK; its seq (0 when the channel is closed). */
static int64_t call_sdk(mprtc__view *view, const char *method, int64_t target, json_t *params) {
  if (!view->sdk) {
    json_decref(params);
    return 0;
  }
  int64_t seq = ++view->sdk_seq;
  json_t *block = json_pack("{s:i, s:I, s:s, s:o}", "v", MPRTC__BRIDGE_VERSION, "seq", (json_int_t)seq, "method", method,
                            "params", params);
  if (target) json_object_set_new(block, "target", json_integer(target));
  char *text = json_dumps(block, JSON_COMPACT);
  json_decref(block);
  int err = mprtc__bridge_post(view->sdk, text, strlen(text), NULL);
  free(text);
  return err ? 0 : seq;
}

static json_t *settings_params(const settings *s) {
  return json_pack("{s:s, s:b, s:f}", "streamId", s->stream_id, "muted", s->muted, "volume", s->volume);
}

static const char *tag_of(const media *m) { return m->video ? "webrtc-video" : "webrtc-audio"; }

static void warn(media *m, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void warn(media *m, const char *fmt, ...) {
  if (m->warned) return;
  m->warned = TRUE;
  va_list ap;
  va_start(ap, fmt);
  char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *text = g_strdup_printf("<%s stream-id=\"%s\">: %s", tag_of(m), m->want.stream_id, what);
  mprtc__view_warn(m->view, text);
  g_free(text);
  g_free(what);
}

/* The renderer is told what the element says now (once it exists). */
static void push_settings(media *m) {
  if (m->creating) return; /* the reply pushes again */
  if (m->refused && settings_equal(&m->want, &m->sent)) return;
  m->refused = FALSE;
  if (!m->renderer) {
    json_t *params = settings_params(&m->want);
    json_object_set_new(params, "slot", json_integer(m->slot_key));
    json_object_set_new(params, "kind", json_string(m->video ? "video" : "audio"));
    /* The slot waits in the app record for the renderer to take it. */
    mprtc__app_put_slot(m->view->app, m->slot_key, mprtc__frame_slot_ref(m->slot),
                        (GDestroyNotify)mprtc__frame_slot_unref);
    m->creating = call_sdk(m->view, "Renderer.create", 0, params);
    if (m->creating) g_hash_table_insert(m->view->media_calls, g_memdup2(&m->creating, sizeof m->creating), m);
    settings_copy(&m->sent, &m->want);
    return;
  }
  if (settings_equal(&m->want, &m->sent)) return;
  int64_t seq = call_sdk(m->view, "Renderer.set", m->renderer, settings_params(&m->want));
  if (seq) g_hash_table_insert(m->view->media_calls, g_memdup2(&seq, sizeof seq), m);
  settings_copy(&m->sent, &m->want);
}

/* ---- the component ---- */

static void media_free(struct mprtc__component *c) {
  media *m = (media *)c;
  mprtc__view *view = m->view;
  /* Replies still to come find no element. */
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, view->media_calls);
  while (g_hash_table_iter_next(&it, NULL, &value))
    if (value == m) g_hash_table_iter_replace(&it, NULL);
  if (m->renderer) {
    g_hash_table_remove(view->renderers, &m->renderer);
    call_sdk(view, "Renderer.close", m->renderer, json_object());
  }
  mprtc__frame_slot_set_notify(m->slot, NULL, NULL); /* no frame wakes the view for it now */
  settings_clear(&m->want);
  settings_clear(&m->sent);
  mprtc__frame_slot_unref(m->slot);
  if (m->picture) cairo_surface_destroy(m->picture);
  if (m->converter) gst_video_converter_free(m->converter);
  g_free(m);
}

static json_t *media_describe(struct mprtc__component *c) {
  media *m = (media *)c;
  mprtc__frame_slot_state st;
  mprtc__frame_slot_get(m->slot, &st);
  json_t *out = json_pack("{s:s, s:b, s:i, s:i, s:I, s:f}", "streamId", m->want.stream_id, "bound", st.bound,
                          "videoWidth", st.width, "videoHeight", st.height, "framesRendered", (json_int_t)st.frames,
                          "audioLevel", round(st.audio_level * 10000) / 10000);
  if (!m->video && st.output) json_object_set_new(out, "output", json_string(st.output));
  mprtc__frame_slot_state_clear(&st);
  return out;
}

/* A boolean attribute: present without a value, or with a truthy one (but "false"). */
static gboolean flag(const mprtc__vnode *n, const char *name) {
  json_t *v = json_object_get(n->attrs, name);
  if (!v) return FALSE;
  if (json_is_string(v)) return strcmp(json_string_value(v), "false") != 0;
  return mprtc__js_truthy(v);
}

static void read_attrs(media *m, const mprtc__vnode *n) {
  json_t *id = json_object_get(n->attrs, "stream-id");
  char *stream_id = id && !json_is_null(id) ? mprtc__js_string_of(id) : g_strdup("");
  if (!m->want.stream_id || strcmp(stream_id, m->want.stream_id) != 0) m->warned = FALSE;
  g_free(m->want.stream_id);
  m->want.stream_id = stream_id;
  m->want.muted = flag(n, "muted");
  json_t *volume = json_object_get(n->attrs, "volume");
  double v = volume ? mprtc__js_number(volume) : 1;
  m->want.volume = isnan(v) ? 1 : CLAMP(v, 0, 1);
}

static void sync_node(mprtc__view *view, mprtc__page *page, mprtc__vnode *n) {
  mprtc__vstate *st = mprtc__vstate_of(n);
  media *m = (media *)st->component;
  if (!m) {
    static gint next_slot_key;
    m = g_new0(media, 1);
    m->base.free = media_free;
    m->base.describe = media_describe;
    m->view = view;
    m->page_id = page->id;
    m->video = strcmp(n->tag, "webrtc-video") == 0;
    m->slot = mprtc__frame_slot_new();
    m->slot_key = g_atomic_int_add(&next_slot_key, 1) + 1; /* unique in the process: apps share the SDK */
    st->component = &m->base;
    /* A presented window is painted again when a frame comes. */
    if (view->present && m->video) mprtc__frame_slot_set_notify(m->slot, mprtc__view_schedule_paint, view);
  }
  m->node = n;
  read_attrs(m, n);
  push_settings(m);
}

static void sync_tree(mprtc__view *view, mprtc__page *page, mprtc__vnode *n) {
  if (n->tag && (strcmp(n->tag, "webrtc-video") == 0 || strcmp(n->tag, "webrtc-audio") == 0)) sync_node(view, page, n);
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *child = n->children->pdata[i];
    if (child->tag) sync_tree(view, page, child);
  }
}

void mprtc__media_sync(mprtc__view *view, mprtc__page *page) {
  if (page->root) sync_tree(view, page, page->root);
}

/* ---- what the SDK says ---- */

/* The element's event for its page's handlers (they do not bubble, as on the platform). */
static void fire(media *m, const char *type, json_t *detail) {
  mprtc__page *page = g_hash_table_lookup(m->view->pages, &m->page_id);
  if (page) mprtc__view_dispatch(m->view, page, NULL, m->node, type, detail, FALSE);
  json_decref(detail);
}

static void on_reply(mprtc__view *view, const json_t *msg) {
  json_t *seq = json_object_get(msg, "seq");
  if (!json_is_integer(seq)) return;
  int64_t key = json_integer_value(seq);
  gpointer stored_key = NULL, value = NULL;
  if (!g_hash_table_steal_extended(view->media_calls, &key, &stored_key, &value)) return;
  g_free(stored_key);
  media *m = value;
  json_t *result = json_object_get(msg, "result"), *error = json_object_get(msg, "error");
  json_t *id = json_object_get(result, "id");
  if (!m) {
    /* The element went while its renderer was being made. */
    if (json_is_integer(id)) call_sdk(view, "Renderer.close", json_integer_value(id), json_object());
    return;
  }
  if (error) {
    const char *message = json_string_value(json_object_get(error, "message"));
    if (m->creating == key) m->creating = 0;
    m->refused = TRUE;
    warn(m, "%s", message ? message : "the SDK refused it");
    fire(m, "error", json_pack("{s:s}", "errMsg", message ? message : "error"));
    return;
  }
  if (m->creating == key) {
    m->creating = 0;
    if (json_is_integer(id)) {
      m->renderer = json_integer_value(id);
      g_hash_table_insert(view->renderers, g_memdup2(&m->renderer, sizeof m->renderer), m);
    }
  }
  if (!json_is_true(json_object_get(result, "bound")) && *m->sent.stream_id)
    warn(m, "no stream of this ID (yet): it shows %s until one appears", m->video ? "black" : "nothing");
  push_settings(m); /* what changed while the call was in flight */
}

static void on_event(mprtc__view *view, const json_t *msg) {
  json_t *target = json_object_get(msg, "target"), *data = json_object_get(msg, "data");
  int64_t id = json_integer_value(target);
  media *m = g_hash_table_lookup(view->renderers, &id);
  const char *event = json_string_value(json_object_get(msg, "event"));
  const char *about = json_string_value(json_object_get(data, "streamId"));
  /* News of a stream the element has left since (its Renderer.set on the way) are old. */
  if (!m || !event || !about || strcmp(about, m->sent.stream_id) != 0) return;
  data = json_deep_copy(data);
  json_object_del(data, "streamId");
  if (strcmp(event, "ended") == 0) warn(m, "the stream ended: it shows %s", m->video ? "black" : "nothing");
  if (strcmp(event, "play") == 0 || strcmp(event, "resize") == 0 || strcmp(event, "ended") == 0 ||
      strcmp(event, "error") == 0)
    fire(m, event, json_incref(data));
  json_decref(data);
}

void mprtc__media_deliver(mprtc__message *msg, void *data) {
  mprtc__view *view = data;
  json_t *parsed = json_loadb(msg->text, msg->len, 0, NULL);
  if (!json_is_object(parsed)) {
    json_decref(parsed);
    return;
  }
  if (json_object_get(parsed, "event")) on_event(view, parsed);
  else on_reply(view, parsed);
  json_decref(parsed);
}

/* ---- painting ---- */

static void damage_tree(mprtc__vnode *n, gboolean *any, double *x0, double *y0, double *x1, double *y1) {
  mprtc__vstate *st = n->state;
  if (!st) return;
  media *m = (media *)st->component;
  if (m && m->video && st->shown) {
    mprtc__frame_slot_state s;
    mprtc__frame_slot_get(m->slot, &s);
    if (s.serial != m->presented_serial) {
      m->presented_serial = s.serial;
      *x0 = *any ? MIN(*x0, st->x) : st->x;
      *y0 = *any ? MIN(*y0, st->y) : st->y;
      *x1 = *any ? MAX(*x1, st->x + st->w) : st->x + st->w;
      *y1 = *any ? MAX(*y1, st->y + st->h) : st->y + st->h;
      *any = TRUE;
    }
    mprtc__frame_slot_state_clear(&s);
  }
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *child = n->children->pdata[i];
    if (child->tag) damage_tree(child, any, x0, y0, x1, y1);
  }
}

gboolean mprtc__media_damage(mprtc__page *page, double *x0, double *y0, double *x1, double *y1) {
  gboolean any = FALSE;
  if (page->root) damage_tree(page->root, &any, x0, y0, x1, y1);
  return any;
}

/* The latest frame as a cairo surface of its own size, converted once per frame by a converter
 * kept while the frames' format stays (making one builds its tables). Converting at the frame's
 * size takes GStreamer's fast path; pixman scales it when it is drawn. NULL when there is no
 * frame. */
static cairo_surface_t *picture_of(media *m) {
  mprtc__frame_slot_state st;
  mprtc__frame_slot_get(m->slot, &st);
  if (!st.latest) {
    mprtc__frame_slot_state_clear(&st);
    return NULL;
  }
  if (m->picture && st.serial == m->picture_serial) {
    mprtc__frame_slot_state_clear(&st);
    return m->picture;
  }
  if (m->picture) cairo_surface_destroy(m->picture);
  m->picture = NULL;
  m->picture_serial = st.serial;
  GstVideoInfo in;
  GstVideoFrame from, to;
  if (gst_video_info_from_caps(&in, gst_sample_get_caps(st.latest)) &&
      gst_video_frame_map(&from, &in, gst_sample_get_buffer(st.latest), GST_MAP_READ)) {
    int out_w = in.width, out_h = in.height;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, out_w, out_h);
    GstVideoInfo out;
    /* cairo's RGB24 is a native-endian 0xXXRRGGBB word. */
    gst_video_info_set_format(&out, G_BYTE_ORDER == G_LITTLE_ENDIAN ? GST_VIDEO_FORMAT_BGRx : GST_VIDEO_FORMAT_xRGB,
                              out_w, out_h);
    out.fps_n = in.fps_n, out.fps_d = in.fps_d, out.par_n = in.par_n, out.par_d = in.par_d;
    out.stride[0] = cairo_image_surface_get_stride(s);
    out.size = (gsize)out.stride[0] * out_h;
    if (!m->converter || !gst_video_info_is_equal(&m->converter_in, &in)) {
      if (m->converter) gst_video_converter_free(m->converter);
      m->converter = gst_video_converter_new(&in, &out, gst_structure_new("options",
          GST_VIDEO_CONVERTER_OPT_DITHER_METHOD, GST_TYPE_VIDEO_DITHER_METHOD, GST_VIDEO_DITHER_NONE, NULL));
      m->converter_in = in;
    }
    GstBuffer *wrapped = gst_buffer_new_wrapped_full(0, cairo_image_surface_get_data(s), out.size, 0, out.size, NULL, NULL);
    if (m->converter && gst_video_frame_map(&to, &out, wrapped, GST_MAP_WRITE)) {
      gst_video_converter_frame(m->converter, &from, &to);
      gst_video_frame_unmap(&to);
      cairo_surface_mark_dirty(s);
      m->picture = s;
    } else {
      cairo_surface_destroy(s);
    }
    gst_buffer_unref(wrapped);
    gst_video_frame_unmap(&from);
  }
  mprtc__frame_slot_state_clear(&st);
  return m->picture;
}

void mprtc__media_paint(mprtc__vnode *n, cairo_t *cr, double x, double y, double w, double h) {
  mprtc__vstate *st = n->state;
  media *m = st ? (media *)st->component : NULL;
  if (!m || !m->video || w <= 0 || h <= 0) return;
  mprtc__frame_slot_state frame;
  mprtc__frame_slot_get(m->slot, &frame);
  double pw = frame.width, ph = frame.height;
  mprtc__frame_slot_state_clear(&frame);
  if (pw <= 0 || ph <= 0) return;
  json_t *fit = json_object_get(n->attrs, "object-fit");
  const char *mode = json_is_string(fit) ? json_string_value(fit) : "contain";
  double sx = w / pw, sy = h / ph;
  if (strcmp(mode, "fill") != 0) sx = sy = strcmp(mode, "cover") == 0 ? MAX(sx, sy) : MIN(sx, sy);
  /* Scaled by pixman's bilinear filter: a third of the CPU of scaling in the converter, and far
   * less than cairo's GOOD filter. */
  double dw = pw * sx, dh = ph * sy;
  cairo_surface_t *picture = picture_of(m);
  if (!picture) return;
  int out_w = cairo_image_surface_get_width(picture), out_h = cairo_image_surface_get_height(picture);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  if (flag(n, "mirror")) {
    cairo_translate(cr, 2 * x + w, 0);
    cairo_scale(cr, -1, 1);
  }
  cairo_translate(cr, x + (w - dw) / 2, y + (h - dh) / 2);
  cairo_scale(cr, dw / out_w, dh / out_h);
  cairo_set_source_surface(cr, picture, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
  cairo_paint(cr);
  cairo_restore(cr);
}
