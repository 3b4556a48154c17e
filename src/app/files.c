/* The app's file system: see files.h. */
#include "app/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define USR_PREFIX "wxfile://usr"
#define TMP_PREFIX "wxfile://tmp_"
#define COPY_CHUNK (256 * 1024)

struct mprtc__files {
  char *usr;  /* the usr area's folder */
  char *tmp;  /* the temp files' folder */
  char *root; /* the package root, or NULL */
};

typedef enum { AREA_NONE, AREA_USR, AREA_TMP, AREA_PACKAGE } area;

/* A path of the app's, resolved: the area it names and, unless AREA_NONE, the file's real path. */
typedef struct {
  area area;
  char *real;
  gboolean is_base; /* the area's own folder (wxfile://usr itself, the package root) */
} place;

mprtc__files *mprtc__files_new(const char *app_id, const char *root) {
  mprtc__files *fs = g_new0(mprtc__files, 1);
  /* "app-" first, as for storage: an app ID may be "." or "..". */
  char *name = g_strconcat("app-", app_id, NULL);
  fs->usr = g_build_filename(g_get_user_data_dir(), "mprtc", "files", name, "usr", NULL);
  fs->tmp = g_build_filename(g_get_user_data_dir(), "mprtc", "files", name, "tmp", NULL);
  fs->root = g_strdup(root);
  g_free(name);
  return fs;
}

void mprtc__files_free(mprtc__files *fs) {
  if (!fs) return;
  g_free(fs->usr);
  g_free(fs->tmp);
  g_free(fs->root);
  g_free(fs);
}

static void place_clear(place *p) {
  g_free(p->real);
  p->real = NULL;
}

