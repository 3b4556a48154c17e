/* RTP media of a connection: transceivers, senders and receivers over webrtcbin 1.22.
 *
 *   RTCPeerConnection.addTransceiver  {kind, direction, track?, streams?} -> transceiver
 *   RTCPeerConnection.setTransceiver  {index, direction?, track? (null: none), streams?,
 *                                     encoding? {active, maxBitrate, width, height, maxFramerate},
 *                                     codecs? [encoding name] (setCodecPreferences)}
 *                                     -> transceiver   (addTrack reuse, replaceTrack, removeTrack,
 *                                     setParameters)
 *   RTCPeerConnection.getTransceivers {} -> [transceiver]
 * A transceiver is {index, kind, mid, mline, direction, currentDirection, receiverTrack,
 * streams: [{id, streamId}] (the remote streams of its m-line), sendCodec {name, payloadType,
 * clockRate}}.
 *
 * The parts: this file keeps the transceivers and answers the calls; src/sdk/rtc/rtp-send.c
 * builds the sending branches (track -> encoder -> webrtcbin), src/sdk/rtc/rtp-receive.c the
 * receiving ones (webrtcbin -> decoder -> the remote track), src/sdk/rtc/rtp-codecs.c knows the
 * codecs, src/sdk/rtc/sdp.c reads the descriptions.
 *
 * webrtcbin 1.22 matches an unnamed request pad to a free transceiver with an inverted caps check
 * (fixed in 1.25), and a named one locks its m-line. So: a new transceiver of ours gets an
 * unnamed pad at once (the inverted check matches no transceiver: ours all have pads, those of
 * remote offers have no codec preferences, recvonly ones are skipped); a transceiver a remote
 * offer created gets the pad sink_<its m-line>. See docs/media.md.
 *
 * Thread rules: SDK thread.
 */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"
#include "sdk/rtc/sdp.h"

static const char *direction_name(GstWebRTCRTPTransceiverDirection d) {
  switch (d) {
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV: return "sendrecv";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY: return "sendonly";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY: return "recvonly";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE: return "inactive";
    default: return NULL;
  }
}

static gboolean parse_direction(const char *name, GstWebRTCRTPTransceiverDirection *out) {
  static const GstWebRTCRTPTransceiverDirection all[] = {
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE};
  for (size_t i = 0; name && i < G_N_ELEMENTS(all); i++)
    if (strcmp(direction_name(all[i]), name) == 0) {
      *out = all[i];
      return TRUE;
    }
  return FALSE;
}

/* ---- transceivers ---------------------------------------------------------------------------- */

static rtp *register_transceiver(mprtc__pc *pc, GstWebRTCRTPTransceiver *gst, mprtc__kind kind) {
  rtp *t = g_new0(rtp, 1);
  t->index = pc->next_transceiver++;
  t->gst = gst ? gst_object_ref(gst) : NULL;
  t->kind = kind;
  t->pt = -1;
  t->send = mprtc__codec_default(kind);
  t->ssrc = g_random_int_range(1, G_MAXINT32);
  t->planned_mline = -1;
  t->encoded = g_atomic_rc_box_new0(mprtc__encoded);
  t->sources = mprtc__rtp_sources_new();
  t->recv_source = mprtc__source_new(kind, TRUE, NULL, NULL);
  /* The receiver's track exists from the start, muted until media arrives (W3C). */
  t->recv_track = mprtc__object_ref(mprtc__track_new(pc->sdk, pc->obj->app, pc->obj->channel, t->recv_source,
                                                     kind == MPRTC__KIND_VIDEO ? "remote video" : "remote audio",
                                                     NULL, NULL));
  g_mutex_lock(&pc->rtp_lock);
  g_ptr_array_add(pc->transceivers, t);
  g_mutex_unlock(&pc->rtp_lock);
  return t;
}

