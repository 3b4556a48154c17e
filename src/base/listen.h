/* A libsoup server listening on one address, its sockets on a given context: what the
 * automation server and the signaling server share.
 */
#ifndef MPRTC_BASE_LISTEN_H
#define MPRTC_BASE_LISTEN_H

#include <libsoup/soup.h>

/* Listens on address:port (port 0: a free one) with the listening socket's sources on context.
 * TRUE and *bound (the port), or FALSE with *error ("cannot listen on ...: why"; g_free it). */
gboolean mprtc__listen(SoupServer *soup, GMainContext *context, GInetAddress *address, int port, int *bound, char **error);

#endif
