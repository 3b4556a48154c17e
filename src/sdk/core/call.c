/* Settling calls and emitting events: see call.h. */
#include "sdk/core/call.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mprtc/error.h"
#include "sdk/core/sdk-internal.h"

static void call_free(mprtc__call *call) {
  mprtc__request_clear(&call->req);
  if (call->object) mprtc__object_unref(call->object);
  mprtc__bridge_unref(call->bridge);
  g_free(call);
}

static void send_error_with(mprtc__bridge *bridge, int64_t seq, int err, const char *message,
                            const char *constraint) {
  char *text = mprtc__reply_error_encode(seq, err, message, constraint, NULL);
  if (text) mprtc__bridge_send(bridge, text);
}

void mprtc__send_error(mprtc__bridge *bridge, int64_t seq, int err, const char *message) {
  send_error_with(bridge, seq, err, message, NULL);
}

void mprtc__call_return(mprtc__call *call, json_t *result) {
  char *text = mprtc__reply_result_encode(call->req.seq, result, NULL);
  if (result) json_decref(result);
  if (text)
    mprtc__bridge_send(call->bridge, text);
  else
    mprtc__send_error(call->bridge, call->req.seq, MPRTC_E_OPERATION, "the result could not be encoded");
  call_free(call);
}

static void reject_with(mprtc__call *call, int err, const char *constraint, const char *fmt, va_list ap) {
  char *message = g_strdup_vprintf(fmt, ap);
  send_error_with(call->bridge, call->req.seq, err, message, constraint);
  g_free(message);
  call_free(call);
}

void mprtc__call_reject(mprtc__call *call, int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  reject_with(call, err, NULL, fmt, ap);
  va_end(ap);
}

void mprtc__call_reject_overconstrained(mprtc__call *call, const char *constraint, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  reject_with(call, MPRTC_E_OVERCONSTRAINED, constraint ? constraint : "", fmt, ap);
  va_end(ap);
}

gboolean mprtc__call_only_members(mprtc__call *call, const char *const *allowed) {
  const char *key;
  json_t *value;
  json_object_foreach(call->req.params, key, value) {
    gboolean known = FALSE;
    for (const char *const *a = allowed; *a && !known; a++) known = strcmp(*a, key) == 0;
    if (!known) {
      mprtc__call_reject(call, MPRTC_E_INVAL, "%s: unknown parameter '%s'", call->req.method, key);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean mprtc__call_int_param(mprtc__call *call, const char *key, json_int_t lo, json_int_t hi,
                               json_int_t *out) {
  json_t *v = json_object_get(call->req.params, key);
  if (!v) return TRUE;
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: '%s' must be an integer in %lld..%lld",
                       call->req.method, key, (long long)lo, (long long)hi);
    return FALSE;
  }
  *out = json_integer_value(v);
  return TRUE;
}

gboolean mprtc__call_typed_param(mprtc__call *call, const char *key, json_type type) {
  json_t *v = json_object_get(call->req.params, key);
  if (!v) return TRUE;
  gboolean ok = type == JSON_TRUE || type == JSON_FALSE ? json_is_boolean(v) : json_typeof(v) == type;
  if (!ok) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: '%s' has the wrong type", call->req.method, key);
    return FALSE;
  }
  return TRUE;
}

GBytes *mprtc__decode_base64(const char *text, size_t len) {
  if (len % 4) return NULL;
  size_t pad = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '=' && i >= len - 2) {
      pad++;
    } else if (pad || !(g_ascii_isalnum(c) || c == '+' || c == '/')) {
      return NULL;
    }
  }
  if (len == 0) return g_bytes_new(NULL, 0);
  gsize n;
  guchar *bytes = g_base64_decode(text, &n);
  return g_bytes_new_take(bytes, n);
}

mprtc__object *mprtc__call_new_object(mprtc__call *call, const mprtc__object_class *klass,
                                      void *impl) {
  return mprtc__registry_add(call->sdk->registry, call->req.app, call->bridge, klass, impl);
}

void mprtc__object_emit(mprtc__object *obj, const char *event, json_t *data) {
  if (!obj->closed) {
    char *text = mprtc__event_encode(obj->id, event, data, NULL);
    if (text) mprtc__bridge_send(obj->owner, text);
  }
  if (data) json_decref(data);
}
