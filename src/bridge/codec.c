/* Call-block decoding and encoding. See codec.h and docs/bridge.md.
 *
 * JSON parsing is jansson's (strict RFC 8259, UTF-8 checked, duplicate keys rejected); this
 * file adds the limits and the schema. The nesting pre-scan runs before the parser so that a
 * hostile block never builds a deep tree.
 */
#include "bridge/codec.h"

#include "mprtc/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *errmsg, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errmsg, MPRTC__ERRMSG_MAX, fmt, ap);
  va_end(ap);
  return code;
}

/* Depth of the deepest array/object nesting, counting only brackets outside strings; stops
 * early once past the limit. Malformed text is left for the parser to describe. */
static int nesting_exceeds(const char *text, size_t len, int limit) {
  int depth = 0;
  int in_string = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return 1;
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  return 0;
}

static int is_ident_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

int mprtc__method_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > MPRTC__NAME_MAX) return 0;
  int at_start = 1;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (at_start) {
      if (!is_ident_start(c)) return 0;
      at_start = 0;
    } else if (c == '.') {
      at_start = 1;
    } else if (!is_ident_char(c)) {
      return 0;
    }
  }
  return !at_start;
}

int mprtc__app_id_valid(const char *app) {
  size_t n = strlen(app);
  if (n == 0 || n > MPRTC__NAME_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_ident_char(app[i]) && app[i] != '.' && app[i] != '-') return 0;
  return 1;
}

/* Reads an integer field in [1, MAX_SAFE_INTEGER]. Returns 1 if present and valid, 0 if
 * absent, -1 if present but invalid. */
static int positive_id(const json_t *obj, const char *key, int64_t *out) {
  json_t *v = json_object_get(obj, key);
  if (!v) return 0;
  if (!json_is_integer(v)) return -1;
  json_int_t i = json_integer_value(v);
  if (i < 1 || i > MPRTC__MAX_SAFE_INTEGER) return -1;
  *out = i;
  return 1;
}

static int validate_servers(const json_t *servers, char *errmsg) {
  if (!json_is_array(servers))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "'servers' must be an array");
  if (json_array_size(servers) > MPRTC__SERVERS_MAX)
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "'servers' has more than %d entries",
                MPRTC__SERVERS_MAX);
  size_t i;
  json_t *server;
  json_array_foreach(servers, i, server) {
    if (!json_is_object(server))
      return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu] must be an object", i);
    const char *key;
    json_t *value;
    int has_urls = 0;
    json_object_foreach(server, key, value) {
      if (strcmp(key, "urls") == 0) {
        has_urls = 1;
        if (json_is_array(value)) {
          if (json_array_size(value) == 0 || json_array_size(value) > MPRTC__SERVERS_MAX)
            return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu].urls must hold 1..%d URLs",
                        i, MPRTC__SERVERS_MAX);
          size_t j;
          json_t *url;
          json_array_foreach(value, j, url) {
            if (!json_is_string(url))
              return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu].urls[%zu] must be a string",
                          i, j);
          }
        } else if (!json_is_string(value)) {
          return fail(errmsg, MPRTC_E_BLOCK_FIELD,
                      "servers[%zu].urls must be a string or an array of strings", i);
        }
      } else if (strcmp(key, "username") == 0 || strcmp(key, "credential") == 0) {
        if (!json_is_string(value))
          return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu].%s must be a string", i, key);
      } else {
        return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu] has unknown field '%.64s'", i,
                    key);
      }
    }
    if (!has_urls) return fail(errmsg, MPRTC_E_BLOCK_FIELD, "servers[%zu].urls is required", i);
  }
  return 0;
}

static int decode_fields(mprtc__request *out, int64_t attached, char *errmsg) {
  json_t *root = out->root;
  if (!json_is_object(root))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "a call block must be a JSON object");

  /* seq first, so that every later error can still be routed to its promise. */
  int r = positive_id(root, "seq", &out->seq);
  if (r <= 0)
    return fail(errmsg, MPRTC_E_BLOCK_FIELD,
                r == 0 ? "'seq' is required" : "'seq' must be an integer in 1..2^53-1");

  json_t *v = json_object_get(root, "v");
  if (!v) return fail(errmsg, MPRTC_E_BLOCK_FIELD, "'v' (protocol version) is required");
  if (!json_is_integer(v) || json_integer_value(v) != MPRTC__BRIDGE_VERSION)
    return fail(errmsg, MPRTC_E_BLOCK_VERSION, "protocol version must be %d",
                MPRTC__BRIDGE_VERSION);

  json_t *app = json_object_get(root, "app");
  if (!json_is_string(app) || !mprtc__app_id_valid(json_string_value(app)))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD,
                "'app' must be 1..%d characters of [A-Za-z0-9._-]", MPRTC__NAME_MAX);
  out->app = json_string_value(app);

  json_t *method = json_object_get(root, "method");
  if (!json_is_string(method) || !mprtc__method_name_valid(json_string_value(method)))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD,
                "'method' must be a dotted name of at most %d characters", MPRTC__NAME_MAX);
  out->method = json_string_value(method);

  if (positive_id(root, "target", &out->target) < 0)
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "'target' must be an integer in 1..2^53-1");

  json_t *params = json_object_get(root, "params");
  if (params && !json_is_object(params))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "'params' must be an object");
  if (!params) {
    params = json_object();
    json_object_set_new(root, "params", params);
  }
  out->params = params;

  /* An attachment travels beside the text; the block says how large it is, so that neither
   * can arrive without the other. */
  json_t *bytes = json_object_get(root, "bytes");
  if (bytes && (!json_is_integer(bytes) || json_integer_value(bytes) != attached))
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, attached < 0 ? "'bytes' names an attachment the block does not have"
                                                          : "'bytes' must be the attachment's size, %lld",
                (long long)attached);
  if (!bytes && attached >= 0)
    return fail(errmsg, MPRTC_E_BLOCK_FIELD, "a block with an attachment must give its size in 'bytes'");
  out->bytes = attached;

  json_t *servers = json_object_get(root, "servers");
  if (servers) {
    int err = validate_servers(servers, errmsg);
    if (err) return err;
    out->servers = servers;
  }

  const char *key;
  json_t *value;
  json_object_foreach(root, key, value) {
    static const char *const known[] = {"v", "seq", "app", "method", "target", "params",
                                        "servers", "bytes"};
    int found = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0] && !found; i++)
      found = strcmp(key, known[i]) == 0;
    if (!found)
      return fail(errmsg, MPRTC_E_BLOCK_FIELD, "unknown field '%.64s' in call block", key);
  }
  return 0;
}

