/* DTLS certificate fingerprints (RFC 8122). Pure: any thread. */
#ifndef MPRTC_SDK_FINGERPRINT_H
#define MPRTC_SDK_FINGERPRINT_H

#include <glib.h>

/* TRUE when the first certificate of pem hashes to fingerprint, the value of an SDP
 * a=fingerprint attribute ("sha-256 AB:CD:..."; sha-1, sha-256, sha-384 or sha-512). */
gboolean mprtc__fingerprint_matches(const char *pem, const char *fingerprint);

/* The fingerprint of the first certificate of pem by algorithm ("sha-256", ...), as SDP writes
 * it: "AB:CD:..." (g_free it); NULL for no certificate or an unknown algorithm. */
char *mprtc__fingerprint_of(const char *pem, const char *algorithm);

#endif
