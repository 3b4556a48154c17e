/* The SDK thread and the bridge end to end, from C: real SDK thread, real channels of two apps,
 * hostile blocks. Each channel's messages are delivered on this test thread's contexts. */
#include <glib.h>
#include <jansson.h>
#include <string.h>

#include "bridge/bridge.h"
#include "mprtc/error.h"
#include "sdk/core/sdk.h"

typedef struct {
  GMainContext *context;
  mprtc__bridge *bridge;
  GPtrArray *messages; /* json_t* in arrival order */
  GPtrArray *attachments; /* GBytes* (or NULL) of each message */
} channel;

static void on_message(mprtc__message *m, void *user_data) {
  channel *ch = user_data;
  json_error_t err;
  json_t *msg = json_loadb(m->text, m->len, 0, &err);
  g_assert_nonnull(msg);
  g_ptr_array_add(ch->messages, msg);
  g_ptr_array_add(ch->attachments, m->bytes ? g_bytes_ref(m->bytes) : NULL);
}

/* A channel of a new app record to the SDK: made for testing unless plain. */
static channel *channel_open_as(mprtc__sdk *sdk, const char *app_id, gboolean plain) {
  channel *ch = g_new0(channel, 1);
  ch->context = g_main_context_new();
  ch->messages = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
  ch->attachments = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  mprtc_app *app = mprtc__app_new(NULL, app_id, NULL);
  app->flags = plain ? 0 : MPRTC_APP_TESTING;
  ch->bridge = mprtc__bridge_new(&mprtc__sdk_endpoint, sdk, app_id, app, (GDestroyNotify)mprtc__app_unref, ch->context,
                                 NULL, on_message, ch);
  return ch;
}

static channel *channel_open(mprtc__sdk *sdk, const char *app_id) { return channel_open_as(sdk, app_id, FALSE); }

static void channel_close(channel *ch) {
  if (ch->bridge) mprtc__bridge_close(ch->bridge);
  g_ptr_array_unref(ch->messages);
  g_ptr_array_unref(ch->attachments);
  g_main_context_unref(ch->context);
  g_free(ch);
}

/* Iterates until the channel holds n messages (meson's timeout guards a hang). */
static void wait_for(channel *ch, guint n) {
  while (ch->messages->len < n) g_main_context_iteration(ch->context, TRUE);
}

static void post(channel *ch, const char *text) {
  g_assert_cmpint(mprtc__bridge_post(ch->bridge, text, strlen(text), NULL), ==, 0);
}

/* Posts text and returns its reply (borrowed), skipping events. */
static json_t *call(channel *ch, const char *text) {
  guint before = ch->messages->len;
  post(ch, text);
  for (guint i = before;; i++) {
    wait_for(ch, i + 1);
    json_t *m = ch->messages->pdata[i];
    if (!json_object_get(m, "event")) return m;
  }
}

static const char *error_name(json_t *reply) {
  return json_string_value(json_object_get(json_object_get(reply, "error"), "name"));
}

static json_int_t seq_of(json_t *reply) { return json_integer_value(json_object_get(reply, "seq")); }

static void test_round_trip(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *a = channel_open(sdk, "app-a");
  json_t *r = call(a, "{\"v\":1,\"seq\":1,\"method\":\"bridge.ping\"}");
  g_assert_cmpint(seq_of(r), ==, 1);
  g_assert_true(json_is_true(json_object_get(json_object_get(r, "result"), "pong")));
  r = call(a, "{\"v\":1,\"seq\":2,\"method\":\"bridge.echo\",\"params\":{\"k\":[1,\"\xe4\xbd\xa0\"]}}");
  g_assert_cmpstr(json_string_value(json_array_get(json_object_get(json_object_get(r, "result"), "k"), 1)), ==, "\xe4\xbd\xa0");
  r = call(a, "{\"v\":1,\"seq\":3,\"method\":\"bridge.echo\"}");
  g_assert_cmpuint(json_object_size(json_object_get(r, "result")), ==, 0);
  channel_close(a);
  mprtc__sdk_free(sdk);
}

