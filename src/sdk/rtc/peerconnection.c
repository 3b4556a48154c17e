/* RTCPeerConnection on the SDK thread: one webrtcbin in its own pipeline per connection.
 *
 *   RTCPeerConnection.constructor  params {iceTransportPolicy, bundlePolicy}, servers -> {id}
 *   RTCPeerConnection.setConfiguration  same params and servers -> null
 *   RTCPeerConnection.createOffer / createAnswer  {offerToReceiveAudio?, offerToReceiveVideo?,
 *                                  iceRestart?} / {} -> {type, sdp}
 *   RTCPeerConnection.setLocalDescription / setRemoteDescription  {type, sdp} -> {signalingState,
 *                                  transceivers, facts} (facts: what src/sdk/rtc/sdp.c read of it)
 *   RTCPeerConnection.addIceCandidate  {candidate, sdpMid? | sdpMLineIndex?, usernameFragment?}
 *                                  -> null ("" ends the candidates of one m-line, or of all)
 *   RTCPeerConnection.createDataChannel  {label, ordered, maxPacketLifeTime, maxRetransmits,
 *                                        protocol, negotiated, id} -> channel description
 *   RTCPeerConnection.close  -> null
 * Events (src/sdk/rtc/pc-signals.c): icecandidate {candidate, sdpMLineIndex, sdpMid,
 * usernameFragment}, icegatheringstatechange {state}, iceconnectionstatechange {state},
 * connectionstatechange {state}, datachannel {channel...}, icecandidateerror {url, errorCode,
 * errorText}.
 *
 * Thread rules: SDK thread; webrtcbin answers its operations on its own threads, and the answer
 * is posted here (mprtc__sdk_post). See docs/webrtc.md for what webrtcbin 1.22 lacks and how it
 * is worked around.
 */
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/core/signals.h"
#include "sdk/net/mdns.h"
#include "sdk/rtc/certificates.h"
#include "sdk/rtc/fingerprint.h"
#include "sdk/rtc/ice-servers.h"
#include "sdk/rtc/rtc.h"
#include "sdk/rtc/sdp.h"

/* ---- servers ----------------------------------------------------------------------------------- */

/* Applies servers (src/sdk/rtc/ice-servers.c) to webrtc. Returns FALSE and rejects the call on a
 * URL it cannot take or webrtcbin refuses. */
static gboolean apply_servers(mprtc__call *call, mprtc__pc *pc, json_t *servers) {
  int err;
  char *message = NULL;
  GPtrArray *list = mprtc__ice_servers_parse(servers, &err, &message);
  if (!list) {
    mprtc__call_reject(call, err, "%s: %s", call->req.method, message);
    g_free(message);
    return FALSE;
  }
  gboolean stun_set = FALSE, ok = TRUE;
  g_ptr_array_set_size(pc->turn_urls, 0);
  for (guint i = 0; i < list->len && ok; i++) {
    mprtc__ice_server *server = list->pdata[i];
    if (server->is_turn) {
      g_signal_emit_by_name(pc->webrtc, "add-turn-server", server->gst_url, &ok);
      if (ok) g_ptr_array_add(pc->turn_urls, g_strdup(server->url));
      else mprtc__call_reject(call, MPRTC_E_SYNTAX, "%s: webrtcbin refused the ICE server URL '%s'", call->req.method, server->url);
    } else if (!stun_set) {
      /* webrtcbin takes one STUN server; the first one is used. */
      g_object_set(pc->webrtc, "stun-server", server->gst_url, NULL);
      stun_set = TRUE;
    }
  }
  g_ptr_array_unref(list);
  return ok;
}

