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
 * Sending: a track's samples (src/sdk/media/source.h) go into an appsrc of a branch in the
 * connection's pipeline: appsrc -> queue -> encoder -> payloader -> capsfilter (payload type) ->
 * a sink pad of webrtcbin. replaceTrack only moves the branch's sink to another track: no
 * renegotiation, and the encoder keeps running. Receiving: each src pad webrtcbin adds gets a
 * depayloader and decoder ending in an appsink that feeds the receiver's source, whose tap is
 * the remote MediaStreamTrack.
 *
 * webrtcbin 1.22 matches an unnamed request pad to a free transceiver with an inverted caps check
 * (fixed in 1.25), and a named one locks its m-line. So: a new transceiver of ours gets an
 * unnamed pad at once (the inverted check matches no transceiver: ours all have pads, those of
 * remote offers have no codec preferences, recvonly ones are skipped); a transceiver a remote
 * offer created gets the pad sink_<its m-line>. See docs/media.md.
 *
 * Thread rules: SDK thread, except mprtc__rtp_pad_added (streaming thread, under rtp_lock)
 * and the sink/appsink callbacks (media threads).
 */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"

#define VIDEO_OUT "videoconvert ! video/x-raw,format=I420"
#define AUDIO_OUT "audioconvert ! audioresample ! audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1"
/* Before a video encoder: the shape and rate setParameters asks for (scaleResolutionDownBy,
 * maxFramerate). */
#define VIDEO_IN "videoconvert ! videoscale ! videorate name=rate drop-only=true ! capsfilter name=shape ! "
#define NACK_FB ",rtcp-fb-nack=(boolean)true,rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true"
/* libvpx realtime, one thread (its worker threads spin-wait: two encoders on two cores starved
 * each other), CBR with frame dropping and a 1 s buffer so that a new maxBitrate holds within a
 * second. */
#define VPX_RT "deadline=1 cpu-used=8 end-usage=cbr target-bitrate=1000000 lag-in-frames=0 keyframe-max-dist=120 " \
               "threads=1 dropframe-threshold=30 buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600 undershoot=100"

/* Encoders live in element "enc"; bitrate_property is its target. In preference order
 * for sending when nobody chose (setCodecPreferences, or the offer we answer). */
static const codec codecs[] = {
    {"VP8", MPRTC__KIND_VIDEO, 96, 90000, ",clock-rate=90000" NACK_FB,
     VIDEO_IN "vp8enc name=enc " VPX_RT " error-resilient=partitions ! rtpvp8pay picture-id-mode=15-bit mtu=1200",
     "target-bitrate", 1, "rtpvp8depay ! vp8dec ! " VIDEO_OUT},
    {"VP9", MPRTC__KIND_VIDEO, 98, 90000, ",clock-rate=90000" NACK_FB,
     VIDEO_IN "vp9enc name=enc " VPX_RT " ! rtpvp9pay picture-id-mode=15-bit mtu=1200",
     "target-bitrate", 1, "rtpvp9depay ! vp9dec ! " VIDEO_OUT},
    /* Constrained baseline, packetization mode 1: what every browser decodes. x264 (Debian's
     * openh264enc 1.22 fails every frame with libopenh264 2.3: cmInitParaError). */
    {"H264", MPRTC__KIND_VIDEO, 102, 90000,
     ",clock-rate=90000,packetization-mode=(string)1,profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1" NACK_FB,
     VIDEO_IN "x264enc name=enc tune=zerolatency speed-preset=ultrafast bitrate=1000 key-int-max=120 threads=1 "
     "vbv-buf-capacity=1000 ! video/x-h264,profile=constrained-baseline ! h264parse ! "
     "video/x-h264,stream-format=byte-stream,alignment=au ! "
     "rtph264pay config-interval=-1 aggregate-mode=zero-latency mtu=1200",
     "bitrate", 1000, "rtph264depay ! h264parse ! openh264dec ! " VIDEO_OUT},
    {"OPUS", MPRTC__KIND_AUDIO, 111, 48000, ",clock-rate=48000,encoding-params=(string)2,minptime=(string)10,useinbandfec=(string)1",
     "audioconvert ! audioresample ! opusenc name=enc frame-size=20 ! rtpopuspay mtu=1200", "bitrate", 1,
     "rtpopusdepay ! opusdec ! " AUDIO_OUT},
};

static const codec *codec_by_name(const char *name) {
  for (size_t i = 0; name && i < G_N_ELEMENTS(codecs); i++)
    if (g_ascii_strcasecmp(codecs[i].name, name) == 0) return &codecs[i];
  return NULL;
}

