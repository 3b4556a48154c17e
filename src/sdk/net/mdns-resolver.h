/* Resolving mDNS names (mdns.h) on the network: one socket on port 5353 (an ephemeral port with
 * unicast replies asked for when another program holds 5353 without sharing it), joined to the
 * mDNS group on every multicast interface; a query sent out of each, again after a second,
 * given up after three; at most 64 names at once (more are not asked for). SDK thread only.
 */
#ifndef MPRTC_SDK_NET_MDNS_RESOLVER_H
#define MPRTC_SDK_NET_MDNS_RESOLVER_H

#include "sdk/core/sdk.h"

/* address: the name's address as text, or NULL when nobody answered (or the SDK stops). */
typedef void (*mprtc__mdns_done_fn)(const char *address, void *user_data);

/* done runs once, on the SDK thread, never from inside this call; destroy (may be NULL) after
 * it. */
void mprtc__mdns_resolve(mprtc__sdk *sdk, const char *name, mprtc__mdns_done_fn done, void *user_data,
                         GDestroyNotify destroy);

#endif
