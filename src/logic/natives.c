/* The native functions the base library is built on. They are handed to the base-library files
 * as `native` and never become globals: user code cannot reach them.
 *
 *   print(stream, text)      write text to stdout (1) or stderr (2)
 *   now()                    ms since performance.timeOrigin (monotonic, microsecond precision)
 *   timeOrigin, monotonicOrigin, cwd, app   numbers/strings
 *   armTimer(ms)             (re)arm the single timer wakeup; negative disarms
 *   randomFill(view)         fill an integer typed array with cryptographically strong bytes
 *   utf8Encode(string)       Uint8Array of the string's UTF-8 (lone surrogates -> U+FFFD)
 *   utf8Decode(u8, fatal, stream) -> [string, bytesConsumed]; throws TypeError when fatal
 *   post(text)               send one call block over the bridge
 *   base64Encode(bytes)      base64 of an ArrayBuffer or view (binary data in call blocks)
 *   base64Decode(text)       ArrayBuffer of base64 text (invalid characters are skipped)
 *   readFile(path)           the file's text (UTF-8), for the module loader
 *   compile(source, url)     evaluate a script with a sourceURL, return its completion value
 *   mainSettled(failed)      the module run by exec settled
 *   noop()                   nothing: the benchmark's floor for a JS -> C call
 *
 * Thread rules: all run on the JS thread.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/utf8.h"
#include "mprtc-config.h"
#include "mprtc/error.h"
#include "logic/jsutil.h"
#include "logic/runtime-internal.h"

#define NATIVE(name)                                                                           \
  static JSValueRef name(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc,      \
                         const JSValueRef argv[], JSValueRef *exception)

/* The bytes a typed array views. JSObjectGetTypedArrayBytesPtr points at the start of the
 * backing buffer, not at the view: the byte offset must be added. */
static uint8_t *view_bytes(JSContextRef ctx, JSObjectRef view, size_t *len) {
  *len = JSObjectGetTypedArrayByteLength(ctx, view, NULL);
  uint8_t *base = JSObjectGetTypedArrayBytesPtr(ctx, view, NULL);
  return base ? base + JSObjectGetTypedArrayByteOffset(ctx, view, NULL) : NULL;
}

static JSValueRef arg(JSContextRef ctx, size_t argc, const JSValueRef argv[], size_t i) {
  return i < argc ? argv[i] : JSValueMakeUndefined(ctx);
}

NATIVE(native_print) {
  double stream = JSValueToNumber(ctx, arg(ctx, argc, argv, 0), NULL);
  size_t len;
  char *text = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 1), &len, exception);
  if (!text) return NULL;
  FILE *f = stream == 2 ? stderr : stdout;
  fwrite(text, 1, len, f);
  fputc('\n', f);
  g_free(text);
  return JSValueMakeUndefined(ctx);
}

NATIVE(native_now) {
  mprtc_runtime *rt = mprtc__runtime_current();
  return JSValueMakeNumber(ctx, (double)(g_get_monotonic_time() - rt->start_monotonic_us) / 1000.0);
}

NATIVE(native_arm_timer) {
  double ms = JSValueToNumber(ctx, arg(ctx, argc, argv, 0), exception);
  if (*exception) return NULL;
  mprtc__runtime_arm_timer(mprtc__runtime_current(), ms != ms ? -1 : ms);
  return JSValueMakeUndefined(ctx);
}

