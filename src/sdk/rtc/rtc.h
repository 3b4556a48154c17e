/* What the RTCPeerConnection and RTCDataChannel handlers share (src/sdk/rtc/peerconnection.c,
 * src/sdk/rtc/datachannel.c).
 *
 * Thread rules: everything here runs on the SDK thread, except where a comment says a function
 * is a webrtcbin signal handler (then it only copies its arguments and posts them to the SDK
 * thread with mprtc__sdk_post).
 */
#ifndef MPRTC_SDK_RTC_H
#define MPRTC_SDK_RTC_H

/* webrtcbin's library is marked unstable; its 1.22 API is what this code is written against. */
#define GST_USE_UNSTABLE_API
#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include "sdk/core/call.h"
#include "sdk/core/sdk.h"

typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;     /* the registry object this is the impl of (borrowed) */
  GstElement *pipeline;
  GstElement *webrtc;
  GPtrArray *channels;    /* mprtc__object* (references) of the connection's data channels */
  GPtrArray *turn_urls;   /* the TURN URLs given, for icecandidateerror (char*) */
  gboolean relay_only;
  guint relay_candidates; /* relay candidates gathered since the last gathering started */
  gboolean gathered_none;  /* relay-only gathering ended without any candidate */
  gboolean ice_failed;     /* "failed" was reported for that: later ICE states are not sent */
  GArray *signal_ids;     /* gulong handler ids on webrtc, disconnected on close */
  GPtrArray *pending;     /* GstPromise* of operations webrtcbin has not answered yet */
  GObject *sctp_ice;      /* the ICE transport under the SCTP transport, once negotiated */
  GObject *dtls;          /* the DTLS transport whose peer certificate is checked */
  gulong dtls_handler;
  gboolean dtls_checked;
  int gathering_emitted;  /* the last GstWebRTCICEGatheringState sent to JS */
  gulong sctp_ice_handler;
  /* Media (src/sdk/rtc/rtp.c). */
  GMutex rtp_lock;        /* guards transceivers for webrtcbin's streaming threads */
  GPtrArray *transceivers; /* mprtc__rtp*, in creation order */
  int next_transceiver;
  GHashTable *remote_streams; /* msid stream ID -> mprtc__object* (reference) of a MediaStream */
  int twcc_id;            /* the transport-cc header extension's ID in our descriptions, 0: none yet */
  GSource *sources_timer; /* sends watched receivers' sources (src/sdk/rtc/rtp-sources.c), or NULL */
  gboolean ice_restarting;      /* an ICE restart's offer was set: the answer gets new credentials */
  gboolean announce_candidates; /* the local description being set restarts ICE: announce them */
  int ice_restart_from;   /* GstWebRTCICEConnectionState when a restart began; -1: none running */
  char *restart_ufrag, *restart_pwd; /* the answer's credentials for the peer's restart, or NULL */
  char *certificate_pem; /* the DTLS certificate and key its transports take (certificate.h) */
  char *certificate_fingerprint; /* its SHA-256, what the descriptions say */
} mprtc__pc;

/* src/sdk/rtc/rtp.c: transceivers, their senders (track -> encoder -> webrtcbin) and receivers
 * (webrtcbin -> decoder -> a remote track). */
void mprtc__rtp_init(mprtc__pc *pc);
/* SDK thread, when webrtcbin is released: senders detach from their tracks, remote tracks end. */
void mprtc__rtp_release(mprtc__pc *pc);
void mprtc__rtp_finalize(mprtc__pc *pc);
/* Streaming thread: a src pad of webrtcbin appeared; links a decoder to its receiver's track. */
void mprtc__rtp_pad_added(mprtc__pc *pc, GstPad *pad);
/* SDK thread: registers transceivers webrtcbin made itself (remote offers, offerToReceive),
 * updates payload types from the remote description, and describes every transceiver (with the
 * remote streams of their m-lines) for JS. */
json_t *mprtc__rtp_describe_all(mprtc__pc *pc);
/* SDK thread, after a remote offer was set: a transceiver of ours for each of its audio/video
 * m-lines (webrtcbin 1.22 makes its own only when answering), sending with the offer's payload
 * types. */
void mprtc__rtp_remote_offer(mprtc__pc *pc);
/* SDK thread: adds a=msid lines to a description webrtcbin created, for the streams of what is
 * sent (webrtcbin writes msid only on ssrc lines, and only once media has flowed). */
void mprtc__rtp_announce_streams(mprtc__pc *pc, GstSDPMessage *sdp);
/* SDK thread: adds what the transceivers know to a getStats report (id -> W3C stats, webrtcbin's
 * converted), timestamp (ms) on the dictionaries it creates (src/sdk/rtc/rtp-stats.c). */
void mprtc__rtp_stats(mprtc__pc *pc, json_t *report, double timestamp);

/* src/sdk/rtc/rtp-sources.c: RTCRtpReceiver's synchronization and contributing sources.
 * SDK thread, when webrtcbin is released: no more sources events. */
void mprtc__rtp_sources_stop_watching(mprtc__pc *pc);