/* What a transceiver of kind sends until someone chooses. */
static const codec *default_codec(mprtc__kind kind) {
  for (size_t i = 0; i < G_N_ELEMENTS(codecs); i++)
    if (codecs[i].kind == kind) return &codecs[i];
  return NULL;
}


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

/* ---- receiving ------------------------------------------------------------------------------- */

typedef struct {
  mprtc__sdk *sdk;
  mprtc__source *source;   /* reference */
  mprtc__object *track;   /* reference */
  gint unmuted;
} receive_sink;

static void receive_sink_free(void *data) {
  receive_sink *r = data;
  mprtc__source_unref(r->source);
  mprtc__object_unref(r->track);
  g_free(r);
}

static void emit_unmute(mprtc__object *track, void *unused) { mprtc__object_emit(track, "unmute", json_object()); }

static GstFlowReturn on_decoded(GstAppSink *sink, gpointer data) {
  receive_sink *r = data;
  GstFlowReturn ret = mprtc__source_push_from_appsink(r->source, sink);
  /* W3C: a remote track is muted until media arrives. */
  if (ret == GST_FLOW_OK && g_atomic_int_compare_and_exchange(&r->unmuted, 0, 1))
    mprtc__sdk_post(r->sdk, r->track, emit_unmute, NULL, NULL);
  return ret;
}

static rtp *find_by_gst(mprtc__pc *pc, GstWebRTCRTPTransceiver *gst) {
  for (guint i = 0; i < pc->transceivers->len; i++) {
    rtp *t = pc->transceivers->pdata[i];
    if (t->gst == gst) return t;
  }
  return NULL;
}

/* A sink for media nobody can decode: webrtcbin must not meet a not-linked pad. */
static GstElement *make_discard(void) {
  GstElement *sink = gst_element_factory_make("fakesink", NULL);
  g_object_set(sink, "sync", FALSE, "async", FALSE, NULL);
  return sink;
}

void mprtc__rtp_pad_added(mprtc__pc *pc, GstPad *pad) {
  GstWebRTCRTPTransceiver *gst = NULL;
  g_object_get(pad, "transceiver", &gst, NULL);
  GstCaps *caps = gst_pad_get_current_caps(pad);
  const char *name = caps ? gst_structure_get_string(gst_caps_get_structure(caps, 0), "encoding-name") : NULL;
  const codec *c = codec_by_name(name);
  GstElement *element = NULL;
  receive_sink *r = NULL;
  g_mutex_lock(&pc->rtp_lock);
  rtp *t = gst ? find_by_gst(pc, gst) : NULL;
  if (t && c && c->kind == t->kind && !t->decoding) {
    char *desc = g_strdup_printf("queue max-size-buffers=0 max-size-bytes=0 max-size-time=200000000 ! %s ! "
                                 "appsink name=out sync=false max-buffers=2 drop=true", c->decode);
    GError *error = NULL;
    element = gst_parse_bin_from_description(desc, TRUE, &error);
    g_free(desc);
    if (error) {
      g_printerr("mprtc: cannot decode %s: %s\n", name, error->message);
      g_error_free(error);
      g_clear_object(&element);
    } else {
      t->decoding = TRUE;
      guint ssrc = 0;
      const GstStructure *st = gst_caps_get_structure(caps, 0);
      if (gst_structure_get_uint(st, "ssrc", &ssrc)) t->recv_ssrc = ssrc;
      gst_structure_get_int(st, "payload", &t->recv_pt);
      gst_structure_get_int(st, "clock-rate", &t->recv_clock_rate);
      t->recv_codec = c->name;
      mprtc__rtp_sources_follow(t->sources, pad);
      r = g_new0(receive_sink, 1);
      r->sdk = pc->sdk;
      r->source = mprtc__source_ref(t->recv_source);
      r->track = mprtc__object_ref(t->recv_track);
      GstElement *appsink = gst_bin_get_by_name(GST_BIN(element), "out");
      GstAppSinkCallbacks callbacks = {.new_sample = on_decoded};
      gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, r, receive_sink_free);
      gst_object_unref(appsink);
    }
  }
  g_mutex_unlock(&pc->rtp_lock);
  if (!element) element = make_discard();
  /* webrtcbin's parent, found from the pad: pc->webrtc is the SDK thread's to read. */
  GstObject *webrtc = gst_pad_get_parent(pad);
  GstObject *bin = webrtc ? gst_object_get_parent(webrtc) : NULL;
  if (webrtc) gst_object_unref(webrtc);
  if (bin) {
    gst_bin_add(GST_BIN(bin), element);
    gst_element_sync_state_with_parent(element);
    GstPad *sinkpad = gst_element_get_static_pad(element, "sink");
    gst_pad_link(pad, sinkpad);
    gst_object_unref(sinkpad);
    gst_object_unref(bin);
  } else {
    gst_object_unref(element);
  }
  if (caps) gst_caps_unref(caps);
  if (gst) gst_object_unref(gst);
}

