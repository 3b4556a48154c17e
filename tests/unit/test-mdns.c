/* mDNS messages (src/sdk/net/mdns.c): the query, answers as Chromium sends them, and every
 * malformed answer refused without reading past its end. */
#include <glib.h>
#include <string.h>

#include "sdk/net/mdns.h"

static GBytes *from_hex(const char *hex) {
  gsize n = strlen(hex) / 2;
  guint8 *b = g_malloc(n);
  for (gsize i = 0; i < n; i++) b[i] = (guint8)g_ascii_strtoull((char[]){hex[2 * i], hex[2 * i + 1], 0}, NULL, 16);
  return g_bytes_new_take(b, n);
}

/* Two answers Chromium 156 multicast here: an AAAA record with an NSEC after it, and an A. */
#define CHROMIUM_AAAA                                                                                      \
  "0000840000000001000000012461346530393138622d323334372d343463372d386165622d653133616534653866363864056c" \
  "6f63616c00001c8001000000780010fd0000000000000000000000000000022461346530393138622d323334372d343463372d" \
  "386165622d653133616534653866363864056c6f63616c00002f8001000000780008c052000400000008"
#define AAAA_NAME "a4e0918b-2347-44c7-8aeb-e13ae4e8f68d.local"

static void test_query(void) {
  GBytes *q = mprtc__mdns_query("abc.local", FALSE, FALSE);
  gsize len;
  const guint8 *b = g_bytes_get_data(q, &len);
  static const guint8 want[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0, 1};
  g_assert_cmpmem(b, len, want, sizeof want);
  g_bytes_unref(q);
  q = mprtc__mdns_query("abc.local", TRUE, TRUE);
  b = g_bytes_get_data(q, &len);
  g_assert_cmpuint(b[len - 3], ==, 28);   /* AAAA */
  g_assert_cmpuint(b[len - 2], ==, 0x80); /* the QU bit */
  g_bytes_unref(q);
  char long_label[80];
  memset(long_label, 'x', 64);
  strcpy(long_label + 64, ".local");
  g_assert_null(mprtc__mdns_query(long_label, FALSE, FALSE));
  g_assert_null(mprtc__mdns_query("a..local", FALSE, FALSE));
}

static void test_answers(void) {
  GBytes *m = from_hex(CHROMIUM_AAAA);
  gsize len;
  const guint8 *b = g_bytes_get_data(m, &len);
  char *a = mprtc__mdns_address(b, len, AAAA_NAME);
  g_assert_cmpstr(a, ==, "fd00::2");
  g_free(a);
  a = mprtc__mdns_address(b, len, "A4E0918B-2347-44C7-8AEB-E13AE4E8F68D.LOCAL.");
  g_assert_cmpstr(a, ==, "fd00::2"); /* names compare without case, a final dot or not */
  g_free(a);
  g_assert_null(mprtc__mdns_address(b, len, "other.local"));
  /* Every shorter message: nothing read past the end; the address once its whole record is
   * there (12 bytes of header, 44 of name, 10 of type to length, 16 of address). */
  for (gsize n = 0; n < len; n++) {
    a = mprtc__mdns_address(b, n, AAAA_NAME);
    if (n < 82) g_assert_null(a);
    else g_assert_cmpstr(a, ==, "fd00::2");
    g_free(a);
  }
  /* A query (QR clear) is no answer. */
  guint8 *copy = g_memdup2(b, len);
  copy[2] = 0;
  g_assert_null(mprtc__mdns_address(copy, len, AAAA_NAME));
  g_free(copy);
  g_bytes_unref(m);

  /* An A record whose owner name is a pointer to the question's. */
  static const guint8 pointed[] = {0, 0, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0, 3, 'a', 'b', 'c', 5, 'l', 'o', 'c', 'a', 'l', 0,
                                   0, 1, 0, 1, 0xC0, 12, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 192, 0, 2, 7};
  a = mprtc__mdns_address(pointed, sizeof pointed, "abc.local");
  g_assert_cmpstr(a, ==, "192.0.2.7");
  g_free(a);
  /* A pointer to itself, and one past the end. */
  guint8 loop[sizeof pointed];
  memcpy(loop, pointed, sizeof pointed);
  loop[28] = 27;
  g_assert_null(mprtc__mdns_address(loop, sizeof loop, "abc.local"));
  loop[28] = 200;
  g_assert_null(mprtc__mdns_address(loop, sizeof loop, "abc.local"));
  /* An A record of the wrong length. */
  memcpy(loop, pointed, sizeof pointed);
  loop[38] = 3;
  g_assert_null(mprtc__mdns_address(loop, sizeof loop, "abc.local"));
}

static void test_candidates(void) {
  const char *c = "candidate:3109854485 1 udp 2113937151 2fe19a5b-c2ff-4080-ad47-520eb367e044.local 41155 typ host generation 0";
  char *name = mprtc__candidate_mdns_name(c);
  g_assert_cmpstr(name, ==, "2fe19a5b-c2ff-4080-ad47-520eb367e044.local");
  char *resolved = mprtc__candidate_with_address(c, "192.0.2.2");
  g_assert_cmpstr(resolved, ==, "candidate:3109854485 1 udp 2113937151 192.0.2.2 41155 typ host generation 0");
  g_free(name);
  g_free(resolved);
  g_assert_null(mprtc__candidate_mdns_name("candidate:1 1 udp 2113937151 192.0.2.2 41155 typ host"));
  g_assert_null(mprtc__candidate_mdns_name("candidate:1 1 udp"));
  g_assert_null(mprtc__candidate_mdns_name(".local"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/mdns/query", test_query);
  g_test_add_func("/mdns/answers", test_answers);
  g_test_add_func("/mdns/candidates", test_candidates);
  return g_test_run();
}
