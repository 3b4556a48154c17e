/* RTCCertificate objects of the SDK (certificates.c). SDK thread. */
#ifndef MPRTC_SDK_RTC_CERTIFICATES_H
#define MPRTC_SDK_RTC_CERTIFICATES_H

#include <gst/sdp/sdp.h>

#include "sdk/core/call.h"
#include "sdk/rtc/certificate.h"

extern const mprtc__object_class mprtc__certificate_class;

/* The certificate named by params.certificate (an object ID): NULL when absent; NULL with *bad
 * set, the call rejected, when it names no certificate of the call's app. Borrowed: valid during
 * the call. */
const mprtc__certificate *mprtc__certificate_param(mprtc__call *call, gboolean *bad);

/* The PEM of the process's ECDSA P-256 certificate, for the connections that were given none
 * (g_free it). NULL with *error (g_free it) when OpenSSL failed. Any thread. */
char *mprtc__certificate_default_pem(char **error);

/* webrtcbin 1.22 writes the a=fingerprint of a certificate given as PEM over the whole text,
 * private key included (it decodes every base64 line), so its fingerprints of our certificates
 * are wrong: every one in sdp becomes "sha-256 " + fingerprint, the certificate's. */
void mprtc__certificate_fix_fingerprints(GstSDPMessage *sdp, const char *fingerprint);

#endif
