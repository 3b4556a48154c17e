/* The native functions the base library is built on. They are handed to the base-library files
 * as `native` and never become globals: user code cannot reach them.
 *
 *   print(level, text)       one line of output at a log level (mprtc_log_level)
 *   now()                    ms since performance.timeOrigin (monotonic, microsecond precision)
 *   timeOrigin, monotonicOrigin, root, app   numbers/strings (root: the package root)
 *   testing                  whether the app has the test surface (MPRTC_APP_TESTING)
 *   hostMethods              the names of the host's own methods (mprtc_app_add_method)
 *   armTimer(ms)             (re)arm the single timer wakeup; negative disarms
 *   randomFill(view)         fill an integer typed array with cryptographically strong bytes
 *   utf8Encode(string)       Uint8Array of the string's UTF-8 (lone surrogates -> U+FFFD)
 *   utf8Decode(u8, fatal, stream) -> [string, bytesConsumed]; throws TypeError when fatal
 *   post(text, bytes?)       send one call block to the SDK; bytes (an ArrayBuffer or a view,
 *                            copied) travel beside it as its attachment
 *   postHost(text, bytes?)   send one call block to the host's side (its methods, the app's
 *                            files), bytes as its attachment
 *   readFile(path)           the text (UTF-8) of a file of the app's package, for the module
 *                            loader; a TypeError naming the path for anything outside it
 *   compile(source, url)     evaluate a script with a sourceURL, return its completion value
 *   mainSettled(failed, run) the module of run number run (runMain's) settled
 *   storageLoad()            the texts of the app's stored entries (src/app/storage.h)
 *   storageWrite(key, text)  stores text as key's entry, atomically
 *   storageRemove(key), storageClear()
 *                            (the storage calls throw a TypeError saying what failed)
 *   files(op, paramsJSON, bytes?) -> [resultJSON, ArrayBuffer | undefined]
 *                            one operation of the app's file system, now (the Sync calls of
 *                            wx.getFileSystemManager: src/app/files.h); bytes are what it
 *                            writes (copied), the ArrayBuffer what it read
 *   noop()                   nothing: the benchmark's floor for a JS -> C call
 *
 * Thread rules: all run on the JS thread.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/utf8.h"
#include "mprtc-config.h"
#include "mprtc/error.h"
#include "logic/jsutil.h"
#include "app/package.h"
#include "app/files.h"
#include "app/storage.h"
#include "logic/runtime.h"

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
  double level = JSValueToNumber(ctx, arg(ctx, argc, argv, 0), NULL);
  size_t len;
  char *text = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 1), &len, exception);
  if (!text) return NULL;
  mprtc__runtime_log(mprtc__runtime_current(), level >= MPRTC_LOG_DEBUG && level <= MPRTC_LOG_ERROR ? (int)level : MPRTC_LOG_INFO,
                     text, len);
  g_free(text);
  return JSValueMakeUndefined(ctx);
}

NATIVE(native_now) {
  mprtc__runtime *rt = mprtc__runtime_current();
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

/* The bytes of an ArrayBuffer or a view, copied (NULL for anything else). */
static GBytes *bytes_of(JSContextRef ctx, JSValueRef v) {
  if (!JSValueIsObject(ctx, v)) return NULL;
  JSTypedArrayType type = JSValueGetTypedArrayType(ctx, v, NULL);
  if (type == kJSTypedArrayTypeNone) return NULL;
  size_t n;
  const uint8_t *p;
  if (type == kJSTypedArrayTypeArrayBuffer) {
    n = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)v, NULL);
    p = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)v, NULL);
  } else {
    p = view_bytes(ctx, (JSObjectRef)v, &n);
  }
  return g_bytes_new(p, n);
}

/* Sends text (and the attachment) on one of the runtime's channels. */
static JSValueRef post_to(JSContextRef ctx, int port, JSValueRef text_value, JSValueRef bytes_value,
                          JSValueRef *exception) {
  mprtc__runtime *rt = mprtc__runtime_current();
  GBytes *bytes = NULL;
  if (!JSValueIsUndefined(ctx, bytes_value) && !(bytes = bytes_of(ctx, bytes_value)))
    return mprtc__js_throw_type_error(ctx, exception, "bridge: an attachment must be an ArrayBuffer or a view");
  JSStringRef s = JSValueToStringCopy(ctx, text_value, exception);
  if (!s) {
    if (bytes) g_bytes_unref(bytes);
    return NULL;
  }
  int err = MPRTC_E_CLOSED;
  mprtc__bridge *channel = rt->channels[port];
  if (channel) {
    /* Straight from the engine's string into the block buffer: no intermediate copy. */
    size_t offset, max = JSStringGetMaximumUTF8CStringSize(s);
    char *buffer = mprtc__bridge_block_alloc(channel, max, &offset);
    size_t n = buffer ? JSStringGetUTF8CString(s, buffer + offset, max) : 0;
    err = buffer ? mprtc__bridge_post_block(channel, buffer, offset, n ? n - 1 : 0, bytes) : MPRTC_E_NOMEM;
    bytes = NULL;
  }
  if (bytes) g_bytes_unref(bytes);
  JSStringRelease(s);
  if (err) return mprtc__js_throw_type_error(ctx, exception, "bridge: %s", mprtc_strerror(err));
  return JSValueMakeUndefined(ctx);
}

