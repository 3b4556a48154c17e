/* Checks the peer's DTLS certificate against the remote description's a=fingerprint once the
 * handshake completes: webrtcbin 1.22 does not, so without this a man in the middle of the DTLS
 * handshake would go unnoticed. A mismatch fails the connection for good: its data channels
 * close without delivering anything more and its webrtcbin is torn down.
 *
 * Ordering: webrtcbin reports the DTLS transport "connected" before it passes the first
 * application data on, and both reach the SDK thread through the same FIFO of posts, so the
 * check runs before any data channel event of the association.
 */
#include <gst/sdp/sdp.h>

#include "sdk/rtc/fingerprint.h"
#include "sdk/rtc/rtc.h"

/* The remote description's fingerprint: media-level of the first m-section, else session-level. */
static char *remote_fingerprint(mprtc__pc *pc) {
  GstWebRTCSessionDescription *remote = NULL;
  g_object_get(pc->webrtc, "remote-description", &remote, NULL);
  if (!remote) return NULL;
  const char *value = NULL;
  if (gst_sdp_message_medias_len(remote->sdp) > 0)
    value = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(remote->sdp, 0), "fingerprint");
  if (!value) value = gst_sdp_message_get_attribute_val(remote->sdp, "fingerprint");
  char *copy = g_strdup(value);
  gst_webrtc_session_description_free(remote);
  return copy;
}

static void check_certificate(mprtc__object *obj, void *unused) {
  mprtc__pc *pc = obj->impl;
  if (!pc->dtls || pc->dtls_checked || !pc->webrtc) return;
  GstWebRTCDTLSTransportState state;
  g_object_get(pc->dtls, "state", &state, NULL);
  if (state != GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED) return;
  pc->dtls_checked = TRUE;
  char *pem = NULL;
  g_object_get(pc->dtls, "remote-certificate", &pem, NULL);
  char *fingerprint = remote_fingerprint(pc);
  gboolean ok = mprtc__fingerprint_matches(pem, fingerprint);
  g_free(pem);
  g_free(fingerprint);
  if (!ok) mprtc__pc_fail(obj, "the peer's DTLS certificate does not match the fingerprint of its description");
}

static void on_dtls_state(GObject *dtls, GParamSpec *pspec, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, check_certificate, NULL, NULL);
}

void mprtc__pc_watch_dtls(mprtc__pc *pc, GObject *dtls) {
  if (pc->dtls || !dtls) return;
  pc->dtls = g_object_ref(dtls);
  pc->dtls_handler = g_signal_connect_data(dtls, "notify::state", G_CALLBACK(on_dtls_state),
                                           mprtc__object_ref(pc->obj),
                                           (GClosureNotify)(void (*)(void))mprtc__object_unref, 0);
  /* Connected already (possible when watching starts late): check now. */
  check_certificate(pc->obj, NULL);
}

void mprtc__pc_unwatch_dtls(mprtc__pc *pc) {
  if (!pc->dtls) return;
  g_signal_handler_disconnect(pc->dtls, pc->dtls_handler);
  g_clear_object(&pc->dtls);
}