/* ---- sending --------------------------------------------------------------------------------- */

/* Source thread, source lock held: hands a sample to the branch's appsrc without blocking. The
 * branch stamps it with its own clock (do-timestamp): capture clocks are other pipelines'. */
static void push_to_sender(GstSample *sample, void *data) {
  GstAppSrc *src = data;
  GstCaps *caps = gst_sample_get_caps(sample);
  GstCaps *current = gst_app_src_get_caps(src);
  if (caps && (!current || !gst_caps_is_equal(current, caps))) gst_app_src_set_caps(src, caps);
  if (current) gst_caps_unref(current);
  GstBuffer *buf = gst_buffer_copy(gst_sample_get_buffer(sample));
  GST_BUFFER_PTS(buf) = GST_BUFFER_DTS(buf) = GST_CLOCK_TIME_NONE;
  gst_app_src_push_buffer(src, buf);
}

static mprtc__track *track_impl(mprtc__object *obj) { return obj ? obj->impl : NULL; }

static void detach_track(rtp *t) {
  if (!t->send_track) return;
  mprtc__track *tr = track_impl(t->send_track);
  if (tr->tap && t->send_sink) mprtc__tap_remove_sink(tr->tap, t->send_sink);
  t->send_sink = 0;
  mprtc__object_unref(t->send_track);
  t->send_track = NULL;
}

static void attach_track(rtp *t, mprtc__object *track) {
  detach_track(t);
  if (!track) return;
  t->send_track = mprtc__object_ref(track);
  mprtc__track *tr = track->impl;
  if (t->appsrc && tr->tap)
    t->send_sink = mprtc__tap_add_sink(tr->tap, push_to_sender, gst_object_ref(t->appsrc), gst_object_unref);
}

static GstCaps *preference_caps(const codec *c, int pt) {
  char *text = g_strdup_printf("application/x-rtp,media=%s,encoding-name=%s,payload=%d%s",
                               mprtc__kind_name(c->kind), c->name, pt, c->caps_extra);
  GstCaps *caps = gst_caps_from_string(text);
  g_free(text);
  return caps;
}

/* The codecs t offers or answers with, in order: setCodecPreferences' list, or what it sends. */
static void update_preferences(rtp *t) {
  if (!t->gst) return;
  GstCaps *all = gst_caps_new_empty();
  for (guint i = 0; t->codec_order && i < t->codec_order->len; i++) {
    const codec *c = t->codec_order->pdata[i];
    gst_caps_append(all, preference_caps(c, c == t->send ? t->pt : c->default_pt));
  }
  if (!t->codec_order) gst_caps_append(all, preference_caps(t->send, t->pt));
  g_object_set(t->gst, "codec-preferences", all, NULL);
  gst_caps_unref(all);
}

/* What leaves the payloader: our payload type and SSRC. webrtcbin 1.22 announces the SSRC of
 * these caps in the SDP it creates (it reads them from the pad), and the payloader takes it from
 * them; without one, an answer made before media flowed announces none, and the peer's
 * webrtcbin then hands our packets to the wrong m-line. */
static GstCaps *payload_caps(const rtp *t) {
  return gst_caps_new_simple("application/x-rtp", "payload", G_TYPE_INT, t->pt, "ssrc", G_TYPE_UINT, t->ssrc, NULL);
}

/* Sends with payload type pt (the peer's for our codec), in the branch and in the codec
 * preferences webrtcbin answers with. */
static void set_payload_type(rtp *t, int pt) {
  if (!t->payload_filter || pt == t->pt) return;
  t->pt = pt;
  GstCaps *caps = payload_caps(t);
  g_object_set(t->payload_filter, "caps", caps, NULL);
  gst_caps_unref(caps);
  update_preferences(t);
}