NATIVE(native_random_fill) {
  JSValueRef v = arg(ctx, argc, argv, 0);
  if (!JSValueIsObject(ctx, v) ||
      JSValueGetTypedArrayType(ctx, v, NULL) == kJSTypedArrayTypeNone)
    return mprtc__js_throw_type_error(ctx, exception, "randomFill expects a typed array");
  size_t n;
  uint8_t *p = view_bytes(ctx, (JSObjectRef)v, &n);
  size_t done = 0;
  while (done < n) {
    ssize_t r = getrandom(p + done, n - done, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return mprtc__js_throw_type_error(ctx, exception, "getrandom: %s", strerror(errno));
    done += (size_t)r;
  }
  return v;
}

static void free_bytes(void *bytes, void *ctx) { g_free(bytes); }

NATIVE(native_utf8_encode) {
  JSStringRef s = JSValueToStringCopy(ctx, arg(ctx, argc, argv, 0), exception);
  if (!s) return NULL;
  size_t n = JSStringGetLength(s);
  uint8_t *out = g_malloc(n * 3 + 1);
  size_t len = mprtc__utf16_to_utf8(JSStringGetCharactersPtr(s), n, out);
  JSStringRelease(s);
  return JSObjectMakeTypedArrayWithBytesNoCopy(ctx, kJSTypedArrayTypeUint8Array, out, len,
                                               free_bytes, NULL, exception);
}

NATIVE(native_utf8_decode) {
  JSValueRef v = arg(ctx, argc, argv, 0);
  if (!JSValueIsObject(ctx, v) ||
      JSValueGetTypedArrayType(ctx, v, NULL) != kJSTypedArrayTypeUint8Array)
    return mprtc__js_throw_type_error(ctx, exception, "utf8Decode expects a Uint8Array");
  bool fatal = JSValueToBoolean(ctx, arg(ctx, argc, argv, 1));
  bool stream = JSValueToBoolean(ctx, arg(ctx, argc, argv, 2));
  size_t n;
  const uint8_t *bytes = view_bytes(ctx, (JSObjectRef)v, &n);
  uint16_t *units = g_malloc((n + 1) * sizeof(uint16_t));
  size_t consumed = 0;
  long count = mprtc__utf8_to_utf16(bytes, n, fatal, stream, units, &consumed);
  if (count < 0) {
    g_free(units);
    return mprtc__js_throw_type_error(ctx, exception,
                                      "The encoded data was not valid for encoding utf-8");
  }
  JSStringRef s = JSStringCreateWithCharacters(units, (size_t)count);
  g_free(units);
  JSValueRef parts[2] = {JSValueMakeString(ctx, s), JSValueMakeNumber(ctx, (double)consumed)};
  JSStringRelease(s);
  return JSObjectMakeArray(ctx, 2, parts, exception);
}

/* Binary payloads cross the bridge as base64 inside the JSON of a call block or event. */
NATIVE(native_base64_encode) {
  JSValueRef v = arg(ctx, argc, argv, 0);
  size_t n = 0;
  const uint8_t *bytes = NULL;
  if (JSValueIsObject(ctx, v) && JSValueGetTypedArrayType(ctx, v, NULL) != kJSTypedArrayTypeNone &&
      JSValueGetTypedArrayType(ctx, v, NULL) != kJSTypedArrayTypeArrayBuffer) {
    bytes = view_bytes(ctx, (JSObjectRef)v, &n);
  } else if (JSValueIsObject(ctx, v) &&
             JSValueGetTypedArrayType(ctx, v, NULL) == kJSTypedArrayTypeArrayBuffer) {
    n = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)v, NULL);
    bytes = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)v, NULL);
  } else {
    return mprtc__js_throw_type_error(ctx, exception, "base64Encode expects an ArrayBuffer or a view");
  }
  gchar *text = g_base64_encode(bytes, n);
  JSStringRef s = JSStringCreateWithUTF8CString(text);
  g_free(text);
  JSValueRef r = JSValueMakeString(ctx, s);
  JSStringRelease(s);
  return r;
}

NATIVE(native_base64_decode) {
  size_t len;
  char *text = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), &len, exception);
  if (!text) return NULL;
  gsize n = 0;
  guchar *bytes = len ? g_base64_decode(text, &n) : g_malloc(1);
  g_free(text);
  return JSObjectMakeArrayBufferWithBytesNoCopy(ctx, bytes, n, free_bytes, NULL, exception);
}

NATIVE(native_post) {
  mprtc_runtime *rt = mprtc__runtime_current();
  JSStringRef s = JSValueToStringCopy(ctx, arg(ctx, argc, argv, 0), exception);
  if (!s) return NULL;
  int err = MPRTC_E_CLOSED;
  if (rt->bridge) {
    /* Straight from the engine's string into the block buffer: no intermediate copy. */
    size_t offset, max = JSStringGetMaximumUTF8CStringSize(s);
    char *buffer = mprtc__bridge_block_alloc(rt->bridge, max, &offset);
    size_t n = buffer ? JSStringGetUTF8CString(s, buffer + offset, max) : 0;
    err = buffer ? mprtc__bridge_post_block(rt->bridge, buffer, offset, n ? n - 1 : 0)
                 : MPRTC_E_NOMEM;
  }
  JSStringRelease(s);
  if (err) return mprtc__js_throw_type_error(ctx, exception, "bridge: %s", mprtc_strerror(err));
  return JSValueMakeUndefined(ctx);
}

