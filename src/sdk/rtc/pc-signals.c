/* What webrtcbin tells a connection, turned into its W3C events: candidates, the gathering, ICE
 * and connection states (with what webrtcbin 1.22 gets wrong about them), data channels the peer
 * opens, and media arriving.
 *
 * Thread rules: webrtcbin's signals arrive on its own threads (some with its lock held): every
 * handler here only copies what it got and posts it to the SDK thread (mprtc__sdk_post), where
 * webrtcbin is read and events are emitted.
 */
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/core/signals.h"
#include "sdk/rtc/rtc.h"
#include "sdk/rtc/sdp.h"

typedef struct {
  guint mline;
  char *candidate;
} candidate_msg;

static void candidate_msg_free(void *p) {
  candidate_msg *m = p;
  g_free(m->candidate);
  g_free(m);
}

void mprtc__pc_emit_candidate(mprtc__pc *pc, guint mline, const char *candidate) {
  if (strstr(candidate, " typ relay")) pc->relay_candidates++;
  /* The m-line's mid and ICE username, as browsers give them: after a restart the peer tells
   * the new candidates from the old by the username. */
  GstWebRTCSessionDescription *local = NULL;
  g_object_get(pc->webrtc, "local-description", &local, NULL);
  const char *mid = NULL, *ufrag = NULL;
  if (local && mline < gst_sdp_message_medias_len(local->sdp)) {
    mid = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(local->sdp, mline), "mid");
    ufrag = mprtc__sdp_ice_ufrag(local->sdp, mline);
  }
  /* webrtcbin's candidate lines lack the "candidate:" prefix in some versions: add it. */
  char *line = g_str_has_prefix(candidate, "candidate:") ? g_strdup(candidate) : g_strconcat("candidate:", candidate, NULL);
  mprtc__object_emit(pc->obj, "icecandidate", json_pack("{s:s,s:i,s:s?,s:s?}", "candidate", line, "sdpMLineIndex",
                                                        (int)mline, "sdpMid", mid, "usernameFragment", ufrag));
  g_free(line);
  if (local) gst_webrtc_session_description_free(local);
}

static void emit_candidate(mprtc__object *obj, void *data) {
  mprtc__pc *pc = obj->impl;
  if (!pc->webrtc) return; /* failed: webrtcbin is gone */
  candidate_msg *m = data;
  mprtc__pc_emit_candidate(pc, m->mline, m->candidate);
}

static void on_ice_candidate(GstElement *webrtc, guint mline, gchar *candidate, gpointer user_data) {
  mprtc__object *obj = user_data;
  candidate_msg *m = g_new(candidate_msg, 1);
  m->mline = mline;
  m->candidate = g_strdup(candidate);
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_candidate, m, candidate_msg_free);
}

static const char *ice_state_name(GstWebRTCICEConnectionState s) {
  switch (s) {
    case GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING: return "checking";
    case GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED: return "connected";
    case GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED: return "completed";
    case GST_WEBRTC_ICE_CONNECTION_STATE_FAILED: return "failed";
    case GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED: return "disconnected";
    case GST_WEBRTC_ICE_CONNECTION_STATE_CLOSED: return "closed";
    default: return "new";
  }
}

static const char *connection_state_name(GstWebRTCPeerConnectionState s) {
  switch (s) {
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING: return "connecting";
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED: return "connected";
    case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED: return "disconnected";
    case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED: return "failed";
    case GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED: return "closed";
    default: return "new";
  }
}

/* TURN servers that yielded no relay candidate by the end of gathering failed: the W3C event
 * for that is icecandidateerror (libnice reports no allocation errors, so the code is 701). */
static void report_turn_failures(mprtc__object *obj, mprtc__pc *pc) {
  if (pc->relay_candidates > 0) return;
  for (guint i = 0; i < pc->turn_urls->len; i++) {
    mprtc__object_emit(obj, "icecandidateerror",
                       json_pack("{s:s,s:i,s:s}", "url", (char *)pc->turn_urls->pdata[i],
                                 "errorCode", 701, "errorText",
                                 "the TURN server gave no relay candidate (unreachable or "
                                 "refused the credentials)"));
  }
}

typedef enum { STATE_GATHERING, STATE_ICE, STATE_CONNECTION } state_kind;

/* libnice fails a component only when its candidate pairs fail; without a single local candidate
 * there is no pair, so it stays in its gathering state and webrtcbin says "new" forever. When
 * relay-only gathering found nothing (every TURN server failed), no connectivity is possible
 * (webrtc-pc RTCIceTransportState "failed": gathering done, no compatible candidates). Once a
 * remote description is set the connection is reported failed, for good: webrtcbin 1.22 cannot
 * restart ICE. SDK thread. */