/* Streaming thread: counts what the video encoder produces, for getStats. */
static GstPadProbeReturn count_encoded(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
  mprtc__encoded *e = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER(info);
  if (GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_HEADER)) return GST_PAD_PROBE_OK;
  g_atomic_int_inc(&e->frames);
  if (!GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_DELTA_UNIT)) g_atomic_int_inc(&e->key_frames);
  return GST_PAD_PROBE_OK;
}

static void apply_encoding(rtp *t, json_t *e);

/* The branch that encodes t->send with t->pt, linked to t->sink_pad. */
static gboolean build_branch(mprtc__pc *pc, rtp *t) {
  char *desc = g_strdup_printf("appsrc name=src format=time is-live=true do-timestamp=true max-buffers=3 ! "
                               "valve name=valve ! queue max-size-buffers=2 leaky=downstream ! %s ! capsfilter name=pt",
                               t->send->encode);
  GError *error = NULL;
  GstElement *bin = gst_parse_bin_from_description(desc, TRUE, &error);
  g_free(desc);
  if (error) {
    g_printerr("mprtc: cannot build a %s sender: %s\n", t->send->name, error->message);
    g_error_free(error);
    if (bin) gst_object_unref(bin);
    return FALSE;
  }
  GstElement *filter = gst_bin_get_by_name(GST_BIN(bin), "pt");
  GstCaps *out = payload_caps(t);
  g_object_set(filter, "caps", out, NULL);
  gst_caps_unref(out);
  gst_object_unref(filter); /* the bin holds it */
  gst_bin_add(GST_BIN(pc->pipeline), bin);
  GstPad *src = gst_element_get_static_pad(bin, "src");
  GstPadLinkReturn linked = gst_pad_link(src, t->sink_pad);
  gst_object_unref(src);
  if (linked != GST_PAD_LINK_OK) g_printerr("mprtc: webrtcbin refused a %s sender (%s)\n", t->send->name, gst_pad_link_get_name(linked));
  t->send_bin = bin;
  t->appsrc = gst_bin_get_by_name(GST_BIN(bin), "src");
  gst_util_set_object_arg(G_OBJECT(t->appsrc), "leaky-type", "downstream");
  t->payload_filter = filter;
  if (t->kind == MPRTC__KIND_VIDEO) {
    GstElement *enc = gst_bin_get_by_name(GST_BIN(bin), "enc");
    GstPad *enc_src = gst_element_get_static_pad(enc, "src");
    gst_pad_add_probe(enc_src, GST_PAD_PROBE_TYPE_BUFFER, count_encoded, g_atomic_rc_box_acquire(t->encoded),
                      (GDestroyNotify)g_atomic_rc_box_release);
    gst_object_unref(enc_src);
    gst_object_unref(enc);
  }
  if (t->encoding) apply_encoding(t, t->encoding);
  gst_element_sync_state_with_parent(bin);
  return TRUE;
}

/* Requests webrtcbin's pad named pad_name (NULL: any) for t and builds its sending branch with
 * payload type pt. FALSE when webrtcbin refuses the pad. */
static gboolean build_sender(mprtc__pc *pc, rtp *t, const char *pad_name, int pt) {
  t->pt = pt;
  GstCaps *caps = preference_caps(t->send, pt);
  GstPadTemplate *templ = gst_element_get_pad_template(pc->webrtc, "sink_%u");
  GstPad *pad = gst_element_request_pad(pc->webrtc, templ, pad_name, caps);
  gst_caps_unref(caps);
  if (!pad) return FALSE;
  if (t->msid) g_object_set(pad, "msid", t->msid, NULL);
  t->sink_pad = pad;
  if (!t->gst) g_object_get(pad, "transceiver", &t->gst, NULL);
  return build_branch(pc, t);
}

/* Sends codec c with payload type pt from now on: a new branch on the same webrtcbin pad, the
 * track moved over. */
static gboolean switch_codec(mprtc__pc *pc, rtp *t, const codec *c, int pt) {
  if (c == t->send) {
    set_payload_type(t, pt);
    return TRUE;
  }
  mprtc__object *track = t->send_track ? mprtc__object_ref(t->send_track) : NULL;
  detach_track(t);
  if (t->send_bin) {
    GstPad *src = gst_element_get_static_pad(t->send_bin, "src");
    gst_pad_unlink(src, t->sink_pad);
    gst_object_unref(src);
    gst_element_set_state(t->send_bin, GST_STATE_NULL);
    gst_bin_remove(GST_BIN(pc->pipeline), t->send_bin);
    t->send_bin = NULL;
    t->payload_filter = NULL;
    gst_clear_object(&t->appsrc);
  }
  t->send = c;
  t->pt = pt;
  /* First: webrtcbin's pad accepts only caps its transceiver's preferences allow. */
  update_preferences(t);
  gboolean ok = !t->sink_pad || build_branch(pc, t);
  attach_track(t, track);
  if (track) mprtc__object_unref(track);
  return ok;
}