static void rtp_free(rtp *t) {
  if (t->gst) gst_object_unref(t->gst);
  if (t->sink_pad) gst_object_unref(t->sink_pad);
  if (t->appsrc) gst_object_unref(t->appsrc);
  g_free(t->msid);
  if (t->codec_order) g_ptr_array_unref(t->codec_order);
  json_decref(t->encoding);
  g_atomic_rc_box_release(t->encoded);
  mprtc__rtp_sources_unref(t->sources);
  mprtc__source_unref(t->recv_source);
  mprtc__object_unref(t->recv_track);
  g_free(t);
}

rtp *mprtc__rtp_find(mprtc__pc *pc, json_int_t index) {
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    if (t->index == index) return t;
  }
  return NULL;
}

/* The m-line of t: webrtcbin's, or the one of the remote offer it is to answer. */
guint mprtc__rtp_mline(rtp *t) {
  guint mline = G_MAXUINT;
  if (t->gst) g_object_get(t->gst, "mlineindex", &mline, NULL);
  if ((mline == G_MAXUINT || mline > 1024) && t->planned_mline >= 0) mline = (guint)t->planned_mline;
  return mline > 1024 ? G_MAXUINT : mline;
}

static json_t *describe(mprtc__pc *pc, rtp *t, GstSDPMessage *remote) {
  char *mid = NULL;
  guint mline = mprtc__rtp_mline(t);
  GstWebRTCRTPTransceiverDirection dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE, current = dir;
  if (t->gst) g_object_get(t->gst, "mid", &mid, "direction", &dir, "current-direction", &current, NULL);
  json_t *streams = json_array();
  if (remote && mline != G_MAXUINT) {
    GPtrArray *ids = mprtc__sdp_msids(remote, mline);
    for (guint i = 0; i < ids->len; i++) {
      mprtc__object *stream = g_hash_table_lookup(pc->remote_streams, ids->pdata[i]);
      if (!stream) {
        stream = mprtc__object_ref(mprtc__stream_new(pc->sdk, pc->obj->app, pc->obj->channel, ids->pdata[i]));
        g_hash_table_insert(pc->remote_streams, g_strdup(ids->pdata[i]), stream);
      }
      mprtc__stream_add_track(stream, t->recv_track);
      json_array_append_new(streams, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)stream->id, "streamId",
                                               ((mprtc__stream *)stream->impl)->stream_id, "msid",
                                               (char *)ids->pdata[i]));
    }
    g_ptr_array_unref(ids);
  }
  json_t *out = json_pack("{s:i,s:s,s:s?,s:s?,s:s?,s:o,s:o}", "index", t->index, "kind",
                          mprtc__kind_name(t->kind), "mid", mid, "direction", direction_name(dir),
                          "currentDirection", direction_name(current), "receiverTrack",
                          mprtc__track_describe(t->recv_track), "streams", streams);
  json_object_set_new(out, "mline", mline == G_MAXUINT || mline > 1024 ? json_null() : json_integer(mline));
  json_object_set_new(out, "sendCodec", json_pack("{s:s,s:i,s:i}", "name", t->send->name, "payloadType", t->pt,
                                                  "clockRate", t->send->clock_rate));
  g_free(mid);
  return out;
}

static GstSDPMessage *remote_sdp(mprtc__pc *pc, GstWebRTCSessionDescription **holder) {
  *holder = NULL;
  g_object_get(pc->webrtc, "remote-description", holder, NULL);
  return *holder ? (*holder)->sdp : NULL;
}

json_t *mprtc__rtp_describe_all(mprtc__pc *pc) {
  GArray *all = NULL;
  g_signal_emit_by_name(pc->webrtc, "get-transceivers", &all);
  for (guint i = 0; all && i < all->len; i++) {
    GstWebRTCRTPTransceiver *gst = g_array_index(all, GstWebRTCRTPTransceiver *, i);
    if (mprtc__rtp_find_by_gst(pc, gst)) continue;
    GstWebRTCKind kind;
    g_object_get(gst, "kind", &kind, NULL);
    if (kind == GST_WEBRTC_KIND_AUDIO || kind == GST_WEBRTC_KIND_VIDEO)
      register_transceiver(pc, gst, kind == GST_WEBRTC_KIND_AUDIO ? MPRTC__KIND_AUDIO : MPRTC__KIND_VIDEO);
  }
  if (all) g_array_unref(all);
  GstWebRTCSessionDescription *holder;
  GstSDPMessage *remote = remote_sdp(pc, &holder);
  json_t *list = json_array();
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    /* Send the codec of ours the peer's description has first, with its payload type. */
    int pt;
    const codec *c = remote ? mprtc__codec_choose(t->codec_order, t->kind, remote, mprtc__rtp_mline(t), &pt) : NULL;
    if (c) mprtc__rtp_switch_codec(pc, t, c, pt);
    json_array_append_new(list, describe(pc, t, remote));
  }
  if (holder) gst_webrtc_session_description_free(holder);
  return list;
}