NATIVE(native_post) {
  return post_to(ctx, MPRTC__PORT_SDK, arg(ctx, argc, argv, 0), arg(ctx, argc, argv, 1), exception);
}

NATIVE(native_post_host) {
  return post_to(ctx, MPRTC__PORT_HOST, arg(ctx, argc, argv, 0), arg(ctx, argc, argv, 1), exception);
}

NATIVE(native_post_view) {
  return post_to(ctx, MPRTC__PORT_VIEW, arg(ctx, argc, argv, 0), JSValueMakeUndefined(ctx), exception);
}

NATIVE(native_read_file) {
  char *path = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), NULL, exception);
  if (!path) return NULL;
  int err;
  char *message = NULL;
  char *resolved = mprtc__package_resolve(mprtc__runtime_current()->app->root, path, &err, &message);
  g_free(path);
  char *contents = NULL;
  gsize len = 0;
  GError *error = NULL;
  if (resolved && !g_file_get_contents(resolved, &contents, &len, &error)) {
    message = g_strdup(error->message);
    g_error_free(error);
  }
  g_free(resolved);
  if (message) {
    mprtc__js_throw_type_error(ctx, exception, "%s", message);
    g_free(message);
    return NULL;
  }
  JSValueRef v = mprtc__js_string(ctx, contents, len);
  g_free(contents);
  return v;
}

/* ---- storage (src/app/storage.h) ---- */

static char *storage_dir(void) { return mprtc__storage_dir(mprtc__runtime_current()->app->id); }

static JSValueRef storage_result(JSContextRef ctx, gboolean ok, GError *error, JSValueRef *exception) {
  if (ok) return JSValueMakeUndefined(ctx);
  mprtc__js_throw_type_error(ctx, exception, "%s", error->message);
  g_error_free(error);
  return NULL;
}

NATIVE(native_storage_load) {
  char *dir = storage_dir();
  GError *error = NULL;
  GPtrArray *texts = mprtc__storage_load(dir, &error);
  g_free(dir);
  if (!texts) return storage_result(ctx, FALSE, error, exception);
  JSObjectRef array = mprtc__js_string_array(ctx, (const char *const *)texts->pdata, texts->len);
  g_ptr_array_unref(texts);
  return array;
}

NATIVE(native_storage_write) {
  char *key = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), NULL, exception);
  if (!key) return NULL;
  size_t len = 0;
  char *text = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 1), &len, exception);
  if (!text) {
    g_free(key);
    return NULL;
  }
  char *dir = storage_dir();
  GError *error = NULL;
  gboolean ok = mprtc__storage_write(dir, key, text, len, &error);
  g_free(dir);
  g_free(text);
  g_free(key);
  return storage_result(ctx, ok, error, exception);
}

NATIVE(native_storage_remove) {
  char *key = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), NULL, exception);
  if (!key) return NULL;
  char *dir = storage_dir();
  GError *error = NULL;
  gboolean ok = mprtc__storage_remove(dir, key, &error);
  g_free(dir);
  g_free(key);
  return storage_result(ctx, ok, error, exception);
}

NATIVE(native_storage_clear) {
  char *dir = storage_dir();
  GError *error = NULL;
  gboolean ok = mprtc__storage_clear(dir, &error);
  g_free(dir);
  return storage_result(ctx, ok, error, exception);
}

/* ---- files (src/app/storage.h) ---- */

