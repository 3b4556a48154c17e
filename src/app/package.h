/* The package: the folder an app's code comes from. An app loads nothing outside it: every path
 * is resolved (symbolic links and `..` included) and must land inside the root.
 *
 * Thread rules: pure functions over the file system; any thread.
 */
#ifndef MPRTC_APP_PACKAGE_H
#define MPRTC_APP_PACKAGE_H

#include <glib.h>

/* The absolute, resolved path of the directory dir (g_free it), or NULL when it is not one. */
char *mprtc__package_root(const char *dir);

/* The absolute, resolved path of the file at path (absolute, or relative to root) if it lies
 * inside root (a resolved directory); g_free it. Otherwise NULL with *err set to
 * MPRTC_E_OUTSIDE_PACKAGE (outside the package) or MPRTC_E_IO (no such file, or not a regular
 * file) and *message to a sentence naming the path (g_free it). */
char *mprtc__package_resolve(const char *root, const char *path, int *err, char **message);

#endif
