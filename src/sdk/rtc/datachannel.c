/* RTCDataChannel on the SDK thread: a GstWebRTCDataChannel of a connection's webrtcbin.
 *
 *   RTCDataChannel.send  {text}, or {binary: true} with the bytes attached -> {bufferedAmount}
 *   RTCDataChannel.setBufferedAmountLowThreshold  {threshold} -> null
 *   RTCDataChannel.close  -> null (the "closing" and "close" events follow)
 * Events: open {streamId}, message {text} or {binary: true} with the bytes attached, error
 * {message}, closing {},
 * close {}, bufferedamountlow {bufferedAmount}. After "close" the object is gone.
 *
 * Every signal of a data channel runs with webrtcbin's lock held: reading any property there
 * deadlocks. The handlers copy their arguments and post them to the SDK thread.
 */
#include <string.h>

#include "sdk/core/signals.h"
#include "sdk/rtc/rtc.h"

struct mprtc__dc {
  gint refcount;
  mprtc__sdk *sdk;
  GstWebRTCDataChannel *channel;
  mprtc__object *obj;  /* SDK thread: set by mprtc__dc_register */
  GArray *handlers;    /* gulong ids, disconnected on close */
  /* SDK thread: messages sent while webrtcbin's channel was still connecting. A channel the
   * peer created is open for JS at once (webrtc-pc), before webrtcbin has acknowledged it. */
  GQueue early;        /* queued_msg* */
  guint64 early_bytes;
  gboolean open_sent;  /* SDK thread: "open" went to JS */
};

typedef struct {
  gboolean is_text;
  GBytes *bytes; /* the text without its NUL, or the binary data */
} queued_msg;

static void queued_msg_free(gpointer p) {
  queued_msg *q = p;
  g_bytes_unref(q->bytes);
  g_free(q);
}

static gboolean send_now(mprtc__dc *dc, gboolean is_text, GBytes *bytes, GError **error) {
  /* An empty message is sent as NULL: webrtcbin refuses a GBytes with no data pointer. */
  if (!is_text)
    return gst_webrtc_data_channel_send_data_full(dc->channel, g_bytes_get_size(bytes) ? bytes : NULL, error);
  gsize n;
  const char *data = g_bytes_get_data(bytes, &n);
  char *text = g_strndup(data, n);
  gboolean ok = gst_webrtc_data_channel_send_string_full(dc->channel, text, error);
  g_free(text);
  return ok;
}

/* SDK thread: webrtcbin's channel is open; send what waited for it, in order. */
static void flush_early(mprtc__dc *dc) {
  queued_msg *q;
  while ((q = g_queue_pop_head(&dc->early))) {
    GError *error = NULL;
    if (!send_now(dc, q->is_text, q->bytes, &error) && dc->obj) {
      mprtc__object_emit(dc->obj, "error", json_pack("{s:s}", "message", error ? error->message : "send failed"));
    }
    g_clear_error(&error);
    queued_msg_free(q);
  }
  dc->early_bytes = 0;
}

static mprtc__dc *dc_ref(mprtc__dc *dc) {
  g_atomic_int_inc(&dc->refcount);
  return dc;
}

void mprtc__dc_unref(mprtc__dc *dc) {
  if (!dc || !g_atomic_int_dec_and_test(&dc->refcount)) return;
  g_array_unref(dc->handlers);
  g_queue_clear_full(&dc->early, queued_msg_free);
  gst_object_unref(dc->channel);
  g_free(dc);
}

/* ---- signals: copy, post, emit on the SDK thread ---------------------------------------------- */

typedef enum { EV_OPEN, EV_CLOSE, EV_ERROR, EV_TEXT, EV_BINARY, EV_LOW, EV_STATE } dc_event;

typedef struct {
  mprtc__dc *dc;
  dc_event kind;
  char *text;    /* EV_TEXT, EV_ERROR */
  GBytes *bytes; /* EV_BINARY */
} dc_msg;

static void dc_msg_free(void *p) {
  dc_msg *m = p;
  g_free(m->text);
  if (m->bytes) g_bytes_unref(m->bytes);
  mprtc__dc_unref(m->dc);
  g_free(m);
}

/* SDK thread: webrtcbin's channel is open (told by on-open or by its ready-state, whichever
 * comes first): flush what waited and tell JS, once. */
static void emit_open(mprtc__dc *dc, mprtc__object *obj) {
  if (dc->open_sent) return;
  dc->open_sent = TRUE;
  gint id = -1;
  g_object_get(dc->channel, "id", &id, NULL);
  flush_early(dc);
  mprtc__object_emit(obj, "open", id >= 0 ? json_pack("{s:i}", "streamId", id) : json_object());
}

