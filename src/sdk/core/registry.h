/* The SDK's object registry: every object a call block can name (peer connections, streams,
 * data channels, ...) has an ID allocated here, unique in the process and never reused, and
 * belongs to the app whose call made it. An app's objects are in its own table (the app
 * record), so a lookup by another app cannot find them, whatever the ID.
 *
 * Thread rules: SDK thread only (the registry is not locked). mprtc__object_ref/unref are
 * atomic and may be used from any thread.
 */
#ifndef MPRTC_SDK_REGISTRY_H
#define MPRTC_SDK_REGISTRY_H

#include <glib.h>
#include <stdint.h>

#include "app/app.h"
#include "bridge/bridge.h"

typedef struct mprtc__object mprtc__object;
typedef struct mprtc__registry mprtc__registry;

typedef struct {
  const char *interface;                /* W3C interface name, e.g. "RTCPeerConnection" */
  /* Releases the object's resources; called once, on the SDK thread, when the object is
   * closed (by a call, by its app going away, or by SDK shutdown). No event may be emitted for
   * the object afterwards. May be NULL. */
  void (*close)(mprtc__object *obj);
  /* Frees impl when the last reference goes. May be NULL. */
  void (*finalize)(void *impl);
} mprtc__object_class;

struct mprtc__object {
  gint refcount;
  int64_t id;
  mprtc_app *app;                       /* the app it belongs to (a reference) */
  mprtc__bridge *channel;               /* where its events go: the channel of the call that made
                                           it (borrowed: the registry closes the object before
                                           the channel detaches) */
  const mprtc__object_class *klass;
  void *impl;
  gboolean closed;
};

mprtc__registry *mprtc__registry_new(void);
/* Closes every object still registered, then frees the registry. */
void mprtc__registry_free(mprtc__registry *reg);

/* Registers a new object of app, whose events go to channel, and returns it (the registry holds
 * one reference; the caller gets none). */
mprtc__object *mprtc__registry_add(mprtc__registry *reg, mprtc_app *app, mprtc__bridge *channel,
                                   const mprtc__object_class *klass, void *impl);

/* The open object of app with this id, else NULL. Borrowed. */
mprtc__object *mprtc__registry_lookup(mprtc_app *app, int64_t id);

/* Closes obj (klass->close) and drops the registry's reference. Closing twice is a no-op. */
void mprtc__registry_close(mprtc__registry *reg, mprtc__object *obj);

/* Closes every object of app whose events go to channel, newest first. Returns how many. */
guint mprtc__registry_close_channel(mprtc__registry *reg, mprtc_app *app, mprtc__bridge *channel);

/* Number of open objects of app. */
guint mprtc__registry_count(mprtc_app *app);

mprtc__object *mprtc__object_ref(mprtc__object *obj);
void mprtc__object_unref(mprtc__object *obj);

#endif
