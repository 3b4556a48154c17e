/* RTCRtpReceiver.getSynchronizationSources() / getContributingSources() (webrtc-pc §5.3.1):
 * the SSRC and CSRCs of the packets a receiver got in the last 10 s, with the time of the
 * latest and its RTP timestamp, and for audio the level.
 *
 *   RTCPeerConnection.watchSources  {index} -> null
 * Event of the connection: sources {index, sources: [{type: "ssrc"|"csrc", source,
 * rtpTimestamp, timestamp (ms of the monotonic clock), audioLevel?}]}.
 *
 * The W3C methods are synchronous and the logic layer reaches the SDK only through call blocks,
 * so the base library keeps the list and the SDK sends it: from the first call of a receiver's
 * methods on (watchSources), every WATCH_INTERVAL_MS while packets arrive, and once at once.
 * Receivers nobody asks about cost one pad probe per packet and nothing on the bridge.
 *
 * Thread rules: the pad probe runs on webrtcbin's streaming thread and only writes the record
 * (under its lock); everything else runs on the SDK thread.
 */
#include <gst/rtp/gstrtpbuffer.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"

#define WATCH_INTERVAL_MS 100
#define MAX_AGE_US (10 * G_USEC_PER_SEC)
/* One SSRC and up to 15 CSRCs per packet; the oldest source goes when a new one comes. */
#define MAX_SOURCES 16

typedef struct {
  guint32 source;
  guint32 rtp_timestamp;
  gint64 at_us; /* monotonic time of its latest packet; 0: unused */
  gboolean csrc;
} source_entry;

struct mprtc__rtp_sources {
  GMutex lock;
  source_entry entries[MAX_SOURCES];
  guint64 packets;  /* counted under lock: what the SDK sent last is compared with it */
};

static void sources_clear(mprtc__rtp_sources *s) { g_mutex_clear(&s->lock); }

mprtc__rtp_sources *mprtc__rtp_sources_new(void) {
  mprtc__rtp_sources *s = g_atomic_rc_box_new0(mprtc__rtp_sources);
  g_mutex_init(&s->lock);
  return s;
}

void mprtc__rtp_sources_unref(mprtc__rtp_sources *s) {
  if (s) g_atomic_rc_box_release_full(s, (GDestroyNotify)sources_clear);
}

static void sources_unref_notify(gpointer s) { mprtc__rtp_sources_unref(s); }

/* Under s->lock: the entry of source (of that kind), a free one, or the oldest. */
static source_entry *entry_for(mprtc__rtp_sources *s, guint32 source, gboolean csrc) {
  source_entry *oldest = &s->entries[0];
  for (int i = 0; i < MAX_SOURCES; i++) {
    source_entry *e = &s->entries[i];
    if (e->at_us && e->source == source && e->csrc == csrc) return e;
    if (!e->at_us) return e;
    if (e->at_us < oldest->at_us) oldest = e;
  }
  return oldest;
}

static void record_packet(mprtc__rtp_sources *s, GstBuffer *buf, gint64 now_us) {
  GstRTPBuffer packet = GST_RTP_BUFFER_INIT;
  if (!gst_rtp_buffer_map(buf, GST_MAP_READ, &packet)) return;
  guint32 ts = gst_rtp_buffer_get_timestamp(&packet);
  g_mutex_lock(&s->lock);
  source_entry *e = entry_for(s, gst_rtp_buffer_get_ssrc(&packet), FALSE);
  *e = (source_entry){gst_rtp_buffer_get_ssrc(&packet), ts, now_us, FALSE};
  for (guint8 i = 0; i < gst_rtp_buffer_get_csrc_count(&packet); i++) {
    guint32 csrc = gst_rtp_buffer_get_csrc(&packet, i);
    e = entry_for(s, csrc, TRUE);
    *e = (source_entry){csrc, ts, now_us, TRUE};
  }
  s->packets++;
  g_mutex_unlock(&s->lock);
  gst_rtp_buffer_unmap(&packet);
}

/* Streaming thread: RTP packets leaving webrtcbin for the receiver's decoder. */
static GstPadProbeReturn on_packets(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
  gint64 now_us = g_get_monotonic_time();
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    record_packet(data, GST_PAD_PROBE_INFO_BUFFER(info), now_us);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
    for (guint i = 0; i < gst_buffer_list_length(list); i++) record_packet(data, gst_buffer_list_get(list, i), now_us);
  }
  return GST_PAD_PROBE_OK;
}

