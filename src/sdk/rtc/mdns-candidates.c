/* Remote candidates whose address is an mDNS name, as browsers send their host candidates
 * (draft-ietf-mmusic-mdns-ice-candidates): webrtcbin 1.22 hands the name to the system resolver,
 * which knows .local names only through nss-mdns and avahi (a daemon on the system bus, absent
 * on most servers and containers). mprtc asks the network itself, as browsers do
 * (src/sdk/net/mdns-resolver.c), and adds the candidate with the address answered; one nobody
 * answers for within 3 s is dropped, as browsers drop theirs. Nothing waits for an answer:
 * addIceCandidate and setRemoteDescription resolve at once. SDK thread.
 */
#include <string.h>

#include "sdk/net/mdns-resolver.h"
#include "sdk/net/mdns.h"
#include "sdk/rtc/rtc.h"

typedef struct {
  mprtc__object *obj; /* reference: the connection */
  guint mline;
  char *candidate;
} pending;

static void pending_free(gpointer data) {
  pending *p = data;
  mprtc__object_unref(p->obj);
  g_free(p->candidate);
  g_free(p);
}

static void resolved(const char *address, void *data) {
  pending *p = data;
  mprtc__pc *pc = p->obj->impl;
  if (!address || p->obj->closed || !pc->webrtc) return;
  char *line = mprtc__candidate_with_address(p->candidate, address);
  g_signal_emit_by_name(pc->webrtc, "add-ice-candidate", p->mline, line);
  g_free(line);
}

void mprtc__pc_add_mdns_candidate(mprtc__pc *pc, guint mline, const char *candidate, const char *name) {
  pending *p = g_new0(pending, 1);
  p->obj = mprtc__object_ref(pc->obj);
  p->mline = mline;
  p->candidate = g_strdup(candidate);
  mprtc__mdns_resolve(pc->sdk, name, resolved, p, pending_free);
}

static void line_free(gpointer data) {
  mprtc__mdns_candidate_line *c = data;
  g_free(c->candidate);
  g_free(c->name);
  g_free(c);
}

GPtrArray *mprtc__sdp_take_mdns_candidates(GstSDPMessage *sdp) {
  GPtrArray *out = g_ptr_array_new_with_free_func(line_free);
  for (guint m = 0; m < gst_sdp_message_medias_len(sdp); m++) {
    GstSDPMedia *media = (GstSDPMedia *)gst_sdp_message_get_media(sdp, m);
    for (guint i = 0; i < gst_sdp_media_attributes_len(media);) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute(media, i);
      char *name = a && g_strcmp0(a->key, "candidate") == 0 && a->value ? mprtc__candidate_mdns_name(a->value) : NULL;
      if (!name) {
        i++;
        continue;
      }
      mprtc__mdns_candidate_line *c = g_new0(mprtc__mdns_candidate_line, 1);
      c->mline = m;
      c->candidate = g_strconcat("candidate:", a->value, NULL);
      c->name = name;
      g_ptr_array_add(out, c);
      gst_sdp_media_remove_attribute(media, i);
    }
  }
  return out;
}
