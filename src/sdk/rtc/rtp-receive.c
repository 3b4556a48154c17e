/* Receiving RTP: each src pad webrtcbin adds gets a depayloader and decoder ending in an appsink
 * that feeds the receiver's source, whose tap is the remote MediaStreamTrack.
 *
 * Thread rules: mprtc__rtp_pad_added runs on a streaming thread, under rtp_lock; the appsink
 * callbacks on the decoder's streaming thread.
 */
#include <gst/app/gstappsink.h>
#include <string.h>

#include "sdk/media/media.h"
#include "sdk/rtc/rtp-internal.h"

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

rtp *mprtc__rtp_find_by_gst(mprtc__pc *pc, GstWebRTCRTPTransceiver *gst) {
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
  const codec *c = mprtc__codec_by_name(name);
  GstElement *element = NULL;
  receive_sink *r = NULL;
  g_mutex_lock(&pc->rtp_lock);
  rtp *t = gst ? mprtc__rtp_find_by_gst(pc, gst) : NULL;
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