static void emit_dc_event(mprtc__object *unused, void *data) {
  dc_msg *m = data;
  mprtc__object *obj = m->dc->obj;
  if (!obj || obj->closed) return;
  GstWebRTCDataChannel *ch = m->dc->channel;
  switch (m->kind) {
    case EV_OPEN:
      emit_open(m->dc, obj);
      break;
    case EV_CLOSE:
      mprtc__object_emit(obj, "close", json_object());
      /* Closed for good: no event afterwards, and the object is released. */
      mprtc__registry_close(m->dc->sdk->registry, obj);
      break;
    case EV_ERROR:
      mprtc__object_emit(obj, "error", json_pack("{s:s}", "message", m->text ? m->text : "data channel error"));
      break;
    case EV_TEXT:
      mprtc__object_emit(obj, "message", json_pack("{s:s}", "text", m->text));
      break;
    case EV_BINARY:
      /* The bytes go beside the event as they came from webrtcbin: no copy, no base64. */
      mprtc__object_emit_bytes(obj, "message", json_pack("{s:b}", "binary", 1),
                               m->bytes ? g_bytes_ref(m->bytes) : g_bytes_new(NULL, 0));
      break;
    case EV_LOW: {
      guint64 amount = 0;
      g_object_get(ch, "buffered-amount", &amount, NULL);
      mprtc__object_emit(obj, "bufferedamountlow", json_pack("{s:I}", "bufferedAmount", (json_int_t)amount));
      break;
    }
    case EV_STATE: {
      GstWebRTCDataChannelState state;
      g_object_get(ch, "ready-state", &state, NULL);
      if (state == GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING) mprtc__object_emit(obj, "closing", json_object());
      /* A channel the peer created turns open without on-open, and under load webrtcbin 1.22
       * can set a local channel open without emitting on-open: the state is what counts. */
      if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) emit_open(m->dc, obj);
      break;
    }
  }
}

static void post_event(mprtc__dc *dc, dc_event kind, char *text, GBytes *bytes) {
  dc_msg *m = g_new0(dc_msg, 1);
  m->dc = dc_ref(dc);
  m->kind = kind;
  m->text = text;
  m->bytes = bytes;
  mprtc__sdk_post(dc->sdk, NULL, emit_dc_event, m, dc_msg_free);
}

static void on_open(GstWebRTCDataChannel *ch, gpointer dc) { post_event(dc, EV_OPEN, NULL, NULL); }
static void on_close(GstWebRTCDataChannel *ch, gpointer dc) { post_event(dc, EV_CLOSE, NULL, NULL); }
static void on_error(GstWebRTCDataChannel *ch, GError *error, gpointer dc) {
  post_event(dc, EV_ERROR, g_strdup(error ? error->message : NULL), NULL);
}
static void on_text(GstWebRTCDataChannel *ch, gchar *text, gpointer dc) {
  post_event(dc, EV_TEXT, g_strdup(text ? text : ""), NULL);
}
static void on_data(GstWebRTCDataChannel *ch, GBytes *bytes, gpointer dc) {
  post_event(dc, EV_BINARY, NULL, bytes ? g_bytes_ref(bytes) : NULL);
}
static void on_low(GstWebRTCDataChannel *ch, gpointer dc) { post_event(dc, EV_LOW, NULL, NULL); }
static void on_state(GObject *ch, GParamSpec *pspec, gpointer dc) { post_event(dc, EV_STATE, NULL, NULL); }

mprtc__dc *mprtc__dc_wrap(mprtc__sdk *sdk, GstWebRTCDataChannel *channel) {
  mprtc__dc *dc = g_new0(mprtc__dc, 1);
  dc->refcount = 1;
  dc->sdk = sdk;
  dc->channel = gst_object_ref(channel);
  dc->handlers = g_array_new(FALSE, FALSE, sizeof(gulong));
  static const mprtc__signal signals[] = {
      {"on-open", G_CALLBACK(on_open)},
      {"on-close", G_CALLBACK(on_close)},
      {"on-error", G_CALLBACK(on_error)},
      {"on-message-string", G_CALLBACK(on_text)},
      {"on-message-data", G_CALLBACK(on_data)},
      {"on-buffered-amount-low", G_CALLBACK(on_low)},
      {"notify::ready-state", G_CALLBACK(on_state)},
  };
  mprtc__signals_connect(dc->channel, signals, G_N_ELEMENTS(signals), dc, (gpointer (*)(gpointer))dc_ref,
                         (GDestroyNotify)mprtc__dc_unref, dc->handlers);
  return dc;
}

static void dc_close(mprtc__object *obj) {
  mprtc__dc *dc = obj->impl;
  /* Posted events still queued hold the dc, not the object: they must find no object now. */
  dc->obj = NULL;
  mprtc__signals_disconnect(dc->channel, dc->handlers);
}

static void dc_finalize(void *impl) { mprtc__dc_unref(impl); }

const mprtc__object_class mprtc__dc_class = {"RTCDataChannel", dc_close, dc_finalize};

