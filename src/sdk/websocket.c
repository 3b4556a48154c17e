/* WebSocket client connections on the SDK thread (libsoup 3). Work in progress. */
#include "sdk/sdk-internal.h"

void mprtc__websocket_register(mprtc__dispatch *d) { (void)d; }
