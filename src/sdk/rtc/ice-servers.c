/* ICE server URLs (RFC 7064 stun:, RFC 7065 turn:): see ice-servers.h. */
#include "sdk/rtc/ice-servers.h"

#include <string.h>

#include "mprtc/error.h"

static void ice_server_free(gpointer p) {
  mprtc__ice_server *s = p;
  g_free(s->url);
  g_free(s->gst_url);
  g_free(s);
}

/* host[:port]: a bracketed IPv6 address or a name of [A-Za-z0-9.-], and a port of 1..65535. */
static gboolean host_port_valid(const char *hp, size_t n) {
  size_t host_end;
  if (n > 0 && hp[0] == '[') {
    const char *close = memchr(hp, ']', n);
    if (!close || close == hp + 1) return FALSE;
    for (const char *c = hp + 1; c < close; c++)
      if (!g_ascii_isxdigit(*c) && *c != ':' && *c != '.') return FALSE;
    host_end = (size_t)(close - hp) + 1;
  } else {
    host_end = 0;
    while (host_end < n && (g_ascii_isalnum(hp[host_end]) || hp[host_end] == '.' || hp[host_end] == '-')) host_end++;
    if (host_end == 0) return FALSE;
  }
  if (host_end == n) return TRUE;
  if (hp[host_end] != ':' || n - host_end - 1 < 1 || n - host_end - 1 > 5) return FALSE;
  unsigned port = 0;
  for (size_t i = host_end + 1; i < n; i++) {
    if (!g_ascii_isdigit(hp[i])) return FALSE;
    port = port * 10 + (unsigned)(hp[i] - '0');
  }
  return port >= 1 && port <= 65535;
}

/* One URL of a server: NULL with *err and *message when it cannot be taken. */
static mprtc__ice_server *parse_url(const char *url, const char *username, const char *credential, int *err,
                                    char **message) {
  const char *colon = strchr(url, ':');
  char *scheme = colon ? g_ascii_strdown(url, colon - url) : NULL;
  const char *rest = colon ? colon + 1 : NULL;
  const char *query = rest ? strchr(rest, '?') : NULL;
  size_t hp_len = rest ? (query ? (size_t)(query - rest) : strlen(rest)) : 0;
  gboolean turn = scheme && (strcmp(scheme, "turn") == 0 || strcmp(scheme, "turns") == 0);
  gboolean stun = scheme && (strcmp(scheme, "stun") == 0 || strcmp(scheme, "stuns") == 0);
  const char *why = NULL;
  *err = MPRTC_E_SYNTAX;
  if (!turn && !stun) why = "the scheme is not stun, turn or turns";
  else if (!host_port_valid(rest, hp_len)) why = "bad host or port";
  else if (stun && query) why = "a STUN URL takes no query";
  else if (turn && query && g_ascii_strcasecmp(query, "?transport=udp") != 0 && g_ascii_strcasecmp(query, "?transport=tcp") != 0)
    why = "a TURN URL's query is transport=udp or transport=tcp";
  else if (turn && (!username || !credential)) {
    *err = MPRTC_E_INVALID_ACCESS;
    why = "a TURN server needs a username and a credential";
  } else if (strcmp(scheme, "stuns") == 0) {
    *err = MPRTC_E_NOT_SUPPORTED;
    why = "stuns: (STUN over TLS) is not supported by webrtcbin";
  }
  mprtc__ice_server *s = NULL;
  if (why) {
    *message = g_strdup_printf("bad ICE server URL '%s': %s", url, why);
  } else {
    s = g_new0(mprtc__ice_server, 1);
    s->url = g_strdup(url);
    s->is_turn = turn;
    if (turn) {
      char *user = g_uri_escape_string(username, NULL, FALSE), *pass = g_uri_escape_string(credential, NULL, FALSE);
      s->gst_url = g_strdup_printf("%s://%s:%s@%s", scheme, user, pass, rest);
      g_free(user);
      g_free(pass);
    } else {
      s->gst_url = g_strconcat("stun://", rest, NULL);
    }
    *err = 0;
  }
  g_free(scheme);
  return s;
}

GPtrArray *mprtc__ice_servers_parse(const json_t *servers, int *err, char **message) {
  GPtrArray *out = g_ptr_array_new_with_free_func(ice_server_free);
  size_t i;
  json_t *server;
  json_array_foreach(servers, i, server) {
    const char *username = json_string_value(json_object_get(server, "username"));
    const char *credential = json_string_value(json_object_get(server, "credential"));
    json_t *urls = json_object_get(server, "urls");
    size_t n = json_is_array(urls) ? json_array_size(urls) : 1;
    for (size_t j = 0; j < n; j++) {
      const char *url = json_string_value(json_is_array(urls) ? json_array_get(urls, j) : urls);
      mprtc__ice_server *s = url ? parse_url(url, username, credential, err, message) : NULL;
      if (!url) {
        *err = MPRTC_E_SYNTAX;
        *message = g_strdup("an ICE server URL must be a string");
      }
      if (!s) {
        g_ptr_array_unref(out);
        return NULL;
      }
      g_ptr_array_add(out, s);
    }
  }
  return out;
}
