/* An app's files (wx.getFileSystemManager, wx.chooseMessageFile; docs/miniprogram.md#files).
 *
 * The app's file system, as the platform gives it: `wxfile://usr/...` (wx.env.USER_DATA_PATH) is
 * a folder of the app's own, $XDG_DATA_HOME/mprtc/files/app-<app ID>/usr/, readable and writable,
 * at most 200 MiB in all; `wxfile://tmp_<name>` are the app's temporary files (what
 * wx.chooseMessageFile hands it), in .../app-<app ID>/tmp/, readable, removable and renamable
 * into usr, removed when the app ends; any other path is a file of the package (relative to its
 * root, a leading '/' allowed), read-only. Every path is resolved as written (`.` and `..`, which
 * may not climb above wxfile://usr or the package root) and then on disk: a symbolic link that
 * leads out of its area is refused as a permission error. Nothing outside the three areas is
 * ever read or written.
 *
 * Thread rules: a mprtc__files is immutable once made; its functions may run on any thread, and
 * on several at once (the file system orders what they do). */
#ifndef MPRTC_APP_FILES_H
#define MPRTC_APP_FILES_H

#include <glib.h>
#include <jansson.h>

/* The usr area's limit, the platform's (its sum of file sizes). */
#define MPRTC__FILES_QUOTA (200 * 1024 * 1024)

typedef struct mprtc__files mprtc__files;

/* The file system of app_id, with root the package root (NULL: no package files). Touches no
 * disk. */
mprtc__files *mprtc__files_new(const char *app_id, const char *root);
void mprtc__files_free(mprtc__files *fs);

/* Runs one operation of the FileSystemManager on params (a JSON object) with data, the bytes
 * it writes (writeFile, appendFile; else NULL). Returns a new JSON object: the result, or
 * {"fail": CODE, "detail": TEXT} where CODE is the errno's name ("ENOENT", "EACCES", "EISDIR",
 * "ENOTDIR", "EEXIST", "ENOTEMPTY", "ENOSPC": the quota or the disk, "EINVAL", "ENAMETOOLONG",
 * "EIO"; "ESYS" for any other, said in detail) or "position"/"length" (readFile's range). The
 * bytes read (readFile) go to *out. Parameters have been checked by the caller (the base
 * library): a missing or ill-typed one is EINVAL here.
 *
 *   access      {path}                                 -> {}
 *   stat        {path, recursive}                      -> {stats: STATS | [{path, stats: STATS}]}
 *                  STATS: {mode, size, lastAccessedTime, lastModifiedTime (s), directory}
 *   readFile    {filePath, position?, length?}         -> {}, the bytes in *out
 *   writeFile   {filePath, append}, data               -> {}   (append: the file must exist)
 *   unlink      {filePath}                             -> {}
 *   mkdir       {dirPath, recursive}                   -> {}
 *   rmdir       {dirPath, recursive}                   -> {}
 *   readdir     {dirPath}                              -> {files: [names, sorted]}
 *   copyFile    {srcPath, destPath}                    -> {}
 *   rename      {oldPath, newPath}                     -> {}
 *   getFileInfo {filePath, digestAlgorithm}            -> {size, digest}  (md5, sha1, sha256)
 */
json_t *mprtc__files_call(const mprtc__files *fs, const char *op, const json_t *params, GBytes *data, GBytes **out);

/* A file the user chose (wx.chooseMessageFile): local_path (any readable regular file; the host
 * chose it) is copied into the temp area. Returns its tempFiles entry {path: "wxfile://tmp_...",
 * size, name, type: "image" | "video" | "file", time}, or NULL with *error. */
json_t *mprtc__files_import(const mprtc__files *fs, const char *local_path, GError **error);

/* Removes the app's temporary files (its run ended). */
void mprtc__files_clear_temp(const mprtc__files *fs);

#endif
