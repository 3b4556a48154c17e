/* The signaling protocol's messages (src/signal/message.c) and the server's state without its
 * sockets (src/signal/hub.c): connections are names, what is sent to them is recorded. */
#include <glib.h>
#include <jansson.h>
#include <string.h>

#include "signal/hub.h"
#include "signal/message.h"

/* ---- messages ---- */

static void assert_refused(const char *text, const char *code, const char *why_part) {
  mprtc__signal_msg m;
  const char *got = NULL;
  char *why = NULL;
  g_assert_false(mprtc__signal_parse(text, strlen(text), &m, &got, &why));
  g_assert_cmpstr(got, ==, code);
  if (!strstr(why, why_part)) g_error("'%s': '%s' does not say '%s'", text, why, why_part);
  g_free(why);
  g_assert_null(m.msg);
}

static void test_parse(void) {
  mprtc__signal_msg m;
  const char *code;
  char *why;
  const char *join = "{\"type\":\"join\",\"room\":\"a.B_c-9\"}";
  g_assert_true(mprtc__signal_parse(join, strlen(join), &m, &code, &why));
  g_assert_cmpint(m.kind, ==, MPRTC__SIGNAL_JOIN);
  g_assert_cmpstr(m.room, ==, "a.B_c-9");
  mprtc__signal_clear(&m);
  const char *offer = "{\"type\":\"offer\",\"sdp\":\"v=0\",\"to\":\"abc\",\"x\":1}";
  g_assert_true(mprtc__signal_parse(offer, strlen(offer), &m, &code, &why));
  g_assert_cmpstr(m.to, ==, "abc");
  /* Only the payload is relayed. */
  char *payload = json_dumps(m.payload, JSON_COMPACT);
  g_assert_cmpstr(payload, ==, "{\"sdp\":\"v=0\"}");
  free(payload);
  mprtc__signal_clear(&m);
  const char *end = "{\"type\":\"candidate\",\"candidate\":null}";
  g_assert_true(mprtc__signal_parse(end, strlen(end), &m, &code, &why));
  g_assert_null(m.to);
  mprtc__signal_clear(&m);

  assert_refused("", MPRTC__SIGNAL_E_JSON, "not JSON");
  assert_refused("\"join\"", MPRTC__SIGNAL_E_JSON, "JSON object");
  assert_refused("{\"type\":\"join\",\"type\":\"leave\"}", MPRTC__SIGNAL_E_JSON, "duplicate");
  assert_refused("{\"type\":1}", MPRTC__SIGNAL_E_TYPE, "string `type`");
  assert_refused("{\"type\":\"Join\"}", MPRTC__SIGNAL_E_TYPE, "unknown type 'Join'");
  assert_refused("{\"type\":\"join\",\"room\":\"\"}", MPRTC__SIGNAL_E_FIELD, "`room`");
  assert_refused("{\"type\":\"join\",\"room\":\"caf\xc3\xa9\"}", MPRTC__SIGNAL_E_FIELD, "`room`");
  assert_refused("{\"type\":\"answer\"}", MPRTC__SIGNAL_E_FIELD, "`sdp` must be a string");
  assert_refused("{\"type\":\"candidate\",\"candidate\":[]}", MPRTC__SIGNAL_E_FIELD, "`candidate`");
  assert_refused("{\"type\":\"candidate\"}", MPRTC__SIGNAL_E_FIELD, "`candidate`");
  assert_refused("{\"type\":\"message\"}", MPRTC__SIGNAL_E_FIELD, "`data`");
  assert_refused("{\"type\":\"message\",\"data\":1,\"to\":null}", MPRTC__SIGNAL_E_FIELD, "`to`");
  /* A long unknown type is shown cut, on a character boundary: the error is valid JSON. */
  GString *long_type = g_string_new("{\"type\":\"");
  for (int i = 0; i < 100; i++) g_string_append(long_type, "\xc3\xa9");
  g_string_append(long_type, "\"}");
  g_assert_false(mprtc__signal_parse(long_type->str, long_type->len, &m, &code, &why));
  char *error = mprtc__signal_error_text(code, why, NULL);
  json_t *parsed = json_loads(error, 0, NULL);
  g_assert_nonnull(parsed);
  json_decref(parsed);
  g_free(error);
  g_free(why);
  g_string_free(long_type, TRUE);
}

/* ---- the hub ---- */

static GPtrArray *sent; /* "conn: text" */

