/* Unit tests of the app's file system (src/app/storage.c, mprtc__files_*): the areas a path
 * names, how it is resolved (`.`, `..`, links, other schemes), each operation's result and its
 * errors, the usr area's limit, chosen files becoming temp files, and the temp area's clearing.
 * XDG_DATA_HOME is a fresh folder of the test's, set before GLib first reads it. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/package.h"
#include "app/files.h"

static char *data_home;

static char *make_root(void) {
  char *dir = g_dir_make_tmp("mprtc-files-root-XXXXXX", NULL);
  char *pages = g_build_filename(dir, "pages", NULL);
  g_mkdir_with_parents(pages, 0700);
  char *file = g_build_filename(dir, "app.json", NULL);
  g_assert_true(g_file_set_contents(file, "{\"pages\": []}", -1, NULL));
  char *root = mprtc__package_root(dir);
  g_free(file);
  g_free(pages);
  g_free(dir);
  return root;
}

/* One call with params given as JSON text: its result (decref it), the bytes read in *out. */
static json_t *call(const mprtc__files *fs, const char *op, const char *params, const char *data, GBytes **out) {
  json_error_t error;
  json_t *p = json_loads(params, JSON_ALLOW_NUL, &error);
  g_assert_nonnull(p);
  GBytes *bytes = data ? g_bytes_new(data, strlen(data)) : NULL;
  GBytes *read = NULL;
  json_t *result = mprtc__files_call(fs, op, p, bytes, &read);
  if (out) *out = read;
  else if (read) g_bytes_unref(read);
  if (bytes) g_bytes_unref(bytes);
  json_decref(p);
  return result;
}

/* The code a call failed with, or "ok". */
static char *outcome(const mprtc__files *fs, const char *op, const char *params, const char *data) {
  json_t *r = call(fs, op, params, data, NULL);
  const char *code = json_string_value(json_object_get(r, "fail"));
  char *out = g_strdup(code ? code : "ok");
  json_decref(r);
  return out;
}

#define ASSERT_OUTCOME(fs, op, params, data, want)          \
  do {                                                      \
    char *got_ = outcome(fs, op, params, data);             \
    g_assert_cmpstr(got_, ==, want);                        \
    g_free(got_);                                           \
  } while (0)

static char *usr_path(const char *app, const char *name) {
  char *area = g_strconcat("app-", app, NULL);
  char *path = g_build_filename(data_home, "mprtc", "files", area, "usr", name, NULL);
  g_free(area);
  return path;
}

static void test_areas(void) {
  char *root = make_root();
  mprtc__files *fs = mprtc__files_new("areas", root);
  /* usr: its own folder, made at the first use. */
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/a.txt\", \"append\": false}", "abc", "ok");
  char *a = usr_path("areas", "a.txt"), *text = NULL;
  g_assert_true(g_file_get_contents(a, &text, NULL, NULL));
  g_assert_cmpstr(text, ==, "abc");
  g_free(text);
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr//./a.txt\"}", NULL, "ok");
  /* `..` is taken as written, before the disk is asked (x need not exist). */
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/x/../a.txt\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/..\"}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/a/../../usr/a.txt\"}", NULL, "EACCES");
  /* Names that only look like usr or temp files. */
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usrx/a.txt\"}", NULL, "ENOENT");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usrx\", \"append\": false}", "x", "EACCES");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://tmp_\"}", NULL, "ENOENT");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://tmp_a/b\"}", NULL, "ENOENT");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"file:///etc/passwd\"}", NULL, "ENOENT");
  /* The package: readable, never written. */
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"app.json\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"/app.json\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"pages/../app.json\"}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"../app.json\"}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"pages/new.txt\", \"append\": false}", "x", "EACCES");
  ASSERT_OUTCOME(fs, "unlink", "{\"filePath\": \"app.json\"}", NULL, "EACCES");
  /* Without a package, such a path names nothing. */
  mprtc__files *bare = mprtc__files_new("areas", NULL);
  ASSERT_OUTCOME(bare, "access", "{\"path\": \"app.json\"}", NULL, "ENOENT");
  ASSERT_OUTCOME(bare, "access", "{\"path\": \"wxfile://usr/a.txt\"}", NULL, "ok");
  mprtc__files_free(bare);
  /* Another app has its own usr. */
  mprtc__files *other = mprtc__files_new("other", root);
  ASSERT_OUTCOME(other, "access", "{\"path\": \"wxfile://usr/a.txt\"}", NULL, "ENOENT");
  mprtc__files_free(other);
  /* An app ID that is a path's word stays a name. */
  mprtc__files *dots = mprtc__files_new("..", root);
  ASSERT_OUTCOME(dots, "writeFile", "{\"filePath\": \"wxfile://usr/d.txt\", \"append\": false}", "x", "ok");
  char *d = usr_path("..", "d.txt");
  g_assert_true(g_file_test(d, G_FILE_TEST_IS_REGULAR));
  g_free(d);
  mprtc__files_free(dots);
  g_free(a);
  mprtc__files_free(fs);
  g_free(root);
}

