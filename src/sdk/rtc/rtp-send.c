/* Sending RTP: a track's samples (src/sdk/media/source.h) go into an appsrc of a branch in the
 * connection's pipeline: appsrc -> valve -> queue -> encoder -> payloader -> capsfilter (payload
 * type and SSRC) -> a sink pad of webrtcbin. replaceTrack only moves the branch's sink to another
 * track: no renegotiation, and the encoder keeps running. setParameters acts on the branch's
 * valve, encoder, scaler and rate.
 *
 * Thread rules: SDK thread, except push_to_sender (a source's thread) and count_encoded (a
 * streaming thread).
 */
#include <gst/app/gstappsrc.h>
#include <string.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"

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

void mprtc__rtp_detach_track(rtp *t) {
  if (!t->send_track) return;
  mprtc__track *tr = mprtc__track_of(t->send_track);
  if (tr->tap && t->send_sink) mprtc__tap_remove_sink(tr->tap, t->send_sink);
  t->send_sink = 0;
  mprtc__object_unref(t->send_track);
  t->send_track = NULL;
}

void mprtc__rtp_attach_track(rtp *t, mprtc__object *track) {
  mprtc__rtp_detach_track(t);
  if (!track) return;
  t->send_track = mprtc__object_ref(track);
  mprtc__track *tr = track->impl;
  if (t->appsrc && tr->tap)
    t->send_sink = mprtc__tap_add_sink(tr->tap, push_to_sender, gst_object_ref(t->appsrc), gst_object_unref);
}

/* The codecs t offers or answers with, in order: setCodecPreferences' list, or what it sends. */
void mprtc__rtp_update_preferences(rtp *t) {
  if (!t->gst) return;
  GstCaps *all = gst_caps_new_empty();
  for (guint i = 0; t->codec_order && i < t->codec_order->len; i++) {
    const codec *c = t->codec_order->pdata[i];
    gst_caps_append(all, mprtc__codec_caps(c, c == t->send ? t->pt : c->default_pt));
  }
  if (!t->codec_order) gst_caps_append(all, mprtc__codec_caps(t->send, t->pt));
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
void mprtc__rtp_set_payload_type(rtp *t, int pt) {
  if (!t->payload_filter || pt == t->pt) return;
  t->pt = pt;
  GstCaps *caps = payload_caps(t);
  g_object_set(t->payload_filter, "caps", caps, NULL);
  gst_caps_unref(caps);
  mprtc__rtp_update_preferences(t);
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
  if (t->encoding) mprtc__rtp_apply_encoding(t, t->encoding);
  gst_element_sync_state_with_parent(bin);
  return TRUE;
}

/* Requests webrtcbin's pad named pad_name (NULL: any) for t and builds its sending branch with
 * payload type pt. FALSE when webrtcbin refuses the pad. */
gboolean mprtc__rtp_build_sender(mprtc__pc *pc, rtp *t, const char *pad_name, int pt) {
  t->pt = pt;
  GstCaps *caps = mprtc__codec_caps(t->send, pt);
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
gboolean mprtc__rtp_switch_codec(mprtc__pc *pc, rtp *t, const codec *c, int pt) {
  if (c == t->send) {
    mprtc__rtp_set_payload_type(t, pt);
    return TRUE;
  }
  mprtc__object *track = t->send_track ? mprtc__object_ref(t->send_track) : NULL;
  mprtc__rtp_detach_track(t);
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
  mprtc__rtp_update_preferences(t);
  gboolean ok = !t->sink_pad || build_branch(pc, t);
  mprtc__rtp_attach_track(t, track);
  if (track) mprtc__object_unref(track);
  return ok;
}

/* RTCRtpSender.setParameters, as the base library resolved it (src/sdk/rtc/rtp.c checks it). */
void mprtc__rtp_apply_encoding(rtp *t, json_t *e) {
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
