/* Small helpers over the JavaScriptCore C API. JS thread only (the thread of the context). */
#ifndef MPRTC_LOGIC_JSUTIL_H
#define MPRTC_LOGIC_JSUTIL_H

#include <JavaScriptCore/JavaScript.h>
#include <glib.h>

/* A JS string value from UTF-8 text of len bytes (invalid sequences become U+FFFD). */
JSValueRef mprtc__js_string(JSContextRef ctx, const char *text, size_t len);

/* The UTF-8 text of value converted to a string (g_free it), or NULL with *exception set. */
char *mprtc__js_to_utf8(JSContextRef ctx, JSValueRef value, size_t *len, JSValueRef *exception);

/* A JS array of the n strings (UTF-8, NUL-terminated). Each goes in as it is made: JS values
 * kept in a heap buffer are invisible to the collector, which making the next one may run. */
JSObjectRef mprtc__js_string_array(JSContextRef ctx, const char *const *strings, guint n);

/* Sets *exception to a new TypeError(message). Returns JS undefined for convenience. */
JSValueRef mprtc__js_throw_type_error(JSContextRef ctx, JSValueRef *exception, const char *fmt,
                                      ...) G_GNUC_PRINTF(3, 4);

/* Defines a function property on obj. */
void mprtc__js_set_function(JSContextRef ctx, JSObjectRef obj, const char *name,
                            JSObjectCallAsFunctionCallback fn);

void mprtc__js_set_property(JSContextRef ctx, JSObjectRef obj, const char *name,
                            JSValueRef value);

JSValueRef mprtc__js_get_property(JSContextRef ctx, JSObjectRef obj, const char *name);

/* Best-effort description of an exception for last-resort reports ("Error: x at f:1:2"). */
char *mprtc__js_describe(JSContextRef ctx, JSValueRef value);

#endif
