/* The SDK's modules, in the order they start: one per W3C interface (and the test-only one).
 * Adding a feature is adding its module here. */
#include "sdk/core/module.h"

extern const mprtc__sdk_module mprtc__testing_module;
extern const mprtc__sdk_module mprtc__websocket_module;
extern const mprtc__sdk_module mprtc__http_module;
extern const mprtc__sdk_module mprtc__mdns_module;
extern const mprtc__sdk_module mprtc__certificate_module;
extern const mprtc__sdk_module mprtc__peerconnection_module;
extern const mprtc__sdk_module mprtc__datachannel_module;
extern const mprtc__sdk_module mprtc__rtp_module;
extern const mprtc__sdk_module mprtc__rtp_sources_module;
extern const mprtc__sdk_module mprtc__stats_module;
extern const mprtc__sdk_module mprtc__mediadevices_module;
extern const mprtc__sdk_module mprtc__track_module;
extern const mprtc__sdk_module mprtc__stream_module;
extern const mprtc__sdk_module mprtc__permission_module;
extern const mprtc__sdk_module mprtc__renderer_module;

const mprtc__sdk_module *const mprtc__sdk_modules[] = {
    &mprtc__testing_module,
    &mprtc__websocket_module,
    &mprtc__http_module,
    &mprtc__mdns_module,
    &mprtc__certificate_module,
    &mprtc__peerconnection_module,
    &mprtc__datachannel_module,
    &mprtc__rtp_module,
    &mprtc__rtp_sources_module,
    &mprtc__stats_module,
    &mprtc__mediadevices_module,
    &mprtc__track_module,
    &mprtc__stream_module,
    &mprtc__permission_module,
    &mprtc__renderer_module,
    NULL,
};
