/* WXSS stylesheets: rules of selectors (src/view/selector.h) and declarations, as CSS writes
 * them, with @import "other.wxss"; and the platform's rpx unit. What CSS drops (a malformed
 * rule or declaration, an at-rule it does not know) is dropped here too, with a warning naming
 * its <file>:<line>:<column>; parsing goes on after it.
 *
 * Values stay text here; src/view/style.c reads them.
 *
 * Thread rules: pure; any thread.
 */
#ifndef MPRTC_VIEW_WXSS_H
#define MPRTC_VIEW_WXSS_H

#include <glib.h>

#include "view/selector.h"

typedef struct {
  char *property;     /* lower-case */
  char *value;        /* trimmed, without !important */
  gboolean important;
  int line, column;   /* of the property's name */
} mprtc__wxss_declaration;

typedef struct {
  mprtc__selector *selector;
  GPtrArray *declarations; /* mprtc__wxss_declaration* */
  const char *file;        /* the file it is written in (borrowed from the sheet) */
} mprtc__wxss_rule;

typedef struct {
  char *file;
  GPtrArray *rules;        /* mprtc__wxss_rule*, in source order, imports inlined where they stand */
  GPtrArray *warnings;     /* char*: "<file>:<line>:<column>: <what>" */
  GPtrArray *files;        /* char*: the names of the files it imports (rules borrow them) */
} mprtc__wxss;

/* Reads a file of the package for @import (as mprtc__wxml_read_fn). */
typedef char *(*mprtc__wxss_read_fn)(const char *path, size_t *len, char **error, void *data);

/* Parses text (len bytes) of file; read (may be NULL: @import is then a warning) loads what it
 * imports, relative to file. Never fails: the problems are warnings. */
mprtc__wxss *mprtc__wxss_parse(const char *file, const char *text, size_t len, mprtc__wxss_read_fn read, void *data);
void mprtc__wxss_free(mprtc__wxss *sheet);

/* Declarations of an inline style="..." (no selector, no braces), warnings to warnings (may be
 * NULL) with where as their place. */
GPtrArray *mprtc__wxss_parse_inline(const char *text, const char *where, GPtrArray *warnings);

void mprtc__wxss_declaration_free(gpointer d);

#endif
