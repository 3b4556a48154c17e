/* RTCPeerConnection.getStats: webrtcbin's statistics as W3C webrtc-stats dictionaries, with
 * what webrtcbin 1.22 leaves out filled in by the SDK.
 *
 *   RTCPeerConnection.getStats  {} -> {stats: {id: RTCStats}}
 * Every RTCStats has type (the W3C name), id and timestamp (ms of the monotonic clock the logic
 * layer's performance.now() counts from; the base library moves it to that time base). Fields are
 * camelCase. inbound-rtp, outbound-rtp and media-source carry "_transceiver" (the SDK's
 * transceiver index) for the base library, which strips it.
 *
 * What the SDK adds to webrtcbin's: bytes on candidate pairs and transports (counted by probes on
 * the ICE transport's elements from the moment a description is set), the pair's state,
 * nominated and currentRoundTripTime (the RTCP round trip of that transport: libnice does not
 * time its checks), dtlsState and iceState, frame counts and sizes, kinds and codecs
 * (src/sdk/rtc/rtp-stats.c), and the right type on candidates (1.22 swaps local and remote).
 *
 * Thread rules: SDK thread, except the byte probes (streaming threads, atomics).
 */
#include <string.h>

#include "sdk/rtc/rtp-internal.h"

/* ---- bytes at the ICE level ------------------------------------------------------------------- */

typedef struct {
  guint64 sent, received;
  guint64 packets_sent, packets_received;
} ice_bytes;

#define ICE_BYTES_KEY "mprtc-ice-bytes"

static void count_buffer(ice_bytes *b, GstBuffer *buf, gboolean sent) {
  guint64 n = gst_buffer_get_size(buf);
  __atomic_fetch_add(sent ? &b->sent : &b->received, n, __ATOMIC_RELAXED);
  __atomic_fetch_add(sent ? &b->packets_sent : &b->packets_received, 1, __ATOMIC_RELAXED);
}

static gboolean count_sent_in_list(GstBuffer **buf, guint idx, gpointer b) {
  count_buffer(b, *buf, TRUE);
  return TRUE;
}

static gboolean count_received_in_list(GstBuffer **buf, guint idx, gpointer b) {
  count_buffer(b, *buf, FALSE);
  return TRUE;
}

static GstPadProbeReturn count_bytes(GstPadProbeInfo *info, ice_bytes *b, gboolean sent) {
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    count_buffer(b, GST_PAD_PROBE_INFO_BUFFER(info), sent);
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach(GST_PAD_PROBE_INFO_BUFFER_LIST(info), sent ? count_sent_in_list : count_received_in_list, b);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn count_sent(GstPad *pad, GstPadProbeInfo *info, gpointer b) { return count_bytes(info, b, TRUE); }

static GstPadProbeReturn count_received(GstPad *pad, GstPadProbeInfo *info, gpointer b) {
  return count_bytes(info, b, FALSE);
}

static void probe(GstElement *element, const char *pad_name, GstPadProbeCallback fn, ice_bytes *b) {
  GstPad *pad = element ? gst_element_get_static_pad(element, pad_name) : NULL;
  if (!pad) return;
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, fn, g_atomic_rc_box_acquire(b),
                    (GDestroyNotify)g_atomic_rc_box_release);
  gst_object_unref(pad);
}

/* The ICE transport under a DTLS transport (new reference), or NULL. */
static GstWebRTCICETransport *ice_of(GstWebRTCDTLSTransport *dtls) {
  GstWebRTCICETransport *ice = NULL;
  if (dtls) g_object_get(dtls, "transport", &ice, NULL);
  return ice;
}

/* Calls fn on each distinct DTLS transport of the connection (RTP and SCTP). */
static void foreach_dtls(mprtc__pc *pc, void (*fn)(GstWebRTCDTLSTransport *dtls, void *data), void *data) {
  GPtrArray *seen = g_ptr_array_new_with_free_func(gst_object_unref);
  GArray *all = NULL;
  g_signal_emit_by_name(pc->webrtc, "get-transceivers", &all);
  for (guint i = 0; all && i < all->len; i++) {
    GstWebRTCRTPSender *sender = NULL;
    GstWebRTCDTLSTransport *dtls = NULL;
    g_object_get(g_array_index(all, GstWebRTCRTPTransceiver *, i), "sender", &sender, NULL);
    if (sender) g_object_get(sender, "transport", &dtls, NULL);
    if (dtls) g_ptr_array_add(seen, dtls);
    if (sender) gst_object_unref(sender);
  }
  if (all) g_array_unref(all);
  GstWebRTCSCTPTransport *sctp = NULL;
  g_object_get(pc->webrtc, "sctp-transport", &sctp, NULL);
  if (sctp) {
    GstWebRTCDTLSTransport *dtls = NULL;
    g_object_get(sctp, "transport", &dtls, NULL);
    if (dtls) g_ptr_array_add(seen, dtls);
    gst_object_unref(sctp);
  }
  for (guint i = 0; i < seen->len; i++) {
    gboolean dup = FALSE;
    for (guint k = 0; k < i; k++) dup |= seen->pdata[k] == seen->pdata[i];
    if (!dup) fn(seen->pdata[i], data);
  }
  g_ptr_array_unref(seen);
}

