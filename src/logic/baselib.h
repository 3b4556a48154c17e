/* The base library's JavaScript files, embedded at build time by tools/embed-files.py. */
#ifndef MPRTC_LOGIC_BASELIB_H
#define MPRTC_LOGIC_BASELIB_H

#include "base/embedded.h"

/* In evaluation order, ended by an entry whose name is NULL; each named
 * "mprtc:baselib/<file>.js", the sourceURL in stack traces. */
extern const mprtc__embedded_file mprtc__baselib[];

#endif