static gboolean apply_policies(mprtc__call *call, mprtc__pc *pc, gboolean at_construction) {
  const char *ice = json_string_value(json_object_get(call->req.params, "iceTransportPolicy"));
  const char *bundle = json_string_value(json_object_get(call->req.params, "bundlePolicy"));
  if (ice && strcmp(ice, "all") != 0 && strcmp(ice, "relay") != 0) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: iceTransportPolicy must be 'all' or 'relay'",
                       call->req.method);
    return FALSE;
  }
  pc->relay_only = ice && strcmp(ice, "relay") == 0;
  g_object_set(pc->webrtc, "ice-transport-policy",
               pc->relay_only ? GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY
                              : GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL, NULL);
  if (at_construction) {
    /* webrtcbin rejects 'balanced'; browsers bundle in 'balanced' whenever the peer does, and
     * max-bundle is what they negotiate with each other, so it stands in for it. */
    GstWebRTCBundlePolicy policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
    if (bundle && strcmp(bundle, "max-compat") == 0) policy = GST_WEBRTC_BUNDLE_POLICY_MAX_COMPAT;
    else if (bundle && strcmp(bundle, "balanced") != 0 && strcmp(bundle, "max-bundle") != 0) {
      mprtc__call_reject(call, MPRTC_E_INVAL, "%s: bad bundlePolicy '%s'", call->req.method, bundle);
      return FALSE;
    }
    g_object_set(pc->webrtc, "bundle-policy", policy, NULL);
  }
  return TRUE;
}

/* Any thread (the one adding the element): settings of the RTP elements webrtcbin makes.
 * A receive jitter buffer starts on the first two packets in sequence instead of holding them
 * for its whole latency, which was the larger part of the time to the first frame; an RTP
 * session sends transport-cc feedback at a fixed interval (src/sdk/rtc/twcc.c). */
static void tune_rtp_elements(GstBin *pipeline, GstBin *sub_bin, GstElement *element, gpointer unused) {
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(element), "faststart-min-packets") &&
      strcmp(G_OBJECT_TYPE_NAME(element), "GstRtpJitterBuffer") == 0)
    g_object_set(element, "faststart-min-packets", 2, NULL);
  mprtc__twcc_tune_session(element);
}


/* ---- operations with a GstPromise ----------------------------------------------------------- */


typedef struct {
  mprtc__call *call; /* NULL once settled */
  GstPromise *promise;
  mprtc__op_done_fn done;
  mprtc__pc *pc;
} pc_op;

static void op_finish(mprtc__object *obj, void *data) {
  pc_op *op = data;
  mprtc__pc *pc = obj->impl;
  mprtc__call *call = op->call;
  op->call = NULL;
  g_ptr_array_remove(pc->pending, op->promise);
  GstPromiseResult result = gst_promise_wait(op->promise);
  const GstStructure *reply = result == GST_PROMISE_RESULT_REPLIED ? gst_promise_get_reply(op->promise) : NULL;
  GError *error = NULL;
  if (result != GST_PROMISE_RESULT_REPLIED) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin did not answer", call->req.method);
  } else if (reply && gst_structure_get(reply, "error", G_TYPE_ERROR, &error, NULL)) {
    int err = MPRTC_E_OPERATION;
    if (error->domain == GST_WEBRTC_ERROR) {
      if (error->code == GST_WEBRTC_ERROR_INVALID_STATE) err = MPRTC_E_INVALID_STATE;
      else if (error->code == GST_WEBRTC_ERROR_INVALID_MODIFICATION) err = MPRTC_E_INVALID_MODIFICATION;
    }
    mprtc__call_reject(call, err, "%s: %s", call->req.method, error->message);
    g_error_free(error);
  } else {
    op->done(pc, call, reply);
  }
}

static void op_free(void *data) {
  pc_op *op = data;
  if (op->call) mprtc__call_reject(op->call, MPRTC_E_INVALID_STATE, "the connection was closed");
  gst_promise_unref(op->promise);
  g_free(op);
}

/* Any thread: webrtcbin answered (or the promise was interrupted by close). */
static void op_changed(GstPromise *promise, gpointer data) {
  pc_op *op = data;
  mprtc__sdk_post(op->pc->sdk, op->pc->obj, op_finish, op, op_free);
}

/* Emits signal(arg, promise) on webrtc; done runs on the SDK thread with the reply. */
void mprtc__pc_run_op(mprtc__call *call, mprtc__pc *pc, const char *signal, gpointer arg, mprtc__op_done_fn done) {
  pc_op *op = g_new0(pc_op, 1);
  op->call = call;
  op->done = done;
  op->pc = pc;
  op->promise = gst_promise_new_with_change_func(op_changed, op, NULL);
  /* Close interrupts pending promises, so that their calls are rejected rather than lost. */
  g_ptr_array_add(pc->pending, gst_promise_ref(op->promise));
  g_signal_emit_by_name(pc->webrtc, signal, arg, op->promise);
}

