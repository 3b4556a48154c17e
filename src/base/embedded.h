/* Text files built into the library by tools/embed-files.py: the base library's JavaScript
 * (src/logic/baselib.h) and the signaling server's web page (src/signal/web.h). */
#ifndef MPRTC_BASE_EMBEDDED_H
#define MPRTC_BASE_EMBEDDED_H

typedef struct {
  const char *name; /* the table's prefix and the file's name */
  const char *text;
} mprtc__embedded_file;

#endif