/* ---- transceivers ---------------------------------------------------------------------------- */

static rtp *register_transceiver(mprtc__pc *pc, GstWebRTCRTPTransceiver *gst, mprtc__kind kind) {
  rtp *t = g_new0(rtp, 1);
  t->index = pc->next_transceiver++;
  t->gst = gst ? gst_object_ref(gst) : NULL;
  t->kind = kind;
  t->pt = -1;
  t->send = default_codec(kind);
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

/* Whether the fmtp of payload type pt in m says what codec c needs: for H264 packetization
 * mode 1 and the constrained baseline profile we encode. */
static gboolean fmtp_fits(const GstSDPMedia *m, int pt, const codec *c) {
  if (strcmp(c->name, "H264") != 0) return TRUE;
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    int fpt;
    if (strcmp(a->key, "fmtp") != 0 || !a->value || sscanf(a->value, "%d", &fpt) != 1 || fpt != pt) continue;
    char *lower = g_ascii_strdown(a->value, -1);
    gboolean fits = strstr(lower, "packetization-mode=1") && strstr(lower, "profile-level-id=42e01f");
    g_free(lower);
    return fits;
  }
  return FALSE;
}

/* The remote description's payload type for codec c in m-line mline, or -1. */
static int remote_pt(GstSDPMessage *sdp, guint mline, const codec *c) {
  if (!sdp || mline >= gst_sdp_message_medias_len(sdp)) return -1;
  const GstSDPMedia *m = gst_sdp_message_get_media(sdp, mline);
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    int pt;
    char name[32];
    if (strcmp(a->key, "rtpmap") == 0 && a->value && sscanf(a->value, "%d %31[^/]", &pt, name) == 2 &&
        g_ascii_strcasecmp(name, c->name) == 0 && fmtp_fits(m, pt, c))
      return pt;
  }
  return -1;
}

/* The codec t is to send on m-line mline of the remote description, in t's order (its
 * setCodecPreferences, or the table's), with the peer's payload type; NULL if none fits. */
static const codec *choose_codec(rtp *t, GstSDPMessage *sdp, guint mline, int *pt) {
  for (size_t i = 0; i < (t->codec_order ? t->codec_order->len : G_N_ELEMENTS(codecs)); i++) {
    const codec *c = t->codec_order ? t->codec_order->pdata[i] : &codecs[i];
    if (c->kind == t->kind && (*pt = remote_pt(sdp, mline, c)) >= 0) return c;
  }
  return NULL;
}

/* The msid stream IDs m-line mline of the remote description announces (a=msid, or without
 * one the ssrc-level msid older webrtcbins write), "-" excluded. */
