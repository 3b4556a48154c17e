/* DTLS certificate fingerprints (RFC 8122). Pure: any thread. */
#ifndef MPRTC_SDK_FINGERPRINT_H
#define MPRTC_SDK_FINGERPRINT_H

#include <glib.h>

/* TRUE when the first certificate of pem hashes to fingerprint, the value of an SDP
 * a=fingerprint attribute ("sha-256 AB:CD:..."; sha-1, sha-256, sha-384 or sha-512). */
gboolean mprtc__fingerprint_matches(const char *pem, const char *fingerprint);

#endif
