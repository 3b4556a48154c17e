/* Persistent storage of an app: see storage.h. */
#include "app/storage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENTRY_SUFFIX ".entry"
#define TEMP_INFIX ".tmp-"

char *mprtc__storage_dir(const char *app_id) {
  /* "app-" first: an app ID may be "." or "..", which must stay a name, not a way out. */
  char *name = g_strconcat("app-", app_id, NULL);
  char *dir = g_build_filename(g_get_user_data_dir(), "mprtc", "storage", name, NULL);
  g_free(name);
  return dir;
}

/* The entry file of key: its SHA-256, so that any key is a safe file name. */
static char *entry_path(const char *dir, const char *key) {
  char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
  char *name = g_strconcat(hash, ENTRY_SUFFIX, NULL);
  char *path = g_build_filename(dir, name, NULL);
  g_free(name);
  g_free(hash);
  return path;
}

static gboolean io_error(GError **error, const char *what, const char *path) {
  int e = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s '%s': %s", what, path, g_strerror(e));
  return FALSE;
}

/* The folder's own entry in its parent is made durable too. */
static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

GPtrArray *mprtc__storage_load(const char *dir, GError **error) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return out; /* nothing stored yet */
  const char *name;
  while ((name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    if (strstr(name, TEMP_INFIX)) {
      /* What a crash left half-written: the entry it was replacing is intact. */
      g_unlink(path);
    } else if (g_str_has_suffix(name, ENTRY_SUFFIX)) {
      char *text = NULL;
      if (g_file_get_contents(path, &text, NULL, error)) {
        g_ptr_array_add(out, text);
      } else {
        g_free(path);
        g_dir_close(d);
        g_ptr_array_unref(out);
        return NULL;
      }
    }
    g_free(path);
  }
  g_dir_close(d);
  return out;
}

gboolean mprtc__storage_write(const char *dir, const char *key, const char *text, size_t len, GError **error) {
  if (g_mkdir_with_parents(dir, 0700) != 0) return io_error(error, "cannot make the storage folder", dir);
  char *path = entry_path(dir, key);
  char *temp = g_strdup_printf("%s%s%d-%08x", path, TEMP_INFIX, (int)getpid(), g_random_int());
  int fd = g_open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  gboolean ok = fd >= 0;
  if (!ok) io_error(error, "cannot write", temp);
  for (size_t done = 0; ok && done < len;) {
    ssize_t n = write(fd, text + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = io_error(error, "cannot write", temp);
    else done += (size_t)n;
  }
  /* On disk before it takes the entry's name: a crash after the rename finds the whole of it. */
  if (ok && fsync(fd) != 0) ok = io_error(error, "cannot flush", temp);
  if (fd >= 0) close(fd);
  if (ok && g_rename(temp, path) != 0) ok = io_error(error, "cannot rename", temp);
  if (ok) sync_dir(dir);
  else g_unlink(temp);
  g_free(temp);
  g_free(path);
  return ok;
}

gboolean mprtc__storage_remove(const char *dir, const char *key, GError **error) {
  char *path = entry_path(dir, key);
  gboolean ok = g_unlink(path) == 0 || errno == ENOENT;
  if (!ok) io_error(error, "cannot remove", path);
  else sync_dir(dir);
  g_free(path);
  return ok;
}

gboolean mprtc__storage_clear(const char *dir, GError **error) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return TRUE;
  gboolean ok = TRUE;
  const char *name;
  while (ok && (name = g_dir_read_name(d))) {
    if (!g_str_has_suffix(name, ENTRY_SUFFIX) && !strstr(name, TEMP_INFIX)) continue;
    char *path = g_build_filename(dir, name, NULL);
    if (g_unlink(path) != 0 && errno != ENOENT) ok = io_error(error, "cannot remove", path);
    g_free(path);
  }
  g_dir_close(d);
  if (ok) sync_dir(dir);
  return ok;
}
