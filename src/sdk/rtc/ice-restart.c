/* ICE restarts (webrtc-pc restartIce(), RFC 8445 §9) on webrtcbin 1.22, which has none: it keeps
 * the credentials of its last description in every offer and answer it makes ("FIXME: deal with
 * ICE restarts"), and never restarts its libnice streams. So:
 *
 * - An offer made for a restart (createOffer {iceRestart}) and an answer to a restarting offer get
 *   fresh ice-ufrag/ice-pwd here (mprtc__ice_renew_credentials); every other description keeps
 *   those of the current local one (mprtc__ice_keep_credentials), as webrtcbin would otherwise
 *   go back to the credentials of the last description it made itself.
 * - Setting a description whose credentials differ from the current ones of its side restarts the
 *   connection's libnice streams first (nice_agent_restart_stream: its check lists and the peer's
 *   candidates go, the selected pair carries the media until a new one is chosen), once per
 *   restart: the offerer at its local offer, the answerer at the remote one. webrtcbin then hands
 *   libnice the description's credentials, as for any description.
 * - libnice keeps its local candidates across a restart and the peer dropped them: once the
 *   restarted local description is set, they are announced again, with the gathering states a
 *   browser would go through (gathering, candidates, complete).
 *
 * Thread rules: SDK thread.
 */
#include <agent.h>
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/rtc/rtc.h"

static const char *media_attribute(const GstSDPMessage *sdp, const char *key) {
  for (guint i = 0; i < gst_sdp_message_medias_len(sdp); i++) {
    const char *v = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(sdp, i), key);
    if (v) return v;
  }
  return gst_sdp_message_get_attribute_val(sdp, key);
}

gboolean mprtc__ice_credentials_differ(const GstSDPMessage *a, const GstSDPMessage *b) {
  const char *ua = media_attribute(a, "ice-ufrag"), *ub = media_attribute(b, "ice-ufrag");
  const char *pa = media_attribute(a, "ice-pwd"), *pb = media_attribute(b, "ice-pwd");
  return g_strcmp0(ua, ub) != 0 || g_strcmp0(pa, pb) != 0;
}

/* len characters of the ice-char set (RFC 8839: ALPHA / DIGIT / "+" / "/"). */
static char *ice_chars(int len) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *s = g_malloc(len + 1);
  for (int i = 0; i < len; i++) s[i] = alphabet[g_random_int_range(0, sizeof alphabet - 1)];
  s[len] = '\0';
  return s;
}

static void replace_attribute(GstSDPMedia *m, const char *key, const char *value) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    if (strcmp(gst_sdp_media_get_attribute(m, i)->key, key) != 0) continue;
    GstSDPAttribute fresh;
    gst_sdp_attribute_set(&fresh, key, value);
    gst_sdp_media_replace_attribute(m, i, &fresh);
  }
}

static void set_credentials(GstSDPMessage *sdp, const char *ufrag, const char *pwd) {
  for (guint i = 0; i < gst_sdp_message_medias_len(sdp); i++) {
    GstSDPMedia *m = (GstSDPMedia *)gst_sdp_message_get_media(sdp, i);
    replace_attribute(m, "ice-ufrag", ufrag);
    replace_attribute(m, "ice-pwd", pwd);
  }
}

void mprtc__ice_renew_credentials(mprtc__pc *pc, GstSDPMessage *sdp, gboolean answer) {
  /* One pair for every m-section: bundled ones must agree, and webrtcbin makes them alike. The
   * answer to a restart takes the pair its restart gave libnice already. */
  if (answer && pc->restart_ufrag) {
    set_credentials(sdp, pc->restart_ufrag, pc->restart_pwd);
    return;
  }
  char *ufrag = ice_chars(8), *pwd = ice_chars(24);
  set_credentials(sdp, ufrag, pwd);
  g_free(ufrag);
  g_free(pwd);
}

void mprtc__ice_keep_credentials(mprtc__pc *pc, GstSDPMessage *sdp) {
  GstWebRTCSessionDescription *current = NULL;
  g_object_get(pc->webrtc, "current-local-description", &current, NULL);
  if (!current) return;
  for (guint i = 0; i < gst_sdp_message_medias_len(sdp); i++) {
    /* An m-section new since: the credentials of the first (bundled, they are the same). */
    const GstSDPMedia *was = gst_sdp_message_get_media(current->sdp, MIN(i, gst_sdp_message_medias_len(current->sdp) - 1));
    const char *ufrag = was ? gst_sdp_media_get_attribute_val(was, "ice-ufrag") : NULL;
    const char *pwd = was ? gst_sdp_media_get_attribute_val(was, "ice-pwd") : NULL;
    GstSDPMedia *m = (GstSDPMedia *)gst_sdp_message_get_media(sdp, i);
    if (ufrag && pwd) {
      replace_attribute(m, "ice-ufrag", ufrag);
      replace_attribute(m, "ice-pwd", pwd);
    }
  }
  gst_webrtc_session_description_free(current);
}

/* The libnice streams of the connection, with the m-line whose candidates they gather (the
 * lowest that uses them: the bundle's first). */
typedef struct {
  guint stream_id;
  guint mline;
} ice_stream;