static gboolean inside_dir(const char *base, const char *path) {
  size_t n = strlen(base);
  if (n == 1 && base[0] == '/') return TRUE;
  return strncmp(path, base, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* rest ("a/./b/../c"), normalized onto base: 0, or -EACCES when it climbs above base. */
static int join_inside(const char *base, const char *rest, char **out, gboolean *is_base) {
  GPtrArray *parts = g_ptr_array_new();
  char **segments = g_strsplit(rest, "/", -1);
  int err = 0;
  for (char **s = segments; *s && !err; s++) {
    if (**s == '\0' || strcmp(*s, ".") == 0) continue;
    if (strcmp(*s, "..") == 0) {
      if (parts->len == 0) err = -EACCES;
      else g_ptr_array_remove_index(parts, parts->len - 1);
    } else {
      g_ptr_array_add(parts, *s);
    }
  }
  if (!err) {
    GString *path = g_string_new(base);
    for (guint i = 0; i < parts->len; i++) {
      g_string_append_c(path, '/');
      g_string_append(path, parts->pdata[i]);
    }
    *is_base = parts->len == 0;
    *out = g_string_free(path, FALSE);
  }
  g_ptr_array_unref(parts);
  g_strfreev(segments);
  return err;
}

/* The real folder of base, made when it is the usr or temp area's (they are the app's). */
static char *real_base(const char *base, gboolean make) {
  if (make) g_mkdir_with_parents(base, 0700);
  char *r = realpath(base, NULL);
  char *out = g_strdup(r);
  free(r);
  return out;
}

/* Whether what path names on disk stays inside base: the deepest part of it that exists,
 * links followed, must lie in the base's real folder (a link could lead anywhere). */
static int check_on_disk(const char *base, gboolean make_base, const char *path) {
  char *base_real = real_base(base, make_base);
  if (!base_real) return make_base ? -EACCES : -ENOENT;
  char *probe = g_strdup(path);
  int err = 0;
  for (;;) {
    struct stat st;
    if (lstat(probe, &st) == 0) {
      char *r = realpath(probe, NULL);
      /* A link that leads nowhere would let a write create its target: refused too. */
      if (!r || !inside_dir(base_real, r)) err = -EACCES;
      free(r);
      break;
    }
    char *up = g_path_get_dirname(probe);
    gboolean top = strcmp(up, probe) == 0;
    g_free(probe);
    probe = up;
    if (top) break;
  }
  g_free(probe);
  g_free(base_real);
  return err;
}

/* Resolves an app's path: 0 and *out, or -EACCES (it leaves its area), -EINVAL (not text). */
static int resolve(const mprtc__files *fs, const json_t *value, place *out) {
  *out = (place){AREA_NONE, NULL, FALSE};
  if (!json_is_string(value)) return -EINVAL;
  const char *path = json_string_value(value);
  if (strlen(path) != json_string_length(value)) return -EINVAL; /* a NUL inside */
  const char *base = NULL, *rest = NULL;
  if (g_str_has_prefix(path, USR_PREFIX) && (path[strlen(USR_PREFIX)] == '\0' || path[strlen(USR_PREFIX)] == '/')) {
    out->area = AREA_USR;
    base = fs->usr;
    rest = path + strlen(USR_PREFIX);
  } else if (g_str_has_prefix(path, TMP_PREFIX)) {
    const char *name = path + strlen("wxfile://");
    /* Temp files lie flat: "wxfile://tmp_x/y" names none. */
    if (strchr(name, '/') || strlen(name) <= strlen("tmp_")) return 0;
    out->area = AREA_TMP;
    base = fs->tmp;
    rest = name;
  } else if (strstr(path, "://")) {
    return 0; /* wxfile://store_..., http://...: nothing of this app's */
  } else if (fs->root) {
    out->area = AREA_PACKAGE;
    base = fs->root;
    rest = path;
  } else {
    return 0;
  }
  int err = join_inside(base, rest, &out->real, &out->is_base);
  if (!err) err = check_on_disk(base, out->area != AREA_PACKAGE, out->real);
  if (err) {
    place_clear(out);
    out->area = AREA_NONE;
  }
  return err;
}

/* ---- results ---- */

static json_t *fail(int err) {
  const char *code;
  switch (-err) {
    case ENOENT: code = "ENOENT"; break;
    case EACCES: case EPERM: case EROFS: code = "EACCES"; break;
    case EISDIR: code = "EISDIR"; break;
    case ENOTDIR: case ELOOP: code = "ENOTDIR"; break;
    case EEXIST: code = "EEXIST"; break;
    case ENOTEMPTY: code = "ENOTEMPTY"; break;
    case ENOSPC: case EDQUOT: case EFBIG: code = "ENOSPC"; break;
    case EINVAL: code = "EINVAL"; break;
    case ENAMETOOLONG: code = "ENAMETOOLONG"; break;
    case EIO: code = "EIO"; break;
    default: code = "ESYS"; break;
  }
  return json_pack("{s:s,s:s}", "fail", code, "detail", g_strerror(-err));
}

static json_t *fail_code(const char *code) { return json_pack("{s:s}", "fail", code); }

static json_t *ok_or_fail(int err) { return err ? fail(err) : json_object(); }

static int errno_neg(void) { return errno ? -errno : -EIO; }

/* Sorts an array of strings (g_ptr_array_sort hands the comparator pointers to elements). */
static int compare_names(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- the usr area's size ---- */

static gint64 tree_size(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return 0;
  if (!S_ISDIR(st.st_mode)) return S_ISREG(st.st_mode) ? (gint64)st.st_size : 0;
  gint64 sum = 0;
  GDir *d = g_dir_open(path, 0, NULL);
  if (!d) return 0;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    char *child = g_build_filename(path, name, NULL);
    sum += tree_size(child);
    g_free(child);
  }
  g_dir_close(d);
  return sum;
}

/* Whether the usr area takes `adding` more bytes when `replacing` (the size of a file the write
 * replaces) go. */
static int quota_check(const mprtc__files *fs, gint64 adding, gint64 replacing) {
  return tree_size(fs->usr) - replacing + adding > MPRTC__FILES_QUOTA ? -ENOSPC : 0;
}

static gint64 size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (gint64)st.st_size : 0;
}

/* ---- the operations ---- */

static gboolean flag(const json_t *params, const char *key) { return json_is_true(json_object_get(params, key)); }

static json_t *stats_of(const struct stat *st) {
  return json_pack("{s:I,s:I,s:I,s:I,s:b}", "mode", (json_int_t)st->st_mode, "size", (json_int_t)st->st_size,
                   "lastAccessedTime", (json_int_t)st->st_atime, "lastModifiedTime", (json_int_t)st->st_mtime,
                   "directory", S_ISDIR(st->st_mode));
}

static void stat_tree(const char *real, const char *relative, json_t *list) {
  struct stat st;
  if (stat(real, &st) != 0) return;
  json_array_append_new(list, json_pack("{s:s,s:o}", "path", *relative ? relative : "/", "stats", stats_of(&st)));
  if (!S_ISDIR(st.st_mode)) return;
  GDir *d = g_dir_open(real, 0, NULL);
  if (!d) return;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d))) g_ptr_array_add(names, g_strdup(name));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    char *child = g_build_filename(real, names->pdata[i], NULL);
    char *child_relative = g_strconcat(relative, "/", names->pdata[i], NULL);
    stat_tree(child, child_relative, list);
    g_free(child_relative);
    g_free(child);
  }
  g_ptr_array_unref(names);
}

