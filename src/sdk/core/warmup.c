/* The warm-up: the slow once-per-process work of a first connection, done in the background
 * when the SDK starts so that the app's first RTCPeerConnection does not wait for it.
 *
 * - GStreamer's DTLS elements share one generated certificate with an RSA-2048 key, made when
 *   the first DTLS element is created: 50-400 ms of CPU on this project's machine, which the
 *   first connection spent waiting on webrtcbin's thread.
 * - The plugins a connection uses are loaded on first use (dlopen, registration): ~25 ms.
 *
 * Measured with a connection made right after start-up (docs/benchmarks.md, "first connect"):
 * 180-340 ms without the warm-up, 60-70 ms with it once it is done.
 */
#include <gst/gst.h>

#include "sdk/core/sdk.h"

static const char *const connection_plugins[] = {
    "coreelements", "webrtc", "nice", "dtls", "srtp", "sctp", "rtpmanager",
};

void mprtc__sdk_warm_up(gpointer unused, gpointer unused_too) {
  for (size_t i = 0; i < G_N_ELEMENTS(connection_plugins); i++) {
    GstPlugin *plugin = gst_plugin_load_by_name(connection_plugins[i]);
    if (plugin) gst_object_unref(plugin);
  }
  /* Creating a DTLS decoder generates the process's certificate (a g_once inside GStreamer);
   * the element itself is not needed. */
  GstElement *dtls = gst_element_factory_make("dtlsdec", NULL);
  if (dtls) gst_object_unref(dtls);
}
