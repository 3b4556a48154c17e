/* Unit tests of the W3C constraint algorithm (src/sdk/media/constraints.c) on devices described
 * as MediaDevices.enumerate describes them. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "mprtc/error.h"
#include "sdk/media/constraints.h"

static json_t *camera(const char *id, int max_w, int max_h, double max_rate, const char *facing) {
  return json_pack("{s:s,s:s,s:s,s:{s:{s:i,s:i},s:{s:i,s:i},s:{s:i,s:f},s:{s:f,s:f},s:[s?]}}", "deviceId", id, "groupId",
                   "g-cam", "kind", "videoinput", "capabilities", "width", "min", 16, "max", max_w, "height", "min", 16,
                   "max", max_h, "frameRate", "min", 1, "max", max_rate, "aspectRatio", "min", 16.0 / max_h, "max",
                   (double)max_w / 16, "facingMode", facing);
}

static json_t *microphone(const char *id, int channels) {
  return json_pack("{s:s,s:s,s:s,s:{s:{s:i,s:i},s:{s:i,s:i},s:{s:i,s:i}}}", "deviceId", id, "groupId", "g-mic", "kind",
                   "audioinput", "capabilities", "sampleRate", "min", 48000, "max", 48000, "channelCount", "min", 1, "max",
                   channels, "sampleSize", "min", 16, "max", 16);
}

static json_t *devices(void) {
  return json_pack("[o,o,o]", camera("small", 640, 480, 30, "user"), camera("big", 1920, 1080, 60, "environment"),
                   microphone("mic", 2));
}

static json_t *parse(const char *text) {
  json_error_t error;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &error);
  g_assert_nonnull(v);
  return v;
}

/* Selects with constraints (JSON text): the device index and settings, or the error. */
static int select_with(mprtc__kind kind, const char *constraints, json_t **settings, mprtc__constraint_error *e) {
  json_t *list = devices(), *c = parse(constraints);
  int i = mprtc__select_settings(kind, c, list, NULL, settings, e);
  json_decref(c);
  json_decref(list);
  return i;
}

static double num(json_t *settings, const char *key) { return json_number_value(json_object_get(settings, key)); }

static void test_defaults(void) {
  json_t *s;
  mprtc__constraint_error e;
  /* Both cameras can do 640x480@30, the default: the first one is taken. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "true", &s, &e), ==, 0);
  g_assert_cmpfloat(num(s, "width"), ==, 640);
  g_assert_cmpfloat(num(s, "height"), ==, 480);
  g_assert_cmpfloat(num(s, "frameRate"), ==, 30);
  g_assert_cmpfloat(num(s, "aspectRatio"), ==, 1.3333);
  g_assert_cmpstr(json_string_value(json_object_get(s, "deviceId")), ==, "small");
  g_assert_cmpstr(json_string_value(json_object_get(s, "facingMode")), ==, "user");
  json_decref(s);
  g_assert_cmpint(select_with(MPRTC__KIND_AUDIO, "{}", &s, &e), ==, 2);
  g_assert_cmpfloat(num(s, "channelCount"), ==, 1);
  g_assert_cmpfloat(num(s, "sampleRate"), ==, 48000);
  g_assert_false(json_is_true(json_object_get(s, "echoCancellation")));
  json_decref(s);
}

static void test_fitness_picks_the_device(void) {
  json_t *s;
  mprtc__constraint_error e;
  /* An ideal only the big camera reaches, and an ideal facing mode only it has. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"width\":1280}", &s, &e), ==, 1);
  g_assert_cmpfloat(num(s, "width"), ==, 1280);
  g_assert_cmpfloat(num(s, "height"), ==, 960); /* the default's shape */
  json_decref(s);
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"facingMode\":\"environment\"}", &s, &e), ==, 1);
  json_decref(s);
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"deviceId\":{\"exact\":[\"nope\",\"small\"]}}", &s, &e), ==, 0);
  json_decref(s);
  /* An ideal beyond every device: clamped, the nearest wins. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"frameRate\":{\"ideal\":120},\"width\":{\"max\":1000}}", &s, &e), ==, 1);
  g_assert_cmpfloat(num(s, "frameRate"), ==, 60);
  json_decref(s);
}

static void test_sizes_and_ratios(void) {
  json_t *s;
  mprtc__constraint_error e;
  /* An exact aspect ratio moves the free side; sizes are even unless an exact size is odd. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"width\":{\"exact\":321},\"aspectRatio\":{\"exact\":1.5}}", &s, &e), ==, 0);
  g_assert_cmpfloat(num(s, "width"), ==, 321);
  g_assert_cmpfloat(num(s, "height"), ==, 214);
  json_decref(s);
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"width\":333}", &s, &e), ==, 0);
  g_assert_cmpfloat(num(s, "width"), ==, 332);
  g_assert_cmpfloat(num(s, "height"), ==, 250);
  json_decref(s);
  /* Advanced sets narrow in order; one that cannot be met is skipped. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO,
                              "{\"advanced\":[{\"width\":{\"max\":320}},{\"width\":5000},{\"height\":{\"max\":120}}]}", &s, &e),
                  ==, 0);
  g_assert_cmpfloat(num(s, "width"), <=, 320);
  g_assert_cmpfloat(num(s, "height"), ==, 120);
  json_decref(s);
}

static void test_failures(void) {
  json_t *s;
  mprtc__constraint_error e;
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"width\":{\"exact\":4000}}", &s, &e), ==, -1);
  g_assert_cmpint(e.err, ==, MPRTC_E_OVERCONSTRAINED);
  g_assert_cmpstr(e.constraint, ==, "width");
  g_assert_null(s);
  mprtc__constraint_error_clear(&e);
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"height\":{\"min\":500,\"max\":400}}", &s, &e), ==, -1);
  g_assert_cmpint(e.err, ==, MPRTC_E_OVERCONSTRAINED);
  g_assert_cmpstr(e.constraint, ==, "height");
  mprtc__constraint_error_clear(&e);
  g_assert_cmpint(select_with(MPRTC__KIND_AUDIO, "{\"echoCancellation\":{\"exact\":true}}", &s, &e), ==, -1);
  g_assert_cmpstr(e.constraint, ==, "echoCancellation");
  mprtc__constraint_error_clear(&e);
  /* Malformed: a TypeError, whatever the devices. */
  g_assert_cmpint(select_with(MPRTC__KIND_VIDEO, "{\"width\":{\"min\":\"wide\"}}", &s, &e), ==, -1);
  g_assert_cmpint(e.err, ==, MPRTC_E_INVAL);
  g_assert_nonnull(strstr(e.message, "width.min"));
  mprtc__constraint_error_clear(&e);
  /* No device of the kind. */
  json_t *only_mic = json_pack("[o]", microphone("mic", 1)), *any = json_true();
  g_assert_cmpint(mprtc__select_settings(MPRTC__KIND_VIDEO, any, only_mic, NULL, &s, &e), ==, -1);
  g_assert_cmpint(e.err, ==, MPRTC_E_NOT_FOUND);
  mprtc__constraint_error_clear(&e);
  json_decref(only_mic);
  json_decref(any);
}