int mprtc__request_decode(const char *text, size_t len, int64_t attached, mprtc__request *out, char *errmsg) {
  memset(out, 0, sizeof *out);
  errmsg[0] = '\0';
  if (len > MPRTC__BLOCK_MAX_BYTES)
    return fail(errmsg, MPRTC_E_BLOCK_TOO_LARGE, "call block of %zu bytes exceeds %d bytes", len,
                MPRTC__BLOCK_MAX_BYTES);
  if (nesting_exceeds(text, len, MPRTC__BLOCK_MAX_DEPTH))
    return fail(errmsg, MPRTC_E_BLOCK_TOO_DEEP, "call block nests deeper than %d levels",
                MPRTC__BLOCK_MAX_DEPTH);

  json_error_t jerr;
  out->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!out->root)
    return fail(errmsg, MPRTC_E_BLOCK_JSON, "bad JSON at line %d column %d: %s", jerr.line,
                jerr.column, jerr.text);

  int err = decode_fields(out, attached, errmsg);
  if (err) {
    int64_t seq = out->seq;
    mprtc__request_clear(out);
    out->seq = seq;
  }
  return err;
}

void mprtc__request_clear(mprtc__request *req) {
  if (req->root) json_decref(req->root);
  memset(req, 0, sizeof *req);
}

/* Appends the compact JSON of value to the buffer being built by the encoders. */
typedef struct {
  char *data;
  size_t len, cap;
} text_buf;

static int buf_reserve(text_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 128;
  while (cap < b->len + extra + 1) cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) return -1;
  b->data = d;
  b->cap = cap;
  return 0;
}

static int buf_add(text_buf *b, const char *s, size_t n) {
  if (buf_reserve(b, n)) return -1;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

static int buf_dump_cb(const char *s, size_t n, void *data) { return buf_add(data, s, n); }

static int buf_add_json(text_buf *b, const json_t *value) {
  if (!value) return buf_add(b, "null", 4);
  return json_dump_callback(value, buf_dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int buf_add_string(text_buf *b, const char *s) {
  json_t *str = json_string(s ? s : "");
  if (!str) str = json_string("(invalid UTF-8)");
  int r = buf_add_json(b, str);
  json_decref(str);
  return r;
}

static char *buf_finish(text_buf *b, int failed, size_t *len) {
  if (failed) {
    free(b->data);
    return NULL;
  }
  if (len) *len = b->len;
  return b->data;
}

/* Appends the decimal digits of v (printf is the hot path's slowest part otherwise). */
static int buf_add_int(text_buf *b, int64_t v) {
  char digits[24];
  char *p = digits + sizeof digits;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  return buf_add(b, p, (size_t)(digits + sizeof digits - p));
}

/* ,"bytes":N when an attachment goes with the message. */
static int buf_add_bytes_member(text_buf *b, int64_t attached) {
  return attached >= 0 && (buf_add(b, ",\"bytes\":", 9) || buf_add_int(b, attached));
}

char *mprtc__reply_result_encode(int64_t seq, const json_t *result, int64_t attached, size_t *len) {
  text_buf b = {0};
  int failed = buf_reserve(&b, 64) || buf_add(&b, "{\"seq\":", 7) || buf_add_int(&b, seq) ||
               buf_add(&b, ",\"result\":", 10) || buf_add_json(&b, result) ||
               buf_add_bytes_member(&b, attached) || buf_add(&b, "}", 1);
  return buf_finish(&b, failed, len);
}

char *mprtc__reply_error_encode(int64_t seq, int err, const char *message, const char *constraint,
                                size_t *len) {
  text_buf b = {0};
  int failed = buf_add(&b, "{\"seq\":", 7) || buf_add_int(&b, seq) ||
               buf_add(&b, ",\"error\":{\"name\":", 17) || buf_add_string(&b, mprtc_error_dom_name(err)) ||
               buf_add(&b, ",\"message\":", 11) || buf_add_string(&b, message) ||
               (constraint && (buf_add(&b, ",\"constraint\":", 14) || buf_add_string(&b, constraint))) ||
               buf_add(&b, "}}", 2);
  return buf_finish(&b, failed, len);
}

char *mprtc__event_encode(int64_t target, const char *event, const json_t *data, int64_t attached, size_t *len) {
  text_buf b = {0};
  int failed = buf_reserve(&b, 64) || buf_add(&b, "{\"event\":", 9) || buf_add_string(&b, event) ||
               buf_add(&b, ",\"target\":", 10) || buf_add_int(&b, target) ||
               buf_add(&b, ",\"data\":", 8) || buf_add_json(&b, data) ||
               buf_add_bytes_member(&b, attached) || buf_add(&b, "}", 1);
  return buf_finish(&b, failed, len);
}
