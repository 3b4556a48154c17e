/* DTLS certificates of mprtc's own: see certificate.h. */
#include "sdk/rtc/certificate.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string.h>

#include "sdk/rtc/fingerprint.h"

static char *openssl_error(const char *what) {
  char detail[256] = "";
  unsigned long e = ERR_get_error();
  if (e) ERR_error_string_n(e, detail, sizeof detail);
  ERR_clear_error();
  return g_strdup_printf("%s%s%s", what, *detail ? ": " : "", detail);
}

static EVP_PKEY *make_key(mprtc__key_kind kind, int rsa_bits, unsigned long rsa_exponent) {
  EVP_PKEY *key = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(kind == MPRTC__KEY_RSA ? EVP_PKEY_RSA : EVP_PKEY_EC, NULL);
  if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0) goto out;
  if (kind == MPRTC__KEY_RSA) {
    BIGNUM *e = BN_new();
    gboolean ok = e && BN_set_word(e, rsa_exponent) && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, rsa_bits) > 0 &&
                  EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) > 0;
    BN_free(e);
    if (!ok) goto out;
  } else if (EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) <= 0 ||
             EVP_PKEY_CTX_set_ec_param_enc(ctx, OPENSSL_EC_NAMED_CURVE) <= 0) {
    goto out;
  }
  if (EVP_PKEY_keygen(ctx, &key) <= 0) key = NULL;
out:
  EVP_PKEY_CTX_free(ctx);
  return key;
}

/* The certificate, then the key, in PEM. */
static char *to_pem(X509 *x509, EVP_PKEY *key) {
  BIO *bio = BIO_new(BIO_s_mem());
  char *pem = NULL;
  if (bio && PEM_write_bio_X509(bio, x509) && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
    char *data;
    long len = BIO_get_mem_data(bio, &data);
    pem = g_strndup(data, (gsize)len);
  }
  BIO_free(bio);
  return pem;
}

mprtc__certificate *mprtc__certificate_generate(mprtc__key_kind kind, int rsa_bits, unsigned long rsa_exponent,
                                                gint64 lifetime_ms, char **error) {
  EVP_PKEY *key = make_key(kind, rsa_bits, rsa_exponent);
  X509 *x509 = key ? X509_new() : NULL;
  mprtc__certificate *c = NULL;
  if (!x509) {
    if (error) *error = openssl_error("cannot make the key");
    goto out;
  }
  /* A random 64-bit serial, a random common name as browsers give theirs ("WebRTC" and such):
   * nothing in a DTLS handshake checks either beyond the fingerprint. */
  unsigned char serial[8];
  unsigned char name_bytes[6];
  if (RAND_bytes(serial, sizeof serial) != 1 || RAND_bytes(name_bytes, sizeof name_bytes) != 1) {
    if (error) *error = openssl_error("no random bytes");
    goto out;
  }
  serial[0] &= 0x7f; /* positive */
  BIGNUM *serial_bn = BN_bin2bn(serial, sizeof serial, NULL);
  BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(x509));
  BN_free(serial_bn);
  char common_name[3 + 2 * sizeof name_bytes + 1];
  g_snprintf(common_name, sizeof common_name, "mprtc-%02x%02x%02x", name_bytes[0], name_bytes[1], name_bytes[2]);
  X509_NAME *name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)common_name, -1, -1, 0);
  X509_set_issuer_name(x509, name);
  X509_set_version(x509, 2);
  /* Valid from a day ago: a peer whose clock is behind ours must not find it not yet valid. */
  X509_gmtime_adj(X509_getm_notBefore(x509), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(x509), (long)(lifetime_ms / 1000));
  if (!X509_set_pubkey(x509, key) || !X509_sign(x509, key, EVP_sha256())) {
    if (error) *error = openssl_error("cannot sign the certificate");
    goto out;
  }
  char *pem = to_pem(x509, key);
  char *fingerprint = pem ? mprtc__fingerprint_of(pem, "sha-256") : NULL;
  if (!fingerprint) {
    g_free(pem);
    if (error) *error = openssl_error("cannot write the certificate");
    goto out;
  }
  c = g_new0(mprtc__certificate, 1);
  c->pem = pem;
  c->fingerprint = fingerprint;
  c->expires_ms = g_get_real_time() / 1000 + lifetime_ms;
out:
  X509_free(x509);
  EVP_PKEY_free(key);
  return c;
}

void mprtc__certificate_free(mprtc__certificate *c) {
  if (!c) return;
  /* The private key: not left in freed memory. */
  if (c->pem) memset(c->pem, 0, strlen(c->pem));
  g_free(c->pem);
  g_free(c->fingerprint);
  g_free(c);
}
