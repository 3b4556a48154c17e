/* Settling calls and emitting events: see call.h. */
#include "sdk/core/call.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sdk/core/sdk.h"

static void call_free(mprtc__call *call) {
  mprtc__request_clear(&call->req);
  if (call->object) mprtc__object_unref(call->object);
  if (call->bytes) g_bytes_unref(call->bytes);
  mprtc__bridge_unref(call->channel);
  g_free(call);
}

static void send_error_with(mprtc__bridge *channel, int64_t seq, int err, const char *message,
                            const char *constraint) {
  size_t len;
  char *text = mprtc__reply_error_encode(seq, err, message, constraint, &len);
  if (text) mprtc__bridge_send(channel, mprtc__message_new(text, len, NULL));
}

void mprtc__send_error(mprtc__bridge *channel, int64_t seq, int err, const char *message) {
  send_error_with(channel, seq, err, message, NULL);
}

void mprtc__call_return_bytes(mprtc__call *call, json_t *result, GBytes *bytes) {
  size_t len;
  char *text = mprtc__reply_result_encode(call->req.seq, result, bytes ? (int64_t)g_bytes_get_size(bytes) : -1, &len);
  if (result) json_decref(result);
  if (text) {
    mprtc__bridge_send(call->channel, mprtc__message_new(text, len, bytes));
  } else {
    if (bytes) g_bytes_unref(bytes);
    mprtc__send_error(call->channel, call->req.seq, MPRTC_E_OPERATION, "the result could not be encoded");
  }
  call_free(call);
}

void mprtc__call_return(mprtc__call *call, json_t *result) { mprtc__call_return_bytes(call, result, NULL); }

static void reject_with(mprtc__call *call, int err, const char *constraint, const char *fmt, va_list ap) {
  char *message = g_strdup_vprintf(fmt, ap);
  send_error_with(call->channel, call->req.seq, err, message, constraint);
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

void mprtc__call_close_target(mprtc__call *call) {
  mprtc__registry_close(call->sdk->registry, call->object);
  mprtc__call_return(call, NULL);
}

mprtc__object *mprtc__call_object_of(mprtc__call *call, const json_t *value, const mprtc__object_class *klass,
                                     const char *what) {
  mprtc__object *obj = json_is_integer(value) ? mprtc__registry_lookup(call->app, json_integer_value(value)) : NULL;
  if (obj && obj->klass == klass) return obj;
  mprtc__call_reject(call, MPRTC_E_INVAL, "%s: %s is not an open %s of this app", call->req.method, what, klass->interface);
  return NULL;
}

mprtc__object *mprtc__call_new_object(mprtc__call *call, const mprtc__object_class *klass,
                                      void *impl) {
  return mprtc__registry_add(call->sdk->registry, call->app, call->channel, klass, impl);
}

void mprtc__object_emit_bytes(mprtc__object *obj, const char *event, json_t *data, GBytes *bytes) {
  size_t len;
  char *text = obj->closed ? NULL
                           : mprtc__event_encode(obj->id, event, data, bytes ? (int64_t)g_bytes_get_size(bytes) : -1, &len);
  if (text) {
    mprtc__bridge_send(obj->channel, mprtc__message_new(text, len, bytes));
    bytes = NULL;
  }
  if (bytes) g_bytes_unref(bytes);
  if (data) json_decref(data);
}

void mprtc__object_emit(mprtc__object *obj, const char *event, json_t *data) {
  mprtc__object_emit_bytes(obj, event, data, NULL);
}