static json_t *description_json(GstWebRTCSessionDescription *desc) {
  char *sdp = gst_sdp_message_as_text(desc->sdp);
  json_t *j = json_pack("{s:s,s:s}", "type", gst_webrtc_sdp_type_to_string(desc->type), "sdp", sdp);
  g_free(sdp);
  return j;
}

static void description_created(mprtc__pc *pc, mprtc__call *call, const GstStructure *reply) {
  const char *field = strstr(call->req.method, "Offer") ? "offer" : "answer";
  GstWebRTCSessionDescription *desc = NULL;
  if (!reply || !gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL)) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin gave no %s", call->req.method, field);
    return;
  }
  mprtc__rtp_announce_streams(pc, desc->sdp);
  mprtc__twcc_annotate(pc, desc->sdp, desc->type);
  mprtc__certificate_fix_fingerprints(desc->sdp, pc->certificate_fingerprint);
  /* webrtcbin keeps its last credentials: an ICE restart's offer, and the answer to a peer's,
   * get new ones (src/sdk/rtc/ice-restart.c). */
  if (desc->type == GST_WEBRTC_SDP_TYPE_OFFER ? json_is_true(json_object_get(call->req.params, "iceRestart"))
                                              : pc->ice_restarting)
    mprtc__ice_renew_credentials(pc, desc->sdp, desc->type == GST_WEBRTC_SDP_TYPE_ANSWER);
  else
    mprtc__ice_keep_credentials(pc, desc->sdp);
  mprtc__call_return(call, description_json(desc));
  gst_webrtc_session_description_free(desc);
}

static const char *signaling_state_name(GstWebRTCSignalingState s) {
  switch (s) {
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER: return "have-local-offer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER: return "have-remote-offer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_PRANSWER: return "have-local-pranswer";
    case GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_PRANSWER: return "have-remote-pranswer";
    case GST_WEBRTC_SIGNALING_STATE_CLOSED: return "closed";
    default: return "stable";
  }
}

static void announce_candidates(mprtc__object *obj, void *unused) {
  mprtc__pc *pc = obj->impl;
  if (pc->webrtc) mprtc__ice_announce_local_candidates(pc);
}

static void description_set(mprtc__pc *pc, mprtc__call *call, const GstStructure *reply) {
  if (!pc->webrtc) {
    mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection has failed", call->req.method);
    return;
  }
  gboolean announce = pc->announce_candidates;
  pc->announce_candidates = FALSE;
  if (announce) mprtc__ice_restart_done(pc);
  mprtc__pc_watch_sctp_ice(pc);
  mprtc__stats_watch_transports(pc);
  GstWebRTCSignalingState s;
  g_object_get(pc->webrtc, "signaling-state", &s, NULL);
  if (s == GST_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER) mprtc__rtp_remote_offer(pc);
  /* The description's facts, read once here for the base library (src/sdk/rtc/sdp.c). */
  json_t *facts = mprtc__sdp_facts_of_text(json_string_value(json_object_get(call->req.params, "sdp")));
  mprtc__call_return(call, json_pack("{s:s,s:o,s:o?}", "signalingState", signaling_state_name(s), "transceivers",
                                     mprtc__rtp_describe_all(pc), "facts", facts));
  mprtc__pc_fail_without_candidates(pc->obj, pc);
  /* After the reply, as a browser's gathering would: the app sends its description before the
   * candidates that go with it. */
  if (announce) mprtc__sdk_post(pc->sdk, pc->obj, announce_candidates, NULL, NULL);
}

/* ---- handlers -------------------------------------------------------------------------------- */

static void pc_close(mprtc__object *obj);
static void pc_finalize(void *impl);

/* The call's connection if its webrtcbin is still there; after a failure (mprtc__pc_fail) the
 * call is rejected and NULL returned. */
static mprtc__pc *live_pc(mprtc__call *call) {
  mprtc__pc *pc = call->object->impl;
  if (pc->webrtc) return pc;
  mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: the connection has failed", call->req.method);
  return NULL;
}