static GPtrArray *remote_msids(GstSDPMessage *sdp, guint mline) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  if (!sdp || mline >= gst_sdp_message_medias_len(sdp)) return out;
  const GstSDPMedia *m = gst_sdp_message_get_media(sdp, mline);
  gboolean media_level = gst_sdp_media_get_attribute_val(m, "msid") != NULL;
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    const char *v = a->value;
    if (!v) continue;
    if (strcmp(a->key, "ssrc") == 0) {
      if (media_level) continue;
      v = strstr(v, " msid:");
      if (!v) continue;
      v += 6;
    } else if (strcmp(a->key, "msid") != 0) {
      continue;
    }
    char *id = g_strndup(v, strcspn(v, " "));
    gboolean seen = strcmp(id, "-") == 0 || !*id;
    for (guint k = 0; k < out->len && !seen; k++) seen = strcmp(out->pdata[k], id) == 0;
    if (seen) g_free(id);
    else g_ptr_array_add(out, id);
  }
  return out;
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
    GPtrArray *ids = remote_msids(remote, mline);
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
    if (find_by_gst(pc, gst)) continue;
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
    const codec *c = remote ? choose_codec(t, remote, mprtc__rtp_mline(t), &pt) : NULL;
    if (c) switch_codec(pc, t, c, pt);
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
  mprtc__object *obj = json_is_integer(v) ? mprtc__registry_lookup(call->app, json_integer_value(v)) : NULL;
  if (!obj || obj->klass != &mprtc__track_class) {
    *bad = TRUE;
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'track' is not an open MediaStreamTrack of this app", call->req.method);
  }
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
  if (!build_sender(pc, t, NULL, pt)) return NULL;
  update_preferences(t);
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
                                             default_codec(kind)->default_pt);
    if (!chosen) continue;
    if (chosen->planned_mline < 0 && mprtc__rtp_mline(chosen) == G_MAXUINT) chosen->planned_mline = (int)i;
    /* Answer with the codec of ours the offer has first (an H264-only offer gets H264). */
    int pt;
    const codec *c = choose_codec(chosen, sdp, i, &pt);
    if (c) switch_codec(pc, chosen, c, pt);
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
  if (track && track_impl(track)->kind != kind) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: the track is not of kind %s", call->req.method, kind_name);
    return;
  }
  rtp *t = create_transceiver(pc, kind, dir, first_stream(call), default_codec(kind)->default_pt);
  if (!t) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin refused a new %s transceiver", call->req.method, kind_name);
    return;
  }
  attach_track(t, track);
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
  if (track && track_impl(track)->kind != t->kind) {
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
    const codec *c = choose_codec(t, remote_sdp(pc, &holder), mline, &pt);
    if (holder) gst_webrtc_session_description_free(holder);
    if (c) t->send = c;
    char pad_name[32];
    g_snprintf(pad_name, sizeof pad_name, "sink_%u", mline);
    if (mline == G_MAXUINT || !build_sender(pc, t, pad_name, pt >= 0 ? pt : t->send->default_pt)) {
      mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin refused a sending branch for m-line %d", call->req.method, (int)mline);
      return;
    }
  }
  json_t *encoding = json_object_get(call->req.params, "encoding");
  if (encoding && !encoding_valid(call, encoding)) return;
  if (encoding) {
    json_decref(t->encoding);
    t->encoding = json_incref(encoding);
    apply_encoding(t, encoding);
  }
  json_t *codec_names = json_object_get(call->req.params, "codecs");
  if (codec_names && !set_codec_order(call, pc, t, codec_names)) return;
  if (json_object_get(call->req.params, "track")) attach_track(t, track);
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

static void apply_encoding(rtp *t, json_t *e) {
  if (!t->send_bin) return;
  GstElement *valve = gst_bin_get_by_name(GST_BIN(t->send_bin), "valve");
  GstElement *enc = gst_bin_get_by_name(GST_BIN(t->send_bin), "enc");
  GstElement *shape = gst_bin_get_by_name(GST_BIN(t->send_bin), "shape");
  GstElement *rate = gst_bin_get_by_name(GST_BIN(t->send_bin), "rate");
  g_object_set(valve, "drop", json_is_false(json_object_get(e, "active")), NULL);
  json_int_t bitrate = json_integer_value(json_object_get(e, "maxBitrate"));
  if (t->kind == MPRTC__KIND_VIDEO) {
    /* The encoders' target when no maximum is set. */
    g_object_set(enc, t->send->bitrate_property,
                 (int)(CLAMP(bitrate ? bitrate : 1000000, 10000, 20000000) / t->send->bitrate_unit), NULL);
    json_int_t w = json_integer_value(json_object_get(e, "width")), h = json_integer_value(json_object_get(e, "height"));
    GstCaps *caps = w > 0 && h > 0 ? gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, (int)(w & ~1),
                                                         "height", G_TYPE_INT, (int)(h & ~1), NULL)
                                   : gst_caps_new_empty_simple("video/x-raw");
    g_object_set(shape, "caps", caps, NULL);
    gst_caps_unref(caps);
    json_int_t fps = json_integer_value(json_object_get(e, "maxFramerate"));
    g_object_set(rate, "max-rate", fps > 0 ? (int)fps : G_MAXINT, NULL);
  } else {
    g_object_set(enc, t->send->bitrate_property, (int)(CLAMP(bitrate ? bitrate : 64000, 4000, 650000) / t->send->bitrate_unit),
                 NULL);
  }
  gst_object_unref(valve);
  gst_object_unref(enc);
  if (shape) gst_object_unref(shape);
  if (rate) gst_object_unref(rate);
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
    const codec *c = codec_by_name(json_string_value(v));
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
  const codec *first = t->codec_order ? t->codec_order->pdata[0] : default_codec(t->kind);
  if (mprtc__rtp_mline(t) == G_MAXUINT) switch_codec(pc, t, first, first->default_pt);
  else update_preferences(t);
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
    detach_track(t);
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