/* applyConstraints keeps what it may of the current settings. */
static void test_current_settings_are_kept(void) {
  json_t *list = devices(), *current = parse("{\"width\":320,\"height\":240,\"frameRate\":15}");
  json_t *c = parse("{\"frameRate\":{\"max\":20}}"), *s;
  mprtc__constraint_error e;
  g_assert_cmpint(mprtc__select_settings(MPRTC__KIND_VIDEO, c, list, current, &s, &e), ==, 0);
  g_assert_cmpfloat(num(s, "width"), ==, 320);
  g_assert_cmpfloat(num(s, "frameRate"), ==, 15);
  json_decref(s);
  json_decref(c);
  json_decref(current);
  json_decref(list);
}

/* A peer's track: its settings meet the constraints or not. */
static void test_check_settings(void) {
  json_t *settings = parse("{\"width\":640,\"height\":480}");
  mprtc__constraint_error e;
  json_t *c = parse("{\"width\":{\"max\":800}}");
  g_assert_cmpint(mprtc__check_settings(MPRTC__KIND_VIDEO, c, settings, &e), ==, 0);
  json_decref(c);
  c = parse("{\"height\":{\"exact\":720}}");
  g_assert_cmpint(mprtc__check_settings(MPRTC__KIND_VIDEO, c, settings, &e), ==, -1);
  g_assert_cmpstr(e.constraint, ==, "height");
  mprtc__constraint_error_clear(&e);
  json_decref(c);
  c = parse("{\"width\":1280}"); /* an ideal far from the settings */
  g_assert_cmpint(mprtc__check_settings(MPRTC__KIND_VIDEO, c, settings, &e), ==, -1);
  g_assert_cmpstr(e.constraint, ==, "width");
  mprtc__constraint_error_clear(&e);
  json_decref(c);
  json_decref(settings);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/constraints/defaults", test_defaults);
  g_test_add_func("/constraints/fitness-picks-the-device", test_fitness_picks_the_device);
  g_test_add_func("/constraints/sizes-and-ratios", test_sizes_and_ratios);
  g_test_add_func("/constraints/failures", test_failures);
  g_test_add_func("/constraints/current-settings-are-kept", test_current_settings_are_kept);
  g_test_add_func("/constraints/check-settings", test_check_settings);
  return g_test_run();
}
