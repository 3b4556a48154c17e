/* A mini-program package's manifest: app.json (the pages, the entry page, the window, the
 * permissions the app explains) and each page's <page>.json (its window), read and checked. A
 * problem is reported as "<file>:<line>:<column>: <what>" (line and column 0 when unknown), and
 * the package does not start; what is only odd (an unknown key) is a warning and the package
 * starts.
 *
 * WeChat's layout: app.json, app.js, app.wxss at the root; each page in pages/<p>/<p>.{js,wxml,
 * wxss,json} (any path, without extension, as app.json lists it). project.config.json is the
 * developer tool's and is never read.
 *
 * Thread rules: pure functions over the file system; any thread.
 */
#ifndef MPRTC_APP_MANIFEST_H
#define MPRTC_APP_MANIFEST_H

#include <glib.h>
#include <jansson.h>

typedef struct {
  char *root;         /* the package root (resolved) */
  GPtrArray *pages;   /* char*: page paths as app.json lists them ("pages/index/index") */
  char *entry;        /* entryPagePath, else the first page */
  json_t *window;     /* app.json's window, checked (an object, maybe empty) */
  json_t *permission; /* {"scope.camera": {"desc": "..."}, ...}, checked (maybe empty) */
  json_t *page_windows; /* page path -> its window: app.json's with the page's .json over it */
  GPtrArray *warnings;  /* char*: "<file>:<line>:<column>: <what>" */
} mprtc__manifest;

/* Reads and checks the package at root (a resolved directory). Returns the manifest, or NULL
 * with *error set (g_free it). */
mprtc__manifest *mprtc__manifest_load(const char *root, char **error);
void mprtc__manifest_free(mprtc__manifest *m);

/* Whether path is one of the manifest's pages. */
gboolean mprtc__manifest_has_page(const mprtc__manifest *m, const char *path);

/* The manifest as JSON for the logic layer: {pages, entry, window, permission, pageWindows}. */
json_t *mprtc__manifest_to_json(const mprtc__manifest *m);

#endif
