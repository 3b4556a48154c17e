/* See listen.h. */
#include "base/listen.h"

gboolean mprtc__listen(SoupServer *soup, GMainContext *context, GInetAddress *address, int port, int *bound, char **error) {
  GSocketAddress *socket_address = g_inet_socket_address_new(address, (guint16)port);
  GError *e = NULL;
  /* The listening socket's source goes to the thread-default context when listening begins. */
  g_main_context_push_thread_default(context);
  gboolean listening = soup_server_listen(soup, socket_address, 0, &e);
  g_main_context_pop_thread_default(context);
  g_object_unref(socket_address);
  if (!listening) {
    char *text = g_inet_address_to_string(address);
    if (error) *error = g_strdup_printf("cannot listen on %s:%d: %s", text, port, e->message);
    g_free(text);
    g_error_free(e);
    return FALSE;
  }
  GSList *uris = soup_server_get_uris(soup);
  *bound = uris ? g_uri_get_port(uris->data) : port;
  g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
  return TRUE;
}