static void watch_one(GstWebRTCDTLSTransport *dtls, void *unused) {
  GstWebRTCICETransport *ice = ice_of(dtls);
  if (!ice) return;
  if (!g_object_get_data(G_OBJECT(ice), ICE_BYTES_KEY)) {
    ice_bytes *b = g_atomic_rc_box_new0(ice_bytes);
    probe(ice->sink, "sink", count_sent, b);
    probe(ice->src, "src", count_received, b);
    g_object_set_data_full(G_OBJECT(ice), ICE_BYTES_KEY, b, (GDestroyNotify)g_atomic_rc_box_release);
  }
  gst_object_unref(ice);
}

void mprtc__stats_watch_transports(mprtc__pc *pc) {
  if (pc->webrtc) foreach_dtls(pc, watch_one, NULL);
}

/* ---- webrtcbin's structure to W3C dictionaries ----------------------------------------------- */

/* webrtcbin fields that are not W3C's (or are GStreamer internals). */
static gboolean internal_field(const char *name) {
  static const char *const names[] = {"have-rb", "have-sr", "internal", "codec-type", "recv-fir-count",
                                      "recv-pli-count", "recv-nack-count", "sent-fir-count", "sent-pli-count",
                                      "sent-nack-count", "octets-sent", "octets-received", "packets-duplicated",
                                      "clock-rate-value", NULL};
  if (g_str_has_prefix(name, "gst-") || g_str_has_prefix(name, "rb-") || g_str_has_prefix(name, "sr-")) return TRUE;
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0) return TRUE;
  return FALSE;
}