/* ---- handlers -------------------------------------------------------------------------------- */

static mprtc__pc *rtp_pc(mprtc__call *call) {
  mprtc__pc *pc = call->object->impl;
  if (pc->webrtc) return pc;
  mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection has failed", call->req.method);
  return NULL;
}

/* The track named by params.track: NULL (absent or null), or an open track of the app;
 * *bad set when it names something else. */
static mprtc__object *track_param(mprtc__call *call, gboolean *bad) {
  json_t *v = json_object_get(call->req.params, "track");
  *bad = FALSE;
  if (!v || json_is_null(v)) return NULL;
  mprtc__object *obj = mprtc__call_object_of(call, v, &mprtc__track_class, "'track'");
  *bad = obj == NULL;
  return obj;
}

/* The first stream ID of params.streams (what a=msid announces), or NULL. */
static const char *first_stream(mprtc__call *call) {
  json_t *s = json_object_get(call->req.params, "streams");
  return json_string_value(json_array_get(s, 0));
}

static gboolean check_common(mprtc__call *call, GstWebRTCRTPTransceiverDirection *dir, gboolean *has_dir) {
  const char *d = json_string_value(json_object_get(call->req.params, "direction"));
  *has_dir = json_object_get(call->req.params, "direction") != NULL;
  json_t *streams = json_object_get(call->req.params, "streams");
  size_t i;
  json_t *v;
  if (*has_dir && !parse_direction(d, dir)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: bad direction", call->req.method);
    return FALSE;
  }
  if (streams && !json_is_array(streams)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'streams' must be an array of stream IDs", call->req.method);
    return FALSE;
  }
  /* The first one goes into a=msid of our SDP: no spaces or line breaks may come with it. */
  json_array_foreach(streams, i, v) if (!json_is_string(v) || !mprtc__stream_id_valid(json_string_value(v))) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'streams' must be an array of stream IDs", call->req.method);
    return FALSE;
  }
  return TRUE;
}

/* A transceiver of ours with its sending branch. Every one gets the branch at once: direction
 * changes later need no pad request (which webrtcbin 1.22 matches badly), only a property. */
static rtp *create_transceiver(mprtc__pc *pc, mprtc__kind kind, GstWebRTCRTPTransceiverDirection dir,
                               const char *msid, int pt) {
  rtp *t = register_transceiver(pc, NULL, kind);
  t->msid = g_strdup(msid);
  if (!mprtc__rtp_build_sender(pc, t, NULL, pt)) return NULL;
  mprtc__rtp_update_preferences(t);
  /* NACK and RTX for video only: browsers refuse an audio stream with an RTX SSRC group. */
  g_object_set(t->gst, "direction", dir, "do-nack", kind == MPRTC__KIND_VIDEO, NULL);
  return t;
}