static json_t *op_access(const place *p, const json_t *params) {
  struct stat st;
  return ok_or_fail(stat(p->real, &st) == 0 ? 0 : errno_neg());
}

static json_t *op_stat(const place *p, const json_t *params) {
  struct stat st;
  if (stat(p->real, &st) != 0) return fail(errno_neg());
  if (!flag(params, "recursive") || !S_ISDIR(st.st_mode)) return json_pack("{s:o}", "stats", stats_of(&st));
  json_t *list = json_array();
  stat_tree(p->real, "", list);
  return json_pack("{s:o}", "stats", list);
}

/* Reads all of n bytes at offset (0), or -errno. */
static int read_at(int fd, uint8_t *buffer, size_t n, off_t offset) {
  for (size_t done = 0; done < n;) {
    ssize_t r = pread(fd, buffer + done, n - done, offset + (off_t)done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return errno_neg();
    if (r == 0) return -EIO; /* shorter than it was a moment ago */
    done += (size_t)r;
  }
  return 0;
}

static int write_all(int fd, const uint8_t *bytes, size_t n) {
  for (size_t done = 0; done < n;) {
    ssize_t w = write(fd, bytes + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return errno_neg();
    done += (size_t)w;
  }
  return 0;
}

/* An open regular file for reading: fd >= 0 and its size, or -errno (-EISDIR for a folder). */
static int open_to_read(const char *real, gint64 *size) {
  /* O_NONBLOCK: a FIFO planted in an area must not hang the open (regular files ignore it). */
  int fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return errno_neg();
  struct stat st;
  int err = fstat(fd, &st) != 0 ? errno_neg() : S_ISDIR(st.st_mode) ? -EISDIR : !S_ISREG(st.st_mode) ? -EACCES : 0;
  if (err) {
    close(fd);
    return err;
  }
  *size = (gint64)st.st_size;
  return fd;
}

static json_t *op_read_file(const place *p, const json_t *params, GBytes **out) {
  gint64 size = 0;
  int fd = open_to_read(p->real, &size);
  if (fd < 0) return fail(fd);
  /* The platform's ranges: position in [0, size - 1] (0 for an empty file), length in
   * [1, size - position]. */
  json_t *pos = json_object_get(params, "position"), *len = json_object_get(params, "length");
  gint64 position = json_is_integer(pos) ? json_integer_value(pos) : 0;
  json_t *result = NULL;
  if (position < 0 || (position > 0 && position >= size)) result = fail_code("position");
  gint64 length = json_is_integer(len) ? json_integer_value(len) : size - position;
  if (!result && json_is_integer(len) && (length < 1 || length > size - position)) result = fail_code("length");
  if (!result) {
    /* A file too big for memory is an error of the call, not the end of the process. */
    uint8_t *buffer = g_try_malloc(length > 0 ? (gsize)length : 1);
    int err = buffer ? read_at(fd, buffer, (size_t)length, (off_t)position) : -ENOMEM;
    if (err) {
      g_free(buffer);
      result = fail(err);
    } else {
      *out = g_bytes_new_take(buffer, (gsize)length);
      result = json_object();
    }
  }
  close(fd);
  return result;
}

static json_t *op_write_file(const mprtc__files *fs, const place *p, const json_t *params, GBytes *data) {
  if (p->area != AREA_USR) return fail(-EACCES);
  if (p->is_base) return fail(-EISDIR);
  gboolean append = flag(params, "append");
  gsize n = data ? g_bytes_get_size(data) : 0;
  int err = quota_check(fs, (gint64)n, append ? 0 : size_of(p->real));
  if (err) return fail(err);
  /* appendFile adds to a file that exists, as on the platform; writeFile makes or replaces. */
  int flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK | (append ? O_APPEND : O_CREAT | O_TRUNC);
  int fd = open(p->real, flags, 0600);
  if (fd < 0) return fail(errno_neg());
  struct stat st;
  if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) err = -EACCES;
  if (!err && n) err = write_all(fd, g_bytes_get_data(data, NULL), n);
  if (close(fd) != 0 && !err) err = errno_neg();
  return ok_or_fail(err);
}

static json_t *op_unlink(const place *p, const json_t *params) {
  if (p->area != AREA_USR && p->area != AREA_TMP) return fail(p->area == AREA_PACKAGE ? -EACCES : -ENOENT);
  struct stat st;
  if (lstat(p->real, &st) != 0) return fail(errno_neg());
  if (S_ISDIR(st.st_mode)) return fail(-EISDIR);
  return ok_or_fail(unlink(p->real) == 0 ? 0 : errno_neg());
}

static int make_dirs(const char *real, gboolean recursive) {
  if (mkdir(real, 0700) == 0) return 0;
  int err = errno_neg();
  if (err == -EEXIST && recursive) {
    struct stat st;
    return stat(real, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -EEXIST;
  }
  if (err != -ENOENT || !recursive) return err;
  char *parent = g_path_get_dirname(real);
  err = make_dirs(parent, TRUE);
  g_free(parent);
  if (err) return err;
  return mkdir(real, 0700) == 0 || errno == EEXIST ? 0 : errno_neg();
}

static json_t *op_mkdir(const place *p, const json_t *params) {
  if (p->area != AREA_USR) return fail(-EACCES);
  gboolean recursive = flag(params, "recursive");
  if (p->is_base) return ok_or_fail(recursive ? 0 : -EEXIST);
  return ok_or_fail(make_dirs(p->real, recursive));
}

static int remove_tree(const char *real) {
  struct stat st;
  if (lstat(real, &st) != 0) return errno_neg();
  if (S_ISDIR(st.st_mode)) {
    GDir *d = g_dir_open(real, 0, NULL);
    if (!d) return -EACCES;
    const char *name;
    int err = 0;
    while (!err && (name = g_dir_read_name(d))) {
      char *child = g_build_filename(real, name, NULL);
      err = remove_tree(child);
      g_free(child);
    }
    g_dir_close(d);
    if (err) return err;
    return rmdir(real) == 0 ? 0 : errno_neg();
  }
  return unlink(real) == 0 ? 0 : errno_neg();
}

static json_t *op_rmdir(const place *p, const json_t *params) {
  if (p->area != AREA_USR || p->is_base) return fail(p->area == AREA_NONE ? -ENOENT : -EACCES);
  struct stat st;
  if (lstat(p->real, &st) != 0) return fail(errno_neg());
  if (!S_ISDIR(st.st_mode)) return fail(-ENOTDIR);
  if (flag(params, "recursive")) return ok_or_fail(remove_tree(p->real));
  return ok_or_fail(rmdir(p->real) == 0 ? 0 : errno == EEXIST ? -ENOTEMPTY : errno_neg());
}

static json_t *op_readdir(const place *p, const json_t *params) {
  if (p->area == AREA_TMP) return fail(-ENOTDIR);
  struct stat st;
  if (stat(p->real, &st) != 0) return fail(errno_neg());
  if (!S_ISDIR(st.st_mode)) return fail(-ENOTDIR);
  DIR *d = opendir(p->real);
  if (!d) return fail(errno_neg());
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) g_ptr_array_add(names, g_strdup(e->d_name));
  closedir(d);
  g_ptr_array_sort(names, compare_names);
  json_t *files = json_array();
  for (guint i = 0; i < names->len; i++) json_array_append_new(files, json_string(names->pdata[i]));
  g_ptr_array_unref(names);
  return json_pack("{s:o}", "files", files);
}

/* Copies the readable regular file at src to dest (made or replaced): 0, -errno. */
static int copy_file(const char *src, const char *dest, gint64 *copied) {
  gint64 size = 0;
  int in = open_to_read(src, &size);
  if (in < 0) return in;
  int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0600);
  if (out < 0) {
    int err = errno_neg();
    close(in);
    return err;
  }
  struct stat st;
  int err = fstat(out, &st) == 0 && !S_ISREG(st.st_mode) ? -EACCES : 0;
  uint8_t *buffer = g_malloc(COPY_CHUNK);
  gint64 total = 0;
  while (!err) {
    ssize_t r = read(in, buffer, COPY_CHUNK);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) err = errno_neg();
    if (r <= 0) break;
    err = write_all(out, buffer, (size_t)r);
    total += r;
  }
  g_free(buffer);
  close(in);
  if (close(out) != 0 && !err) err = errno_neg();
  if (copied) *copied = total;
  return err;
}

