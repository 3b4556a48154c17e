/* The SDK's SDP reader: what the SDK and the base library need to know of a session description,
 * read from GStreamer's parse of it (GstSDPMessage), so that SDP is parsed in one place. The base
 * library gets a description's facts (mprtc__sdp_facts) with each description it sets, instead of
 * running regexes over the text.
 *
 * Thread rules: pure functions; any thread.
 */
#ifndef MPRTC_SDK_RTC_SDP_H
#define MPRTC_SDK_RTC_SDP_H

#include <glib.h>
#include <gst/sdp/sdp.h>
#include <jansson.h>

/* The facts of the description text (parsed as msg), new reference:
 *   {eol: "\r\n" | "\n",
 *    iceUfrags: [every a=ice-ufrag, session and media],
 *    trickle: a=ice-options holds "trickle",
 *    application: an m=application section is there,
 *    maxMessageSize: the first a=max-message-size, or null,
 *    media: [{kind, mid (or null), direction (sendrecv when none is given), iceUfrag (the
 *             section's, else the session's, or null), start, end}]}
 * start and end are the section's place in the text as JS counts (UTF-16 code units): from its
 * m= line to where the next begins (or the text ends); absent when the text and msg disagree. */
json_t *mprtc__sdp_facts(const GstSDPMessage *msg, const char *text);

/* The same for a text not parsed yet; NULL when it does not parse. */
json_t *mprtc__sdp_facts_of_text(const char *text);

/* The a=ice-ufrag of m-line mline, else the session's, or NULL (borrowed from msg). */
const char *mprtc__sdp_ice_ufrag(const GstSDPMessage *msg, guint mline);

/* The m-line whose a=mid is mid, or -1. */
int mprtc__sdp_mline_of_mid(const GstSDPMessage *msg, const char *mid);

/* The msid stream IDs m-line mline announces (a=msid, or without one the ssrc-level msid older
 * webrtcbins write), "-" excluded, each once (a GPtrArray of char*). */
GPtrArray *mprtc__sdp_msids(const GstSDPMessage *msg, guint mline);

/* Whether line is one ICE candidate attribute's value as RFC 8839 writes it ("candidate:<foundation>
 * <component> <udp|tcp> <priority> <address> <port> typ <host|srflx|prflx|relay> ..."). */
gboolean mprtc__sdp_candidate_valid(const char *line);

#endif