void mprtc__rtp_remote_offer(mprtc__pc *pc) {
  GstWebRTCSessionDescription *holder;
  GstSDPMessage *sdp = remote_sdp(pc, &holder);
  for (guint i = 0; sdp && i < gst_sdp_message_medias_len(sdp); i++) {
    const char *media = gst_sdp_media_get_media(gst_sdp_message_get_media(sdp, i));
    if (!media || (strcmp(media, "audio") != 0 && strcmp(media, "video") != 0)) continue;
    mprtc__kind kind = strcmp(media, "audio") == 0 ? MPRTC__KIND_AUDIO : MPRTC__KIND_VIDEO;
    rtp *chosen = NULL, *free_one = NULL;
    for (guint k = 0; k < pc->transceivers->len && !chosen; k++) {
      rtp *t = pc->transceivers->pdata[k];
      if (mprtc__rtp_mline(t) == i) chosen = t;
      else if (!free_one && t->kind == kind && mprtc__rtp_mline(t) == G_MAXUINT && t->sink_pad) free_one = t;
    }
    /* webrtcbin 1.22 makes transceivers for a remote offer only when answering; W3C wants
     * them (and their tracks) now: an unassociated one of ours of the kind, or a new one. */
    if (!chosen) chosen = free_one;
    if (!chosen) chosen = create_transceiver(pc, kind, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, NULL,
                                             mprtc__codec_default(kind)->default_pt);
    if (!chosen) continue;
    if (chosen->planned_mline < 0 && mprtc__rtp_mline(chosen) == G_MAXUINT) chosen->planned_mline = (int)i;
    /* Answer with the codec of ours the offer has first (an H264-only offer gets H264). */
    int pt;
    const codec *c = mprtc__codec_choose(chosen->codec_order, chosen->kind, sdp, i, &pt);
    if (c) mprtc__rtp_switch_codec(pc, chosen, c, pt);
  }
  if (holder) gst_webrtc_session_description_free(holder);
}

void mprtc__rtp_announce_streams(mprtc__pc *pc, GstSDPMessage *sdp) {
  /* A transceiver without an m-line yet takes the next m-section no transceiver claims, in
   * creation order: how webrtcbin lays out a new offer. */
  guint n = gst_sdp_message_medias_len(sdp);
  gboolean *claimed = g_new0(gboolean, n + 1);
  for (guint k = 0; k < pc->transceivers->len; k++) {
    guint m = mprtc__rtp_mline(pc->transceivers->pdata[k]);
    if (m < n) claimed[m] = TRUE;
  }
  guint next_free = 0;
  for (guint k = 0; k < pc->transceivers->len; k++) {
    rtp *t = pc->transceivers->pdata[k];
    guint m = mprtc__rtp_mline(t);
    if (m == G_MAXUINT) {
      while (next_free < n && (claimed[next_free] ||
                               !g_strcmp0(gst_sdp_media_get_media(gst_sdp_message_get_media(sdp, next_free)), "application")))
        next_free++;
      m = next_free++;
    }
    if (m >= n) continue;
    GstSDPMedia *media = (GstSDPMedia *)gst_sdp_message_get_media(sdp, m);
    if (gst_sdp_media_get_attribute_val(media, "msid") ||
        !(gst_sdp_media_get_attribute_val(media, "sendrecv") || gst_sdp_media_get_attribute_val(media, "sendonly")))
      continue;
    /* A track sent without a stream is "-" (RFC 8830); webrtcbin would name its cname. */
    const char *track_id = t->gst ? GST_OBJECT_NAME(t->gst) : "track";
    char *value = g_strdup_printf("%s %s", t->msid ? t->msid : "-", track_id);
    gst_sdp_media_add_attribute(media, "msid", value);
    for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute(media, i);
      guint ssrc;
      if (strcmp(a->key, "ssrc") != 0 || !a->value || !strstr(a->value, " msid:") ||
          sscanf(a->value, "%u", &ssrc) != 1)
        continue;
      GstSDPAttribute fixed;
      char *line = g_strdup_printf("%u msid:%s", ssrc, value);
      gst_sdp_attribute_set(&fixed, "ssrc", line);
      gst_sdp_media_replace_attribute(media, i, &fixed);
      g_free(line);
    }
    g_free(value);
  }
  g_free(claimed);
}