static json_t *op_copy_file(const mprtc__files *fs, const place *src, const place *dest) {
  if (src->area == AREA_NONE) return fail(-ENOENT);
  if (dest->area != AREA_USR) return fail(-EACCES);
  if (dest->is_base) return fail(-EISDIR);
  struct stat st;
  if (stat(src->real, &st) != 0) return fail(errno_neg());
  if (S_ISDIR(st.st_mode)) return fail(-EISDIR);
  int err = quota_check(fs, (gint64)st.st_size, size_of(dest->real));
  return ok_or_fail(err ? err : copy_file(src->real, dest->real, NULL));
}

static json_t *op_rename(const mprtc__files *fs, const place *from, const place *to) {
  if (from->area == AREA_NONE) return fail(-ENOENT);
  if (from->area == AREA_PACKAGE || to->area != AREA_USR || from->is_base || to->is_base) return fail(-EACCES);
  struct stat st;
  if (lstat(from->real, &st) != 0) return fail(errno_neg());
  /* A temp file moved into usr adds to it. */
  int err = from->area == AREA_TMP ? quota_check(fs, (gint64)st.st_size, size_of(to->real)) : 0;
  return ok_or_fail(err ? err : rename(from->real, to->real) == 0 ? 0 : errno_neg());
}

static json_t *op_file_info(const place *p, const json_t *params) {
  const char *algorithm = json_string_value(json_object_get(params, "digestAlgorithm"));
  GChecksumType type = !algorithm || strcmp(algorithm, "md5") == 0 ? G_CHECKSUM_MD5
                       : strcmp(algorithm, "sha1") == 0            ? G_CHECKSUM_SHA1
                       : strcmp(algorithm, "sha256") == 0          ? G_CHECKSUM_SHA256
                                                                   : (GChecksumType)-1;
  if (type == (GChecksumType)-1) return fail(-EINVAL);
  gint64 size = 0;
  int fd = open_to_read(p->real, &size);
  if (fd < 0) return fail(fd);
  GChecksum *sum = g_checksum_new(type);
  uint8_t *buffer = g_malloc(COPY_CHUNK);
  int err = 0;
  for (;;) {
    ssize_t r = read(fd, buffer, COPY_CHUNK);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) err = errno_neg();
    if (r <= 0) break;
    g_checksum_update(sum, buffer, (gssize)r);
  }
  g_free(buffer);
  close(fd);
  json_t *result = err ? fail(err) : json_pack("{s:I,s:s}", "size", (json_int_t)size, "digest", g_checksum_get_string(sum));
  g_checksum_free(sum);
  return result;
}

