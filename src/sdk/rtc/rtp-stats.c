/* What getStats knows of transceivers that webrtcbin does not (src/sdk/rtc/stats.c has the rest):
 * frames encoded and decoded, their size and rate, audio levels, and the media-source of each
 * sent track. webrtcbin's inbound-rtp and outbound-rtp are found by SSRC: ours is fixed
 * (rtp.c), the peer's is read from the caps of the pad webrtcbin added for it.
 *
 * Thread rules: SDK thread.
 */
#include <gst/video/video.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"

double mprtc__rate_meter_update(mprtc__rate_meter *m, guint64 count, gint64 now_us) {
  /* Shorter intervals than this give noise, not a rate: the last one stands. */
  if (m->at_us && now_us - m->at_us >= 200000 && count >= m->count) {
    m->rate = (double)(count - m->count) * 1e6 / (double)(now_us - m->at_us);
    m->measured = TRUE;
  }
  if (!m->at_us || now_us - m->at_us >= 200000) {
    m->at_us = now_us;
    m->count = count;
  }
  return m->measured ? m->rate : -1;
}

/* framesPerSecond, once a rate has been measured (as browsers do, not before). */
static void set_rate(json_t *s, mprtc__rate_meter *m, guint64 count, gint64 now_us) {
  double rate = mprtc__rate_meter_update(m, count, now_us);
  if (rate >= 0) json_object_set_new(s, "framesPerSecond", json_real(rate));
}

/* The stats of type with that SSRC, or NULL. */
static json_t *find_rtp(json_t *report, const char *type, guint32 ssrc) {
  const char *key;
  json_t *s;
  json_object_foreach(report, key, s) {
    if (g_strcmp0(json_string_value(json_object_get(s, "type")), type) == 0 &&
        json_integer_value(json_object_get(s, "ssrc")) == (json_int_t)ssrc)
      return s;
  }
  return NULL;
}

static void set_int(json_t *s, const char *key, json_int_t v) { json_object_set_new(s, key, json_integer(v)); }

/* Width and height of the latest frame of a snapshot (0 without one). */
static void frame_size(const mprtc__tap_snapshot *snap, int *w, int *h) {
  GstVideoInfo info;
  *w = *h = 0;
  GstCaps *caps = snap->latest ? gst_sample_get_caps(snap->latest) : NULL;
  if (caps && gst_video_info_from_caps(&info, caps)) {
    *w = GST_VIDEO_INFO_WIDTH(&info);
    *h = GST_VIDEO_INFO_HEIGHT(&info);
  }
}

/* Frames, size, rate or level of a track's tap into s (no-op for a stopped track). */
static void tap_figures(json_t *s, mprtc__object *track, mprtc__rate_meter *meter, const char *frames_key,
                        gint64 now_us) {
  mprtc__track *tr = track ? track->impl : NULL;
  if (!tr || !tr->tap) return;
  mprtc__tap_snapshot snap;
  mprtc__tap_snapshot_get(tr->tap, &snap);
  if (tr->kind == MPRTC__KIND_VIDEO) {
    int w, h;
    frame_size(&snap, &w, &h);
    if (frames_key) set_int(s, frames_key, (json_int_t)snap.frames);
    if (w) {
      set_int(s, "frameWidth", w);
      set_int(s, "frameHeight", h);
    }
    set_rate(s, meter, snap.frames, now_us);
  } else {
    json_object_set_new(s, "audioLevel", json_real(snap.audio_level));
  }
  if (snap.latest) gst_sample_unref(snap.latest);
}

/* What the encoder of t makes: its input size and frame counts. */
static void encoder_figures(json_t *s, rtp *t, gint64 now_us) {
  GstElement *enc = t->send_bin ? gst_bin_get_by_name(GST_BIN(t->send_bin), "enc") : NULL;
  if (!enc) return;
  if (t->kind == MPRTC__KIND_VIDEO) {
    int frames = g_atomic_int_get(&t->encoded->frames);
    set_int(s, "framesEncoded", frames);
    set_int(s, "keyFramesEncoded", g_atomic_int_get(&t->encoded->key_frames));
    set_rate(s, &t->send_fps, (guint64)frames, now_us);
    GstPad *sink = gst_element_get_static_pad(enc, "sink");
    GstCaps *caps = gst_pad_get_current_caps(sink);
    GstVideoInfo info;
    if (caps && gst_video_info_from_caps(&info, caps)) {
      set_int(s, "frameWidth", GST_VIDEO_INFO_WIDTH(&info));
      set_int(s, "frameHeight", GST_VIDEO_INFO_HEIGHT(&info));
    }
    if (caps) gst_caps_unref(caps);
    gst_object_unref(sink);
  }
  int bitrate = 0;
  g_object_get(enc, t->send->bitrate_property, &bitrate, NULL);
  set_int(s, "targetBitrate", (json_int_t)bitrate * t->send->bitrate_unit);
  GstElement *valve = gst_bin_get_by_name(GST_BIN(t->send_bin), "valve");
  gboolean drop = FALSE;
  g_object_get(valve, "drop", &drop, NULL);
  json_object_set_new(s, "active", json_boolean(!drop));
  gst_object_unref(valve);
  gst_object_unref(enc);
}

/* A codec dictionary of ours (webrtcbin 1.22 labels every stream of a bundle with the codec of
 * whichever pad it looked at last), named by stream. */
