/* Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions),
 * so that a browser sending to us adapts its bitrate to the path.
 *
 * A browser's sender estimates the bandwidth from feedback its receiver sends about every packet
 * (RTCP transport-cc); without any it stays near its start rate and ramps up only on the slow
 * loss-based path. GStreamer 1.22's RTP session writes that feedback for packets that carry the
 * transport-wide sequence number, once the extension's ID is in the payload-type map webrtcbin
 * builds from the negotiated answer (its a=extmap). webrtcbin writes a=rtcp-fb transport-cc
 * itself, but a=extmap only for header extensions in codec preferences, and it never copies one
 * from an offer into its answer. Putting the extension into codec preferences would also put it
 * into the send caps, where bundled streams must all agree on its ID before the peer told us
 * its own. So the SDK adds the a=extmap line to the descriptions it creates: ours keep one ID
 * for the whole connection (the peer's, once it offered one), and an answer has the line only
 * where the offer had it (RFC 8285).
 *
 * The feedback itself is sent every FEEDBACK_INTERVAL instead of GStreamer's default (one per
 * packet with the marker bit, i.e. per video frame), so that audio-only calls get it too.
 *
 * Thread rules: mprtc__twcc_annotate on the SDK thread; mprtc__twcc_tune_session on any thread.
 */
#include <gst/sdp/sdp.h>
#include <stdlib.h>
#include <string.h>

#include "sdk/rtc/rtc.h"

#define TWCC_URI "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
/* The ID browsers use for it, taken for our offers unless the m-section has it for another. */
#define TWCC_PREFERRED_ID 3
#define FEEDBACK_INTERVAL (50 * GST_MSECOND)

static gboolean is_rtp_media(const GstSDPMedia *m) {
  const char *media = gst_sdp_media_get_media(m);
  return media && (strcmp(media, "audio") == 0 || strcmp(media, "video") == 0);
}

/* The ID m maps uri to, or 0. One-byte header IDs only (1-14): what GStreamer parses. */
static int extmap_id(const GstSDPMedia *m, const char *uri) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    if (strcmp(a->key, "extmap") != 0 || !a->value) continue;
    char *end;
    long id = strtol(a->value, &end, 10);
    if (end == a->value || id < 1 || id > 14) continue;
    end += strcspn(end, " "); /* a direction ("/sendrecv") may follow the ID */
    while (*end == ' ') end++;
    size_t len = strcspn(end, " ");
    if (len == strlen(uri) && strncmp(end, uri, len) == 0) return (int)id;
  }
  return 0;
}

static gboolean id_taken(const GstSDPMedia *m, int id) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    if (strcmp(a->key, "extmap") == 0 && a->value && atoi(a->value) == id) return TRUE;
  }
  return FALSE;
}

static void add_extmap(GstSDPMedia *m, int id) {
  if (extmap_id(m, TWCC_URI) || id_taken(m, id)) return;
  char *value = g_strdup_printf("%d %s", id, TWCC_URI);
  gst_sdp_media_add_attribute(m, "extmap", value);
  g_free(value);
}

/* The peer's ID for the extension in any m-section of its offer, or 0. */
static int offered_id(GstSDPMessage *offer) {
  for (guint i = 0; offer && i < gst_sdp_message_medias_len(offer); i++) {
    int id = extmap_id(gst_sdp_message_get_media(offer, i), TWCC_URI);
    if (id) return id;
  }
  return 0;
}

void mprtc__twcc_annotate(mprtc__pc *pc, GstSDPMessage *sdp, GstWebRTCSDPType type) {
  GstWebRTCSessionDescription *remote = NULL;
  g_object_get(pc->webrtc, "remote-description", &remote, NULL);
  GstSDPMessage *peer = remote ? remote->sdp : NULL;
  if (type == GST_WEBRTC_SDP_TYPE_ANSWER) {
    /* Only where the offer has it, with the offer's ID. */
    for (guint i = 0; peer && i < gst_sdp_message_medias_len(sdp) && i < gst_sdp_message_medias_len(peer); i++) {
      GstSDPMedia *m = (GstSDPMedia *)gst_sdp_message_get_media(sdp, i);
      int id = extmap_id(gst_sdp_message_get_media(peer, i), TWCC_URI);
      if (id && is_rtp_media(m)) add_extmap(m, id);
    }
    if (!pc->twcc_id) pc->twcc_id = offered_id(peer);
  } else if (type == GST_WEBRTC_SDP_TYPE_OFFER) {
    if (!pc->twcc_id) pc->twcc_id = offered_id(peer);
    if (!pc->twcc_id) pc->twcc_id = TWCC_PREFERRED_ID;
    for (guint i = 0; i < gst_sdp_message_medias_len(sdp); i++) {
      GstSDPMedia *m = (GstSDPMedia *)gst_sdp_message_get_media(sdp, i);
      if (is_rtp_media(m)) add_extmap(m, pc->twcc_id);
    }
  }
  if (remote) gst_webrtc_session_description_free(remote);
}

void mprtc__twcc_tune_session(GstElement *element) {
  if (strcmp(G_OBJECT_TYPE_NAME(element), "GstRtpSession") != 0) return;
  GObject *session = NULL;
  g_object_get(element, "internal-session", &session, NULL);
  if (!session) return;
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(session), "twcc-feedback-interval"))
    g_object_set(session, "twcc-feedback-interval", (guint64)FEEDBACK_INTERVAL, NULL);
  g_object_unref(session);
}