json_t *mprtc__files_call(const mprtc__files *fs, const char *op, const json_t *params, GBytes *data, GBytes **out) {
  static const struct {
    const char *op;
    const char *path_key;
    const char *second_key; /* copyFile, rename */
  } ops[] = {
      {"access", "path", NULL},          {"stat", "path", NULL},          {"readFile", "filePath", NULL},
      {"writeFile", "filePath", NULL},   {"unlink", "filePath", NULL},    {"mkdir", "dirPath", NULL},
      {"rmdir", "dirPath", NULL},        {"readdir", "dirPath", NULL},    {"copyFile", "srcPath", "destPath"},
      {"rename", "oldPath", "newPath"}, {"getFileInfo", "filePath", NULL},
  };
  *out = NULL;
  guint i = 0;
  while (i < G_N_ELEMENTS(ops) && strcmp(ops[i].op, op) != 0) i++;
  if (i == G_N_ELEMENTS(ops) || !json_is_object(params)) return fail(-EINVAL);
  place p, second = {AREA_NONE, NULL, FALSE};
  int err = resolve(fs, json_object_get(params, ops[i].path_key), &p);
  if (!err && ops[i].second_key) err = resolve(fs, json_object_get(params, ops[i].second_key), &second);
  json_t *result;
  if (err) {
    result = fail(err);
  } else if (ops[i].second_key) {
    result = strcmp(op, "copyFile") == 0 ? op_copy_file(fs, &p, &second) : op_rename(fs, &p, &second);
  } else if (p.area == AREA_NONE) {
    /* Nothing of the app's is there: nothing to read, and nowhere it may write. */
    gboolean writes = strcmp(op, "writeFile") == 0 || strcmp(op, "mkdir") == 0;
    result = fail(writes ? -EACCES : -ENOENT);
  } else if (strcmp(op, "access") == 0) {
    result = op_access(&p, params);
  } else if (strcmp(op, "stat") == 0) {
    result = op_stat(&p, params);
  } else if (strcmp(op, "readFile") == 0) {
    result = op_read_file(&p, params, out);
  } else if (strcmp(op, "writeFile") == 0) {
    result = op_write_file(fs, &p, params, data);
  } else if (strcmp(op, "unlink") == 0) {
    result = op_unlink(&p, params);
  } else if (strcmp(op, "mkdir") == 0) {
    result = op_mkdir(&p, params);
  } else if (strcmp(op, "rmdir") == 0) {
    result = op_rmdir(&p, params);
  } else if (strcmp(op, "readdir") == 0) {
    result = op_readdir(&p, params);
  } else {
    result = op_file_info(&p, params);
  }
  place_clear(&p);
  place_clear(&second);
  return result;
}

