/* The SDK as a table of modules: each feature (src/sdk/<folder>/<interface>.c) is a module with
 * its methods and, where it needs them, hooks for the SDK's start, an app going away and the
 * SDK's end. src/sdk/core/modules.c lists them; the core knows no feature by name.
 *
 * Thread rules: the table is constant; the hooks run on the SDK thread.
 */
#ifndef MPRTC_SDK_MODULE_H
#define MPRTC_SDK_MODULE_H

#include <stddef.h>

#include "app/app.h"
#include "sdk/core/dispatch.h"

typedef struct mprtc__sdk mprtc__sdk;

typedef struct mprtc__sdk_module {
  const char *name;               /* for messages: "peerconnection", "mediadevices", ... */
  const mprtc__method *methods;   /* the call blocks it answers */
  size_t n_methods;
  /* Test-only: its methods answer only apps made with MPRTC_APP_TESTING; for every other app
   * they do not exist (NotSupportedError, "unknown method"). */
  int testing;
  /* The SDK starts: *state is the module's own (mprtc__sdk_module_state), NULL before. */
  void (*init)(mprtc__sdk *sdk, void **state);
  /* One of app's channels detached and its objects on it are closed: what the module holds for
   * the app goes. */
  void (*app_closed)(mprtc__sdk *sdk, void *state, mprtc_app *app);
  /* The SDK ends, every object closed: the state goes. */
  void (*shutdown)(mprtc__sdk *sdk, void *state);
} mprtc__sdk_module;

/* Every module, in the order they start (NULL-terminated). */
extern const mprtc__sdk_module *const mprtc__sdk_modules[];

/* The state module's init made. SDK thread. */
void *mprtc__sdk_module_state(mprtc__sdk *sdk, const mprtc__sdk_module *module);

#endif
