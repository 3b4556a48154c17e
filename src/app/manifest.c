/* The package's manifest: see manifest.h. */
#include "app/manifest.h"

#include <stdarg.h>
#include <string.h>

#include "app/package.h"

/* What app.json may hold besides what mprtc reads: the platform's keys, taken but not used. */
static const char *const platform_keys[] = {
    "tabBar", "networkTimeout", "debug", "functionalPages", "subpackages", "subPackages", "workers",
    "requiredBackgroundModes", "requiredPrivateInfos", "plugins", "preloadRule", "resizable",
    "usingComponents", "sitemapLocation", "style", "useExtendedLib", "entranceDeclare", "darkmode",
    "themeLocation", "lazyCodeLoading", "singlePage", "supportedMaterials", "serviceProviderTicket",
    "embeddedAppIdList", "halfPage", "debugOptions", "resolveAlias", "renderer", "rendererOptions",
    "componentFramework", "miniApp", "static", "convertRpxToVw", "appBar", "window", NULL};

/* The window's keys and their types: 's' a string, 'c' a #hex colour, 'b' a boolean, 'n' a number,
 * or a '|'-separated list of the words it may be. */
static const struct {
  const char *key;
  const char *type;
} window_keys[] = {
    {"navigationBarTitleText", "s"},    {"navigationBarBackgroundColor", "c"},
    {"navigationBarTextStyle", "black|white"}, {"navigationStyle", "default|custom"},
    {"backgroundColor", "c"},           {"backgroundColorTop", "c"},
    {"backgroundColorBottom", "c"},     {"backgroundTextStyle", "dark|light"},
    {"enablePullDownRefresh", "b"},     {"onReachBottomDistance", "n"},
    {"pageOrientation", "portrait|landscape|auto"}, {"disableScroll", "b"},
    {"homeButton", "b"},                {"restartStrategy", "homePage|homePageAndLatestPage"},
    {"initialRenderingCache", "static|dynamic"}, {"visualEffectInBackground", "none|hidden"},
    {"handleWebviewPreload", "static|manual|auto"},
};

/* The scopes mprtc asks the host about. */
static const char *const used_scopes[] = {"scope.camera", "scope.record", NULL};

typedef struct {
  const char *file;  /* as the package names it: "app.json", "pages/a/a.json" */
  const char *text;  /* its contents */
  mprtc__manifest *m;
  char *error;       /* the first error */
} reader;

/* Where the JSON string token "needle" first stands in the text (1-based), as a key when
 * key_only; 0:0 when it cannot be found. */
