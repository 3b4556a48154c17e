/* DTLS certificates of mprtc's own (the W3C RTCCertificate, webrtc-pc §4.9): a self-signed X.509
 * certificate and its key, made here with OpenSSL and handed to GStreamer's DTLS elements in PEM
 * form. ECDSA P-256 is what browsers make (the key takes about a millisecond); RSA when an app
 * asks for it. Pure: any thread.
 */
#ifndef MPRTC_SDK_RTC_CERTIFICATE_H
#define MPRTC_SDK_RTC_CERTIFICATE_H

#include <glib.h>

typedef enum { MPRTC__KEY_ECDSA_P256, MPRTC__KEY_RSA } mprtc__key_kind;

typedef struct {
  char *pem;         /* the certificate, then its private key: what dtlssrtpdec's "pem" takes */
  char *fingerprint; /* SHA-256 of the certificate, "AB:CD:..." */
  gint64 expires_ms; /* when it stops being valid, in ms since the Unix epoch */
} mprtc__certificate;

/* The W3C default lifetime: 30 days. */
#define MPRTC__CERTIFICATE_LIFETIME_MS ((gint64)30 * 24 * 3600 * 1000)

/* A new certificate valid from a day ago (clocks differ) until lifetime_ms from now. rsa_bits
 * (1024 to 8192) and rsa_exponent (3 or 65537) for RSA only. NULL with *error (g_free it) when
 * OpenSSL fails. */
mprtc__certificate *mprtc__certificate_generate(mprtc__key_kind kind, int rsa_bits, unsigned long rsa_exponent,
                                                gint64 lifetime_ms, char **error);
void mprtc__certificate_free(mprtc__certificate *certificate);

#endif
