/* Unit tests of the call-block codec: valid, invalid and hostile blocks. */
#include <glib.h>
#include <string.h>

#include "bridge/codec.h"
#include "mprtc/error.h"

static int decode(const char *text, mprtc__request *req, char *errmsg) {
  return mprtc__request_decode(text, strlen(text), -1, req, errmsg);
}

static void test_valid_minimal(void) {
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  g_assert_cmpint(decode("{\"v\":1,\"seq\":7,\"app\":\"a1\",\"method\":\"bridge.ping\"}", &req, err), ==, 0);
  g_assert_cmpint(req.seq, ==, 7);
  g_assert_cmpstr(req.app, ==, "a1");
  g_assert_cmpstr(req.method, ==, "bridge.ping");
  g_assert_cmpint(req.target, ==, 0);
  g_assert_true(json_is_object(req.params));
  g_assert_cmpuint(json_object_size(req.params), ==, 0);
  g_assert_null(req.servers);
  mprtc__request_clear(&req);
}

static void test_valid_full(void) {
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  const char *text =
      "{\"v\":1,\"seq\":9007199254740991,\"app\":\"wx.demo-1\",\"method\":\"RTCPeerConnection.constructor\","
      "\"params\":{\"x\":[1,2,{\"y\":\"\\u00e9\"}]},"
      "\"servers\":[{\"urls\":\"stun:127.0.0.1:3478\"},"
      "{\"urls\":[\"turn:127.0.0.1:3478?transport=udp\"],\"username\":\"u\",\"credential\":\"p:w\"}]}";
  g_assert_cmpint(decode(text, &req, err), ==, 0);
  g_assert_cmpint(req.seq, ==, 9007199254740991LL);
  g_assert_cmpuint(json_array_size(req.servers), ==, 2);
  g_assert_cmpstr(json_string_value(json_array_get(json_object_get(req.params, "x"), 2) ? json_object_get(json_array_get(json_object_get(req.params, "x"), 2), "y") : NULL), ==, "\xc3\xa9");
  mprtc__request_clear(&req);

  g_assert_cmpint(decode("{\"v\":1,\"seq\":1,\"app\":\"a\",\"method\":\"Ticker.close\",\"target\":42}", &req, err), ==, 0);
  g_assert_cmpint(req.target, ==, 42);
  mprtc__request_clear(&req);
}

typedef struct {
  const char *text;
  int code;
  int64_t seq; /* the seq the error reply must carry */
} bad_case;