static void test_bad_params(void) {
  mprtc__files *fs = mprtc__files_new("params", NULL);
  ASSERT_OUTCOME(fs, "frobnicate", "{\"path\": \"wxfile://usr\"}", NULL, "EINVAL");
  ASSERT_OUTCOME(fs, "access", "{}", NULL, "EINVAL");
  ASSERT_OUTCOME(fs, "access", "{\"path\": 5}", NULL, "EINVAL");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/a\\u0000b\"}", NULL, "EINVAL");
  ASSERT_OUTCOME(fs, "copyFile", "{\"srcPath\": \"wxfile://usr\"}", NULL, "EINVAL");
  ASSERT_OUTCOME(fs, "getFileInfo", "{\"filePath\": \"wxfile://usr\", \"digestAlgorithm\": \"crc32\"}", NULL, "EINVAL");
  GBytes *out = NULL;
  json_t *r = mprtc__files_call(fs, "access", json_null(), NULL, &out);
  g_assert_cmpstr(json_string_value(json_object_get(r, "fail")), ==, "EINVAL");
  g_assert_null(out);
  json_decref(r);
  mprtc__files_free(fs);
}

static void test_read_ranges(void) {
  mprtc__files *fs = mprtc__files_new("ranges", NULL);
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/r\", \"append\": false}", "0123456789", "ok");
  GBytes *out = NULL;
  json_t *r = call(fs, "readFile", "{\"filePath\": \"wxfile://usr/r\", \"position\": 9, \"length\": 1}", NULL, &out);
  g_assert_cmpuint(json_object_size(r), ==, 0);
  g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out), "9", 1);
  g_bytes_unref(out);
  json_decref(r);
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/r\", \"position\": 10}", NULL, "position");
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/r\", \"position\": -1}", NULL, "position");
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/r\", \"position\": 5, \"length\": 6}", NULL, "length");
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/r\", \"length\": 0}", NULL, "length");
  /* An empty file reads as no bytes (position 0 is its only one). */
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/empty\", \"append\": false}", NULL, "ok");
  r = call(fs, "readFile", "{\"filePath\": \"wxfile://usr/empty\", \"position\": 0}", NULL, &out);
  g_assert_nonnull(out);
  g_assert_cmpuint(g_bytes_get_size(out), ==, 0);
  g_bytes_unref(out);
  json_decref(r);
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/empty\", \"length\": 1}", NULL, "length");
  mprtc__files_free(fs);
}