/* Settings of the libnice agent under webrtcbin that its defaults get wrong for us. */
static void tune_ice_agent(GstElement *webrtc) {
  GObject *ice = NULL;
  g_object_get(webrtc, "ice-agent", &ice, NULL);
  if (!ice) return;
  GObject *agent = NULL;
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent")) g_object_get(ice, "agent", &agent, NULL);
  if (agent) {
    /* A UPnP thread per agent probes the LAN for port mappings: off. */
    g_object_set(agent, "upnp", FALSE, NULL);
    /* Connectivity checks every 20 ms (libnice's default) make a loopback connection take
     * 60-70 ms; RFC 8445 allows a pacing down to 5 ms, where it takes 15-20 ms. */
    g_object_set(agent, "stun-pacing-timer", 5u, NULL);
    /* Keepalives that need an answer: a peer that vanishes fails the connection instead of
     * leaving it "connected" forever (this libnice's consent freshness is construct-only). */
    g_object_set(agent, "keepalive-conncheck", TRUE, NULL);
    g_object_unref(agent);
  }
  g_object_unref(ice);
}

/* Every DTLS transport webrtcbin makes takes the connection's certificate: its dtlssrtpdec's
 * "pem", which the transport's "certificate" and so the description's a=fingerprint read. A
 * transport is added while its description is made, before the fingerprint is written.
 * webrtcbin's thread; the PEM does not change while the connection lives. */
static void use_certificate(GstBin *pipeline, GstBin *sub_bin, GstElement *element, gpointer data) {
  mprtc__pc *pc = data;
  GstElementFactory *factory = gst_element_get_factory(element);
  if (factory && strcmp(GST_OBJECT_NAME(factory), "dtlssrtpdec") == 0) g_object_set(element, "pem", pc->certificate_pem, NULL);
}

/* The certificate the app gave, or the process's ECDSA one. */
static char *certificate_for(mprtc__call *call) {
  gboolean bad;
  const mprtc__certificate *given = mprtc__certificate_param(call, &bad);
  if (bad) return NULL;
  if (given) return g_strdup(given->pem);
  char *error = NULL;
  char *pem = mprtc__certificate_default_pem(&error);
  if (!pem) mprtc__call_reject(call, MPRTC_E_OPERATION, "RTCPeerConnection: cannot make a DTLS certificate: %s", error);
  g_free(error);
  return pem;
}

static void pc_new(mprtc__call *call) {
  char *certificate_pem = certificate_for(call);
  if (!certificate_pem) return;
  mprtc__pc *pc = g_new0(mprtc__pc, 1);
  pc->certificate_pem = certificate_pem;
  pc->certificate_fingerprint = mprtc__fingerprint_of(certificate_pem, "sha-256");
  pc->sdk = call->sdk;
  pc->channels = g_ptr_array_new();
  pc->turn_urls = g_ptr_array_new_with_free_func(g_free);
  pc->signal_ids = g_array_new(FALSE, FALSE, sizeof(gulong));
  pc->pending = g_ptr_array_new_with_free_func((GDestroyNotify)gst_promise_unref);
  pc->ice_restart_from = -1;
  mprtc__rtp_init(pc);
  pc->pipeline = gst_pipeline_new(NULL);
  pc->webrtc = gst_element_factory_make("webrtcbin", NULL);
  if (!pc->webrtc) {
    mprtc__call_reject(call, MPRTC_E_NOT_SUPPORTED,
                       "RTCPeerConnection: GStreamer's webrtcbin is missing (install gstreamer1.0-plugins-bad and gstreamer1.0-nice)");
    gst_object_unref(pc->pipeline);
    pc_finalize(pc);
    return;
  }
  gst_bin_add(GST_BIN(pc->pipeline), pc->webrtc);
  tune_ice_agent(pc->webrtc);
  /* The receive jitter buffer holds the first packet this long and waits as long for a lost one
   * (NACK/RTX): webrtcbin's 200 ms default makes the first frame and every repaired loss that
   * late. 50 ms covers a retransmission at RTTs up to about 40 ms; browsers adapt theirs. */
  g_object_set(pc->webrtc, "latency", 50, NULL);
  g_signal_connect(pc->pipeline, "deep-element-added", G_CALLBACK(tune_rtp_elements), NULL);
  g_signal_connect(pc->pipeline, "deep-element-added", G_CALLBACK(use_certificate), pc);
  pc->obj = mprtc__call_new_object(call, &mprtc__pc_class, pc);
  if (!apply_policies(call, pc, TRUE)) {
    mprtc__registry_close(call->sdk->registry, pc->obj);
    return;
  }
  if (call->req.servers && !apply_servers(call, pc, call->req.servers)) {
    mprtc__registry_close(call->sdk->registry, pc->obj);
    return;
  }
  mprtc__pc_connect_signals(pc);
  if (gst_element_set_state(pc->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    mprtc__registry_close(call->sdk->registry, pc->obj);
    mprtc__call_reject(call, MPRTC_E_OPERATION, "RTCPeerConnection: webrtcbin failed to start");
    return;
  }
  mprtc__call_return(call, json_pack("{s:I}", "id", (json_int_t)pc->obj->id));
}

static void pc_set_configuration(mprtc__call *call) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  if (!apply_policies(call, pc, FALSE)) return;
  if (call->req.servers && !apply_servers(call, pc, call->req.servers)) return;
  mprtc__call_return(call, NULL);
}