void mprtc__pc_fail_without_candidates(mprtc__object *obj, mprtc__pc *pc) {
  if (!pc->gathered_none || pc->ice_failed || !pc->webrtc) return;
  GstWebRTCSessionDescription *remote = NULL;
  g_object_get(pc->webrtc, "remote-description", &remote, NULL);
  if (!remote) return;
  gst_webrtc_session_description_free(remote);
  pc->ice_failed = TRUE;
  mprtc__object_emit(obj, "iceconnectionstatechange", json_pack("{s:s}", "state", "failed"));
  mprtc__object_emit(obj, "connectionstatechange", json_pack("{s:s}", "state", "failed"));
}

static void emit_gathering_complete(mprtc__object *obj, void *promise) {
  mprtc__pc *pc = obj->impl;
  if (!pc->webrtc) return; /* failed: webrtcbin is gone */
  g_ptr_array_remove(pc->pending, promise);
  report_turn_failures(obj, pc);
  mprtc__object_emit(obj, "icegatheringstatechange", json_pack("{s:s}", "state", "complete"));
  pc->gathered_none = pc->relay_only && pc->relay_candidates == 0;
  mprtc__pc_fail_without_candidates(obj, pc);
}

/* Any thread: the barrier below was answered. */
static void on_barrier(GstPromise *promise, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_gathering_complete,
                  gst_promise_ref(promise), (GDestroyNotify)gst_promise_unref);
}

/* libnice reports "gathering complete" while webrtcbin may still have candidates queued on its
 * own thread for on-ice-candidate. A get-stats request queues behind them there: its answer
 * means every candidate has been posted, so "complete" (and the null candidate) comes last. */
static void complete_after_queued_candidates(mprtc__object *obj) {
  mprtc__pc *pc = obj->impl;
  GstPromise *promise = gst_promise_new_with_change_func(on_barrier, mprtc__object_ref(obj),
                                                         (GDestroyNotify)mprtc__object_unref);
  g_ptr_array_add(pc->pending, gst_promise_ref(promise));
  g_signal_emit_by_name(pc->webrtc, "get-stats", NULL, promise);
  gst_promise_unref(promise);
}

/* During an ICE restart libnice starts its components over ("new", then "checking"); a browser
 * goes from completed to connected, and from disconnected or failed to checking (webrtc-pc
 * RTCIceTransportState), until the new checks end. */
static GstWebRTCICEConnectionState restarting_ice_state(mprtc__pc *pc, GstWebRTCICEConnectionState s) {
  int from = pc->ice_restart_from;
  if (from < 0) return s;
  if (s == GST_WEBRTC_ICE_CONNECTION_STATE_NEW || s == GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING)
    return from == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED || from == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED
               ? GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED
               : GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING;
  pc->ice_restart_from = -1; /* the new checks ended */
  return s;
}

static void emit_state(mprtc__object *obj, void *data) {
  mprtc__pc *pc = obj->impl;
  if (!pc->webrtc) return; /* failed: webrtcbin is gone */
  state_kind kind = GPOINTER_TO_INT(data);
  /* After fail_without_candidates, webrtcbin's own "new"/"checking" would contradict it. */
  if (pc->ice_failed && kind != STATE_GATHERING) return;
  if (kind == STATE_GATHERING) {
    GstWebRTCICEGatheringState s;
    g_object_get(pc->webrtc, "ice-gathering-state", &s, NULL);
    if ((int)s == pc->gathering_emitted) return;
    /* The state is read here, after the fact: "gathering" may be over already, but JS must
     * still see new -> gathering -> complete. */
    if (s != GST_WEBRTC_ICE_GATHERING_STATE_NEW &&
        pc->gathering_emitted != GST_WEBRTC_ICE_GATHERING_STATE_GATHERING) {
      pc->relay_candidates = 0;
      mprtc__object_emit(obj, "icegatheringstatechange", json_pack("{s:s}", "state", "gathering"));
    }
    pc->gathering_emitted = s;
    if (s == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) complete_after_queued_candidates(obj);
    else if (s == GST_WEBRTC_ICE_GATHERING_STATE_NEW)
      mprtc__object_emit(obj, "icegatheringstatechange", json_pack("{s:s}", "state", "new"));
  } else if (kind == STATE_ICE) {
    GstWebRTCICEConnectionState s;
    g_object_get(pc->webrtc, "ice-connection-state", &s, NULL);
    /* webrtcbin 1.22 aggregates the ICE state over media transceivers only: with data channels
     * alone it stays "new". The SCTP transport's own ICE transport tells the truth then. */
    if (s == GST_WEBRTC_ICE_CONNECTION_STATE_NEW && pc->sctp_ice)
      g_object_get(pc->sctp_ice, "state", &s, NULL);
    s = restarting_ice_state(pc, s);
    mprtc__object_emit(obj, "iceconnectionstatechange", json_pack("{s:s}", "state", ice_state_name(s)));
  } else {
    GstWebRTCPeerConnectionState s;
    g_object_get(pc->webrtc, "connection-state", &s, NULL);
    /* A restart keeps a connected connection connected (its selected pair carries on). */
    if (pc->ice_restart_from >= GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED &&
        pc->ice_restart_from <= GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED &&
        (s == GST_WEBRTC_PEER_CONNECTION_STATE_NEW || s == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING))
      s = GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED;
    mprtc__object_emit(obj, "connectionstatechange",
                       json_pack("{s:s}", "state", connection_state_name(s)));
  }
}