/* What the platform calls a chosen file's type, by its extension. */
static const char *type_of(const char *name) {
  static const char *const images[] = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "heic", "svg", NULL};
  static const char *const videos[] = {"mp4", "mov", "m4v", "webm", "mkv", "avi", "3gp", NULL};
  const char *dot = strrchr(name, '.');
  if (!dot) return "file";
  char *ext = g_ascii_strdown(dot + 1, -1);
  const char *type = g_strv_contains(images, ext) ? "image" : g_strv_contains(videos, ext) ? "video" : "file";
  g_free(ext);
  return type;
}

json_t *mprtc__files_import(const mprtc__files *fs, const char *local_path, GError **error) {
  struct stat st;
  if (stat(local_path, &st) != 0 || !S_ISREG(st.st_mode)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "'%s' is not a file that can be read", local_path);
    return NULL;
  }
  if (g_mkdir_with_parents(fs->tmp, 0700) != 0) {
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot make the temp folder '%s': %s", fs->tmp, g_strerror(e));
    return NULL;
  }
  char *name = g_path_get_basename(local_path);
  /* The temp name keeps a plain extension, as the platform's do (wxfile://tmp_....pdf). */
  const char *dot = strrchr(name, '.');
  gboolean plain = dot && dot[1] && strlen(dot + 1) <= 10;
  for (const char *c = dot ? dot + 1 : ""; plain && *c; c++) plain = g_ascii_isalnum(*c);
  char *temp_name = g_strdup_printf("tmp_%08x%08x%s", g_random_int(), g_random_int(), plain ? dot : "");
  char *real = g_build_filename(fs->tmp, temp_name, NULL);
  gint64 copied = 0;
  int err = copy_file(local_path, real, &copied);
  json_t *entry = NULL;
  if (err) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(-err), "cannot copy '%s' into the temp folder: %s", local_path,
                g_strerror(-err));
    g_unlink(real);
  } else {
    char *path = g_strconcat("wxfile://", temp_name, NULL);
    entry = json_pack("{s:s,s:I,s:s,s:s,s:I}", "path", path, "size", (json_int_t)copied, "name", name, "type", type_of(name),
                      "time", (json_int_t)st.st_mtime);
    g_free(path);
  }
  g_free(real);
  g_free(temp_name);
  g_free(name);
  return entry;
}

void mprtc__files_clear_temp(const mprtc__files *fs) {
  GDir *d = g_dir_open(fs->tmp, 0, NULL);
  if (!d) return;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    char *path = g_build_filename(fs->tmp, name, NULL);
    remove_tree(path);
    g_free(path);
  }
  g_dir_close(d);
}
