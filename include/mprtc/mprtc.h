/* mprtc: standard WebRTC for mini-programs. The umbrella header. */
#ifndef MPRTC_H
#define MPRTC_H

#include "mprtc/error.h"
#include "mprtc/runtime.h"
#include "mprtc/sdk.h"

/* The library version, e.g. "0.1.0". Any thread. */
const char *mprtc_version(void);

#endif