static void add_transceiver(mprtc__call *call) {
  mprtc__pc *pc = rtp_pc(call);
  if (!pc) return;
  static const char *const allowed[] = {"kind", "direction", "track", "streams", NULL};
  GstWebRTCRTPTransceiverDirection dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  gboolean has_dir, bad;
  if (!mprtc__call_only_members(call, allowed) || !check_common(call, &dir, &has_dir)) return;
  const char *kind_name = json_string_value(json_object_get(call->req.params, "kind"));
  mprtc__object *track = track_param(call, &bad);
  if (bad) return;
  if (!kind_name || (strcmp(kind_name, "audio") != 0 && strcmp(kind_name, "video") != 0)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'kind' must be audio or video", call->req.method);
    return;
  }
  mprtc__kind kind = strcmp(kind_name, "audio") == 0 ? MPRTC__KIND_AUDIO : MPRTC__KIND_VIDEO;
  if (track && mprtc__track_of(track)->kind != kind) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: the track is not of kind %s", call->req.method, kind_name);
    return;
  }
  rtp *t = create_transceiver(pc, kind, dir, first_stream(call), mprtc__codec_default(kind)->default_pt);
  if (!t) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin refused a new %s transceiver", call->req.method, kind_name);
    return;
  }
  mprtc__rtp_attach_track(t, track);
  mprtc__call_return(call, describe(pc, t, NULL));
}

static gboolean encoding_valid(mprtc__call *call, json_t *e);
static gboolean set_codec_order(mprtc__call *call, mprtc__pc *pc, rtp *t, json_t *names);

static void set_transceiver(mprtc__call *call) {
  mprtc__pc *pc = rtp_pc(call);
  if (!pc) return;
  static const char *const allowed[] = {"index", "direction", "track", "streams", "encoding", "codecs", NULL};
  GstWebRTCRTPTransceiverDirection dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  gboolean has_dir, bad;
  json_int_t index = -1;
  if (!mprtc__call_only_members(call, allowed) || !check_common(call, &dir, &has_dir) ||
      !mprtc__call_int_param(call, "index", 0, G_MAXINT, &index))
    return;
  rtp *t = mprtc__rtp_find(pc, index);
  if (!t || !t->gst) {
    mprtc__call_reject(call, MPRTC_E_INVALID_ACCESS, "%s: no transceiver %" JSON_INTEGER_FORMAT, call->req.method, index);
    return;
  }
  mprtc__object *track = track_param(call, &bad);
  if (bad) return;
  if (track && mprtc__track_of(track)->kind != t->kind) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: the track's kind is not the transceiver's", call->req.method);
    return;
  }
  if (json_object_get(call->req.params, "streams")) {
    g_free(t->msid);
    t->msid = g_strdup(first_stream(call));
    if (t->sink_pad) g_object_set(t->sink_pad, "msid", t->msid, NULL);
  }
  if (has_dir) g_object_set(t->gst, "direction", dir, NULL);
  if (track && !t->sink_pad) {
    /* A transceiver webrtcbin made: its sending branch goes to its m-line's pad, with the
     * payload type the offer gave our codec. */
    guint mline = mprtc__rtp_mline(t);
    GstWebRTCSessionDescription *holder;
    int pt = -1;
    const codec *c = mprtc__codec_choose(t->codec_order, t->kind, remote_sdp(pc, &holder), mline, &pt);
    if (holder) gst_webrtc_session_description_free(holder);
    if (c) t->send = c;
    char pad_name[32];
    g_snprintf(pad_name, sizeof pad_name, "sink_%u", mline);
    if (mline == G_MAXUINT || !mprtc__rtp_build_sender(pc, t, pad_name, pt >= 0 ? pt : t->send->default_pt)) {
      mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin refused a sending branch for m-line %d", call->req.method, (int)mline);
      return;
    }
  }
  json_t *encoding = json_object_get(call->req.params, "encoding");
  if (encoding && !encoding_valid(call, encoding)) return;
  if (encoding) {
    json_decref(t->encoding);
    t->encoding = json_incref(encoding);
    mprtc__rtp_apply_encoding(t, encoding);
  }
  json_t *codec_names = json_object_get(call->req.params, "codecs");
  if (codec_names && !set_codec_order(call, pc, t, codec_names)) return;
  if (json_object_get(call->req.params, "track")) mprtc__rtp_attach_track(t, track);
  mprtc__call_return(call, describe(pc, t, NULL));
}

/* RTCRtpSender.setParameters, as the base library resolved it: {active, maxBitrate, width,
 * height, maxFramerate} (width and height already divided by scaleResolutionDownBy). */
