/* Unit tests of the package manifest (src/app/manifest.c): app.json and the pages' .json, good
 * and broken, with the file:line:column of each problem. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app/manifest.h"
#include "app/package.h"

/* A fresh package: files given as (name, text) pairs, NULL-terminated. */
static char *package(const char *first, ...) {
  char *dir = g_dir_make_tmp("mprtc-manifest-XXXXXX", NULL);
  va_list ap;
  va_start(ap, first);
  for (const char *name = first; name; name = va_arg(ap, const char *)) {
    const char *text = va_arg(ap, const char *);
    char *path = g_build_filename(dir, name, NULL), *parent = g_path_get_dirname(path);
    g_mkdir_with_parents(parent, 0700);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_free(parent);
    g_free(path);
  }
  va_end(ap);
  char *root = mprtc__package_root(dir);
  g_free(dir);
  return root;
}

#define PAGE(p) p ".js", "Page({});", p ".wxml", "<view/>"

static void test_good(void) {
  char *root = package("app.json",
                       "{\n  \"pages\": [\"pages/index/index\", \"pages/call/call\"],\n"
                       "  \"entryPagePath\": \"pages/call/call\",\n"
                       "  \"window\": {\"navigationBarTitleText\": \"Demo\", \"navigationBarBackgroundColor\": \"#102030\",\n"
                       "             \"backgroundColor\": \"#fff\"},\n"
                       "  \"permission\": {\"scope.camera\": {\"desc\": \"to call\"}},\n"
                       "  \"sitemapLocation\": \"sitemap.json\", \"frobnicate\": 1\n}\n",
                       PAGE("pages/index/index"), PAGE("pages/call/call"),
                       "pages/call/call.json", "{\"navigationBarTitleText\": \"Call\", \"usingComponents\": {}}",
                       "project.config.json", "this is not even JSON", NULL);
  char *error = NULL;
  mprtc__manifest *m = mprtc__manifest_load(root, &error);
  g_assert_null(error);
  g_assert_nonnull(m);
  g_assert_cmpuint(m->pages->len, ==, 2);
  g_assert_cmpstr(m->entry, ==, "pages/call/call");
  g_assert_cmpstr(json_string_value(json_object_get(m->window, "navigationBarTitleText")), ==, "Demo");
  g_assert_cmpstr(json_string_value(json_object_get(json_object_get(m->permission, "scope.camera"), "desc")), ==, "to call");
  /* A page's .json over the app's window. */
  json_t *call = json_object_get(m->page_windows, "pages/call/call");
  g_assert_cmpstr(json_string_value(json_object_get(call, "navigationBarTitleText")), ==, "Call");
  g_assert_cmpstr(json_string_value(json_object_get(call, "navigationBarBackgroundColor")), ==, "#102030");
  json_t *index = json_object_get(m->page_windows, "pages/index/index");
  g_assert_cmpstr(json_string_value(json_object_get(index, "navigationBarTitleText")), ==, "Demo");
  /* Warnings: the unsupported key, the unknown one (with its place), usingComponents. */
  GString *all = g_string_new("");
  for (guint i = 0; i < m->warnings->len; i++) g_string_append_printf(all, "%s\n", (char *)m->warnings->pdata[i]);
  g_assert_nonnull(strstr(all->str, "app.json:7:3: 'sitemapLocation' is not supported"));
  g_assert_nonnull(strstr(all->str, "app.json:7:38: unknown key 'frobnicate'"));
  g_assert_nonnull(strstr(all->str, "pages/call/call.json:1:36: custom components"));
  g_string_free(all, TRUE);
  json_t *j = mprtc__manifest_to_json(m);
  g_assert_cmpuint(json_array_size(json_object_get(j, "pages")), ==, 2);
  json_decref(j);
  mprtc__manifest_free(m);
  g_free(root);
}

/* Each broken package, and the error it must give. */
static void test_broken(void) {
  static const struct {
    const char *app_json;
    const char *expected;
  } cases[] = {
      {NULL, "app.json:0:0: not in the package"},
      {"{\"pages\": [\"pages/index/index\",]}", "app.json:1:"},
      {"[1]", "app.json:1:1: must hold a JSON object"},
      {"{\"pages\": [\"pages/index/index\"], \"pages\": []}", "app.json:1:"},
      {"{}", "app.json:0:0: 'pages' is required"},
      {"{\n\"pages\": []}", "app.json:2:1: 'pages' must be a non-empty array"},
      {"{\"pages\": [\"pages/index/index\",\n  \"pages/missing/missing\"]}",
       "app.json:2:3: page 'pages/missing/missing' is listed, but pages/missing/missing.js is not in the package"},
      {"{\"pages\": [\"pages/index/index\", \"pages/index/index\"]}", "page 'pages/index/index' is listed twice"},
      {"{\"pages\": [\"../outside\"]}", "app.json:1:12: page '../outside' must be a path inside the package"},
      {"{\"pages\": [\"/pages/index/index\"]}", "must be a path inside the package"},
      {"{\"pages\": [\"pages/index/index\"], \"entryPagePath\": \"pages/nope\"}",
       "app.json:1:34: entryPagePath 'pages/nope' is not one of the pages"},
      {"{\"pages\": [\"pages/index/index\"],\n \"window\": {\"navigationBarBackgroundColor\": \"red\"}}",
       "app.json:2:13: 'navigationBarBackgroundColor' must be a colour like #rrggbb"},
      {"{\"pages\": [\"pages/index/index\"], \"window\": {\"navigationBarTextStyle\": \"blue\"}}",
       "'navigationBarTextStyle' must be black|white"},
      {"{\"pages\": [\"pages/index/index\"], \"window\": 5}", "'window' must be an object"},
      {"{\"pages\": [\"pages/index/index\"], \"permission\": {\"scope.camera\": {}}}",
       "permission 'scope.camera' must be an object with a 'desc' string"},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *root = cases[i].app_json ? package("app.json", cases[i].app_json, PAGE("pages/index/index"), NULL)
                                   : package(PAGE("pages/index/index"), NULL);
    char *error = NULL;
    mprtc__manifest *m = mprtc__manifest_load(root, &error);
    if (m || !error || !strstr(error, cases[i].expected))
      g_error("case %zu: expected '%s', got '%s'", i, cases[i].expected, error ? error : "(no error)");
    g_free(error);
    g_free(root);
  }
  /* A broken page .json names its own file. */
  char *root = package("app.json", "{\"pages\": [\"pages/index/index\"]}", PAGE("pages/index/index"),
                       "pages/index/index.json", "{\n  \"backgroundColor\": 5\n}", NULL);
  char *error = NULL;
  g_assert_null(mprtc__manifest_load(root, &error));
  g_assert_cmpstr(error, ==, "pages/index/index.json:2:3: 'backgroundColor' must be a colour like #rrggbb");
  g_free(error);
  g_free(root);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/manifest/good", test_good);
  g_test_add_func("/manifest/broken", test_broken);
  return g_test_run();
}