/* What legacy offerToReceiveAudio/Video ask for (webrtc-pc §11.2): a recvonly transceiver of
 * the kind when none of that kind receives yet. webrtcbin ignores the offer options, so the
 * transceiver is added here. The caps are what browsers negotiate (Opus, VP8). */
static void ensure_receiving(mprtc__pc *pc, GstWebRTCKind kind) {
  GArray *transceivers = NULL;
  g_signal_emit_by_name(pc->webrtc, "get-transceivers", &transceivers);
  gboolean receiving = FALSE;
  for (guint i = 0; transceivers && i < transceivers->len && !receiving; i++) {
    GstWebRTCRTPTransceiver *t = g_array_index(transceivers, GstWebRTCRTPTransceiver *, i);
    GstWebRTCKind k;
    GstWebRTCRTPTransceiverDirection d;
    g_object_get(t, "kind", &k, "direction", &d, NULL);
    receiving = k == kind && (d == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY ||
                              d == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  }
  if (transceivers) g_array_unref(transceivers);
  if (receiving) return;
  GstCaps *caps = gst_caps_from_string(
      kind == GST_WEBRTC_KIND_AUDIO
          ? "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111,encoding-params=(string)2"
          : "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96");
  GstWebRTCRTPTransceiver *t = NULL;
  g_signal_emit_by_name(pc->webrtc, "add-transceiver", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY,
                        caps, &t);
  gst_caps_unref(caps);
  if (t) gst_object_unref(t);
}

static void pc_create_offer(mprtc__call *call) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  static const char *const allowed[] = {"offerToReceiveAudio", "offerToReceiveVideo", "iceRestart", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "offerToReceiveAudio", JSON_TRUE) ||
      !mprtc__call_typed_param(call, "offerToReceiveVideo", JSON_TRUE) ||
      !mprtc__call_typed_param(call, "iceRestart", JSON_TRUE))
    return;
  if (json_is_true(json_object_get(call->req.params, "offerToReceiveAudio")))
    ensure_receiving(pc, GST_WEBRTC_KIND_AUDIO);
  if (json_is_true(json_object_get(call->req.params, "offerToReceiveVideo")))
    ensure_receiving(pc, GST_WEBRTC_KIND_VIDEO);
  mprtc__pc_run_op(call, pc, "create-offer", NULL, description_created);
}

static void pc_create_answer(mprtc__call *call) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  mprtc__pc_run_op(call, pc, "create-answer", NULL, description_created);
}

/* An ICE restart starts when a description with new credentials is set (src/sdk/rtc/ice-restart.c):
 * the offerer's local offer or the answerer's remote one restarts libnice's streams, and once
 * the restarted local description is set the local candidates are announced again. */
static void prepare_ice_restart(mprtc__pc *pc, gboolean local, GstWebRTCSDPType type, const GstSDPMessage *next) {
  GstWebRTCSessionDescription *current = NULL;
  g_object_get(pc->webrtc, local ? "current-local-description" : "current-remote-description", &current, NULL);
  gboolean renewed = current && mprtc__ice_credentials_differ(current->sdp, next);
  if (current) gst_webrtc_session_description_free(current);
  if (!renewed) return;
  if (type == GST_WEBRTC_SDP_TYPE_OFFER && !(local && pc->ice_restarting)) {
    mprtc__ice_restart(pc, local);
    pc->ice_restarting = TRUE;
  }
  if (local) pc->announce_candidates = TRUE;
}

