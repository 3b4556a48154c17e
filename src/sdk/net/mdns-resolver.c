/* Resolving mDNS names: see mdns-resolver.h. */
#include "sdk/net/mdns-resolver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sdk/core/module.h"
#include "sdk/net/mdns.h"

#define RESEND_MS 1000
#define GIVE_UP_MS 3000
/* Lookups in flight at most: a peer's description can hold any number of .local candidates, and
 * each sends queries to the whole network for 3 s. Past this, a name is not asked for. */
#define MAX_LOOKUPS 64

typedef struct resolver resolver;

typedef struct {
  resolver *r;
  char *name;
  mprtc__mdns_done_fn done;
  void *user_data;
  GDestroyNotify destroy;
  GSource *timer;
  int sent;
} lookup;

struct resolver {
  mprtc__sdk *sdk;
  int fd;              /* -1 until the first lookup */
  gboolean unicast;    /* not on port 5353: replies asked for by unicast */
  GArray *interfaces;  /* struct in_addr: where queries go out */
  GSource *readable;
  GPtrArray *lookups;  /* lookup*, in flight */
};

static void lookup_finish(lookup *l, const char *address) {
  resolver *r = l->r;
  g_ptr_array_remove(r->lookups, l);
  if (l->timer) {
    g_source_destroy(l->timer);
    g_source_unref(l->timer);
  }
  l->done(address, l->user_data);
  if (l->destroy) l->destroy(l->user_data);
  g_free(l->name);
  g_free(l);
}

/* An A query and an AAAA query, out of every multicast interface: the peer may be on any. */
static void send_query(resolver *r, lookup *l) {
  struct sockaddr_in group = {.sin_family = AF_INET, .sin_port = htons(MPRTC__MDNS_PORT)};
  inet_pton(AF_INET, MPRTC__MDNS_GROUP, &group.sin_addr);
  for (int ipv6 = 0; ipv6 < 2; ipv6++) {
    GBytes *query = mprtc__mdns_query(l->name, ipv6, r->unicast);
    if (!query) continue;
    gsize len;
    const void *data = g_bytes_get_data(query, &len);
    for (guint i = 0; i < MAX(r->interfaces->len, 1); i++) {
      if (r->interfaces->len)
        setsockopt(r->fd, IPPROTO_IP, IP_MULTICAST_IF, &g_array_index(r->interfaces, struct in_addr, i), sizeof(struct in_addr));
      (void)sendto(r->fd, data, len, 0, (struct sockaddr *)&group, sizeof group);
    }
    g_bytes_unref(query);
  }
  l->sent++;
}

static gboolean on_timer(gpointer data) {
  lookup *l = data;
  if (l->sent * RESEND_MS >= GIVE_UP_MS) {
    g_source_unref(l->timer);
    l->timer = NULL;
    lookup_finish(l, NULL);
    return G_SOURCE_REMOVE;
  }
  send_query(l->r, l);
  return G_SOURCE_CONTINUE;
}

static gboolean on_readable(gint fd, GIOCondition condition, gpointer data) {
  resolver *r = data;
  guint8 buf[9000];
  for (int n = 0; n < 64; n++) {
    ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (len <= 0) break;
    /* Every lookup this answers: several may ask for one name. */
    for (guint i = 0; i < r->lookups->len;) {
      lookup *l = r->lookups->pdata[i];
      char *address = mprtc__mdns_address(buf, (gsize)len, l->name);
      if (address) {
        lookup_finish(l, address);
        g_free(address);
      } else {
        i++;
      }
    }
  }
  return G_SOURCE_CONTINUE;
}

/* The socket, made at the first lookup. FALSE when there can be none. */
static gboolean open_socket(resolver *r) {
  if (r->fd >= 0) return TRUE;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return FALSE;
  int one = 1, ttl = 255;
  unsigned char loop = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(MPRTC__MDNS_PORT), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(fd, (struct sockaddr *)&any, sizeof any) != 0) {
    /* 5353 is another program's alone: answers come back to an ephemeral port, by unicast. */
    any.sin_port = 0;
    r->unicast = TRUE;
    if (bind(fd, (struct sockaddr *)&any, sizeof any) != 0) {
      close(fd);
      return FALSE;
    }
  }
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
  struct ifaddrs *list = NULL;
  if (getifaddrs(&list) == 0) {
    for (struct ifaddrs *i = list; i; i = i->ifa_next) {
      if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
          !(i->ifa_flags & IFF_MULTICAST) || (i->ifa_flags & IFF_LOOPBACK))
        continue;
      struct in_addr address = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
      struct ip_mreq join = {.imr_interface = address};
      inet_pton(AF_INET, MPRTC__MDNS_GROUP, &join.imr_multiaddr);
      if (!r->unicast) setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join);
      g_array_append_val(r->interfaces, address);
    }
    freeifaddrs(list);
  }
  r->fd = fd;
  r->readable = g_unix_fd_source_new(fd, G_IO_IN);
  g_source_set_callback(r->readable, (GSourceFunc)(void (*)(void))on_readable, r, NULL);
  g_source_attach(r->readable, r->sdk->context);
  return TRUE;
}

static void resolver_init(mprtc__sdk *sdk, void **state) {
  resolver *r = g_new0(resolver, 1);
  r->sdk = sdk;
  r->fd = -1;
  r->interfaces = g_array_new(FALSE, FALSE, sizeof(struct in_addr));
  r->lookups = g_ptr_array_new();
  *state = r;
}

static void resolver_shutdown(mprtc__sdk *sdk, void *state) {
  resolver *r = state;
  while (r->lookups->len) lookup_finish(r->lookups->pdata[0], NULL);
  if (r->readable) {
    g_source_destroy(r->readable);
    g_source_unref(r->readable);
  }
  if (r->fd >= 0) close(r->fd);
  g_array_unref(r->interfaces);
  g_ptr_array_unref(r->lookups);
  g_free(r);
}

const mprtc__sdk_module mprtc__mdns_module = {.name = "mdns", .init = resolver_init, .shutdown = resolver_shutdown};

static gboolean fail_later(gpointer data) {
  lookup *l = data;
  g_source_unref(l->timer);
  l->timer = NULL;
  lookup_finish(l, NULL);
  return G_SOURCE_REMOVE;
}

void mprtc__mdns_resolve(mprtc__sdk *sdk, const char *name, mprtc__mdns_done_fn done, void *user_data,
                         GDestroyNotify destroy) {
  resolver *r = mprtc__sdk_module_state(sdk, &mprtc__mdns_module);
  lookup *l = g_new0(lookup, 1);
  l->r = r;
  l->name = g_strdup(name);
  l->done = done;
  l->user_data = user_data;
  l->destroy = destroy;
  g_ptr_array_add(r->lookups, l);
  if (r->lookups->len > MAX_LOOKUPS || !open_socket(r)) {
    /* Too many, or no socket: nobody answers; said after this call, as an answer would be. */
    l->timer = g_idle_source_new();
    g_source_set_callback(l->timer, fail_later, l, NULL);
    g_source_attach(l->timer, sdk->context);
    return;
  }
  send_query(r, l);
  l->timer = g_timeout_source_new(RESEND_MS);
  g_source_set_callback(l->timer, on_timer, l, NULL);
  g_source_attach(l->timer, sdk->context);
}
