/* Helpers over the JavaScriptCore C API: see jsutil.h. */
#include "logic/jsutil.h"

#include <stdarg.h>
#include <string.h>

JSValueRef mprtc__js_string(JSContextRef ctx, const char *text, size_t len) {
  /* A copy: text need not be NUL-terminated and may hold invalid UTF-8 from outside. */
  char *valid = g_utf8_validate_len(text, len, NULL) ? g_strndup(text, len)
                                                     : g_utf8_make_valid(text, (gssize)len);
  JSStringRef s = JSStringCreateWithUTF8CString(valid);
  JSValueRef v = JSValueMakeString(ctx, s);
  JSStringRelease(s);
  g_free(valid);
  return v;
}

char *mprtc__js_to_utf8(JSContextRef ctx, JSValueRef value, size_t *len, JSValueRef *exception) {
  JSStringRef s = JSValueToStringCopy(ctx, value, exception);
  if (!s) return NULL;
  size_t max = JSStringGetMaximumUTF8CStringSize(s);
  char *buf = g_malloc(max);
  size_t n = JSStringGetUTF8CString(s, buf, max);
  JSStringRelease(s);
  if (len) *len = n ? n - 1 : 0;
  return buf;
}

JSObjectRef mprtc__js_string_array(JSContextRef ctx, const char *const *strings, guint n) {
  JSObjectRef array = JSObjectMakeArray(ctx, 0, NULL, NULL);
  for (guint i = 0; i < n; i++)
    JSObjectSetPropertyAtIndex(ctx, array, i, mprtc__js_string(ctx, strings[i], strlen(strings[i])), NULL);
  return array;
}

JSValueRef mprtc__js_throw_type_error(JSContextRef ctx, JSValueRef *exception, const char *fmt,
                                      ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  JSValueRef arg = mprtc__js_string(ctx, msg, strlen(msg));
  g_free(msg);
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSValueRef ctor = mprtc__js_get_property(ctx, global, "TypeError");
  JSValueRef err = JSObjectCallAsConstructor(ctx, (JSObjectRef)ctor, 1, &arg, NULL);
  if (exception) *exception = err;
  return JSValueMakeUndefined(ctx);
}

void mprtc__js_set_function(JSContextRef ctx, JSObjectRef obj, const char *name,
                            JSObjectCallAsFunctionCallback fn) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectRef f = JSObjectMakeFunctionWithCallback(ctx, s, fn);
  JSObjectSetProperty(ctx, obj, s, f, kJSPropertyAttributeNone, NULL);
  JSStringRelease(s);
}

void mprtc__js_set_property(JSContextRef ctx, JSObjectRef obj, const char *name,
                            JSValueRef value) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSObjectSetProperty(ctx, obj, s, value, kJSPropertyAttributeNone, NULL);
  JSStringRelease(s);
}

JSValueRef mprtc__js_get_property(JSContextRef ctx, JSObjectRef obj, const char *name) {
  JSStringRef s = JSStringCreateWithUTF8CString(name);
  JSValueRef v = JSObjectGetProperty(ctx, obj, s, NULL);
  JSStringRelease(s);
  return v;
}

char *mprtc__js_describe(JSContextRef ctx, JSValueRef value) {
  char *text = mprtc__js_to_utf8(ctx, value, NULL, NULL);
  if (!text) text = g_strdup("(an exception that cannot be converted to a string)");
  if (JSValueIsObject(ctx, value)) {
    JSValueRef stack = mprtc__js_get_property(ctx, (JSObjectRef)value, "stack");
    if (stack && JSValueIsString(ctx, stack)) {
      char *s = mprtc__js_to_utf8(ctx, stack, NULL, NULL);
      char *both = g_strdup_printf("%s\n%s", text, s ? s : "");
      g_free(s);
      g_free(text);
      text = both;
    }
  }
  return text;
}