static void set_description(mprtc__call *call, const char *signal) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  const char *type = json_string_value(json_object_get(call->req.params, "type"));
  const char *sdp = json_string_value(json_object_get(call->req.params, "sdp"));
  GstWebRTCSDPType sdp_type;
  if (!type || !sdp) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'type' and 'sdp' must be strings", call->req.method);
    return;
  }
  if (strcmp(type, "offer") == 0) sdp_type = GST_WEBRTC_SDP_TYPE_OFFER;
  else if (strcmp(type, "answer") == 0) sdp_type = GST_WEBRTC_SDP_TYPE_ANSWER;
  else if (strcmp(type, "pranswer") == 0) sdp_type = GST_WEBRTC_SDP_TYPE_PRANSWER;
  else {
    mprtc__call_reject(call, MPRTC_E_NOT_SUPPORTED, "%s: type '%s' is not supported here",
                       call->req.method, type);
    return;
  }
  GstSDPMessage *msg = NULL;
  if (gst_sdp_message_new_from_text(sdp, &msg) != GST_SDP_OK || gst_sdp_message_medias_len(msg) == 0 ||
      !gst_sdp_message_get_version(msg)) {
    if (msg) gst_sdp_message_free(msg);
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: the SDP could not be parsed (sdp-syntax-error)",
                       call->req.method);
    return;
  }
  gboolean local = strcmp(signal, "set-local-description") == 0;
  prepare_ice_restart(pc, local, sdp_type, msg);
  /* A browser's host candidates in its description are mDNS names: resolved here, added once
   * answered, after the description (src/sdk/rtc/mdns-candidates.c). */
  GPtrArray *mdns = local ? NULL : mprtc__sdp_take_mdns_candidates(msg);
  GstWebRTCSessionDescription *desc = gst_webrtc_session_description_new(sdp_type, msg);
  mprtc__pc_run_op(call, pc, signal, desc, description_set);
  gst_webrtc_session_description_free(desc);
  for (guint i = 0; mdns && i < mdns->len; i++) {
    mprtc__mdns_candidate_line *c = mdns->pdata[i];
    mprtc__pc_add_mdns_candidate(pc, c->mline, c->candidate, c->name);
  }
  if (mdns) g_ptr_array_unref(mdns);
}

static void pc_set_local(mprtc__call *call) { set_description(call, "set-local-description"); }
static void pc_set_remote(mprtc__call *call) { set_description(call, "set-remote-description"); }

/* The longest candidate line taken: real ones are under 300 bytes. */
#define CANDIDATE_MAX 1024

/* webrtc-pc §4.4.1.5 addIceCandidate, against the remote description: the m-line of sdpMid or
 * sdpMLineIndex, the ICE username the candidate goes with, and the candidate's syntax
 * (OperationError for each); "" ends the candidates of one m-line, or of all of them. */
