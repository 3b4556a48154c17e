/* Settling calls and emitting events: see call.h. */
#include "sdk/call.h"

#include <stdarg.h>
#include <stdlib.h>

#include "mprtc/error.h"
#include "sdk/sdk-internal.h"

static void call_free(mprtc__call *call) {
  mprtc__request_clear(&call->req);
  if (call->object) mprtc__object_unref(call->object);
  mprtc__bridge_unref(call->bridge);
  g_free(call);
}

void mprtc__call_return(mprtc__call *call, json_t *result) {
  char *text = mprtc__reply_result_encode(call->req.seq, result, NULL);
  if (result) json_decref(result);
  if (text)
    mprtc__bridge_send(call->bridge, text);
  else
    mprtc__send_error(call->bridge, call->req.seq, "OperationError",
                      "the result could not be encoded");
  call_free(call);
}

void mprtc__send_error(mprtc__bridge *bridge, int64_t seq, const char *name, const char *message) {
  char *text = mprtc__reply_error_encode(seq, name, message, NULL);
  if (text) mprtc__bridge_send(bridge, text);
}

void mprtc__call_reject(mprtc__call *call, const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  mprtc__send_error(call->bridge, call->req.seq, name, message);
  g_free(message);
  call_free(call);
}

void mprtc__call_reject_code(mprtc__call *call, int err, const char *detail) {
  mprtc__call_reject(call, mprtc_error_dom_name(err), "%s", detail ? detail : mprtc_strerror(err));
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
