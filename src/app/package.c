/* The package root: see package.h. */
#include "app/package.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mprtc/error.h"

char *mprtc__package_root(const char *dir) {
  char *resolved = realpath(dir, NULL);
  struct stat st;
  if (!resolved || stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
    free(resolved);
    return NULL;
  }
  char *out = g_strdup(resolved);
  free(resolved);
  return out;
}

static gboolean inside(const char *root, const char *path) {
  size_t n = strlen(root);
  /* The root "/" holds everything; otherwise the path continues the root at a '/'. */
  if (n == 1 && root[0] == '/') return TRUE;
  return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

char *mprtc__package_resolve(const char *root, const char *path, int *err, char **message) {
  char *joined = g_path_is_absolute(path) ? g_strdup(path) : g_build_filename(root, path, NULL);
  /* First the path as written (with `..` taken away), so that a path that climbs out is called
   * that even when no such file exists; then the file itself, links followed. */
  char *canonical = g_canonicalize_filename(joined, "/");
  char *resolved = NULL;
  if (!inside(root, canonical)) {
    *err = MPRTC_E_OUTSIDE_PACKAGE;
  } else if (!(resolved = realpath(canonical, NULL))) {
    *err = MPRTC_E_IO;
  } else if (!inside(root, resolved)) {
    *err = MPRTC_E_OUTSIDE_PACKAGE; /* a link that leads out */
  } else {
    struct stat st;
    *err = stat(resolved, &st) == 0 && S_ISREG(st.st_mode) ? 0 : MPRTC_E_IO;
  }
  char *out = NULL;
  if (*err == MPRTC_E_OUTSIDE_PACKAGE) {
    *message = g_strdup_printf("'%s' is outside the app's package (%s): an app loads only its own files", path, root);
  } else if (*err) {
    *message = g_strdup_printf("cannot read '%s': %s", path, resolved ? "not a regular file" : g_strerror(errno));
  } else {
    out = g_strdup(resolved);
  }
  free(resolved);
  g_free(canonical);
  g_free(joined);
  return out;
}