/* "packets-received" -> "packetsReceived". */
static char *camel_case(const char *name) {
  GString *out = g_string_new(NULL);
  for (const char *p = name; *p; p++) {
    if (*p == '-' && p[1]) g_string_append_c(out, g_ascii_toupper(*++p));
    else g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

static json_t *value_json(const GValue *v) {
  GType t = G_VALUE_TYPE(v);
  if (t == G_TYPE_STRING) return g_value_get_string(v) ? json_string(g_value_get_string(v)) : NULL;
  if (t == G_TYPE_INT) return json_integer(g_value_get_int(v));
  if (t == G_TYPE_UINT) return json_integer(g_value_get_uint(v));
  if (t == G_TYPE_INT64) return json_integer(g_value_get_int64(v));
  if (t == G_TYPE_UINT64) return json_integer((json_int_t)MIN(g_value_get_uint64(v), (guint64)G_MAXINT64));
  if (t == G_TYPE_DOUBLE) return json_real(g_value_get_double(v));
  if (t == G_TYPE_BOOLEAN) return json_boolean(g_value_get_boolean(v));
  return NULL;
}

static const char *type_name(GstWebRTCStatsType type) {
  GEnumValue *v = g_enum_get_value(g_type_class_peek(GST_TYPE_WEBRTC_STATS_TYPE), type);
  return v ? v->value_nick : NULL;
}

static json_t *dictionary(const GstStructure *s) {
  json_t *out = json_object();
  GstWebRTCStatsType type = 0;
  gst_structure_get(s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL);
  const char *name = type_name(type);
  if (!name) {
    json_decref(out);
    return NULL;
  }
  json_object_set_new(out, "type", json_string(name));
  for (int i = 0; i < gst_structure_n_fields(s); i++) {
    const char *field = gst_structure_nth_field_name(s, i);
    if (strcmp(field, "type") == 0 || internal_field(field)) continue;
    json_t *v = value_json(gst_structure_get_value(s, field));
    if (!v) continue;
    char *key = camel_case(field);
    json_object_set_new(out, key, v);
    g_free(key);
  }
  /* 1.22 gives a local candidate the remote type and the other way round; the id is right. */
  const char *id = json_string_value(json_object_get(out, "id"));
  if (id && g_str_has_prefix(id, "ice-candidate-local")) json_object_set_new(out, "type", json_string("local-candidate"));
  if (id && g_str_has_prefix(id, "ice-candidate-remote")) json_object_set_new(out, "type", json_string("remote-candidate"));
  /* url is only for candidates from a server; 1.22 writes "" on host ones. */
  if (!g_strcmp0(json_string_value(json_object_get(out, "url")), "")) json_object_del(out, "url");
  return out;
}

static json_t *report_from(const GstStructure *reply) {
  json_t *report = json_object();
  g_type_class_ref(GST_TYPE_WEBRTC_STATS_TYPE);
  for (int i = 0; reply && i < gst_structure_n_fields(reply); i++) {
    const GValue *v = gst_structure_get_value(reply, gst_structure_nth_field_name(reply, i));
    if (G_VALUE_TYPE(v) != GST_TYPE_STRUCTURE) continue;
    json_t *d = dictionary(gst_value_get_structure(v));
    const char *id = d ? json_string_value(json_object_get(d, "id")) : NULL;
    if (id) json_object_set(report, id, d);
    json_decref(d);
  }
  return report;
}

/* ---- what webrtcbin leaves out ---------------------------------------------------------------- */

static const char *nick_of(GType enum_type, int value) {
  GEnumClass *klass = g_type_class_ref(enum_type);
  GEnumValue *v = g_enum_get_value(klass, value);
  g_type_class_unref(klass);
  return v ? v->value_nick : NULL;
}

/* The latest RTCP round trip (seconds) measured on the transport with stats id transport_id. */
static json_t *round_trip_on(json_t *report, const char *transport_id) {
  const char *key;
  json_t *s, *best = NULL;
  json_object_foreach(report, key, s) {
    if (g_strcmp0(json_string_value(json_object_get(s, "type")), "remote-inbound-rtp") == 0 &&
        g_strcmp0(json_string_value(json_object_get(s, "transportId")), transport_id) == 0 &&
        json_object_get(s, "roundTripTime"))
      best = json_object_get(s, "roundTripTime");
  }
  return best;
}

typedef struct {
  json_t *report;
} transport_args;

static void describe_transport(GstWebRTCDTLSTransport *dtls, void *data) {
  json_t *report = ((transport_args *)data)->report;
  char *id = g_strdup_printf("transport-stats_%s", GST_OBJECT_NAME(dtls));
  json_t *transport = json_object_get(report, id);
  GstWebRTCICETransport *ice = ice_of(dtls);
  if (!transport || !ice) {
    g_free(id);
    if (ice) gst_object_unref(ice);
    return;
  }
  ice_bytes *b = g_object_get_data(G_OBJECT(ice), ICE_BYTES_KEY);
  GstWebRTCDTLSTransportState dtls_state = 0;
  GstWebRTCICEConnectionState ice_state = 0;
  g_object_get(dtls, "state", &dtls_state, NULL);
  g_object_get(ice, "state", &ice_state, NULL);
  json_t *counts = !b ? json_object() : json_pack("{s:I,s:I,s:I,s:I}", "bytesSent", (json_int_t)__atomic_load_n(&b->sent, __ATOMIC_RELAXED),
                                         "bytesReceived", (json_int_t)__atomic_load_n(&b->received, __ATOMIC_RELAXED),
                                         "packetsSent", (json_int_t)__atomic_load_n(&b->packets_sent, __ATOMIC_RELAXED),
                                         "packetsReceived",
                                         (json_int_t)__atomic_load_n(&b->packets_received, __ATOMIC_RELAXED));
  json_object_update(transport, counts);
  const char *dtls_nick = nick_of(GST_TYPE_WEBRTC_DTLS_TRANSPORT_STATE, dtls_state);
  const char *ice_nick = nick_of(GST_TYPE_WEBRTC_ICE_CONNECTION_STATE, ice_state);
  if (dtls_nick) json_object_set_new(transport, "dtlsState", json_string(dtls_nick));
  if (ice_nick) json_object_set_new(transport, "iceState", json_string(ice_nick));
  const char *pair_id = json_string_value(json_object_get(transport, "selectedCandidatePairId"));
  json_t *pair = pair_id ? json_object_get(report, pair_id) : NULL;
  if (pair) {
    json_object_update(pair, counts);
    json_object_set_new(pair, "transportId", json_string(id));
    json_object_set_new(pair, "state", json_string("succeeded"));
    json_object_set_new(pair, "nominated", json_true());
    json_t *rtt = round_trip_on(report, id);
    if (rtt) json_object_set(pair, "currentRoundTripTime", rtt);
  }
  json_decref(counts);
  gst_object_unref(ice);
  g_free(id);
}

static void stats_done(mprtc__pc *pc, mprtc__call *call, const GstStructure *reply) {
  if (!pc->webrtc) {
    mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection was closed", call->req.method);
    return;
  }
  json_t *report = report_from(reply);
  transport_args args = {report};
  foreach_dtls(pc, describe_transport, &args);
  mprtc__rtp_stats(pc, report, (double)g_get_monotonic_time() / 1000.0);
  mprtc__call_return(call, json_pack("{s:o}", "stats", report));
}

static void get_stats(mprtc__call *call) {
  mprtc__pc *pc = call->object->impl;
  static const char *const allowed[] = {NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  if (!pc->webrtc) {
    mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection has failed", call->req.method);
    return;
  }
  mprtc__pc_run_op(call, pc, "get-stats", NULL, stats_done);
}

static const mprtc__method methods[] = {
    {"RTCPeerConnection.getStats", "RTCPeerConnection", get_stats},
};

const mprtc__sdk_module mprtc__stats_module = {.name = "stats", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
