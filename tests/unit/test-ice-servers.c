/* Unit tests of ICE server parsing (src/sdk/rtc/ice-servers.c): good URLs in the form webrtcbin
 * takes, bad ones refused with the W3C name. */
#include <glib.h>
#include <string.h>

#include "mprtc/error.h"
#include "sdk/rtc/ice-servers.h"

static GPtrArray *parse(const char *json, int *err, char **message) {
  json_error_t e;
  json_t *servers = json_loads(json, 0, &e);
  g_assert_nonnull(servers);
  *err = 0;
  *message = NULL;
  GPtrArray *list = mprtc__ice_servers_parse(servers, err, message);
  json_decref(servers);
  return list;
}

static void test_good(void) {
  int err;
  char *message;
  GPtrArray *list = parse("[{\"urls\":\"stun:stun.example.org\"},"
                          "{\"urls\":[\"turn:127.0.0.1:3478?transport=udp\",\"TURNS:[::1]:5349\"],"
                          "\"username\":\"user name\",\"credential\":\"p@ss:w/rd\"}]",
                          &err, &message);
  g_assert_nonnull(list);
  g_assert_cmpuint(list->len, ==, 3);
  mprtc__ice_server *s = list->pdata[0];
  g_assert_false(s->is_turn);
  g_assert_cmpstr(s->gst_url, ==, "stun://stun.example.org");
  s = list->pdata[1];
  g_assert_true(s->is_turn);
  g_assert_cmpstr(s->url, ==, "turn:127.0.0.1:3478?transport=udp");
  /* The account goes into the URL, percent-encoded. */
  g_assert_cmpstr(s->gst_url, ==, "turn://user%20name:p%40ss%3Aw%2Frd@127.0.0.1:3478?transport=udp");
  s = list->pdata[2];
  g_assert_cmpstr(s->gst_url, ==, "turns://user%20name:p%40ss%3Aw%2Frd@[::1]:5349");
  g_ptr_array_unref(list);
  list = parse("[]", &err, &message);
  g_assert_cmpuint(list->len, ==, 0);
  g_ptr_array_unref(list);
}

static void test_bad(void) {
  static const struct {
    const char *json;
    int err;
    const char *says;
  } cases[] = {
      {"[{\"urls\":\"http://example.org\"}]", MPRTC_E_SYNTAX, "scheme"},
      {"[{\"urls\":\"stun\"}]", MPRTC_E_SYNTAX, "scheme"},
      {"[{\"urls\":\"stun://host\"}]", MPRTC_E_SYNTAX, "host"},
      {"[{\"urls\":\"stun:\"}]", MPRTC_E_SYNTAX, "host"},
      {"[{\"urls\":\"stun:host:0\"}]", MPRTC_E_SYNTAX, "port"},
      {"[{\"urls\":\"stun:host:65536\"}]", MPRTC_E_SYNTAX, "port"},
      {"[{\"urls\":\"stun:host:12ab\"}]", MPRTC_E_SYNTAX, "port"},
      {"[{\"urls\":\"stun:ho st\"}]", MPRTC_E_SYNTAX, "host"},
      {"[{\"urls\":\"stun:[zz::1]\"}]", MPRTC_E_SYNTAX, "host"},
      {"[{\"urls\":\"stun:host?transport=udp\"}]", MPRTC_E_SYNTAX, "query"},
      {"[{\"urls\":\"turn:host?transport=sctp\",\"username\":\"u\",\"credential\":\"p\"}]", MPRTC_E_SYNTAX, "transport"},
      {"[{\"urls\":\"turn:host\"}]", MPRTC_E_INVALID_ACCESS, "username"},
      {"[{\"urls\":\"turn:host\",\"username\":\"u\"}]", MPRTC_E_INVALID_ACCESS, "credential"},
      {"[{\"urls\":\"stuns:host\"}]", MPRTC_E_NOT_SUPPORTED, "stuns"},
      {"[{\"urls\":[\"stun:ok\",\"stun:b@d\"]}]", MPRTC_E_SYNTAX, "stun:b@d"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    int err;
    char *message;
    GPtrArray *list = parse(cases[i].json, &err, &message);
    if (list || err != cases[i].err || !message || !strstr(message, cases[i].says))
      g_error("case %zu %s: got err %d, %s", i, cases[i].json, err, message ? message : "(none)");
    g_free(message);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/ice-servers/good", test_good);
  g_test_add_func("/ice-servers/bad", test_bad);
  return g_test_run();
}