/* notify:: handlers: the new value is read on the SDK thread (a property read from here could
 * take the lock webrtcbin holds). */
static void on_gathering_notify(GObject *o, GParamSpec *p, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_state, GINT_TO_POINTER(STATE_GATHERING), NULL);
}
static void on_ice_notify(GObject *o, GParamSpec *p, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_state, GINT_TO_POINTER(STATE_ICE), NULL);
}
static void on_connection_notify(GObject *o, GParamSpec *p, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_state, GINT_TO_POINTER(STATE_CONNECTION), NULL);
}

/* Holds a wrapped channel until the SDK thread registers it (or drops it: closed meanwhile). */
typedef struct {
  mprtc__dc *dc;
} dc_box;

static void register_remote_channel(mprtc__object *obj, void *data) {
  dc_box *box = data;
  if (!((mprtc__pc *)obj->impl)->webrtc) return; /* failed meanwhile: dc_box_free drops it */
  mprtc__object *dc = mprtc__dc_register(obj->impl, box->dc);
  box->dc = NULL;
  mprtc__object_emit(obj, "datachannel", json_pack("{s:o}", "channel", mprtc__dc_describe(dc)));
}

static void dc_box_free(void *data) {
  dc_box *box = data;
  if (box->dc) mprtc__dc_unref(box->dc);
  g_free(box);
}

/* Runs with webrtcbin's lock held. The channel's handlers are connected right here, so that no
 * message is missed; what they post runs on the SDK thread after this registration. */
static void on_data_channel(GstElement *webrtc, GstWebRTCDataChannel *channel, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__pc *pc = obj->impl;
  dc_box *box = g_new(dc_box, 1);
  box->dc = mprtc__dc_wrap(pc->sdk, channel);
  mprtc__sdk_post(pc->sdk, obj, register_remote_channel, box, dc_box_free);
}

/* Media a peer sends arrives on a new src pad: its receiver decodes it (src/sdk/rtc/rtp.c).
 * Streaming thread. */
static void on_pad_added(GstElement *webrtc, GstPad *pad, gpointer user_data) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  mprtc__rtp_pad_added(((mprtc__object *)user_data)->impl, pad);
}

static void on_sctp_ice_notify(GObject *o, GParamSpec *p, gpointer user_data) {
  mprtc__object *obj = user_data;
  mprtc__sdk_post(((mprtc__pc *)obj->impl)->sdk, obj, emit_state, GINT_TO_POINTER(STATE_ICE), NULL);
}

/* Once an application m-section is negotiated, follows the ICE transport under it. */
void mprtc__pc_watch_sctp_ice(mprtc__pc *pc) {
  if (pc->sctp_ice) return;
  GObject *sctp = NULL, *dtls = NULL, *ice = NULL;
  g_object_get(pc->webrtc, "sctp-transport", &sctp, NULL);
  if (sctp) g_object_get(sctp, "transport", &dtls, NULL);
  if (dtls) g_object_get(dtls, "transport", &ice, NULL);
  if (ice) {
    pc->sctp_ice = ice;
    pc->sctp_ice_handler = g_signal_connect_data(ice, "notify::state", G_CALLBACK(on_sctp_ice_notify),
                                                 mprtc__object_ref(pc->obj),
                                                 (GClosureNotify)(void (*)(void))mprtc__object_unref, 0);
  }
  if (dtls) mprtc__pc_watch_dtls(pc, dtls);
  if (dtls) g_object_unref(dtls);
  if (sctp) g_object_unref(sctp);
}

/* Connects every webrtcbin signal the connection follows (each holds a reference to the object;
 * release_webrtcbin disconnects them). */
void mprtc__pc_connect_signals(mprtc__pc *pc) {
  static const mprtc__signal signals[] = {
      {"on-ice-candidate", G_CALLBACK(on_ice_candidate)},
      {"notify::ice-gathering-state", G_CALLBACK(on_gathering_notify)},
      {"notify::ice-connection-state", G_CALLBACK(on_ice_notify)},
      {"notify::connection-state", G_CALLBACK(on_connection_notify)},
      {"on-data-channel", G_CALLBACK(on_data_channel)},
      {"pad-added", G_CALLBACK(on_pad_added)},
  };
  mprtc__signals_connect(pc->webrtc, signals, G_N_ELEMENTS(signals), pc->obj, (gpointer (*)(gpointer))mprtc__object_ref,
                         (GDestroyNotify)mprtc__object_unref, pc->signal_ids);
}
