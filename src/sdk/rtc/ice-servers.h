/* ICE servers: the "server address and account" of a call block (its `servers` member, W3C
 * RTCIceServer: urls, username, credential), checked and turned into the URLs webrtcbin takes.
 *
 * Thread rules: pure functions; any thread.
 */
#ifndef MPRTC_SDK_RTC_ICE_SERVERS_H
#define MPRTC_SDK_RTC_ICE_SERVERS_H

#include <glib.h>
#include <jansson.h>

typedef struct {
  char *url;     /* as the app gave it, e.g. "turn:127.0.0.1:3478?transport=udp" */
  char *gst_url; /* as webrtcbin takes it: "stun://host:port", "turn://user:pass@host:port?transport=udp"
                    (user and password percent-encoded) */
  gboolean is_turn;
} mprtc__ice_server;

/* The servers of a call block (an array of objects with urls: a string or strings, and string
 * username and credential, as the codec checked), one entry per URL. Returns a GPtrArray of
 * mprtc__ice_server* (free with g_ptr_array_unref), or NULL with *err (MPRTC_E_SYNTAX: a URL
 * that does not parse or has another scheme; MPRTC_E_INVALID_ACCESS: a TURN server without
 * username and credential; MPRTC_E_NOT_SUPPORTED: stuns:, which webrtcbin cannot do) and
 * *message, a sentence naming the URL (g_free it). */
GPtrArray *mprtc__ice_servers_parse(const json_t *servers, int *err, char **message);

#endif