static void test_folders(void) {
  mprtc__files *fs = mprtc__files_new("folders", NULL);
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/a/b\", \"recursive\": false}", NULL, "ENOENT");
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/a/b\", \"recursive\": true}", NULL, "ok");
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/a/b\", \"recursive\": true}", NULL, "ok");
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/a\", \"recursive\": false}", NULL, "EEXIST");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/a/b/f\", \"append\": false}", "x", "ok");
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/a/b/f/g\", \"recursive\": true}", NULL, "ENOTDIR");
  ASSERT_OUTCOME(fs, "rmdir", "{\"dirPath\": \"wxfile://usr/a\", \"recursive\": false}", NULL, "ENOTEMPTY");
  json_t *r = call(fs, "stat", "{\"path\": \"wxfile://usr/a\", \"recursive\": true}", NULL, NULL);
  json_t *list = json_object_get(r, "stats");
  g_assert_cmpuint(json_array_size(list), ==, 3);
  g_assert_cmpstr(json_string_value(json_object_get(json_array_get(list, 2), "path")), ==, "/b/f");
  g_assert_true(json_is_false(json_object_get(json_object_get(json_array_get(list, 2), "stats"), "directory")));
  json_decref(r);
  r = call(fs, "readdir", "{\"dirPath\": \"wxfile://usr\"}", NULL, NULL);
  g_assert_cmpuint(json_array_size(json_object_get(r, "files")), ==, 1);
  json_decref(r);
  ASSERT_OUTCOME(fs, "rmdir", "{\"dirPath\": \"wxfile://usr/a\", \"recursive\": true}", NULL, "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/a\"}", NULL, "ENOENT");
  ASSERT_OUTCOME(fs, "rmdir", "{\"dirPath\": \"wxfile://usr\", \"recursive\": true}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "readdir", "{\"dirPath\": \"wxfile://tmp_x\"}", NULL, "ENOTDIR");
  mprtc__files_free(fs);
}

static void test_links(void) {
  mprtc__files *fs = mprtc__files_new("links", NULL);
  ASSERT_OUTCOME(fs, "mkdir", "{\"dirPath\": \"wxfile://usr/in\", \"recursive\": false}", NULL, "ok");
  char *outside = g_dir_make_tmp("mprtc-files-outside-XXXXXX", NULL);
  char *secret = g_build_filename(outside, "s", NULL);
  g_assert_true(g_file_set_contents(secret, "secret", -1, NULL));
  char *to_dir = usr_path("links", "out"), *to_file = usr_path("links", "in/s"), *dangling = usr_path("links", "dangling");
  char *nowhere = g_build_filename(outside, "not-yet", NULL);
  g_assert_cmpint(symlink(outside, to_dir), ==, 0);
  g_assert_cmpint(symlink(secret, to_file), ==, 0);
  g_assert_cmpint(symlink(nowhere, dangling), ==, 0);
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/out/s\"}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/in/s\"}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/out/new\", \"append\": false}", "x", "EACCES");
  /* A link to nowhere: a write would make its target outside. */
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/dangling\", \"append\": false}", "x", "EACCES");
  g_assert_false(g_file_test(nowhere, G_FILE_TEST_EXISTS));
  ASSERT_OUTCOME(fs, "copyFile", "{\"srcPath\": \"wxfile://usr/in/s\", \"destPath\": \"wxfile://usr/c\"}", NULL, "EACCES");
  /* A link that stays inside is followed. */
  char *inner = usr_path("links", "inner");
  g_assert_cmpint(symlink("in", inner), ==, 0);
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/inner/t\", \"append\": false}", "ok", "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/in/t\"}", NULL, "ok");
  /* A FIFO planted in the area is no file to read or write, and hangs nothing. */
  char *fifo = usr_path("links", "fifo");
  g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
  ASSERT_OUTCOME(fs, "readFile", "{\"filePath\": \"wxfile://usr/fifo\"}", NULL, "EACCES");
  ASSERT_OUTCOME(fs, "getFileInfo", "{\"filePath\": \"wxfile://usr/fifo\"}", NULL, "EACCES");
  char *written = outcome(fs, "writeFile", "{\"filePath\": \"wxfile://usr/fifo\", \"append\": true}", "x");
  g_assert_cmpstr(written, !=, "ok");
  g_free(written);
  g_free(fifo);
  g_free(inner);
  g_free(nowhere);
  g_free(dangling);
  g_free(to_file);
  g_free(to_dir);
  g_free(secret);
  g_free(outside);
  mprtc__files_free(fs);
}

