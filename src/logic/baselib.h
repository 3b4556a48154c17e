/* The base library's JavaScript files, embedded at build time by tools/embed-js.py. */
#ifndef MPRTC_LOGIC_BASELIB_H
#define MPRTC_LOGIC_BASELIB_H

typedef struct {
  const char *name; /* "mprtc:baselib/<file>.js", the sourceURL in stack traces */
  const char *text;
} mprtc__baselib_file;

/* In evaluation order, ended by an entry whose name is NULL. */
extern const mprtc__baselib_file mprtc__baselib[];

#endif