static void locate(const reader *r, const char *needle, gboolean key_only, int *line, int *column) {
  json_t *s = json_string(needle);
  char *token = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
  json_decref(s);
  *line = *column = 0;
  for (const char *p = token ? strstr(r->text, token) : NULL; p; p = strstr(p + 1, token)) {
    if (key_only) {
      const char *after = p + strlen(token);
      while (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n') after++;
      if (*after != ':') continue;
    }
    *line = 1;
    const char *line_start = r->text;
    for (const char *q = r->text; q < p; q++)
      if (*q == '\n') {
        (*line)++;
        line_start = q + 1;
      }
    *column = (int)g_utf8_strlen(line_start, p - line_start) + 1;
    break;
  }
  free(token);
}

/* An error at the token (a key when key_only) of the reader's file; the first one is kept. */
static gboolean fail_at(reader *r, const char *token, gboolean key_only, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static gboolean fail_at(reader *r, const char *token, gboolean key_only, const char *fmt, ...) {
  if (r->error) return FALSE;
  int line = 0, column = 0;
  if (token) locate(r, token, key_only, &line, &column);
  va_list ap;
  va_start(ap, fmt);
  char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  r->error = g_strdup_printf("%s:%d:%d: %s", r->file, line, column, what);
  g_free(what);
  return FALSE;
}

static void warn_at(reader *r, const char *token, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void warn_at(reader *r, const char *token, const char *fmt, ...) {
  int line = 0, column = 0;
  if (token) locate(r, token, TRUE, &line, &column);
  va_list ap;
  va_start(ap, fmt);
  char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(r->m->warnings, g_strdup_printf("%s:%d:%d: %s", r->file, line, column, what));
  g_free(what);
}

/* The file's JSON object, or NULL with the error (JSON's own position). */
static json_t *parse_object(reader *r) {
  json_error_t e;
  json_t *v = json_loads(r->text, JSON_REJECT_DUPLICATES, &e);
  if (!v) {
    g_free(r->error);
    r->error = g_strdup_printf("%s:%d:%d: %s", r->file, e.line, e.column, e.text);
    return NULL;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    r->error = g_strdup_printf("%s:1:1: must hold a JSON object", r->file);
    return NULL;
  }
  return v;
}

static gboolean hex_colour(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (!(n == 4 || n == 7 || n == 9) || s[0] != '#') return FALSE;
  for (size_t i = 1; i < n; i++)
    if (!g_ascii_isxdigit(s[i])) return FALSE;
  return TRUE;
}

/* Checks window (app.json's "window", or a page's .json) into out: known keys of the right
 * type are taken, unknown ones warned about, wrong ones are errors. */
static gboolean read_window(reader *r, json_t *window, json_t *out, gboolean page_file) {
  const char *key;
  json_t *v;
  json_object_foreach(window, key, v) {
    const char *type = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(window_keys) && !type; i++)
      if (strcmp(window_keys[i].key, key) == 0) type = window_keys[i].type;
    if (!type) {
      if (!page_file || strcmp(key, "usingComponents") != 0)
        warn_at(r, key, "unknown window setting '%s': ignored", key);
      else
        warn_at(r, key, "custom components (usingComponents) are not supported: ignored");
      continue;
    }
    gboolean ok;
    const char *wanted;
    if (strcmp(type, "s") == 0) ok = json_is_string(v), wanted = "a string";
    else if (strcmp(type, "c") == 0) ok = hex_colour(json_string_value(v)), wanted = "a colour like #rrggbb";
    else if (strcmp(type, "b") == 0) ok = json_is_boolean(v), wanted = "true or false";
    else if (strcmp(type, "n") == 0) ok = json_is_number(v), wanted = "a number";
    else {
      char **words = g_strsplit(type, "|", -1);
      ok = json_is_string(v) && g_strv_contains((const char *const *)words, json_string_value(v));
      g_strfreev(words);
      wanted = type;
    }
    if (!ok) return fail_at(r, key, TRUE, "'%s' must be %s", key, wanted);
    json_object_set(out, key, v);
  }
  return TRUE;
}

/* A page path: relative, without extension, of path segments that are not "." or "..". */
static gboolean page_path_valid(const char *p) {
  if (!*p || p[0] == '/' || strchr(p, '\\') || g_str_has_suffix(p, "/")) return FALSE;
  char **parts = g_strsplit(p, "/", -1);
  gboolean ok = TRUE;
  for (int i = 0; parts[i] && ok; i++)
    ok = *parts[i] && strcmp(parts[i], ".") != 0 && strcmp(parts[i], "..") != 0 && !strpbrk(parts[i], " \t\r\n?#");
  g_strfreev(parts);
  return ok;
}

/* Whether the package has the file page + extension (inside the root). */
static gboolean page_file_exists(const char *root, const char *page, const char *ext) {
  char *rel = g_strconcat(page, ext, NULL);
  int err;
  char *message = NULL;
  char *path = mprtc__package_resolve(root, rel, &err, &message);
  g_free(message);
  g_free(rel);
  g_free(path);
  return path != NULL;
}

static gboolean read_pages(reader *r, json_t *app) {
  json_t *pages = json_object_get(app, "pages");
  if (!pages) return fail_at(r, NULL, FALSE, "'pages' is required: the list of the package's pages");
  if (!json_is_array(pages) || json_array_size(pages) == 0)
    return fail_at(r, "pages", TRUE, "'pages' must be a non-empty array of page paths");
  size_t i;
  json_t *v;
  json_array_foreach(pages, i, v) {
    const char *p = json_string_value(v);
    if (!p) return fail_at(r, "pages", TRUE, "pages[%zu] must be a string", i);
    if (!page_path_valid(p))
      return fail_at(r, p, FALSE, "page '%s' must be a path inside the package, without extension", p);
    if (mprtc__manifest_has_page(r->m, p)) return fail_at(r, p, FALSE, "page '%s' is listed twice", p);
    for (const char *ext = ".js"; ext; ext = strcmp(ext, ".js") == 0 ? ".wxml" : NULL)
      if (!page_file_exists(r->m->root, p, ext))
        return fail_at(r, p, FALSE, "page '%s' is listed, but %s%s is not in the package", p, p, ext);
    g_ptr_array_add(r->m->pages, g_strdup(p));
  }
  json_t *entry = json_object_get(app, "entryPagePath");
  if (entry && !json_is_string(entry)) return fail_at(r, "entryPagePath", TRUE, "'entryPagePath' must be a page path");
  if (entry && !mprtc__manifest_has_page(r->m, json_string_value(entry)))
    return fail_at(r, "entryPagePath", TRUE, "entryPagePath '%s' is not one of the pages", json_string_value(entry));
  r->m->entry = g_strdup(entry ? json_string_value(entry) : r->m->pages->pdata[0]);
  return TRUE;
}

static gboolean read_permission(reader *r, json_t *app) {
  json_t *permission = json_object_get(app, "permission");
  if (!permission) return TRUE;
  if (!json_is_object(permission)) return fail_at(r, "permission", TRUE, "'permission' must be an object of scopes");
  const char *scope;
  json_t *v;
  json_object_foreach(permission, scope, v) {
    json_t *desc = json_object_get(v, "desc");
    if (!json_is_object(v) || !json_is_string(desc))
      return fail_at(r, scope, TRUE, "permission '%s' must be an object with a 'desc' string", scope);
    if (!g_strv_contains(used_scopes, scope))
      warn_at(r, scope, "permission '%s' is not one mprtc asks about (scope.camera, scope.record)", scope);
    json_object_set_new(r->m->permission, scope, json_pack("{s:O}", "desc", desc));
  }
  return TRUE;
}

/* Reads root/file into r (the file must exist unless optional). FALSE on error; TRUE with
 * r->text NULL when an optional file is absent. */
static gboolean read_file(reader *r, const char *root, const char *file, gboolean optional, char **contents) {
  char *path = g_build_filename(root, file, NULL);
  GError *e = NULL;
  *contents = NULL;
  gboolean ok = g_file_get_contents(path, contents, NULL, &e);
  g_free(path);
  if (ok) {
    r->text = *contents;
    return TRUE;
  }
  gboolean absent = g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  if (!(absent && optional)) {
    g_free(r->error);
    r->error = g_strdup_printf("%s:0:0: %s", file, absent ? "not in the package" : e->message);
  }
  g_error_free(e);
  return absent && optional;
}

/* Each page's .json: its window over the app's. */
static gboolean read_page_windows(reader *app_reader) {
  mprtc__manifest *m = app_reader->m;
  for (guint i = 0; i < m->pages->len; i++) {
    const char *page = m->pages->pdata[i];
    char *file = g_strconcat(page, ".json", NULL);
    reader r = {file, NULL, m, NULL};
    char *contents = NULL;
    json_t *window = json_deep_copy(m->window), *own = NULL;
    gboolean ok = read_file(&r, m->root, file, TRUE, &contents);
    if (ok && contents) {
      own = parse_object(&r);
      ok = own && read_window(&r, own, window, TRUE);
    }
    if (ok) json_object_set(m->page_windows, page, window);
    else app_reader->error = r.error;
    if (own) json_decref(own);
    json_decref(window);
    g_free(contents);
    g_free(file);
    if (!ok) return FALSE;
  }
  return TRUE;
}

mprtc__manifest *mprtc__manifest_load(const char *root, char **error) {
  mprtc__manifest *m = g_new0(mprtc__manifest, 1);
  m->root = g_strdup(root);
  m->pages = g_ptr_array_new_with_free_func(g_free);
  m->window = json_object();
  m->permission = json_object();
  m->page_windows = json_object();
  m->warnings = g_ptr_array_new_with_free_func(g_free);
  reader r = {"app.json", NULL, m, NULL};
  char *contents = NULL;
  json_t *app = NULL;
  gboolean ok = read_file(&r, root, "app.json", FALSE, &contents) && (app = parse_object(&r)) && read_pages(&r, app);
  json_t *window = app ? json_object_get(app, "window") : NULL;
  if (ok && window && !json_is_object(window)) ok = fail_at(&r, "window", TRUE, "'window' must be an object");
  if (ok && window) ok = read_window(&r, window, m->window, FALSE);
  if (ok) ok = read_permission(&r, app);
  if (ok) {
    const char *key;
    json_t *v;
    json_object_foreach(app, key, v) {
      if (strcmp(key, "pages") == 0 || strcmp(key, "entryPagePath") == 0 || strcmp(key, "permission") == 0) continue;
      if (!g_strv_contains(platform_keys, key)) warn_at(&r, key, "unknown key '%s': ignored", key);
      else if (strcmp(key, "window") != 0) warn_at(&r, key, "'%s' is not supported by mprtc: ignored", key);
    }
  }
  if (ok) ok = read_page_windows(&r);
  if (app) json_decref(app);
  g_free(contents);
  if (!ok) {
    *error = r.error;
    mprtc__manifest_free(m);
    return NULL;
  }
  return m;
}

void mprtc__manifest_free(mprtc__manifest *m) {
  if (!m) return;
  g_free(m->root);
  g_ptr_array_unref(m->pages);
  g_free(m->entry);
  json_decref(m->window);
  json_decref(m->permission);
  json_decref(m->page_windows);
  g_ptr_array_unref(m->warnings);
  g_free(m);
}

gboolean mprtc__manifest_has_page(const mprtc__manifest *m, const char *path) {
  for (guint i = 0; path && i < m->pages->len; i++)
    if (strcmp(m->pages->pdata[i], path) == 0) return TRUE;
  return FALSE;
}

json_t *mprtc__manifest_to_json(const mprtc__manifest *m) {
  json_t *pages = json_array();
  for (guint i = 0; i < m->pages->len; i++) json_array_append_new(pages, json_string(m->pages->pdata[i]));
  return json_pack("{s:o,s:s,s:O,s:O,s:O}", "pages", pages, "entry", m->entry, "window", m->window, "permission",
                   m->permission, "pageWindows", m->page_windows);
}
