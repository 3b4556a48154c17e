/* Unit tests of the WHATWG UTF-8 conversions behind TextEncoder/TextDecoder. */
#include <glib.h>
#include <string.h>

#include "base/utf8.h"

static void check_decode(const char *bytes, size_t n, int stream, const uint16_t *want, long want_n,
                         size_t want_consumed) {
  uint16_t out[64];
  size_t consumed = 0;
  long got = mprtc__utf8_to_utf16((const uint8_t *)bytes, n, 0, stream, out, &consumed);
  g_assert_cmpint(got, ==, want_n);
  for (long i = 0; i < got; i++) g_assert_cmphex(out[i], ==, want[i]);
  g_assert_cmpuint(consumed, ==, want_consumed);
}

static void test_decode_valid(void) {
  static const uint16_t abc[] = {'a', 0xE9, 0x4F60, 0xD83D, 0xDE00};
  check_decode("a\xc3\xa9\xe4\xbd\xa0\xf0\x9f\x98\x80", 10, 0, abc, 5, 10);
}

static void test_decode_invalid(void) {
  static const uint16_t r1[] = {0xFFFD, 0xFFFD};
  check_decode("\xc0\x80", 2, 0, r1, 2, 2);            /* overlong: two replacements */
  static const uint16_t r2[] = {0xFFFD, 0xFFFD, 0xFFFD};
  check_decode("\xed\xa0\x80", 3, 0, r2, 3, 3);        /* surrogate: three */
  static const uint16_t r3[] = {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD};
  check_decode("\xf4\x90\x80\x80", 4, 0, r3, 4, 4);    /* above U+10FFFF: four */
  static const uint16_t r4[] = {0xFFFD};
  check_decode("\xe2\x82", 2, 0, r4, 1, 2);            /* truncated at the end: one */
  static const uint16_t r5[] = {0xFFFD, 'x'};
  check_decode("\xe2\x82x", 3, 0, r5, 2, 3);           /* truncated before ASCII */
  static const uint16_t r6[] = {0xFFFD, 0xFFFD};
  check_decode("\xff\xfe", 2, 0, r6, 2, 2);
}

static void test_decode_stream(void) {
  static const uint16_t none[] = {0};
  check_decode("\xf0\x9f\x98", 3, 1, none, 0, 0);      /* kept for the next chunk */
  static const uint16_t a[] = {'a'};
  check_decode("a\xe2\x82", 3, 1, a, 1, 1);
}

static void test_decode_fatal(void) {
  uint16_t out[8];
  g_assert_cmpint(mprtc__utf8_to_utf16((const uint8_t *)"a\xff", 2, 1, 0, out, NULL), ==, -1);
  g_assert_cmpint(mprtc__utf8_to_utf16((const uint8_t *)"\xe2\x82", 2, 1, 0, out, NULL), ==, -1);
  g_assert_cmpint(mprtc__utf8_to_utf16((const uint8_t *)"ok", 2, 1, 0, out, NULL), ==, 2);
}

static void test_encode(void) {
  static const uint16_t in[] = {'a', 0xE9, 0xD83D, 0xDE00, 0xD800, 'b', 0xDC00};
  uint8_t out[32];
  size_t n = mprtc__utf16_to_utf8(in, G_N_ELEMENTS(in), out);
  static const uint8_t want[] = {'a', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0xEF, 0xBF, 0xBD, 'b',
                                 0xEF, 0xBF, 0xBD};
  g_assert_cmpmem(out, n, want, sizeof want);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/utf8/decode-valid", test_decode_valid);
  g_test_add_func("/utf8/decode-invalid", test_decode_invalid);
  g_test_add_func("/utf8/decode-stream", test_decode_stream);
  g_test_add_func("/utf8/decode-fatal", test_decode_fatal);
  g_test_add_func("/utf8/encode", test_encode);
  return g_test_run();
}
