/* Multicast DNS (RFC 6762) as far as ICE needs it: a browser hides its local addresses behind
 * names like "1f4712db-ea17-4bcf-a596-105139dfd8bf.local" (draft-ietf-mmusic-mdns-ice-candidates),
 * which a peer asks the network for. The messages here; the sockets in mdns-resolver.c. Pure:
 * any thread.
 */
#ifndef MPRTC_SDK_NET_MDNS_H
#define MPRTC_SDK_NET_MDNS_H

#include <glib.h>

#define MPRTC__MDNS_PORT 5353
#define MPRTC__MDNS_GROUP "224.0.0.251"

/* A query for name's A record (ipv6: AAAA); unicast_reply sets the QU bit (for a socket that is
 * not on port 5353). NULL for a name that is no DNS name (a label over 63 bytes, 255 in all). */
GBytes *mprtc__mdns_query(const char *name, gboolean ipv6, gboolean unicast_reply);

/* The first address a response gives for name (an A or AAAA record in any section, the name
 * compared without case), as text; NULL when it gives none or is malformed. Every length and
 * pointer is checked against len. */
char *mprtc__mdns_address(const guint8 *message, gsize len, const char *name);

/* An ICE candidate line whose address is an mDNS name ("....local"): the name (g_free); else NULL. */
char *mprtc__candidate_mdns_name(const char *candidate);

/* The candidate line with its address replaced by address (g_free). */
char *mprtc__candidate_with_address(const char *candidate, const char *address);

#endif