/* src/sdk/rtc/ice-restart.c: ICE restarts on webrtcbin 1.22, which has none. SDK thread. */
gboolean mprtc__ice_credentials_differ(const GstSDPMessage *a, const GstSDPMessage *b);
/* Fresh ice-ufrag/ice-pwd in every m-section of sdp (an answer: those the restart chose). */
void mprtc__ice_renew_credentials(mprtc__pc *pc, GstSDPMessage *sdp, gboolean answer);
/* The restarted local description is set: the restart's state goes. */
void mprtc__ice_restart_done(mprtc__pc *pc);
/* The current local description's ice-ufrag/ice-pwd in sdp (none yet: nothing changes). */
void mprtc__ice_keep_credentials(mprtc__pc *pc, GstSDPMessage *sdp);
/* Restarts the connection's libnice streams (checks and the peer's candidates go): for our own
 * offer (local_offer), or for the peer's, when it also picks the answer's credentials. */
void mprtc__ice_restart(mprtc__pc *pc, gboolean local_offer);
/* Announces the local candidates again (icecandidate events between gathering and complete). */
void mprtc__ice_announce_local_candidates(mprtc__pc *pc);
/* Emits an icecandidate event for candidate (a "candidate:" line, prefix optional) of mline. */
void mprtc__pc_emit_candidate(mprtc__pc *pc, guint mline, const char *candidate);

/* src/sdk/rtc/twcc.c: transport-wide congestion control feedback for the peer's senders.
 * SDK thread: adds a=extmap for the transport-cc header extension to a description of type
 * webrtcbin created (offers: every audio/video m-section; answers: where the offer has it). */
void mprtc__twcc_annotate(mprtc__pc *pc, GstSDPMessage *sdp, GstWebRTCSDPType type);
/* Any thread (deep-element-added): makes an RTP session send its feedback at a fixed interval. */
void mprtc__twcc_tune_session(GstElement *element);

/* src/sdk/rtc/stats.c. SDK thread, after a description was set: counts bytes on every ICE transport
 * of the connection from now on (once per transport). */
void mprtc__stats_watch_transports(mprtc__pc *pc);

/* src/sdk/rtc/pc-signals.c: webrtcbin's signals turned into the connection's events. */
void mprtc__pc_connect_signals(mprtc__pc *pc);
/* SDK thread, once an application m-section is negotiated: follows the ICE transport under it
 * (webrtcbin 1.22 reports no ICE state for data-only connections) and checks its DTLS peer. */
void mprtc__pc_watch_sctp_ice(mprtc__pc *pc);
/* SDK thread: a relay-only gathering that found no candidate fails the connection once a remote
 * description is set. */
void mprtc__pc_fail_without_candidates(mprtc__object *obj, mprtc__pc *pc);

/* Emits signal(arg, promise) on the connection's webrtcbin; done runs on the SDK thread with the
 * reply (errors and close reject the call without it). */
typedef void (*mprtc__op_done_fn)(mprtc__pc *pc, mprtc__call *call, const GstStructure *reply);
void mprtc__pc_run_op(mprtc__call *call, mprtc__pc *pc, const char *signal, gpointer arg, mprtc__op_done_fn done);

extern const mprtc__object_class mprtc__pc_class;
extern const mprtc__object_class mprtc__dc_class;

/* src/sdk/rtc/dtls-verify.c: checks the peer certificate of dtls against the remote fingerprint
 * once the handshake completes (webrtcbin 1.22 does not), failing the connection otherwise. */
void mprtc__pc_watch_dtls(mprtc__pc *pc, GObject *dtls);
void mprtc__pc_unwatch_dtls(mprtc__pc *pc);

/* Fails the connection for good: "connectionstatechange" to failed (with reason), its data
 * channels closed (a "close" event each), its webrtcbin torn down. Later calls on it reject. */
void mprtc__pc_fail(mprtc__object *pc_obj, const char *reason);

typedef struct mprtc__dc mprtc__dc;

/* Any thread (also webrtcbin's on-data-channel, with its lock held: this only takes a reference
 * and connects signal handlers, so that no message is missed). The channel's events are posted
 * to the SDK thread and emitted once the channel is registered. */
mprtc__dc *mprtc__dc_wrap(mprtc__sdk *sdk, GstWebRTCDataChannel *channel);

/* SDK thread. Registers dc (taking the caller's reference) as an RTCDataChannel object of pc's
 * app and returns it (borrowed: the registry holds it). */
mprtc__object *mprtc__dc_register(mprtc__pc *pc, mprtc__dc *dc);

void mprtc__dc_unref(mprtc__dc *dc);

/* The description of a channel as the JS side needs it (label, ordered, ...), new reference. */
json_t *mprtc__dc_describe(mprtc__object *dc);

/* Closes the channel's GStreamer side (no events afterwards). */
void mprtc__dc_close_quietly(mprtc__object *dc);

/* src/sdk/rtc/mdns-candidates.c: remote candidates at mDNS names. */
typedef struct {
  guint mline;
  char *candidate; /* "candidate:..." */
  char *name;      /* its address, "....local" */
} mprtc__mdns_candidate_line;
/* Resolves name, then adds candidate (whose address it is) for mline. */
void mprtc__pc_add_mdns_candidate(mprtc__pc *pc, guint mline, const char *candidate, const char *name);
/* Takes the candidates at mDNS names out of a description (mprtc__mdns_candidate_line*; free the
 * array). */
GPtrArray *mprtc__sdp_take_mdns_candidates(GstSDPMessage *sdp);

#endif