static void pc_add_ice_candidate(mprtc__call *call) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  static const char *const allowed[] = {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment", NULL};
  json_int_t index = -1;
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "sdpMid", JSON_STRING) ||
      !mprtc__call_typed_param(call, "usernameFragment", JSON_STRING) ||
      !mprtc__call_int_param(call, "sdpMLineIndex", 0, 65535, &index))
    return;
  json_t *c = json_object_get(call->req.params, "candidate");
  const char *candidate = json_string_value(c);
  if (!candidate || json_string_length(c) > CANDIDATE_MAX || strpbrk(candidate, "\r\n")) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'candidate' must be one candidate line of at most %d bytes, or \"\"",
                       call->req.method, CANDIDATE_MAX);
    return;
  }
  if (g_str_has_prefix(candidate, "a=")) candidate += 2;
  GstWebRTCSessionDescription *remote = NULL;
  g_object_get(pc->webrtc, "remote-description", &remote, NULL);
  const char *mid = json_string_value(json_object_get(call->req.params, "sdpMid"));
  const char *ufrag = json_string_value(json_object_get(call->req.params, "usernameFragment"));
  guint lines = remote ? gst_sdp_message_medias_len(remote->sdp) : 0;
  if (!remote) {
    mprtc__call_reject(call, MPRTC_E_INVALID_STATE, "%s: The remote description was null", call->req.method);
  } else if (mid && (index = mprtc__sdp_mline_of_mid(remote->sdp, mid)) < 0) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: no m-section with mid '%.64s'", call->req.method, mid);
  } else if (index >= (json_int_t)lines || (*candidate && index < 0)) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: sdpMLineIndex %" JSON_INTEGER_FORMAT " is out of range", call->req.method, index);
  } else if (*candidate && ufrag && g_strcmp0(ufrag, mprtc__sdp_ice_ufrag(remote->sdp, (guint)index)) != 0) {
    /* Of other credentials: one a restart replaced, or one that came before its offer. */
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: the candidate's usernameFragment '%.64s' is not the remote description's",
                       call->req.method, ufrag);
  } else if (*candidate && !mprtc__sdp_candidate_valid(candidate)) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: Error processing ICE candidate '%.100s'", call->req.method, candidate);
  } else {
    char *mdns_name = *candidate ? mprtc__candidate_mdns_name(candidate) : NULL;
    if (mdns_name) {
      mprtc__pc_add_mdns_candidate(pc, (guint)index, candidate, mdns_name);
    } else {
      /* The end of candidates: for one m-line, or every one. */
      for (guint i = index < 0 ? 0 : (guint)index; i < (index < 0 ? lines : (guint)index + 1); i++)
        g_signal_emit_by_name(pc->webrtc, "add-ice-candidate", i, candidate);
    }
    g_free(mdns_name);
    mprtc__call_return(call, NULL);
  }
  if (remote) gst_webrtc_session_description_free(remote);
}

static void pc_create_data_channel(mprtc__call *call) {
  mprtc__pc *pc = live_pc(call);
  if (!pc) return;
  static const char *const allowed[] = {"label", "ordered", "maxPacketLifeTime", "maxRetransmits",
                                        "protocol", "negotiated", "id", NULL};
  json_int_t lifetime = -1, retransmits = -1, id = -1;
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "ordered", JSON_TRUE) ||
      !mprtc__call_typed_param(call, "negotiated", JSON_TRUE) ||
      !mprtc__call_typed_param(call, "protocol", JSON_STRING) ||
      !mprtc__call_int_param(call, "maxPacketLifeTime", 0, 65535, &lifetime) ||
      !mprtc__call_int_param(call, "maxRetransmits", 0, 65535, &retransmits) ||
      !mprtc__call_int_param(call, "id", 0, 65534, &id))
    return;
  json_t *p = call->req.params;
  const char *label = json_string_value(json_object_get(p, "label"));
  if (!label || (lifetime >= 0 && retransmits >= 0)) {
    mprtc__call_reject(call, MPRTC_E_INVAL,
                       "%s: 'label' must be a string, and maxPacketLifeTime and maxRetransmits exclude each other",
                       call->req.method);
    return;
  }
  GstStructure *opts = gst_structure_new_empty("data-channel-opts");
  json_t *v;
  if ((v = json_object_get(p, "ordered"))) gst_structure_set(opts, "ordered", G_TYPE_BOOLEAN, json_is_true(v), NULL);
  if (lifetime >= 0) gst_structure_set(opts, "max-packet-lifetime", G_TYPE_INT, (int)lifetime, NULL);
  if (retransmits >= 0) gst_structure_set(opts, "max-retransmits", G_TYPE_INT, (int)retransmits, NULL);
  if ((v = json_object_get(p, "protocol"))) gst_structure_set(opts, "protocol", G_TYPE_STRING, json_string_value(v), NULL);
  if ((v = json_object_get(p, "negotiated"))) gst_structure_set(opts, "negotiated", G_TYPE_BOOLEAN, json_is_true(v), NULL);
  if (id >= 0) gst_structure_set(opts, "id", G_TYPE_INT, (int)id, NULL);
  GstWebRTCDataChannel *channel = NULL;
  g_signal_emit_by_name(pc->webrtc, "create-data-channel", label, opts, &channel);
  gst_structure_free(opts);
  if (!channel) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: webrtcbin refused the channel (id in use or out of range?)",
                       call->req.method);
    return;
  }
  mprtc__object *dc = mprtc__dc_register(pc, mprtc__dc_wrap(pc->sdk, channel));
  g_object_unref(channel);
  mprtc__call_return(call, mprtc__dc_describe(dc));
}

