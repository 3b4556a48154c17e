/* Unit tests of the SDK's object registry: IDs, app binding, closing. */
#include <glib.h>

#include "sdk/core/registry.h"

static GString *log_;

static void record_close(mprtc__object *obj) { g_string_append_printf(log_, "close:%s;", (char *)obj->impl); }
static void record_finalize(void *impl) { g_string_append_printf(log_, "free:%s;", (char *)impl); }

static const mprtc__object_class thing = {"Thing", record_close, record_finalize};

static void test_ids_and_apps(void) {
  log_ = g_string_new("");
  mprtc__registry *reg = mprtc__registry_new();
  int owner_a, owner_b;
  mprtc__object *a1 = mprtc__registry_add(reg, "a", &owner_a, &thing, "a1");
  mprtc__object *a2 = mprtc__registry_add(reg, "a", &owner_a, &thing, "a2");
  mprtc__object *b1 = mprtc__registry_add(reg, "b", &owner_b, &thing, "b1");
  g_assert_cmpint(a1->id, >, 0);
  g_assert_cmpint(a2->id, >, a1->id);
  g_assert_cmpint(b1->id, >, a2->id);
  g_assert_true(mprtc__registry_lookup(reg, "a", a1->id) == a1);
  /* Another app's object is not found, whatever its ID. */
  g_assert_null(mprtc__registry_lookup(reg, "b", a1->id));
  g_assert_null(mprtc__registry_lookup(reg, "a", b1->id));
  g_assert_null(mprtc__registry_lookup(reg, "a", 999999));
  g_assert_cmpuint(mprtc__registry_count(reg, "a"), ==, 2);
  g_assert_cmpuint(mprtc__registry_count(reg, NULL), ==, 3);

  /* Closing: the hook runs once, the object is gone, the ID is never reused. */
  int64_t closed_id = a1->id;
  mprtc__object_ref(a1);
  mprtc__registry_close(reg, a1);
  mprtc__registry_close(reg, a1);
  g_assert_cmpstr(log_->str, ==, "close:a1;");
  g_assert_null(mprtc__registry_lookup(reg, "a", closed_id));
  g_assert_true(a1->closed);
  mprtc__object_unref(a1); /* the last reference frees it */
  g_assert_cmpstr(log_->str, ==, "close:a1;free:a1;");
  mprtc__object *a3 = mprtc__registry_add(reg, "a", &owner_a, &thing, "a3");
  g_assert_cmpint(a3->id, >, b1->id);

  /* Closing an owner's objects leaves the others, newest first. */
  g_string_truncate(log_, 0);
  g_assert_cmpuint(mprtc__registry_close_owner(reg, &owner_a), ==, 2);
  g_assert_cmpstr(log_->str, ==, "close:a3;free:a3;close:a2;free:a2;");
  g_assert_cmpuint(mprtc__registry_count(reg, NULL), ==, 1);
  g_assert_true(mprtc__registry_lookup(reg, "b", b1->id) == b1);

  g_string_truncate(log_, 0);
  mprtc__registry_free(reg);
  g_assert_cmpstr(log_->str, ==, "close:b1;free:b1;");
  g_string_free(log_, TRUE);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/registry/ids-and-apps", test_ids_and_apps);
  return g_test_run();
}