static void record(void *conn, const char *text, void *data) { g_ptr_array_add(sent, g_strdup_printf("%s: %s", (char *)conn, text)); }

/* The JSON sent to conn last (a new reference), or NULL. */
static json_t *last_to(const char *conn) {
  for (guint i = sent->len; i > 0; i--) {
    const char *line = sent->pdata[i - 1];
    size_t n = strlen(conn);
    if (strncmp(line, conn, n) == 0 && line[n] == ':') return json_loads(line + n + 2, 0, NULL);
  }
  return NULL;
}

static const char *field(json_t *msg, const char *name) { return json_string_value(json_object_get(msg, name)); }

static void receive(mprtc__signal_hub *hub, mprtc__signal_peer *peer, const char *text, gint64 now) {
  mprtc__signal_hub_receive(hub, peer, text, strlen(text), now);
}

static void test_hub(void) {
  sent = g_ptr_array_new_with_free_func(g_free);
  mprtc_signal_limits limits;
  mprtc_signal_limits_init(&limits);
  limits.max_peers_per_room = 2;
  limits.messages_per_second = 10;
  limits.burst = 3;
  mprtc__signal_hub *hub = mprtc__signal_hub_new(&limits, record, NULL, NULL);
  mprtc__signal_peer *a = mprtc__signal_hub_connect(hub, "a"), *b = mprtc__signal_hub_connect(hub, "b"),
                     *c = mprtc__signal_hub_connect(hub, "c");
  receive(hub, a, "{\"type\":\"join\",\"room\":\"r\"}", 0);
  json_t *ja = last_to("a");
  g_assert_cmpstr(field(ja, "type"), ==, "joined");
  receive(hub, b, "{\"type\":\"join\",\"room\":\"r\"}", 0);
  json_t *jb = last_to("b");
  g_assert_cmpstr(json_string_value(json_array_get(json_object_get(jb, "peers"), 0)), ==, field(ja, "peer"));
  json_t *presence = last_to("a");
  g_assert_cmpstr(field(presence, "type"), ==, "peer-joined");
  g_assert_cmpstr(field(presence, "peer"), ==, field(jb, "peer"));
  json_decref(presence);
  receive(hub, c, "{\"type\":\"join\",\"room\":\"r\"}", 0);
  json_t *full = last_to("c");
  g_assert_cmpstr(field(full, "code"), ==, MPRTC__SIGNAL_E_ROOM_FULL);
  json_decref(full);
  g_assert_cmpuint(mprtc__signal_hub_rooms(hub), ==, 1);

  /* a's bucket: 3, less the join; two more pass at time 0, the next is refused; 100 ms later
   * one token has come back. */
  receive(hub, a, "{\"type\":\"message\",\"data\":1}", 0);
  receive(hub, a, "{\"type\":\"message\",\"data\":2}", 0);
  receive(hub, a, "{\"type\":\"message\",\"data\":3}", 0);
  json_t *limited = last_to("a");
  g_assert_cmpstr(field(limited, "code"), ==, MPRTC__SIGNAL_E_RATE);
  json_decref(limited);
  json_t *relayed = last_to("b");
  g_assert_cmpint(json_integer_value(json_object_get(relayed, "data")), ==, 2);
  g_assert_cmpstr(field(relayed, "from"), ==, field(ja, "peer"));
  json_decref(relayed);
  receive(hub, a, "{\"type\":\"message\",\"data\":4}", 100 * 1000);
  relayed = last_to("b");
  g_assert_cmpint(json_integer_value(json_object_get(relayed, "data")), ==, 4);
  json_decref(relayed);

  /* a goes: b hears it; then b, and the room goes. */
  mprtc__signal_hub_disconnect(hub, a);
  json_t *left = last_to("b");
  g_assert_cmpstr(field(left, "type"), ==, "peer-left");
  g_assert_cmpstr(field(left, "peer"), ==, field(ja, "peer"));
  json_decref(left);
  mprtc__signal_hub_disconnect(hub, b);
  g_assert_cmpuint(mprtc__signal_hub_rooms(hub), ==, 0);
  g_assert_cmpuint(mprtc__signal_hub_peers(hub), ==, 1);
  json_decref(ja);
  json_decref(jb);
  mprtc__signal_hub_free(hub);
  g_ptr_array_unref(sent);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/signal/parse", test_parse);
  g_test_add_func("/signal/hub", test_hub);
  return g_test_run();
}
