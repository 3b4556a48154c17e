/* Unit tests of the DTLS fingerprint check (RFC 8122) that webrtcbin 1.22 leaves out. */
#include <glib.h>

#include <string.h>

#include "sdk/rtc/certificate.h"
#include "sdk/rtc/fingerprint.h"

/* A self-signed P-256 certificate and its fingerprints, as `openssl x509 -fingerprint` gives. */
static const char pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBfjCCASWgAwIBAgIUQhbYsIRXp/Zmo7KiC2lL6hrlFlkwCgYIKoZIzj0EAwIw\n"
    "FTETMBEGA1UEAwwKbXBydGMtdGVzdDAeFw0yNjExMjQwNzEyMjdaFw0zNjExMjEw\n"
    "NzEyMjdaMBUxEzARBgNVBAMMCm1wcnRjLXRlc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
    "PQMBBwNCAATxdoribxbflJDL6JnD4c1kF6K6/7RKEHRF4MYNd/V71DkJKkTD3SbQ\n"
    "RH6ojnsRhUn7RNoqidW8VHRQ5z/m+ODZo1MwUTAdBgNVHQ4EFgQULG3pfGIeav/N\n"
    "lTS2e/fiw0Zmbw0wHwYDVR0jBBgwFoAULG3pfGIeav/NlTS2e/fiw0Zmbw0wDwYD\n"
    "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAiF3GqO/R7AOyVv3afkZHQ\n"
    "SYjHBWx3xvnaRTOkUhT+ggIgY8hStxy0crFKC9b2jrx5o+OqWX+SqEPkPwUyJSP9\n"
    "p9Q=\n"
    "-----END CERTIFICATE-----\n";
static const char sha256[] =
    "sha-256 6D:E1:B2:CC:64:01:0B:9C:11:06:69:AE:D2:AA:A7:59:7A:D8:B4:AC:89:0B:DA:E7:5C:82:E2:E5:C9:55:BA:F1";

static void test_matches(void) {
  g_assert_true(mprtc__fingerprint_matches(pem, sha256));
  g_assert_true(mprtc__fingerprint_matches(
      pem, "SHA-1 e7:72:bc:b3:bc:e8:87:7d:bc:be:f1:cd:07:2c:9a:55:cd:ba:85:67"));
  g_assert_true(mprtc__fingerprint_matches(pem, "  sha-256 6d:e1:b2:cc:64:01:0b:9c:11:06:69:ae:d2:aa:a7:59:7a:d8:b4:ac:89:0b:da:e7:5c:82:e2:e5:c9:55:ba:f1  "));
}

static void test_mismatches(void) {
  /* One byte changed, as a man in the middle would present. */
  g_assert_false(mprtc__fingerprint_matches(
      pem, "sha-256 6D:E1:B2:CC:64:01:0B:9C:11:06:69:AE:D2:AA:A7:59:7A:D8:B4:AC:89:0B:DA:E7:5C:82:E2:E5:C9:55:BA:F2"));
  g_assert_false(mprtc__fingerprint_matches(pem, "sha-256"));
  g_assert_false(mprtc__fingerprint_matches(pem, "md5 00:11"));
  g_assert_false(mprtc__fingerprint_matches(pem, "sha-1 6D:E1:B2:CC:64:01:0B:9C:11:06:69:AE:D2:AA:A7:59:7A:D8:B4:AC:89:0B:DA:E7:5C:82:E2:E5:C9:55:BA:F1"));
  g_assert_false(mprtc__fingerprint_matches(NULL, sha256));
  g_assert_false(mprtc__fingerprint_matches(pem, NULL));
  g_assert_false(mprtc__fingerprint_matches("not a certificate", sha256));
  g_assert_false(mprtc__fingerprint_matches("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----", sha256));
}

/* Certificates of our own: the certificate first, then its key (what GStreamer's DTLS elements
 * read), the fingerprint of the certificate alone, a new key each time, the lifetime asked. */
static void test_generated(void) {
  mprtc__key_kind kinds[] = {MPRTC__KEY_ECDSA_P256, MPRTC__KEY_RSA};
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
    char *error = NULL;
    gint64 now_ms = g_get_real_time() / 1000;
    mprtc__certificate *a = mprtc__certificate_generate(kinds[i], 2048, 65537, 3600 * 1000, &error);
    mprtc__certificate *b = mprtc__certificate_generate(kinds[i], 2048, 65537, 3600 * 1000, &error);
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_null(error);
    g_assert_true(g_str_has_prefix(a->pem, "-----BEGIN CERTIFICATE-----\n"));
    const char *key = strstr(a->pem, "-----BEGIN PRIVATE KEY-----");
    g_assert_nonnull(key);
    g_assert_true(key > strstr(a->pem, "-----END CERTIFICATE-----"));
    char *expected = g_strconcat("sha-256 ", a->fingerprint, NULL);
    g_assert_true(mprtc__fingerprint_matches(a->pem, expected));
    g_assert_false(mprtc__fingerprint_matches(b->pem, expected));
    g_free(expected);
    g_assert_cmpuint(strlen(a->fingerprint), ==, 32 * 3 - 1);
    g_assert_cmpint(a->expires_ms, >=, now_ms + 3600 * 1000);
    g_assert_cmpint(a->expires_ms, <=, g_get_real_time() / 1000 + 3600 * 1000);
    mprtc__certificate_free(a);
    mprtc__certificate_free(b);
  }
  g_assert_null(mprtc__fingerprint_of("no certificate", "sha-256"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/fingerprint/matches", test_matches);
  g_test_add_func("/fingerprint/mismatches", test_mismatches);
  g_test_add_func("/fingerprint/generated", test_generated);
  return g_test_run();
}
