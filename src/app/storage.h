/* An app's persistent storage (the wx storage calls): one file per key in a folder of the app's
 * own, $XDG_DATA_HOME/mprtc/storage/app-<app ID>/ (~/.local/share when XDG_DATA_HOME is not
 * set). A file is written whole to a temporary name, flushed to disk and renamed over the old
 * one, so that a crash or kill -9 in the middle leaves the old value or the new one; temporary
 * files left by a crash are removed on the next load. The values are the logic layer's text
 * (JSON); this code neither reads nor limits them.
 *
 * Thread rules: pure functions over the file system; any thread.
 */
#ifndef MPRTC_APP_STORAGE_H
#define MPRTC_APP_STORAGE_H

#include <glib.h>

/* The app's storage folder (g_free it); not made yet. */
char *mprtc__storage_dir(const char *app_id);

/* The texts of every entry in dir (char*, free the array); an empty array when there is no
 * folder yet. NULL with *error when it cannot be read. */
GPtrArray *mprtc__storage_load(const char *dir, GError **error);

/* Stores text (len bytes) as the entry of key, atomically. */
gboolean mprtc__storage_write(const char *dir, const char *key, const char *text, size_t len, GError **error);

/* Removes the entry of key (no entry is no error). */
gboolean mprtc__storage_remove(const char *dir, const char *key, GError **error);

/* Removes every entry. */
gboolean mprtc__storage_clear(const char *dir, GError **error);

#endif
