/* The signaling server's web page: the call of examples/video-call in a browser (web/index.html,
 * web/page.js and the example's page code, built in by tools/embed-files.py). */
#ifndef MPRTC_SIGNAL_WEB_H
#define MPRTC_SIGNAL_WEB_H

#include <libsoup/soup.h>

#include "base/embedded.h"

/* Each named by the path it is served at ("/index.html", "/page.js", "/index.js"). */
extern const mprtc__embedded_file mprtc__signal_web[];

/* Serves the page on soup: GET and HEAD of /, /index.html and the scripts; 404 for other paths,
 * 405 for other methods. The WebSocket handler at /signal stays in front of it. */
void mprtc__signal_web_add(SoupServer *soup);

#endif