/* ---- the object class ------------------------------------------------------------------------ */

static void teardown_pipeline(gpointer data, gpointer unused) {
  GstElement *pipeline = data;
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
}

/* Lets go of webrtcbin: no signal, operation or event of it reaches us afterwards. */
static void release_webrtcbin(mprtc__pc *pc) {
  mprtc__signals_disconnect(pc->webrtc, pc->signal_ids);
  if (pc->sctp_ice) {
    g_signal_handler_disconnect(pc->sctp_ice, pc->sctp_ice_handler);
    g_clear_object(&pc->sctp_ice);
  }
  mprtc__pc_unwatch_dtls(pc);
  mprtc__rtp_release(pc);
  for (guint i = 0; i < pc->channels->len; i++) mprtc__dc_close_quietly(pc->channels->pdata[i]);
  /* Pending operations: interrupted, so their calls are rejected (op_free) instead of lost. */
  for (guint i = 0; i < pc->pending->len; i++) gst_promise_interrupt(pc->pending->pdata[i]);
  g_ptr_array_set_size(pc->pending, 0);
  /* Going to NULL joins webrtcbin's threads and can block while data is in flight: never on
   * the SDK thread. */
  GstElement *pipeline = pc->pipeline;
  pc->pipeline = NULL;
  pc->webrtc = NULL;
  mprtc__sdk_run_in_background(pc->sdk, teardown_pipeline, pipeline);
}

static void pc_close(mprtc__object *obj) {
  mprtc__pc *pc = obj->impl;
  if (pc->webrtc) release_webrtcbin(pc);
}

void mprtc__pc_fail(mprtc__object *obj, const char *reason) {
  mprtc__pc *pc = obj->impl;
  if (!pc->webrtc) return;
  for (guint i = 0; i < pc->channels->len; i++) {
    mprtc__object *dc = pc->channels->pdata[i];
    if (!dc->closed) mprtc__object_emit(dc, "close", json_object());
  }
  mprtc__object_emit(obj, "connectionstatechange", json_pack("{s:s,s:s}", "state", "failed", "reason", reason));
  release_webrtcbin(pc);
}

static void pc_finalize(void *impl) {
  mprtc__pc *pc = impl;
  for (guint i = 0; i < pc->channels->len; i++) mprtc__object_unref(pc->channels->pdata[i]);
  g_ptr_array_unref(pc->channels);
  g_ptr_array_unref(pc->turn_urls);
  g_array_unref(pc->signal_ids);
  g_ptr_array_unref(pc->pending);
  g_free(pc->restart_ufrag);
  g_free(pc->restart_pwd);
  if (pc->certificate_pem) memset(pc->certificate_pem, 0, strlen(pc->certificate_pem));
  g_free(pc->certificate_pem);
  g_free(pc->certificate_fingerprint);
  mprtc__rtp_finalize(pc);
  g_free(pc);
}

const mprtc__object_class mprtc__pc_class = {"RTCPeerConnection", pc_close, pc_finalize};

static const mprtc__method methods[] = {
    {"RTCPeerConnection.constructor", NULL, pc_new},
    {"RTCPeerConnection.setConfiguration", "RTCPeerConnection", pc_set_configuration},
    {"RTCPeerConnection.createOffer", "RTCPeerConnection", pc_create_offer},
    {"RTCPeerConnection.createAnswer", "RTCPeerConnection", pc_create_answer},
    {"RTCPeerConnection.setLocalDescription", "RTCPeerConnection", pc_set_local},
    {"RTCPeerConnection.setRemoteDescription", "RTCPeerConnection", pc_set_remote},
    {"RTCPeerConnection.addIceCandidate", "RTCPeerConnection", pc_add_ice_candidate},
    {"RTCPeerConnection.createDataChannel", "RTCPeerConnection", pc_create_data_channel},
    {"RTCPeerConnection.close", "RTCPeerConnection", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__peerconnection_module = {.name = "peerconnection", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