NATIVE(native_read_file) {
  char *path = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), NULL, exception);
  if (!path) return NULL;
  char *contents = NULL;
  gsize len = 0;
  GError *error = NULL;
  if (!g_file_get_contents(path, &contents, &len, &error)) {
    mprtc__js_throw_type_error(ctx, exception, "%s", error->message);
    g_error_free(error);
    g_free(path);
    return NULL;
  }
  g_free(path);
  JSValueRef v = mprtc__js_string(ctx, contents, len);
  g_free(contents);
  return v;
}

NATIVE(native_compile) {
  JSStringRef source = JSValueToStringCopy(ctx, arg(ctx, argc, argv, 0), exception);
  if (!source) return NULL;
  JSStringRef url = JSValueToStringCopy(ctx, arg(ctx, argc, argv, 1), exception);
  if (!url) {
    JSStringRelease(source);
    return NULL;
  }
  JSValueRef v = JSEvaluateScript(ctx, source, NULL, url, 1, exception);
  JSStringRelease(source);
  JSStringRelease(url);
  return v;
}

NATIVE(native_main_settled) {
  mprtc_runtime *rt = mprtc__runtime_current();
  int failed = JSValueToBoolean(ctx, arg(ctx, argc, argv, 0)) ? 1 : 0;
  mprtc_exec_done_fn done = rt->exec_done;
  rt->exec_done = NULL;
  if (done) done(rt, failed, rt->exec_user_data);
  return JSValueMakeUndefined(ctx);
}

/* The floor of the bridge benchmark: a JS -> C call that does nothing. */
NATIVE(native_noop) { return JSValueMakeUndefined(ctx); }

JSObjectRef mprtc__natives_new(mprtc_runtime *rt) {
  JSContextRef ctx = rt->ctx;
  JSObjectRef n = JSObjectMake(ctx, NULL, NULL);
  mprtc__js_set_function(ctx, n, "print", native_print);
  mprtc__js_set_function(ctx, n, "now", native_now);
  mprtc__js_set_function(ctx, n, "armTimer", native_arm_timer);
  mprtc__js_set_function(ctx, n, "randomFill", native_random_fill);
  mprtc__js_set_function(ctx, n, "utf8Encode", native_utf8_encode);
  mprtc__js_set_function(ctx, n, "utf8Decode", native_utf8_decode);
  mprtc__js_set_function(ctx, n, "post", native_post);
  mprtc__js_set_function(ctx, n, "base64Encode", native_base64_encode);
  mprtc__js_set_function(ctx, n, "base64Decode", native_base64_decode);
  mprtc__js_set_function(ctx, n, "readFile", native_read_file);
  mprtc__js_set_function(ctx, n, "compile", native_compile);
  mprtc__js_set_function(ctx, n, "mainSettled", native_main_settled);
  mprtc__js_set_function(ctx, n, "noop", native_noop);
  mprtc__js_set_property(ctx, n, "timeOrigin", JSValueMakeNumber(ctx, rt->time_origin_ms));
  /* performance.now() 0 on the monotonic clock, in ms: how SDK times (getStats) become
   * performance times. */
  mprtc__js_set_property(ctx, n, "monotonicOrigin", JSValueMakeNumber(ctx, (double)rt->start_monotonic_us / 1000.0));
  char *cwd = g_get_current_dir();
  mprtc__js_set_property(ctx, n, "cwd", mprtc__js_string(ctx, cwd, strlen(cwd)));
  g_free(cwd);
  mprtc__js_set_property(ctx, n, "app", mprtc__js_string(ctx, rt->app, strlen(rt->app)));
  mprtc__js_set_property(ctx, n, "version", mprtc__js_string(ctx, MPRTC_VERSION,
                                                             strlen(MPRTC_VERSION)));
  return n;
}