static void test_invalid(void) {
  static const bad_case cases[] = {
      {"", MPRTC_E_BLOCK_JSON, 0},
      {"{", MPRTC_E_BLOCK_JSON, 0},
      {"nul", MPRTC_E_BLOCK_JSON, 0},
      {"{\"v\":1,\"seq\":1,}", MPRTC_E_BLOCK_JSON, 0},
      {"[1,2]", MPRTC_E_BLOCK_FIELD, 0},
      {"\"str\"", MPRTC_E_BLOCK_JSON, 0}, /* a block is an object or array at the top */
      {"{\"v\":1,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"v\":1,\"seq\":0,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"v\":1,\"seq\":-5,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"v\":1,\"seq\":1.5,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"v\":1,\"seq\":\"3\",\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"v\":1,\"seq\":9007199254740992,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 0},
      {"{\"seq\":3,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":2,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_VERSION, 3},
      {"{\"v\":\"1\",\"seq\":3,\"app\":\"a\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_VERSION, 3},
      {"{\"v\":1,\"seq\":3,\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a b\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":7,\"method\":\"m.x\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"a..b\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"a.b.\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"1a\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"a/b\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":[\"m\"]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"target\":0}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"target\":\"5\"}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"params\":[1]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"params\":null}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":{}}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":[{}]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":[{\"urls\":[]}]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":[{\"urls\":[1]}]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":[{\"urls\":\"stun:x\",\"username\":1}]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"servers\":[{\"urls\":\"stun:x\",\"evil\":1}]}", MPRTC_E_BLOCK_FIELD, 3},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"extra\":true}", MPRTC_E_BLOCK_FIELD, 3},
      /* Duplicate keys: how a block that tries to name another app looks after stamping. */
      {"{\"app\":\"a\",\"v\":1,\"seq\":3,\"app\":\"b\",\"method\":\"m.x\"}", MPRTC_E_BLOCK_JSON, 0},
      /* Invalid UTF-8 and NUL bytes inside strings. */
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"params\":{\"s\":\"\xff\"}}", MPRTC_E_BLOCK_JSON, 0},
      {"{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"m.x\",\"params\":{\"s\":\"\\u0000\"}}", MPRTC_E_BLOCK_JSON, 0},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    mprtc__request req;
    char err[MPRTC__ERRMSG_MAX];
    int r = decode(cases[i].text, &req, err);
    if (r != cases[i].code || req.seq != cases[i].seq)
      g_error("case %zu (%s): got %s seq %lld (%s), want %s seq %lld", i, cases[i].text,
              mprtc_error_name(r), (long long)req.seq, err, mprtc_error_name(cases[i].code),
              (long long)cases[i].seq);
    g_assert_cmpstr(err, !=, "");
    g_assert_null(req.root);
  }
}

static void test_too_large(void) {
  size_t n = MPRTC__BLOCK_MAX_BYTES + 1;
  char *big = g_malloc(n);
  memset(big, ' ', n);
  big[0] = '{';
  big[n - 1] = '}';
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  g_assert_cmpint(mprtc__request_decode(big, n, -1, &req, err), ==, MPRTC_E_BLOCK_TOO_LARGE);
  g_assert_nonnull(strstr(err, "exceeds"));
  g_free(big);
}

static void test_too_deep(void) {
  /* A million brackets must be refused without recursion (this would smash a recursive
   * parser's stack). */
  size_t n = 1000 * 1000;
  char *deep = g_malloc(n);
  memset(deep, '[', n);
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  g_assert_cmpint(mprtc__request_decode(deep, n, -1, &req, err), ==, MPRTC_E_BLOCK_TOO_DEEP);
  g_free(deep);

  /* Exactly at the limit is fine; brackets inside strings do not count. */
  GString *s = g_string_new("{\"v\":1,\"seq\":1,\"app\":\"a\",\"method\":\"m.x\",\"params\":{\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",\"d\":");
  for (int i = 0; i < MPRTC__BLOCK_MAX_DEPTH - 2; i++) g_string_append_c(s, '[');
  for (int i = 0; i < MPRTC__BLOCK_MAX_DEPTH - 2; i++) g_string_append_c(s, ']');
  g_string_append(s, "}}");
  g_assert_cmpint(mprtc__request_decode(s->str, s->len, -1, &req, err), ==, 0);
  mprtc__request_clear(&req);
  g_string_insert(s, strlen("{\"v\":1,\"seq\":1,\"app\":\"a\",\"method\":\"m.x\",\"params\":{\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",\"d\":"), "[");
  g_string_append(s, "]");
  /* Now unbalanced at the end but one level deeper than allowed: refused as too deep. */
  g_assert_cmpint(mprtc__request_decode(s->str, s->len, -1, &req, err), ==, MPRTC_E_BLOCK_TOO_DEEP);
  g_string_free(s, TRUE);
}

static void test_not_nul_terminated(void) {
  const char *text = "{\"v\":1,\"seq\":2,\"app\":\"a\",\"method\":\"m.x\"}GARBAGE";
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  g_assert_cmpint(mprtc__request_decode(text, strlen(text) - 7, -1, &req, err), ==, 0);
  g_assert_cmpint(req.seq, ==, 2);
  mprtc__request_clear(&req);
  g_assert_cmpint(mprtc__request_decode(text, strlen(text), -1, &req, err), ==, MPRTC_E_BLOCK_JSON);
}

static void test_encode(void) {
  size_t len;
  json_t *result = json_pack("{s:s,s:i}", "a", "x\"y", "n", 3);
  char *t = mprtc__reply_result_encode(12, result, -1, &len);
  g_assert_cmpstr(t, ==, "{\"seq\":12,\"result\":{\"a\":\"x\\\"y\",\"n\":3}}");
  g_assert_cmpuint(len, ==, strlen(t));
  free(t);
  json_decref(result);

  t = mprtc__reply_result_encode(1, NULL, -1, NULL);
  g_assert_cmpstr(t, ==, "{\"seq\":1,\"result\":null}");
  free(t);

  t = mprtc__reply_error_encode(5, MPRTC_E_INVALID_STATE, "line\nbreak", NULL, NULL);
  g_assert_cmpstr(t, ==, "{\"seq\":5,\"error\":{\"name\":\"InvalidStateError\",\"message\":\"line\\nbreak\"}}");
  free(t);

  /* A message with invalid UTF-8 (from outside) still encodes to valid JSON. */
  /* OverconstrainedError names its constraint. */
  t = mprtc__reply_error_encode(6, MPRTC_E_OVERCONSTRAINED, "too wide", "width", NULL);
  g_assert_cmpstr(t, ==, "{\"seq\":6,\"error\":{\"name\":\"OverconstrainedError\",\"message\":\"too wide\",\"constraint\":\"width\"}}");
  free(t);

  t = mprtc__reply_error_encode(5, MPRTC_E_OPERATION, "bad \xff byte", NULL, NULL);
  json_t *back = json_loads(t, 0, NULL);
  g_assert_nonnull(back);
  json_decref(back);
  free(t);

  json_t *data = json_pack("{s:I}", "n", (json_int_t)1);
  t = mprtc__event_encode(77, "tick", data, -1, NULL);
  g_assert_cmpstr(t, ==, "{\"event\":\"tick\",\"target\":77,\"data\":{\"n\":1}}");
  free(t);
  json_decref(data);
}

static void test_round_trip(void) {
  /* What the encoder writes for params, the decoder reads back unchanged. */
  json_t *params = json_pack("{s:[i,f,s,b,n],s:{s:s}}", "list", 1, 2.5, "\xe4\xbd\xa0", 1, "o", "k", "v");
  char *ptext = json_dumps(params, JSON_COMPACT);
  char *block = g_strdup_printf("{\"v\":1,\"seq\":4,\"app\":\"a\",\"method\":\"bridge.echo\",\"params\":%s}", ptext);
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  g_assert_cmpint(decode(block, &req, err), ==, 0);
  g_assert_true(json_equal(req.params, params));
  mprtc__request_clear(&req);
  g_free(block);
  free(ptext);
  json_decref(params);
}

static void test_names(void) {
  g_assert_true(mprtc__method_name_valid("RTCPeerConnection.createOffer"));
  g_assert_true(mprtc__method_name_valid("a"));
  g_assert_false(mprtc__method_name_valid(".a"));
  g_assert_false(mprtc__method_name_valid("a."));
  g_assert_false(mprtc__method_name_valid("a-b"));
  char long_name[80];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  g_assert_false(mprtc__method_name_valid(long_name));
  g_assert_false(mprtc__app_id_valid(long_name));
  g_assert_true(mprtc__app_id_valid("wx.app-1_2"));
  g_assert_false(mprtc__app_id_valid("a\"b"));
  g_assert_cmpstr(mprtc_strerror(MPRTC_E_NO_OBJECT), ==, "no such object for this app");
  g_assert_cmpstr(mprtc_error_dom_name(MPRTC_E_CLOSED), ==, "InvalidStateError");
  g_assert_cmpstr(mprtc_strerror(-9999), ==, "unknown error");
}

/* An attachment and the block's "bytes" member must agree. */
static void test_attachment(void) {
  mprtc__request req;
  char err[MPRTC__ERRMSG_MAX];
  const char *with = "{\"v\":1,\"seq\":3,\"app\":\"a\",\"method\":\"x.send\",\"bytes\":5}";
  g_assert_cmpint(mprtc__request_decode(with, strlen(with), 5, &req, err), ==, 0);
  g_assert_cmpint(req.bytes, ==, 5);
  mprtc__request_clear(&req);
  const char *without = "{\"v\":1,\"seq\":4,\"app\":\"a\",\"method\":\"x.send\"}";
  g_assert_cmpint(mprtc__request_decode(without, strlen(without), -1, &req, err), ==, 0);
  g_assert_cmpint(req.bytes, ==, -1);
  mprtc__request_clear(&req);
  /* A size that is not the attachment's, one without an attachment, an attachment unannounced. */
  g_assert_cmpint(mprtc__request_decode(with, strlen(with), 6, &req, err), ==, MPRTC_E_BLOCK_FIELD);
  g_assert_cmpint(req.seq, ==, 3);
  g_assert_cmpint(mprtc__request_decode(with, strlen(with), -1, &req, err), ==, MPRTC_E_BLOCK_FIELD);
  g_assert_cmpint(mprtc__request_decode(without, strlen(without), 0, &req, err), ==, MPRTC_E_BLOCK_FIELD);
  g_assert_cmpint(req.seq, ==, 4);
  const char *text = "{\"v\":1,\"seq\":5,\"app\":\"a\",\"method\":\"x.send\",\"bytes\":\"5\"}";
  g_assert_cmpint(mprtc__request_decode(text, strlen(text), 5, &req, err), ==, MPRTC_E_BLOCK_FIELD);

  char *t = mprtc__reply_result_encode(9, NULL, 1024, NULL);
  g_assert_cmpstr(t, ==, "{\"seq\":9,\"result\":null,\"bytes\":1024}");
  free(t);
  json_t *data = json_object();
  t = mprtc__event_encode(7, "message", data, 0, NULL);
  g_assert_cmpstr(t, ==, "{\"event\":\"message\",\"target\":7,\"data\":{},\"bytes\":0}");
  free(t);
  json_decref(data);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/codec/valid-minimal", test_valid_minimal);
  g_test_add_func("/codec/valid-full", test_valid_full);
  g_test_add_func("/codec/invalid", test_invalid);
  g_test_add_func("/codec/too-large", test_too_large);
  g_test_add_func("/codec/too-deep", test_too_deep);
  g_test_add_func("/codec/not-nul-terminated", test_not_nul_terminated);
  g_test_add_func("/codec/encode", test_encode);
  g_test_add_func("/codec/attachment", test_attachment);
  g_test_add_func("/codec/round-trip", test_round_trip);
  g_test_add_func("/codec/names", test_names);
  return g_test_run();
}