static gboolean encoding_valid(mprtc__call *call, json_t *e) {
  static const char *const allowed[] = {"active", "maxBitrate", "width", "height", "maxFramerate", NULL};
  const char *key;
  json_t *v;
  if (!json_is_object(e)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'encoding' must be an object", call->req.method);
    return FALSE;
  }
  json_object_foreach(e, key, v) {
    gboolean known = FALSE;
    for (int i = 0; allowed[i]; i++) known |= strcmp(allowed[i], key) == 0;
    if (!known || (strcmp(key, "active") == 0 ? !json_is_boolean(v) : !json_is_integer(v) || json_integer_value(v) < 0 ||
                                                                            json_integer_value(v) > 100000000)) {
      mprtc__call_reject(call, MPRTC_E_INVAL, "%s: bad encoding parameter '%s'", call->req.method, key);
      return FALSE;
    }
  }
  return TRUE;
}

/* setCodecPreferences: params.codecs, encoding names of t's kind in order ([]: the default). The
 * next negotiation offers them; before any, the branch switches to the first at once. */
static gboolean set_codec_order(mprtc__call *call, mprtc__pc *pc, rtp *t, json_t *names) {
  size_t i;
  json_t *v;
  if (!json_is_array(names)) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'codecs' must be an array of encoding names", call->req.method);
    return FALSE;
  }
  GPtrArray *order = g_ptr_array_new();
  json_array_foreach(names, i, v) {
    const codec *c = mprtc__codec_by_name(json_string_value(v));
    if (!c || c->kind != t->kind) {
      g_ptr_array_unref(order);
      mprtc__call_reject(call, MPRTC_E_INVALID_MODIFICATION, "%s: codec '%s' is not a %s codec this engine sends",
                         call->req.method, json_string_value(v) ? json_string_value(v) : "?", mprtc__kind_name(t->kind));
      return FALSE;
    }
    g_ptr_array_add(order, (gpointer)c);
  }
  if (t->codec_order) g_ptr_array_unref(t->codec_order);
  t->codec_order = order->len ? order : NULL;
  if (!order->len) g_ptr_array_unref(order);
  const codec *first = t->codec_order ? t->codec_order->pdata[0] : mprtc__codec_default(t->kind);
  if (mprtc__rtp_mline(t) == G_MAXUINT) mprtc__rtp_switch_codec(pc, t, first, first->default_pt);
  else mprtc__rtp_update_preferences(t);
  return TRUE;
}

static void get_transceivers(mprtc__call *call) {
  mprtc__pc *pc = rtp_pc(call);
  if (!pc) return;
  mprtc__call_return(call, mprtc__rtp_describe_all(pc));
}

static const mprtc__method methods[] = {
    {"RTCPeerConnection.addTransceiver", "RTCPeerConnection", add_transceiver},
    {"RTCPeerConnection.setTransceiver", "RTCPeerConnection", set_transceiver},
    {"RTCPeerConnection.getTransceivers", "RTCPeerConnection", get_transceivers},
};

const mprtc__sdk_module mprtc__rtp_module = {.name = "rtp", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};

/* ---- life ------------------------------------------------------------------------------------ */

void mprtc__rtp_init(mprtc__pc *pc) {
  g_mutex_init(&pc->rtp_lock);
  pc->transceivers = g_ptr_array_new();
  pc->remote_streams = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)mprtc__object_unref);
}

void mprtc__rtp_release(mprtc__pc *pc) {
  mprtc__rtp_sources_stop_watching(pc);
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    mprtc__rtp_detach_track(t);
    /* W3C: closing the connection ends its remote tracks. */
    mprtc__source_end(t->recv_source);
  }
}

void mprtc__rtp_finalize(mprtc__pc *pc) {
  for (guint i = 0; i < pc->transceivers->len; i++) rtp_free(pc->transceivers->pdata[i]);
  g_ptr_array_unref(pc->transceivers);
  g_hash_table_unref(pc->remote_streams);
  g_mutex_clear(&pc->rtp_lock);
}