static void add_stream_of(GArray *streams, GObject *dtls, guint mline) {
  GObject *ice = NULL, *stream = NULL;
  if (dtls) g_object_get(dtls, "transport", &ice, NULL);
  if (ice && g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "stream")) g_object_get(ice, "stream", &stream, NULL);
  if (stream) {
    guint id = 0;
    g_object_get(stream, "stream-id", &id, NULL);
    gboolean known = FALSE;
    for (guint i = 0; i < streams->len; i++) {
      ice_stream *s = &g_array_index(streams, ice_stream, i);
      if (s->stream_id == id) {
        s->mline = MIN(s->mline, mline);
        known = TRUE;
      }
    }
    if (!known) g_array_append_val(streams, ((ice_stream){id, mline}));
    g_object_unref(stream);
  }
  if (ice) g_object_unref(ice);
}

/* The m-line of the application section in webrtcbin's local description, or G_MAXUINT. */
static guint application_mline(mprtc__pc *pc) {
  GstWebRTCSessionDescription *local = NULL;
  g_object_get(pc->webrtc, "local-description", &local, NULL);
  guint mline = G_MAXUINT;
  for (guint i = 0; local && i < gst_sdp_message_medias_len(local->sdp) && mline == G_MAXUINT; i++)
    if (!g_strcmp0(gst_sdp_media_get_media(gst_sdp_message_get_media(local->sdp, i)), "application")) mline = i;
  if (local) gst_webrtc_session_description_free(local);
  return mline;
}

static GArray *connection_streams(mprtc__pc *pc) {
  GArray *streams = g_array_new(FALSE, FALSE, sizeof(ice_stream));
  GArray *transceivers = NULL;
  g_signal_emit_by_name(pc->webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers && i < transceivers->len; i++) {
    GstWebRTCRTPTransceiver *t = g_array_index(transceivers, GstWebRTCRTPTransceiver *, i);
    GObject *sender = NULL, *dtls = NULL;
    guint mline = G_MAXUINT;
    g_object_get(t, "sender", &sender, "mlineindex", &mline, NULL);
    if (sender) g_object_get(sender, "transport", &dtls, NULL);
    add_stream_of(streams, dtls, mline);
    if (dtls) g_object_unref(dtls);
    if (sender) g_object_unref(sender);
  }
  if (transceivers) g_array_unref(transceivers);
  GObject *sctp = NULL, *dtls = NULL;
  g_object_get(pc->webrtc, "sctp-transport", &sctp, NULL);
  if (sctp) g_object_get(sctp, "transport", &dtls, NULL);
  add_stream_of(streams, dtls, application_mline(pc));
  if (dtls) g_object_unref(dtls);
  if (sctp) g_object_unref(sctp);
  return streams;
}

static NiceAgent *nice_agent_of(mprtc__pc *pc) {
  GObject *ice = NULL, *agent = NULL;
  g_object_get(pc->webrtc, "ice-agent", &ice, NULL);
  if (ice && g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent")) g_object_get(ice, "agent", &agent, NULL);
  if (ice) g_object_unref(ice);
  return (NiceAgent *)agent;
}

void mprtc__ice_restart(mprtc__pc *pc, gboolean local_offer) {
  NiceAgent *agent = nice_agent_of(pc);
  if (!agent) return;
  GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  g_object_get(pc->webrtc, "ice-connection-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_NEW && pc->sctp_ice) g_object_get(pc->sctp_ice, "state", &state, NULL);
  pc->ice_restart_from = (int)state;
  /* The answerer's restart comes with the peer's offer, before its own answer: libnice gets the
   * answer's credentials now, so that the checks it starts on the peer's candidates meanwhile
   * carry the credentials the peer will have (with libnice's own random ones they fail). */
  g_free(pc->restart_ufrag);
  g_free(pc->restart_pwd);
  pc->restart_ufrag = local_offer ? NULL : ice_chars(8);
  pc->restart_pwd = local_offer ? NULL : ice_chars(24);
  GArray *streams = connection_streams(pc);
  for (guint i = 0; i < streams->len; i++) {
    guint id = g_array_index(streams, ice_stream, i).stream_id;
    nice_agent_restart_stream(agent, id);
    if (pc->restart_ufrag) nice_agent_set_local_credentials(agent, id, pc->restart_ufrag, pc->restart_pwd);
  }
  g_array_unref(streams);
  g_object_unref(agent);
}

void mprtc__ice_restart_done(mprtc__pc *pc) {
  pc->ice_restarting = FALSE;
  g_clear_pointer(&pc->restart_ufrag, g_free);
  g_clear_pointer(&pc->restart_pwd, g_free);
}

void mprtc__ice_announce_local_candidates(mprtc__pc *pc) {
  NiceAgent *agent = nice_agent_of(pc);
  if (!agent) return;
  mprtc__object_emit(pc->obj, "icegatheringstatechange", json_pack("{s:s}", "state", "gathering"));
  GArray *streams = connection_streams(pc);
  for (guint i = 0; i < streams->len; i++) {
    ice_stream *s = &g_array_index(streams, ice_stream, i);
    if (s->mline == G_MAXUINT) continue;
    GSList *candidates = nice_agent_get_local_candidates(agent, s->stream_id, NICE_COMPONENT_TYPE_RTP);
    for (GSList *l = candidates; l; l = l->next) {
      char *line = nice_agent_generate_local_candidate_sdp(agent, l->data);
      if (line) mprtc__pc_emit_candidate(pc, s->mline, g_str_has_prefix(line, "a=") ? line + 2 : line);
      g_free(line);
    }
    g_slist_free_full(candidates, (GDestroyNotify)nice_candidate_free);
  }
  g_array_unref(streams);
  g_object_unref(agent);
  mprtc__object_emit(pc->obj, "icegatheringstatechange", json_pack("{s:s}", "state", "complete"));
  pc->gathering_emitted = GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
}
