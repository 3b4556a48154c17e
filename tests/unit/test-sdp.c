/* Unit tests of the SDK's SDP reader (src/sdk/rtc/sdp.c): the facts the base library gets, the
 * msid stream IDs, candidate lines. */
#include <glib.h>
#include <string.h>

#include "sdk/rtc/sdp.h"

/* A browser-like offer: session-level ufrag and trickle, a video section with its own ufrag and
 * a non-ASCII msid (a JS string counts it in UTF-16 units), an application section. */
static const char offer[] =
    "v=0\r\n"
    "o=- 1 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "a=ice-options:trickle renomination\r\n"
    "a=ice-ufrag:sess\r\n"
    "a=ice-pwd:sessionpasswordsessionpass\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:0\r\n"
    "a=ice-ufrag:vid\r\n"
    "a=recvonly\r\n"
    "a=msid:str\xc3\xa9\xf0\x9f\x98\x80m track-1\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:1\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:262144\r\n";

static void test_facts(void) {
  json_t *f = mprtc__sdp_facts_of_text(offer);
  g_assert_nonnull(f);
  g_assert_cmpstr(json_string_value(json_object_get(f, "eol")), ==, "\r\n");
  g_assert_true(json_is_true(json_object_get(f, "trickle")));
  g_assert_true(json_is_true(json_object_get(f, "application")));
  g_assert_cmpfloat(json_number_value(json_object_get(f, "maxMessageSize")), ==, 262144);
  json_t *ufrags = json_object_get(f, "iceUfrags");
  g_assert_cmpuint(json_array_size(ufrags), ==, 2);
  g_assert_cmpstr(json_string_value(json_array_get(ufrags, 0)), ==, "sess");
  g_assert_cmpstr(json_string_value(json_array_get(ufrags, 1)), ==, "vid");
  json_t *media = json_object_get(f, "media");
  g_assert_cmpuint(json_array_size(media), ==, 2);
  json_t *video = json_array_get(media, 0), *app = json_array_get(media, 1);
  g_assert_cmpstr(json_string_value(json_object_get(video, "kind")), ==, "video");
  g_assert_cmpstr(json_string_value(json_object_get(video, "mid")), ==, "0");
  g_assert_cmpstr(json_string_value(json_object_get(video, "direction")), ==, "recvonly");
  g_assert_cmpstr(json_string_value(json_object_get(video, "iceUfrag")), ==, "vid");
  /* The application section has no ufrag of its own: the session's. */
  g_assert_cmpstr(json_string_value(json_object_get(app, "iceUfrag")), ==, "sess");
  g_assert_cmpstr(json_string_value(json_object_get(app, "direction")), ==, "sendrecv");
  /* Offsets in UTF-16 units: é is one unit, the emoji two (its UTF-8 is four bytes). */
  const char *video_at = strstr(offer, "m=video"), *app_at = strstr(offer, "m=application");
  g_assert_cmpint(json_integer_value(json_object_get(video, "start")), ==, video_at - offer);
  g_assert_cmpint(json_integer_value(json_object_get(video, "end")), ==, (app_at - offer) - 1 - 2);
  g_assert_cmpint(json_integer_value(json_object_get(app, "start")), ==, (app_at - offer) - 1 - 2);
  g_assert_cmpint(json_integer_value(json_object_get(app, "end")), ==, (gint64)strlen(offer) - 1 - 2);
  json_decref(f);

  /* GStreamer's parser takes what is not SDP as an empty description. LF line ends are told. */
  f = mprtc__sdp_facts_of_text("hello");
  g_assert_cmpuint(json_array_size(json_object_get(f, "media")), ==, 0);
  json_decref(f);
  f = mprtc__sdp_facts_of_text("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n");
  g_assert_cmpstr(json_string_value(json_object_get(f, "eol")), ==, "\n");
  g_assert_false(json_is_true(json_object_get(f, "trickle")));
  g_assert_true(json_is_null(json_object_get(f, "maxMessageSize")));
  json_decref(f);
}

static void test_readers(void) {
  GstSDPMessage *msg;
  g_assert_cmpint(gst_sdp_message_new_from_text(offer, &msg), ==, GST_SDP_OK);
  g_assert_cmpint(mprtc__sdp_mline_of_mid(msg, "1"), ==, 1);
  g_assert_cmpint(mprtc__sdp_mline_of_mid(msg, "7"), ==, -1);
  g_assert_cmpstr(mprtc__sdp_ice_ufrag(msg, 0), ==, "vid");
  g_assert_cmpstr(mprtc__sdp_ice_ufrag(msg, 1), ==, "sess");
  GPtrArray *ids = mprtc__sdp_msids(msg, 0);
  g_assert_cmpuint(ids->len, ==, 1);
  g_assert_cmpstr(ids->pdata[0], ==, "str\xc3\xa9\xf0\x9f\x98\x80m");
  g_ptr_array_unref(ids);
  ids = mprtc__sdp_msids(msg, 9);
  g_assert_cmpuint(ids->len, ==, 0);
  g_ptr_array_unref(ids);
  gst_sdp_message_free(msg);
}

static void test_candidates(void) {
  g_assert_true(mprtc__sdp_candidate_valid("candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host"));
  g_assert_true(mprtc__sdp_candidate_valid("candidate:a9 2 TCP 1518280447 10.0.0.1 9 typ srflx raddr 0.0.0.0 rport 0 tcptype active"));
  g_assert_true(mprtc__sdp_candidate_valid("candidate:3 1 udp 41885439 203.0.113.7 3478 typ relay"));
  static const char *const bad[] = {
      "", "candidate:", "candidate:1 1 udp 1 127.0.0.1 9", "candidate:1 x udp 1 127.0.0.1 9 typ host",
      "candidate:1 1 sctp 1 127.0.0.1 9 typ host", "candidate:1 1 udp 1 127.0.0.1 nine typ host",
      "candidate:1 1 udp 1 127.0.0.1 9 type host", "candidate:1 1 udp 1 127.0.0.1 9 typ hostile",
      "cand:1 1 udp 1 127.0.0.1 9 typ host", "garbage",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    if (mprtc__sdp_candidate_valid(bad[i])) g_error("accepted: '%s'", bad[i]);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/sdp/facts", test_facts);
  g_test_add_func("/sdp/readers", test_readers);
  g_test_add_func("/sdp/candidates", test_candidates);
  return g_test_run();
}