static void test_quota(void) {
  mprtc__files *fs = mprtc__files_new("quota", NULL);
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/small\", \"append\": false}", "0123456789", "ok");
  /* Exactly at the limit with the big file: a byte more is refused. */
  char *big = usr_path("quota", "big");
  FILE *f = fopen(big, "w");
  g_assert_nonnull(f);
  g_assert_cmpint(ftruncate(fileno(f), MPRTC__FILES_QUOTA - 10 - 3), ==, 0);
  fclose(f);
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/small\", \"append\": true}", "abc", "ok");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/small\", \"append\": true}", "d", "ENOSPC");
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/more\", \"append\": false}", "d", "ENOSPC");
  ASSERT_OUTCOME(fs, "copyFile", "{\"srcPath\": \"wxfile://usr/small\", \"destPath\": \"wxfile://usr/copy\"}", NULL, "ENOSPC");
  /* Replacing counts the file replaced as gone. */
  ASSERT_OUTCOME(fs, "writeFile", "{\"filePath\": \"wxfile://usr/small\", \"append\": false}", "9876543210xyz", "ok");
  ASSERT_OUTCOME(fs, "access", "{\"path\": \"wxfile://usr/more\"}", NULL, "ENOENT");
  g_free(big);
  mprtc__files_free(fs);
}

static void test_import_and_clear(void) {
  mprtc__files *fs = mprtc__files_new("import", NULL);
  char *dir = g_dir_make_tmp("mprtc-files-pick-XXXXXX", NULL);
  const char *names[] = {"report.pdf", "Movie.MP4", "noext", "odd.t@r", "long.abcdefghijkl"};
  const char *types[] = {"file", "video", "file", "file", "file"};
  const char *suffixes[] = {".pdf", ".MP4", "", "", ""};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    char *local = g_build_filename(dir, names[i], NULL);
    g_assert_true(g_file_set_contents(local, "12345", -1, NULL));
    GError *error = NULL;
    json_t *entry = mprtc__files_import(fs, local, &error);
    g_assert_no_error(error);
    const char *path = json_string_value(json_object_get(entry, "path"));
    g_assert_true(g_str_has_prefix(path, "wxfile://tmp_"));
    g_assert_true(g_str_has_suffix(path, suffixes[i]));
    g_assert_cmpstr(json_string_value(json_object_get(entry, "name")), ==, names[i]);
    g_assert_cmpstr(json_string_value(json_object_get(entry, "type")), ==, types[i]);
    g_assert_cmpint(json_integer_value(json_object_get(entry, "size")), ==, 5);
    char *params = g_strdup_printf("{\"filePath\": \"%s\"}", path);
    GBytes *out = NULL;
    json_t *r = call(fs, "readFile", params, NULL, &out);
    g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out), "12345", 5);
    g_bytes_unref(out);
    json_decref(r);
    /* Temp files are read-only. */
    g_free(params);
    params = g_strdup_printf("{\"filePath\": \"%s\", \"append\": true}", path);
    ASSERT_OUTCOME(fs, "writeFile", params, "x", "EACCES");
    g_free(params);
    json_decref(entry);
    g_free(local);
  }
  GError *error = NULL;
  g_assert_null(mprtc__files_import(fs, dir, &error)); /* a folder */
  g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error(&error);
  char *missing = g_build_filename(dir, "missing", NULL);
  g_assert_null(mprtc__files_import(fs, missing, &error));
  g_clear_error(&error);
  g_free(missing);
  char *tmp = g_build_filename(data_home, "mprtc", "files", "app-import", "tmp", NULL);
  GDir *d = g_dir_open(tmp, 0, NULL);
  guint n = 0;
  while (g_dir_read_name(d)) n++;
  g_dir_close(d);
  g_assert_cmpuint(n, ==, G_N_ELEMENTS(names));
  mprtc__files_clear_temp(fs);
  d = g_dir_open(tmp, 0, NULL);
  g_assert_null(g_dir_read_name(d));
  g_dir_close(d);
  g_free(tmp);
  g_free(dir);
  mprtc__files_free(fs);
}

int main(int argc, char **argv) {
  data_home = g_dir_make_tmp("mprtc-files-data-XXXXXX", NULL);
  g_setenv("XDG_DATA_HOME", data_home, TRUE);
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/files/areas", test_areas);
  g_test_add_func("/files/bad-params", test_bad_params);
  g_test_add_func("/files/read-ranges", test_read_ranges);
  g_test_add_func("/files/folders", test_folders);
  g_test_add_func("/files/links", test_links);
  g_test_add_func("/files/quota", test_quota);
  g_test_add_func("/files/import-and-clear", test_import_and_clear);
  return g_test_run();
}
