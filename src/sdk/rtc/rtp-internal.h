/* The transceiver record of src/sdk/rtc/rtp.c, shared with its stats (src/sdk/rtc/rtp-stats.c).
 *
 * Thread rules: SDK thread, except where a field says otherwise.
 */
#ifndef MPRTC_SDK_RTP_INTERNAL_H
#define MPRTC_SDK_RTP_INTERNAL_H

#include <gst/sdp/sdp.h>

#include "sdk/media/media.h"
#include "sdk/media/source.h"
#include "sdk/rtc/rtc.h"

/* The sources a receiver's packets came from (src/sdk/rtc/rtp-sources.c): refcounted, shared with
 * the pad probe that records them. */
typedef struct mprtc__rtp_sources mprtc__rtp_sources;
mprtc__rtp_sources *mprtc__rtp_sources_new(void);
void mprtc__rtp_sources_unref(mprtc__rtp_sources *s);
/* Records the SSRC, CSRCs and RTP timestamp of the packets pad passes (any thread). */
void mprtc__rtp_sources_follow(mprtc__rtp_sources *s, GstPad *pad);

/* A per-second rate over the interval between two getStats calls (W3C framesPerSecond). */
typedef struct {
  gint64 at_us;   /* monotonic time of the last sample, 0: none yet */
  guint64 count;
  double rate;
  gboolean measured;
} mprtc__rate_meter;

/* A codec this engine sends and receives (src/sdk/rtc/rtp.c). */
typedef struct {
  const char *name;             /* encoding-name */
  mprtc__kind kind;
  int default_pt, clock_rate;
  const char *caps_extra;       /* what goes into codec preferences besides name, media, pt */
  const char *encode;           /* raw -> RTP, without the payload type; the encoder is "enc" */
  const char *bitrate_property; /* the encoder's target, */
  int bitrate_unit;             /* in bit/s times this */
  const char *decode;           /* RTP -> raw, converted to what sources carry */
} codec;

/* What a video encoder produced, counted by a probe on a streaming thread (atomics). Refcounted
 * (g_atomic_rc_box): the pipeline may be torn down after the transceiver is freed. */
typedef struct {
  gint frames, key_frames;
} mprtc__encoded;

/* Feeds the meter count at the monotonic time now_us; returns the rate, -1 before one was measured. */
double mprtc__rate_meter_update(mprtc__rate_meter *m, guint64 count, gint64 now_us);

typedef struct {
  int index;
  GstWebRTCRTPTransceiver *gst;  /* reference */
  mprtc__kind kind;
  int planned_mline;             /* the remote offer's m-line it answers before webrtcbin knows, or -1 */
  /* Sending. */
  GstPad *sink_pad;              /* webrtcbin's request pad, or NULL */
  GstElement *send_bin;
  GstElement *appsrc;            /* reference */
  GstElement *payload_filter;    /* borrowed from send_bin */
  const codec *send;             /* what the branch encodes */
  GPtrArray *codec_order;        /* const codec*: setCodecPreferences' order, or NULL */
  json_t *encoding;              /* the last setParameters, applied again after a codec switch */
  int pt;
  guint32 ssrc;                  /* what we send with, fixed so the SDP can announce it */
  mprtc__object *send_track;     /* reference, or NULL */
  guint send_sink;
  char *msid;                    /* the stream ID announced for what is sent */
  /* Receiving. */
  mprtc__object *recv_track;     /* reference */
  mprtc__source *recv_source;     /* reference */
  gboolean decoding;             /* a decoder is linked (rtp_lock) */
  guint32 recv_ssrc;             /* what is decoded (rtp_lock): SSRC (0 before media), */
  int recv_pt, recv_clock_rate;  /* payload type and clock rate, */
  const char *recv_codec;        /* encoding name (static) */
  mprtc__rtp_sources *sources;   /* what the packets received came from */
  gboolean watch_sources;        /* JS asked: changes are sent (src/sdk/rtc/rtp-sources.c) */
  guint64 sources_sent;          /* the packet count when they were last sent */
  /* For getStats (src/sdk/rtc/rtp-stats.c). */
  mprtc__encoded *encoded;       /* a g_atomic_rc_box, shared with the encoder's probe */
  mprtc__rate_meter send_fps, recv_fps, source_fps;
} rtp;

/* The track a MediaStreamTrack object is, or NULL. */
static inline mprtc__track *mprtc__track_of(mprtc__object *obj) { return obj ? obj->impl : NULL; }

/* ---- src/sdk/rtc/rtp-codecs.c: the codecs, pure ---- */

/* The codec of that encoding name (any case), or NULL. */
const codec *mprtc__codec_by_name(const char *name);
/* What a transceiver of kind sends until someone chooses. */
const codec *mprtc__codec_default(mprtc__kind kind);
/* The caps c is offered with as payload type pt (codec preferences, pad templates). */
GstCaps *mprtc__codec_caps(const codec *c, int pt);
/* The codec of kind to send on m-line mline of sdp, in order (setCodecPreferences' codecs, or
 * NULL: the table's), with the peer's payload type in *pt; NULL if none fits. */
const codec *mprtc__codec_choose(const GPtrArray *order, mprtc__kind kind, const GstSDPMessage *sdp, guint mline,
                                 int *pt);

/* ---- src/sdk/rtc/rtp-send.c: sending branches, SDK thread ---- */

/* t's sender takes its samples from track (NULL: none) from now on. */
void mprtc__rtp_attach_track(rtp *t, mprtc__object *track);
void mprtc__rtp_detach_track(rtp *t);
/* The codecs t offers or answers with: setCodecPreferences' list, or what it sends. */
void mprtc__rtp_update_preferences(rtp *t);
/* Sends with payload type pt (the peer's for our codec), in the branch and the preferences. */
void mprtc__rtp_set_payload_type(rtp *t, int pt);
/* Requests webrtcbin's pad named pad_name (NULL: any) for t and builds its sending branch with
 * payload type pt. FALSE when webrtcbin refuses the pad. */
gboolean mprtc__rtp_build_sender(mprtc__pc *pc, rtp *t, const char *pad_name, int pt);
/* Sends codec c with payload type pt from now on: a new branch on the same webrtcbin pad. */
gboolean mprtc__rtp_switch_codec(mprtc__pc *pc, rtp *t, const codec *c, int pt);
/* setParameters as resolved by the base library: {active, maxBitrate, width, height,
 * maxFramerate}. */
void mprtc__rtp_apply_encoding(rtp *t, json_t *e);

/* ---- src/sdk/rtc/rtp-receive.c ---- */

/* The transceiver of ours for webrtcbin's gst (under rtp_lock off the SDK thread), or NULL. */
rtp *mprtc__rtp_find_by_gst(mprtc__pc *pc, GstWebRTCRTPTransceiver *gst);

/* The m-line of t: webrtcbin's, or the one of the remote offer it is to answer; G_MAXUINT when
 * it has none yet. */
guint mprtc__rtp_mline(rtp *t);
/* The transceiver with that index, or NULL. */
rtp *mprtc__rtp_find(mprtc__pc *pc, json_int_t index);


#endif
