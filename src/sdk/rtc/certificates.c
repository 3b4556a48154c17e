/* RTCCertificate in the SDK: certificates an app made with RTCPeerConnection.generateCertificate,
 * kept as objects of the app's until the JS object is collected, and the certificate a new
 * connection uses (certificate.h makes them).
 *   RTCCertificate.generate  {name: "ECDSA" | "RSASSA-PKCS1-v1_5", modulusLength, publicExponent,
 *                             expires (ms)} -> {id, expires, fingerprints: [{algorithm, value}]}
 *   RTCCertificate.close     target -> null
 * The base library has checked the algorithm (NotSupportedError for the others); what comes here
 * is checked again, as every block is.
 *
 * A connection without a certificate of the app's uses the process's ECDSA certificate, made as
 * the first SDK starts: a new one for every connection cost each connection 3-5 ms (the key,
 * then a DTLS context for it inside GStreamer, which keeps one per certificate).
 */
#include <gst/sdp/sdp.h>
#include <string.h>

#include "sdk/core/call.h"
#include "sdk/core/module.h"
#include "sdk/rtc/certificates.h"

static void certificate_impl_free(void *impl) { mprtc__certificate_free(impl); }
/* Nothing to close: the certificate is data, freed with the object. */
const mprtc__object_class mprtc__certificate_class = {"RTCCertificate", NULL, certificate_impl_free};

static void generate(mprtc__call *call) {
  static const char *const allowed[] = {"name", "namedCurve", "modulusLength", "publicExponent", "expires", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "name", JSON_STRING)) return;
  const char *name = json_string_value(json_object_get(call->req.params, "name"));
  json_int_t bits = 2048, exponent = 65537, expires = MPRTC__CERTIFICATE_LIFETIME_MS;
  /* At most a year and a bit: what browsers cap it at. */
  if (!mprtc__call_int_param(call, "modulusLength", 1024, 8192, &bits) ||
      !mprtc__call_int_param(call, "publicExponent", 3, 65537, &exponent) ||
      !mprtc__call_int_param(call, "expires", 0, (json_int_t)365 * 24 * 3600 * 1000, &expires))
    return;
  mprtc__key_kind kind;
  if (name && strcmp(name, "ECDSA") == 0) {
    json_t *curve = json_object_get(call->req.params, "namedCurve");
    if (!json_is_string(curve) || strcmp(json_string_value(curve), "P-256") != 0) {
      mprtc__call_reject(call, MPRTC_E_NOT_SUPPORTED, "%s: only the P-256 curve is supported", call->req.method);
      return;
    }
    kind = MPRTC__KEY_ECDSA_P256;
  } else if (name && strcmp(name, "RSASSA-PKCS1-v1_5") == 0) {
    if (exponent != 3 && exponent != 65537) {
      mprtc__call_reject(call, MPRTC_E_NOT_SUPPORTED, "%s: the public exponent must be 3 or 65537", call->req.method);
      return;
    }
    kind = MPRTC__KEY_RSA;
  } else {
    mprtc__call_reject(call, MPRTC_E_NOT_SUPPORTED, "%s: the algorithm '%s' is not supported", call->req.method,
                       name ? name : "");
    return;
  }
  char *error = NULL;
  /* RSA keys take 50-400 ms here, on the SDK thread: browsers make ECDSA by default, and so do
   * apps that ask for nothing. */
  mprtc__certificate *c = mprtc__certificate_generate(kind, (int)bits, (unsigned long)exponent, expires, &error);
  if (!c) {
    mprtc__call_reject(call, MPRTC_E_OPERATION, "%s: %s", call->req.method, error);
    g_free(error);
    return;
  }
  mprtc__object *obj = mprtc__call_new_object(call, &mprtc__certificate_class, c);
  mprtc__call_return(call, json_pack("{s:I, s:I, s:[{s:s, s:s}]}", "id", (json_int_t)obj->id, "expires",
                                     (json_int_t)c->expires_ms, "fingerprints", "algorithm", "sha-256", "value",
                                     c->fingerprint));
}

const mprtc__certificate *mprtc__certificate_param(mprtc__call *call, gboolean *bad) {
  json_t *v = json_object_get(call->req.params, "certificate");
  *bad = FALSE;
  if (!v || json_is_null(v)) return NULL;
  mprtc__object *obj = mprtc__call_object_of(call, v, &mprtc__certificate_class, "'certificate'");
  *bad = obj == NULL;
  return obj ? obj->impl : NULL;
}

/* One attribute list's a=fingerprint lines, rewritten. */
#define FIX_FINGERPRINTS(len_fn, get_fn, replace_fn, owner, value)                       \
  for (guint i = 0; i < len_fn(owner); i++) {                                            \
    const GstSDPAttribute *a = get_fn(owner, i);                                         \
    if (a && g_strcmp0(a->key, "fingerprint") == 0) {                                    \
      GstSDPAttribute fixed;                                                             \
      gst_sdp_attribute_set(&fixed, "fingerprint", value);                               \
      replace_fn(owner, i, &fixed);                                                      \
    }                                                                                    \
  }

void mprtc__certificate_fix_fingerprints(GstSDPMessage *sdp, const char *fingerprint) {
  char *value = g_strconcat("sha-256 ", fingerprint, NULL);
  FIX_FINGERPRINTS(gst_sdp_message_attributes_len, gst_sdp_message_get_attribute, gst_sdp_message_replace_attribute, sdp,
                   value);
  for (guint m = 0; m < gst_sdp_message_medias_len(sdp); m++) {
    GstSDPMedia *media = (GstSDPMedia *)gst_sdp_message_get_media(sdp, m);
    FIX_FINGERPRINTS(gst_sdp_media_attributes_len, gst_sdp_media_get_attribute, gst_sdp_media_replace_attribute, media,
                     value);
  }
  g_free(value);
}

/* ---- the default certificate ---- */

/* One per process (every SDK of it), made at the first SDK's start (a millisecond or two), and
 * made anew a day before it expires. */
static GMutex process_lock;
static mprtc__certificate *process_certificate;

char *mprtc__certificate_default_pem(char **error) {
  g_mutex_lock(&process_lock);
  gint64 renew_ms = g_get_real_time() / 1000 + 24 * 3600 * 1000;
  if (process_certificate && process_certificate->expires_ms <= renew_ms) g_clear_pointer(&process_certificate, mprtc__certificate_free);
  if (!process_certificate)
    process_certificate = mprtc__certificate_generate(MPRTC__KEY_ECDSA_P256, 0, 0, MPRTC__CERTIFICATE_LIFETIME_MS, error);
  /* A copy: the certificate may be renewed on another SDK's thread meanwhile. */
  char *pem = process_certificate ? g_strdup(process_certificate->pem) : NULL;
  g_mutex_unlock(&process_lock);
  return pem;
}

static void default_init(mprtc__sdk *sdk, void **state) { g_free(mprtc__certificate_default_pem(NULL)); }

static const mprtc__method methods[] = {
    {"RTCCertificate.generate", NULL, generate},
    {"RTCCertificate.close", "RTCCertificate", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__certificate_module = {
    .name = "certificate", .methods = methods, .n_methods = G_N_ELEMENTS(methods), .init = default_init};