static void test_hostile_blocks(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *a = channel_open(sdk, "app-a");
  struct {
    const char *text;
    json_int_t seq;
    const char *name;
  } cases[] = {
      {"not json", 0, "SyntaxError"},
      {"{\"v\":1,\"seq\":5,\"method\":\"bridge.ping\"", 0, "SyntaxError"},
      {"[]", 0, "TypeError"},
      {"{\"v\":1,\"seq\":6,\"method\":\"no.such\"}", 6, "NotSupportedError"},
      {"{\"v\":9,\"seq\":7,\"method\":\"bridge.ping\"}", 7, "NotSupportedError"},
      {"{\"v\":1,\"seq\":8,\"method\":\"bridge.ping\",\"target\":1}", 8, "TypeError"},
      {"{\"v\":1,\"seq\":9,\"method\":\"Ticker.close\"}", 9, "TypeError"},
      {"{\"v\":1,\"seq\":10,\"method\":\"Ticker.close\",\"target\":123456}", 10, "NotFoundError"},
      {"{\"v\":1,\"seq\":11,\"method\":\"Ticker.constructor\",\"params\":{\"interval\":\"x\"}}", 11, "TypeError"},
      {"{\"v\":1,\"seq\":12,\"method\":\"Ticker.constructor\",\"params\":{\"count\":-1}}", 12, "TypeError"},
      /* A block that names an app itself collides with the stamped one. */
      {"{\"v\":1,\"seq\":13,\"app\":\"app-b\",\"method\":\"bridge.ping\"}", 0, "SyntaxError"},
      {"{\"v\":1,\"seq\":14,\"method\":\"bridge.ping\",\"params\":{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}", 0, "DataError"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    json_t *r = call(a, cases[i].text);
    if (seq_of(r) != cases[i].seq || g_strcmp0(error_name(r), cases[i].name) != 0)
      g_error("case %zu %s: got %s", i, cases[i].text, json_dumps(r, 0));
    g_assert_nonnull(json_string_value(json_object_get(json_object_get(r, "error"), "message")));
  }
  /* An oversized block. */
  GString *big = g_string_new("{\"v\":1,\"seq\":15,\"method\":\"bridge.echo\",\"params\":{\"s\":\"");
  while (big->len < 1100 * 1000) g_string_append(big, "xxxxxxxxxxxxxxxx");
  g_string_append(big, "\"}}");
  json_t *r = call(a, big->str);
  g_assert_cmpstr(error_name(r), ==, "QuotaExceededError");
  g_string_free(big, TRUE);

  /* A block whose app differs from its channel's (only reachable below the stamping). */
  char *forged = g_strdup("{\"v\":1,\"seq\":16,\"app\":\"app-b\",\"method\":\"bridge.ping\"}");
  guint before = a->messages->len;
  mprtc__sdk_endpoint.submit(sdk, a->bridge, mprtc__message_new(forged, strlen(forged), NULL));
  wait_for(a, before + 1);
  r = a->messages->pdata[before];
  g_assert_cmpint(seq_of(r), ==, 16);
  g_assert_cmpstr(error_name(r), ==, "SecurityError");

  /* After all that, the channel still works. */
  r = call(a, "{\"v\":1,\"seq\":17,\"method\":\"bridge.ping\"}");
  g_assert_nonnull(json_object_get(r, "result"));
  channel_close(a);
  mprtc__sdk_free(sdk);
}

static json_int_t new_ticker(channel *ch, json_int_t seq, int interval) {
  char *text = g_strdup_printf("{\"v\":1,\"seq\":%lld,\"method\":\"Ticker.constructor\",\"params\":{\"interval\":%d}}",
                               (long long)seq, interval);
  json_t *r = call(ch, text);
  g_free(text);
  json_int_t id = json_integer_value(json_object_get(json_object_get(r, "result"), "id"));
  g_assert_cmpint(id, >, 0);
  return id;
}

/* Waits for the n-th tick event of object id (from index from); returns its index. */
static guint wait_for_tick(channel *ch, json_int_t id, json_int_t n, guint from) {
  for (guint i = from;; i++) {
    wait_for(ch, i + 1);
    json_t *m = ch->messages->pdata[i];
    if (json_integer_value(json_object_get(m, "target")) == id &&
        json_integer_value(json_object_get(json_object_get(m, "data"), "n")) == n)
      return i;
  }
}

static void test_apps_and_close(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *a = channel_open(sdk, "app-a");
  channel *b = channel_open(sdk, "app-b");
  json_int_t ta = new_ticker(a, 1, 1);

  /* App b cannot close (or even see) app a's ticker... */
  char *text = g_strdup_printf("{\"v\":1,\"seq\":1,\"method\":\"Ticker.close\",\"target\":%lld}", (long long)ta);
  json_t *r = call(b, text);
  g_assert_cmpstr(error_name(r), ==, "NotFoundError");
  /* ...and a's ticker keeps ticking. */
  guint at = wait_for_tick(a, ta, 3, 0);

  /* Closing: after the reply, no event for the ticker ever arrives. */
  g_free(text);
  text = g_strdup_printf("{\"v\":1,\"seq\":2,\"method\":\"Ticker.close\",\"target\":%lld}", (long long)ta);
  r = call(a, text);
  g_assert_true(json_is_null(json_object_get(r, "result")));
  guint closed_at = 0;
  for (guint i = at; i < a->messages->len; i++)
    if (a->messages->pdata[i] == r) closed_at = i;
  json_int_t other = new_ticker(a, 3, 1);
  guint last = wait_for_tick(a, other, 5, closed_at);
  for (guint i = closed_at + 1; i <= last; i++)
    g_assert_cmpint(json_integer_value(json_object_get(a->messages->pdata[i], "target")), !=, ta);
  r = call(a, text);
  g_assert_cmpstr(error_name(r), ==, "NotFoundError");
  g_free(text);

  /* b's objects: one; then b's channel closes and the SDK closes b's objects with it. */
  new_ticker(b, 2, 5);
  r = call(b, "{\"v\":1,\"seq\":3,\"method\":\"bridge.info\"}");
  g_assert_cmpint(json_integer_value(json_object_get(json_object_get(r, "result"), "objects")), ==, 1);
  channel_close(b);
  channel *b2 = channel_open(sdk, "app-b");
  r = call(b2, "{\"v\":1,\"seq\":1,\"method\":\"bridge.info\"}");
  g_assert_cmpint(json_integer_value(json_object_get(json_object_get(r, "result"), "objects")), ==, 0);
  channel_close(b2);

  channel_close(a);
  mprtc__sdk_free(sdk);
}

static void test_posts_after_close(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *a = channel_open(sdk, "app-a");
  new_ticker(a, 1, 0);
  /* Close while requests and events are in flight: nothing is delivered, nothing leaks. */
  for (int i = 0; i < 100; i++) post(a, "{\"v\":1,\"seq\":2,\"method\":\"bridge.ping\"}");
  mprtc__bridge_ref(a->bridge);
  mprtc__bridge *kept = a->bridge;
  mprtc__bridge_close(a->bridge);
  a->bridge = NULL;
  g_assert_cmpint(mprtc__bridge_post(kept, "{}", 2, NULL), ==, MPRTC_E_CLOSED);
  mprtc__bridge_unref(kept);
  channel_close(a);
  mprtc__sdk_free(sdk);
}

/* The test surface exists only for apps made for testing; the WebRTC methods for every app. */
static void test_testing_methods_need_the_flag(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *plain = channel_open_as(sdk, "plain", TRUE);
  json_t *r = call(plain, "{\"v\":1,\"seq\":1,\"method\":\"bridge.ping\"}");
  g_assert_cmpstr(error_name(r), ==, "NotSupportedError");
  r = call(plain, "{\"v\":1,\"seq\":2,\"method\":\"Ticker.constructor\",\"params\":{}}");
  g_assert_cmpstr(error_name(r), ==, "NotSupportedError");
  g_assert_nonnull(strstr(json_string_value(json_object_get(json_object_get(r, "error"), "message")), "unknown method"));
  /* A real method is there: it answers (here: about its bad params). */
  r = call(plain, "{\"v\":1,\"seq\":3,\"method\":\"MediaDevices.enumerate\",\"params\":{\"x\":1}}");
  g_assert_cmpstr(error_name(r), ==, "TypeError");
  channel_close(plain);
  mprtc__sdk_free(sdk);
}

/* Bytes beside a block come back beside the reply, unchanged; a size that lies is refused. */
static void test_attachments(void) {
  mprtc__sdk *sdk;
  g_assert_cmpint(mprtc__sdk_new(&sdk), ==, 0);
  channel *a = channel_open(sdk, "app-a");
  guint8 data[300];
  for (guint i = 0; i < sizeof data; i++) data[i] = (guint8)(i * 7);
  const char *text = "{\"v\":1,\"seq\":1,\"method\":\"bridge.echo\",\"params\":{\"k\":1},\"bytes\":300}";
  guint before = a->messages->len;
  g_assert_cmpint(mprtc__bridge_post(a->bridge, text, strlen(text), g_bytes_new(data, sizeof data)), ==, 0);
  wait_for(a, before + 1);
  json_t *r = a->messages->pdata[before];
  g_assert_cmpint(json_integer_value(json_object_get(r, "bytes")), ==, 300);
  GBytes *back = a->attachments->pdata[before];
  g_assert_nonnull(back);
  g_assert_cmpmem(g_bytes_get_data(back, NULL), g_bytes_get_size(back), data, sizeof data);
  text = "{\"v\":1,\"seq\":2,\"method\":\"bridge.echo\",\"bytes\":5}";
  g_assert_cmpint(mprtc__bridge_post(a->bridge, text, strlen(text), g_bytes_new(data, 4)), ==, 0);
  wait_for(a, before + 2);
  r = a->messages->pdata[before + 1];
  g_assert_cmpstr(error_name(r), ==, "TypeError");
  g_assert_null(a->attachments->pdata[before + 1]);
  channel_close(a);
  mprtc__sdk_free(sdk);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/dispatch/round-trip", test_round_trip);
  g_test_add_func("/dispatch/hostile-blocks", test_hostile_blocks);
  g_test_add_func("/dispatch/apps-and-close", test_apps_and_close);
  g_test_add_func("/dispatch/posts-after-close", test_posts_after_close);
  g_test_add_func("/dispatch/testing-methods-need-the-flag", test_testing_methods_need_the_flag);
  g_test_add_func("/dispatch/attachments", test_attachments);
  return g_test_run();
}
