/* Unit tests of the SDK's object registry: IDs, app binding, closing. */
#include <glib.h>

#include "sdk/core/registry.h"

static GString *log_;

static void record_close(mprtc__object *obj) { g_string_append_printf(log_, "close:%s;", (char *)obj->impl); }
static void record_finalize(void *impl) { g_string_append_printf(log_, "free:%s;", (char *)impl); }

static const mprtc__object_class thing = {"Thing", record_close, record_finalize};

/* Channels are only compared by the registry: any distinct pointers will do. */
static int channel_a, channel_b;
#define CHANNEL_A ((mprtc__bridge *)&channel_a)
#define CHANNEL_B ((mprtc__bridge *)&channel_b)

static void test_ids_and_apps(void) {
  log_ = g_string_new("");
  mprtc__registry *reg = mprtc__registry_new();
  mprtc_app *a = mprtc__app_new(NULL, "a", NULL), *b = mprtc__app_new(NULL, "b", NULL);
  mprtc__object *a1 = mprtc__registry_add(reg, a, CHANNEL_A, &thing, "a1");
  mprtc__object *a2 = mprtc__registry_add(reg, a, CHANNEL_A, &thing, "a2");
  mprtc__object *b1 = mprtc__registry_add(reg, b, CHANNEL_B, &thing, "b1");
  g_assert_cmpint(a1->id, >, 0);
  g_assert_cmpint(a2->id, >, a1->id);
  g_assert_cmpint(b1->id, >, a2->id);
  g_assert_true(mprtc__registry_lookup(a, a1->id) == a1);
  /* Another app's object is not found, whatever its ID. */
  g_assert_null(mprtc__registry_lookup(b, a1->id));
  g_assert_null(mprtc__registry_lookup(a, b1->id));
  g_assert_null(mprtc__registry_lookup(a, 999999));
  g_assert_cmpuint(mprtc__registry_count(a), ==, 2);
  g_assert_cmpuint(mprtc__registry_count(b), ==, 1);

  /* Closing: the hook runs once, the object is gone, the ID is never reused. */
  int64_t closed_id = a1->id;
  mprtc__object_ref(a1);
  mprtc__registry_close(reg, a1);
  mprtc__registry_close(reg, a1);
  g_assert_cmpstr(log_->str, ==, "close:a1;");
  g_assert_null(mprtc__registry_lookup(a, closed_id));
  g_assert_true(a1->closed);
  mprtc__object_unref(a1); /* the last reference frees it */
  g_assert_cmpstr(log_->str, ==, "close:a1;free:a1;");
  mprtc__object *a3 = mprtc__registry_add(reg, a, CHANNEL_A, &thing, "a3");
  g_assert_cmpint(a3->id, >, b1->id);

  /* Closing a channel's objects leaves the others, newest first. */
  g_string_truncate(log_, 0);
  g_assert_cmpuint(mprtc__registry_close_channel(reg, a, CHANNEL_A), ==, 2);
  g_assert_cmpstr(log_->str, ==, "close:a3;free:a3;close:a2;free:a2;");
  g_assert_cmpuint(mprtc__registry_count(a), ==, 0);
  g_assert_true(mprtc__registry_lookup(b, b1->id) == b1);

  g_string_truncate(log_, 0);
  mprtc__registry_free(reg);
  g_assert_cmpstr(log_->str, ==, "close:b1;free:b1;");
  mprtc__app_unref(a);
  mprtc__app_unref(b);
  g_string_free(log_, TRUE);
}

/* Two records of the same name are two apps: objects go by the record, never by the name. */
static void test_same_name_apps_are_apart(void) {
  log_ = g_string_new("");
  mprtc__registry *reg = mprtc__registry_new();
  mprtc_app *first = mprtc__app_new(NULL, "same", NULL), *second = mprtc__app_new(NULL, "same", NULL);
  mprtc__object *x = mprtc__registry_add(reg, first, CHANNEL_A, &thing, "x");
  g_assert_true(mprtc__registry_lookup(first, x->id) == x);
  g_assert_null(mprtc__registry_lookup(second, x->id));
  g_assert_cmpuint(mprtc__registry_count(second), ==, 0);
  g_assert_cmpuint(mprtc__registry_close_channel(reg, second, CHANNEL_A), ==, 0);
  g_assert_false(x->closed);
  mprtc__registry_free(reg);
  mprtc__app_unref(first);
  mprtc__app_unref(second);
  g_string_free(log_, TRUE);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/registry/ids-and-apps", test_ids_and_apps);
  g_test_add_func("/registry/same-name-apps-are-apart", test_same_name_apps_are_apart);
  return g_test_run();
}
