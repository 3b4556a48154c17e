/* The library version. */
#include "mprtc-config.h"
#include "mprtc/mprtc.h"

const char *mprtc_version(void) { return MPRTC_VERSION; }