NATIVE(native_files) {
  char *op = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 0), NULL, exception);
  if (!op) return NULL;
  size_t len = 0;
  char *text = mprtc__js_to_utf8(ctx, arg(ctx, argc, argv, 1), &len, exception);
  if (!text) {
    g_free(op);
    return NULL;
  }
  JSValueRef bytes_value = arg(ctx, argc, argv, 2);
  GBytes *data = JSValueIsUndefined(ctx, bytes_value) ? NULL : bytes_of(ctx, bytes_value);
  json_error_t error;
  json_t *params = json_loadb(text, len, 0, &error);
  g_free(text);
  mprtc__runtime *rt = mprtc__runtime_current();
  GBytes *out = NULL;
  json_t *result = params ? mprtc__files_call(mprtc__app_files(rt->app), op, params, data, &out) : json_pack("{s:s}", "fail", "EINVAL");
  g_free(op);
  json_decref(params);
  if (data) g_bytes_unref(data);
  char *result_text = json_dumps(result, JSON_COMPACT);
  json_decref(result);
  JSValueRef parts[2] = {mprtc__js_string(ctx, result_text, strlen(result_text)), JSValueMakeUndefined(ctx)};
  free(result_text);
  if (out) {
    gsize n;
    void *p = g_bytes_unref_to_data(out, &n);
    /* A buffer without memory would be a detached one: an empty file is an empty ArrayBuffer. */
    if (!p) p = g_malloc(1);
    parts[1] = JSObjectMakeArrayBufferWithBytesNoCopy(ctx, p, n, free_bytes, NULL, exception);
  }
  return JSObjectMakeArray(ctx, 2, parts, exception);
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
  mprtc__runtime *rt = mprtc__runtime_current();
  mprtc__run *run = mprtc__runtime_take_run(rt, (int)JSValueToNumber(ctx, arg(ctx, argc, argv, 1), NULL));
  if (!run) return JSValueMakeUndefined(ctx);
  mprtc__notice *n = mprtc__notice_new(MPRTC__NOTICE_SETTLED);
  n->failed = JSValueToBoolean(ctx, arg(ctx, argc, argv, 0)) ? 1 : 0;
  n->payload = run;
  n->drop = g_free;
  mprtc__app_notify(rt->app, n);
  return JSValueMakeUndefined(ctx);
}

/* The floor of the bridge benchmark: a JS -> C call that does nothing. */
NATIVE(native_noop) { return JSValueMakeUndefined(ctx); }

/* The names of the host's methods, for `mprtc.host`. */
static JSValueRef host_method_names(JSContextRef ctx, mprtc_app *app) {
  guint n = 0;
  const char **names = (const char **)g_hash_table_get_keys_as_array(app->host_methods, &n);
  JSValueRef array = mprtc__js_string_array(ctx, names, n);
  g_free(names);
  return array;
}

JSObjectRef mprtc__natives_new(mprtc__runtime *rt) {
  JSContextRef ctx = rt->ctx;
  mprtc_app *app = rt->app;
  static const struct {
    const char *name;
    JSObjectCallAsFunctionCallback fn;
  } functions[] = {
      {"print", native_print},           {"now", native_now},
      {"armTimer", native_arm_timer},    {"randomFill", native_random_fill},
      {"utf8Encode", native_utf8_encode}, {"utf8Decode", native_utf8_decode},
      {"post", native_post},             {"postHost", native_post_host},
      {"postView", native_post_view},
      {"readFile", native_read_file},    {"compile", native_compile},
      {"mainSettled", native_main_settled}, {"noop", native_noop},
      {"storageLoad", native_storage_load}, {"storageWrite", native_storage_write},
      {"storageRemove", native_storage_remove}, {"storageClear", native_storage_clear},
      {"files", native_files},
  };
  JSObjectRef n = JSObjectMake(ctx, NULL, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS(functions); i++) mprtc__js_set_function(ctx, n, functions[i].name, functions[i].fn);
  mprtc__js_set_property(ctx, n, "timeOrigin", JSValueMakeNumber(ctx, rt->time_origin_ms));
  /* performance.now() 0 on the monotonic clock, in ms: how SDK times (getStats) become
   * performance times. */
  mprtc__js_set_property(ctx, n, "monotonicOrigin", JSValueMakeNumber(ctx, (double)rt->start_monotonic_us / 1000.0));
  mprtc__js_set_property(ctx, n, "root", mprtc__js_string(ctx, app->root, strlen(app->root)));
  mprtc__js_set_property(ctx, n, "app", mprtc__js_string(ctx, app->id, strlen(app->id)));
  mprtc__js_set_property(ctx, n, "testing", JSValueMakeBoolean(ctx, mprtc__app_testing(app)));
  mprtc__js_set_property(ctx, n, "hostMethods", host_method_names(ctx, app));
  mprtc__js_set_property(ctx, n, "version", mprtc__js_string(ctx, MPRTC_VERSION,
                                                             strlen(MPRTC_VERSION)));
  return n;
}
