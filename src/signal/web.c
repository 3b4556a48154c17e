/* The web page at / of the signaling server: see web.h. */
#include <string.h>

#include "signal/web.h"

static const char *content_type(const char *name) {
  if (g_str_has_suffix(name, ".html")) return "text/html; charset=utf-8";
  if (g_str_has_suffix(name, ".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

static void serve(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data) {
  const char *method = soup_server_message_get_method(msg);
  if (strcmp(method, SOUP_METHOD_GET) != 0 && strcmp(method, SOUP_METHOD_HEAD) != 0) {
    soup_message_headers_append(soup_server_message_get_response_headers(msg), "Allow", "GET, HEAD");
    soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
    return;
  }
  const char *wanted = strcmp(path, "/") == 0 ? "/index.html" : path;
  for (const mprtc__embedded_file *f = mprtc__signal_web; f->name; f++) {
    if (strcmp(f->name, wanted) != 0) continue;
    SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
    /* A page from a newer build is never mixed with scripts of an older one. */
    soup_message_headers_append(headers, "Cache-Control", "no-store");
    soup_message_headers_append(headers, "X-Content-Type-Options", "nosniff");
    soup_server_message_set_response(msg, content_type(f->name), SOUP_MEMORY_STATIC, f->text, strlen(f->text));
    soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
    return;
  }
  soup_server_message_set_response(msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, "not found\n", 10);
  soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
}

void mprtc__signal_web_add(SoupServer *soup) { soup_server_add_handler(soup, NULL, serve, NULL, NULL); }