static void add_codec(json_t *report, json_t *stream, const char *dir, int index, mprtc__kind kind,
                             const char *name, int pt, int clock_rate) {
  char *id = g_strdup_printf("codec_%s_%d", dir, index);
  char *lower = g_ascii_strdown(name, -1);
  char *mime = g_strdup_printf("%s/%s", mprtc__kind_name(kind), kind == MPRTC__KIND_AUDIO ? lower : name);
  json_t *c = json_pack("{s:s,s:s,s:O,s:i,s:s,s:i}", "type", "codec", "id", id, "timestamp",
                        json_object_get(stream, "timestamp"), "payloadType", pt, "mimeType", mime, "clockRate",
                        clock_rate);
  if (kind == MPRTC__KIND_AUDIO) json_object_set_new(c, "channels", json_integer(2));
  json_t *transport = json_object_get(stream, "transportId");
  if (transport) json_object_set(c, "transportId", transport);
  json_object_set_new(report, id, c);
  json_object_set_new(stream, "codecId", json_string(id));
  g_free(id);
  g_free(lower);
  g_free(mime);
}

/* What the SDK's transceivers make of an RTP stream webrtcbin reports: ours get the right kind
 * and codec; others (RTX, streams nothing decodes, senders that never sent) go, and the remote
 * dictionaries that pointed at them. */
static void drop_strays(json_t *report) {
  const char *key;
  json_t *s, *tmp;
  json_object_foreach_safe(report, tmp, key, s) {
    const char *type = json_string_value(json_object_get(s, "type"));
    if ((!g_strcmp0(type, "inbound-rtp") || !g_strcmp0(type, "outbound-rtp")) && !json_object_get(s, "_transceiver"))
      json_object_del(report, key);
    else if (!g_strcmp0(type, "codec") && g_str_has_prefix(key, "codec-stats-"))
      json_object_del(report, key);
  }
  json_object_foreach_safe(report, tmp, key, s) {
    const char *type = json_string_value(json_object_get(s, "type"));
    const char *local = json_string_value(json_object_get(s, "localId"));
    if ((!g_strcmp0(type, "remote-inbound-rtp") || !g_strcmp0(type, "remote-outbound-rtp")) &&
        (!local || !json_object_get(report, local)))
      json_object_del(report, key);
  }
  /* Remote dictionaries share their stream's kind and codec. */
  json_object_foreach(report, key, s) {
    json_t *local = json_object_get(report, json_string_value(json_object_get(s, "localId")) ?: "");
    if (!local || !json_string_value(json_object_get(s, "type")) ||
        !g_str_has_prefix(json_string_value(json_object_get(s, "type")), "remote-"))
      continue;
    json_object_set(s, "kind", json_object_get(local, "kind"));
    json_object_set(s, "codecId", json_object_get(local, "codecId"));
    /* 1.22 gives the sender report's NTP time in seconds since 1900; W3C (as browsers) ms since
     * 1970. */
    double ntp = json_number_value(json_object_get(s, "remoteTimestamp"));
    if (ntp > 2208988800.0) json_object_set_new(s, "remoteTimestamp", json_real((ntp - 2208988800.0) * 1000.0));
    else json_object_del(s, "remoteTimestamp");
  }
}

void mprtc__rtp_stats(mprtc__pc *pc, json_t *report, double timestamp) {
  gint64 now_us = g_get_monotonic_time();
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    const char *kind = mprtc__kind_name(t->kind);
    json_t *out = find_rtp(report, "outbound-rtp", t->ssrc);
    if (out && json_integer_value(json_object_get(out, "packetsSent")) > 0) {
      set_int(out, "_transceiver", t->index);
      json_object_set_new(out, "kind", json_string(kind));
      add_codec(report, out, "out", t->index, t->kind, t->send->name, t->pt, t->send->clock_rate);
      encoder_figures(out, t, now_us);
    }
    mprtc__track *sent = t->send_track ? t->send_track->impl : NULL;
    if (sent && sent->tap) {
      char *id = g_strdup_printf("media-source_%d", t->index);
      json_t *source = json_pack("{s:s,s:s,s:f,s:s,s:I}", "type", "media-source", "id", id, "timestamp", timestamp,
                                 "kind", kind, "_transceiver", (json_int_t)t->index);
      tap_figures(source, t->send_track, &t->source_fps, "frames", now_us);
      json_object_set_new(report, id, source);
      if (out) json_object_set_new(out, "mediaSourceId", json_string(id));
      g_free(id);
    }
    g_mutex_lock(&pc->rtp_lock);
    guint32 recv_ssrc = t->recv_ssrc;
    const char *recv_codec = t->recv_codec;
    int recv_pt = t->recv_pt, recv_clock_rate = t->recv_clock_rate;
    g_mutex_unlock(&pc->rtp_lock);
    json_t *in = recv_ssrc ? find_rtp(report, "inbound-rtp", recv_ssrc) : NULL;
    if (in) {
      set_int(in, "_transceiver", t->index);
      json_object_set_new(in, "kind", json_string(kind));
      add_codec(report, in, "in", t->index, t->kind, recv_codec, recv_pt, recv_clock_rate);
      tap_figures(in, t->recv_track, &t->recv_fps, "framesDecoded", now_us);
    }
  }
  drop_strays(report);
}
