/* The codecs this engine sends and receives: how each is encoded, payloaded, depayloaded and
 * decoded (GStreamer pipeline descriptions), the caps it is offered with, and which one of ours
 * fits what a peer's description offers.
 *
 * Thread rules: the table is constant; the functions are pure.
 */
#include <gst/sdp/sdp.h>
#include <string.h>

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

const codec *mprtc__codec_by_name(const char *name) {
  for (size_t i = 0; name && i < G_N_ELEMENTS(codecs); i++)
    if (g_ascii_strcasecmp(codecs[i].name, name) == 0) return &codecs[i];
  return NULL;
}

/* What a transceiver of kind sends until someone chooses. */
const codec *mprtc__codec_default(mprtc__kind kind) {
  for (size_t i = 0; i < G_N_ELEMENTS(codecs); i++)
    if (codecs[i].kind == kind) return &codecs[i];
  return NULL;
}

GstCaps *mprtc__codec_caps(const codec *c, int pt) {
  char *text = g_strdup_printf("application/x-rtp,media=%s,encoding-name=%s,payload=%d%s",
                               mprtc__kind_name(c->kind), c->name, pt, c->caps_extra);
  GstCaps *caps = gst_caps_from_string(text);
  g_free(text);
  return caps;
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
static int remote_pt(const GstSDPMessage *sdp, guint mline, const codec *c) {
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

const codec *mprtc__codec_choose(const GPtrArray *order, mprtc__kind kind, const GstSDPMessage *sdp, guint mline,
                                 int *pt) {
  for (size_t i = 0; i < (order ? order->len : G_N_ELEMENTS(codecs)); i++) {
    const codec *c = order ? order->pdata[i] : &codecs[i];
    if (c->kind == kind && (*pt = remote_pt(sdp, mline, c)) >= 0) return c;
  }
  return NULL;
}
