/* The DTLS certificate check webrtcbin 1.22 does not do: the peer's certificate must hash to the
 * a=fingerprint of the remote description (RFC 8122, RFC 8827 §6.5), or anyone on the path could
 * sit in the middle of the DTLS handshake. Pure functions: any thread.
 */
#include "sdk/rtc/fingerprint.h"

#include <string.h>

static GChecksumType checksum_for(const char *algorithm) {
  if (g_ascii_strcasecmp(algorithm, "sha-1") == 0) return G_CHECKSUM_SHA1;
  if (g_ascii_strcasecmp(algorithm, "sha-256") == 0) return G_CHECKSUM_SHA256;
  if (g_ascii_strcasecmp(algorithm, "sha-384") == 0) return G_CHECKSUM_SHA384;
  if (g_ascii_strcasecmp(algorithm, "sha-512") == 0) return G_CHECKSUM_SHA512;
  return (GChecksumType)-1;
}

/* The DER bytes of the first certificate in pem, or NULL. */
static guchar *first_certificate_der(const char *pem, gsize *len) {
  const char *begin = pem ? strstr(pem, "-----BEGIN CERTIFICATE-----") : NULL;
  if (!begin) return NULL;
  begin += strlen("-----BEGIN CERTIFICATE-----");
  const char *end = strstr(begin, "-----END CERTIFICATE-----");
  if (!end) return NULL;
  char *b64 = g_strndup(begin, end - begin);
  guchar *der = g_base64_decode(g_strstrip(b64), len);
  g_free(b64);
  if (*len == 0) {
    g_free(der);
    return NULL;
  }
  return der;
}

char *mprtc__fingerprint_of(const char *pem, const char *algorithm) {
  GChecksumType type = algorithm ? checksum_for(algorithm) : (GChecksumType)-1;
  gsize len = 0;
  guchar *der = (int)type >= 0 ? first_certificate_der(pem, &len) : NULL;
  if (!der) return NULL;
  GChecksum *sum = g_checksum_new(type);
  g_checksum_update(sum, der, len);
  guint8 digest[64];
  gsize n = sizeof digest;
  g_checksum_get_digest(sum, digest, &n);
  g_checksum_free(sum);
  g_free(der);
  GString *hex = g_string_new(NULL);
  for (gsize i = 0; i < n; i++) g_string_append_printf(hex, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free(hex, FALSE);
}

gboolean mprtc__fingerprint_matches(const char *pem, const char *fingerprint) {
  if (!pem || !fingerprint) return FALSE;
  char *value = g_strstrip(g_strdup(fingerprint));
  char **parts = g_strsplit(value, " ", 2);
  g_free(value);
  gboolean ok = FALSE;
  char *have = parts[0] && parts[1] ? mprtc__fingerprint_of(pem, parts[0]) : NULL;
  if (have) {
    char *want = g_strstrip(g_strdup(parts[1]));
    ok = g_ascii_strcasecmp(have, want) == 0;
    g_free(want);
    g_free(have);
  }
  g_strfreev(parts);
  return ok;
}