void mprtc__rtp_sources_follow(mprtc__rtp_sources *s, GstPad *pad) {
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_packets,
                    g_atomic_rc_box_acquire(s), sources_unref_notify);
}

/* ---- watching: SDK thread -------------------------------------------------------------------- */

/* The sources of t of the last 10 s, as the event gives them. */
static json_t *describe_sources(rtp *t, gint64 now_us) {
  double level = -1;
  mprtc__track *tr = t->recv_track ? t->recv_track->impl : NULL;
  if (t->kind == MPRTC__KIND_AUDIO && tr && tr->tap) {
    mprtc__tap_snapshot snap;
    mprtc__tap_snapshot_get(tr->tap, &snap);
    level = snap.audio_level;
    if (snap.latest) gst_sample_unref(snap.latest);
  }
  json_t *list = json_array();
  g_mutex_lock(&t->sources->lock);
  for (int i = 0; i < MAX_SOURCES; i++) {
    const source_entry *e = &t->sources->entries[i];
    if (!e->at_us || now_us - e->at_us > MAX_AGE_US) continue;
    json_t *j = json_pack("{s:s,s:I,s:I,s:f}", "type", e->csrc ? "csrc" : "ssrc", "source", (json_int_t)e->source,
                          "rtpTimestamp", (json_int_t)e->rtp_timestamp, "timestamp", (double)e->at_us / 1000.0);
    /* The level of what is decoded: the synchronization source's (a mixer's CSRCs carry theirs
     * in RFC 6464 extensions, which are not negotiated). */
    if (level >= 0 && !e->csrc) json_object_set_new(j, "audioLevel", json_real(level));
    json_array_append_new(list, j);
  }
  g_mutex_unlock(&t->sources->lock);
  return list;
}

/* Sends t's sources if packets came since the last time (or force). */
static void send_sources(mprtc__pc *pc, rtp *t, gboolean force) {
  g_mutex_lock(&t->sources->lock);
  guint64 packets = t->sources->packets;
  g_mutex_unlock(&t->sources->lock);
  if (!force && packets == t->sources_sent) return;
  t->sources_sent = packets;
  mprtc__object_emit(pc->obj, "sources",
                     json_pack("{s:i,s:o}", "index", t->index, "sources", describe_sources(t, g_get_monotonic_time())));
}

static gboolean watch_tick(gpointer data) {
  mprtc__pc *pc = data;
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    if (t->watch_sources) send_sources(pc, t, FALSE);
  }
  return G_SOURCE_CONTINUE;
}

static void watch_sources(mprtc__call *call) {
  mprtc__pc *pc = call->object->impl;
  json_int_t index = -1;
  static const char *const allowed[] = {"index", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_int_param(call, "index", 0, G_MAXINT, &index)) return;
  rtp *t = pc->webrtc ? mprtc__rtp_find(pc, index) : NULL;
  if (!t) {
    mprtc__call_reject(call, MPRTC_E_INVALID_ACCESS, "%s: no transceiver %" JSON_INTEGER_FORMAT, call->req.method, index);
    return;
  }
  if (!t->watch_sources) {
    t->watch_sources = TRUE;
    send_sources(pc, t, TRUE);
  }
  if (!pc->sources_timer) {
    pc->sources_timer = g_timeout_source_new(WATCH_INTERVAL_MS);
    g_source_set_callback(pc->sources_timer, watch_tick, pc, NULL);
    g_source_attach(pc->sources_timer, pc->sdk->context);
  }
  mprtc__call_return(call, NULL);
}

void mprtc__rtp_sources_stop_watching(mprtc__pc *pc) {
  if (!pc->sources_timer) return;
  g_source_destroy(pc->sources_timer);
  g_source_unref(pc->sources_timer);
  pc->sources_timer = NULL;
}

static const mprtc__method methods[] = {
    {"RTCPeerConnection.watchSources", "RTCPeerConnection", watch_sources},
};

const mprtc__sdk_module mprtc__rtp_sources_module = {.name = "rtp-sources", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
