/* The dispatch table: method name -> SDK handler, with what the method expects as target and the
 * module it belongs to.
 *
 * Thread rules: built once while the SDK starts, then read-only; lookups from the SDK thread.
 */
#ifndef MPRTC_SDK_DISPATCH_H
#define MPRTC_SDK_DISPATCH_H

#include <stddef.h>

typedef struct mprtc__call mprtc__call;
struct mprtc__sdk_module;

/* Handles one call on the SDK thread. It must settle the call exactly once, now or later, with
 * mprtc__call_return or mprtc__call_reject (see call.h). */
typedef void (*mprtc__handler)(mprtc__call *call);

typedef struct {
  const char *method;    /* "Interface.member" */
  const char *interface; /* interface the target must implement; NULL: the block has no target */
  mprtc__handler handler;
} mprtc__method;

typedef struct mprtc__dispatch mprtc__dispatch;

mprtc__dispatch *mprtc__dispatch_new(void);
void mprtc__dispatch_free(mprtc__dispatch *d);
/* Adds the module's methods (the module must outlive the table). */
void mprtc__dispatch_add(mprtc__dispatch *d, const struct mprtc__sdk_module *module);
/* The method of that name, and in *module the module it belongs to; NULL when there is none. */
const mprtc__method *mprtc__dispatch_find(const mprtc__dispatch *d, const char *method,
                                          const struct mprtc__sdk_module **module);

#endif