mprtc__object *mprtc__dc_register(mprtc__pc *pc, mprtc__dc *dc) {
  mprtc__object *obj = mprtc__registry_add(pc->sdk->registry, pc->obj->app, pc->obj->channel,
                                           &mprtc__dc_class, dc);
  dc->obj = obj;
  g_ptr_array_add(pc->channels, mprtc__object_ref(obj));
  /* webrtcbin may have opened the channel between creating it and our handlers being
   * connected (a fast DCEP acknowledgement): then no signal will tell, so look. */
  GstWebRTCDataChannelState state;
  g_object_get(dc->channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) post_event(dc, EV_OPEN, NULL, NULL);
  return obj;
}

void mprtc__dc_close_quietly(mprtc__object *obj) {
  mprtc__registry_close(((mprtc__dc *)obj->impl)->sdk->registry, obj);
}

static json_t *int_or_null(gint v) { return v >= 0 ? json_integer(v) : json_null(); }

static const char *ready_state_name(GstWebRTCDataChannelState s) {
  switch (s) {
    case GST_WEBRTC_DATA_CHANNEL_STATE_OPEN: return "open";
    case GST_WEBRTC_DATA_CHANNEL_STATE_CLOSING: return "closing";
    case GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED: return "closed";
    default: return "connecting";
  }
}

json_t *mprtc__dc_describe(mprtc__object *obj) {
  mprtc__dc *dc = obj->impl;
  gchar *label = NULL, *protocol = NULL;
  gboolean ordered = TRUE, negotiated = FALSE;
  gint lifetime = -1, retransmits = -1, id = -1;
  GstWebRTCDataChannelState state;
  g_object_get(dc->channel, "label", &label, "protocol", &protocol, "ordered", &ordered,
               "negotiated", &negotiated, "max-packet-lifetime", &lifetime, "max-retransmits",
               &retransmits, "id", &id, "ready-state", &state, NULL);
  json_t *j = json_pack("{s:I,s:s,s:s,s:b,s:b,s:o,s:o,s:o,s:s}", "id", (json_int_t)obj->id,
                        "label", label ? label : "", "protocol", protocol ? protocol : "",
                        "ordered", ordered, "negotiated", negotiated, "maxPacketLifeTime",
                        int_or_null(lifetime), "maxRetransmits", int_or_null(retransmits),
                        "streamId", int_or_null(id), "readyState", ready_state_name(state));
  g_free(label);
  g_free(protocol);
  return j;
}

/* ---- handlers -------------------------------------------------------------------------------- */

static void dc_send(mprtc__call *call) {
  mprtc__dc *dc = call->object->impl;
  static const char *const allowed[] = {"text", "binary", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  json_t *t = json_object_get(call->req.params, "text");
  json_t *b = json_object_get(call->req.params, "binary");
  const char *text = json_string_value(t);
  GBytes *bytes = NULL;
  if (text && !b && !call->bytes) {
    bytes = g_bytes_new(text, json_string_length(t));
  } else if (json_is_true(b) && !t && call->bytes) {
    bytes = call->bytes;
    call->bytes = NULL;
  }
  if (!bytes) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: exactly one of 'text' (a string) or 'binary' (true, the bytes "
                       "attached) is required", call->req.method);
    return;
  }
  GstWebRTCDataChannelState state;
  g_object_get(dc->channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_CONNECTING) {
    queued_msg *q = g_new(queued_msg, 1);
    q->is_text = text != NULL;
    q->bytes = bytes;
    dc->early_bytes += g_bytes_get_size(bytes);
    g_queue_push_tail(&dc->early, q);
    mprtc__call_return(call, json_pack("{s:I}", "bufferedAmount", (json_int_t)dc->early_bytes));
    return;
  }
  GError *error = NULL;
  gboolean ok = send_now(dc, text != NULL, bytes, &error);
  g_bytes_unref(bytes);
  if (!ok) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: %s", call->req.method,
                       error ? error->message : "webrtcbin refused the message");
    g_clear_error(&error);
    return;
  }
  guint64 amount = 0;
  g_object_get(dc->channel, "buffered-amount", &amount, NULL);
  mprtc__call_return(call, json_pack("{s:I}", "bufferedAmount", (json_int_t)amount));
}

static void dc_set_threshold(mprtc__call *call) {
  mprtc__dc *dc = call->object->impl;
  json_int_t threshold = -1;
  if (!mprtc__call_int_param(call, "threshold", 0, G_MAXUINT32, &threshold)) return;
  if (threshold < 0) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'threshold' is required", call->req.method);
    return;
  }
  g_object_set(dc->channel, "buffered-amount-low-threshold", (guint64)threshold, NULL);
  mprtc__call_return(call, NULL);
}

static void dc_close_call(mprtc__call *call) {
  mprtc__dc *dc = call->object->impl;
  gst_webrtc_data_channel_close(dc->channel);
  mprtc__call_return(call, NULL);
}

static const mprtc__method methods[] = {
    {"RTCDataChannel.send", "RTCDataChannel", dc_send},
    {"RTCDataChannel.setBufferedAmountLowThreshold", "RTCDataChannel", dc_set_threshold},
    {"RTCDataChannel.close", "RTCDataChannel", dc_close_call},
};

const mprtc__sdk_module mprtc__datachannel_module = {.name = "datachannel", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
