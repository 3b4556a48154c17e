/* The app record: one per app in a container (the public mprtc_app). Each part keeps here what
 * it holds of the app, so that nothing of an app lives in a part's global state and two apps
 * never meet: the host's options and its queue of callbacks, the logic layer's runtime, and the
 * SDK's objects, stream IDs and permission answers. Objects and lookups go by the record, never
 * by the app's name.
 *
 * Thread rules are given per field. The record is reference-counted (atomic): the host's
 * handle, each bridge channel of the app and each SDK object of it hold one.
 */
#ifndef MPRTC_APP_APP_H
#define MPRTC_APP_APP_H

#include <glib.h>
#include <stdint.h>

#include "base/mailbox.h"
#include "mprtc/app.h"
#include "mprtc/automation.h"
#include "mprtc/view.h"

struct mprtc__runtime;
struct mprtc__bridge;
struct mprtc__view;
struct mprtc__files;

/* What the app tells its host, in order, on the host's context (src/host/notices.c). */
typedef enum {
  MPRTC__NOTICE_LOG,        /* a console line: level, text */
  MPRTC__NOTICE_SETTLED,    /* a script run by mprtc_app_run settled: failed, payload (its
                                 mprtc__run) */
  MPRTC__NOTICE_PERMISSION, /* a question for the permission handler: request, permission */
  MPRTC__NOTICE_HOST_CALL,  /* a call of a host method: call */
  MPRTC__NOTICE_VIEW,       /* the view layer answers the host: payload (src/view/view.c) */
  MPRTC__NOTICE_AUTOMATION, /* an event for the automation handler: text (its method, a NUL, its
                               params' JSON) */
  MPRTC__NOTICE_EXIT,       /* the mini-program called wx.exitMiniProgram */
  MPRTC__NOTICE_CHOOSE_FILE, /* wx.chooseMessageFile: payload (the mprtc_file_choice), text (its
                                options' JSON) */
} mprtc__notice_kind;

typedef struct mprtc__notice mprtc__notice;
struct mprtc__notice {
  mprtc__notice_kind kind;
  int level;                          /* LOG: mprtc_log_level */
  char *text;                         /* LOG: the line (g_malloc'd); PERMISSION: the permission;
                                         HOST_CALL: the method's name, a NUL, its params' JSON */
  size_t len;
  int failed;                         /* SETTLED */
  void *payload;                      /* SETTLED: the mprtc__run; PERMISSION: the
                                         mprtc_permission_request; HOST_CALL: the mprtc_host_call;
                                         CHOOSE_FILE: the mprtc_file_choice; NULL once handed to
                                         the host */
  void (*drop)(void *payload);        /* answers a payload the host never got (the permission
                                         no, the call dropped): set by whoever made it */
};

/* One mprtc_app_run: whom to tell when its script settles. */
typedef struct {
  mprtc_app_done_fn done;
  void *user_data;
} mprtc__run;

/* One of the host's callbacks (fn cast from its own type, NULL when unset), with its data. */
typedef void (*mprtc__host_fn)(void);
typedef struct {
  mprtc__host_fn fn;
  void *data;
  GDestroyNotify destroy;             /* on data, when the handler goes */
} mprtc__host_handler;

/* A host method (mprtc_app_add_method). */
typedef struct {
  mprtc_host_method_fn fn;
  void *user_data;
  GDestroyNotify destroy;
} mprtc__host_method;

struct mprtc_app {
  gint refcount;
  char *id;                           /* immutable */
  char *root;                         /* the package root, absolute and resolved; set before the
                                         first run, then read-only */
  mprtc_container *container;         /* immutable */

  /* The host's options: set before the first run, then read-only. */
  unsigned flags;                     /* MPRTC_APP_* */
  GMainContext *context;              /* where callbacks run (a reference) */
  mprtc__host_handler log;                 /* mprtc_log_fn */
  mprtc__host_handler permission;          /* mprtc_permission_fn */
  GHashTable *host_methods;           /* name -> mprtc__host_method* */
  mprtc__host_handler automation;          /* mprtc_automation_event_fn */
  mprtc__host_handler exit;                /* mprtc_app_exit_fn */
  mprtc__host_handler file_chooser;        /* mprtc_file_chooser_fn */
  gint started;                       /* atomic: the first run began; options are frozen */

  /* The host's side: the queue of notices. */
  GMutex notices_lock;                /* guards notices: the JS and SDK threads push into it */
  mprtc__mailbox *notices;            /* mprtc__notice*, consumed on context; NULL before the
                                         first run and after mprtc_app_free */

  /* The app's files (src/app/files.h): made at their first use, freed when the JS thread closes
   * the host's channel (src/host/methods.c); with the worker that runs the file calls which do
   * not return at once, one after another. JS thread only (the worker reads the immutable
   * files). */
  struct mprtc__files *files;
  GThreadPool *files_worker;

  /* The window pages are laid out in (mprtc_app_set_window): set before the launch. */
  int window_width, window_height;    /* CSS pixels */
  double pixel_ratio;

  /* The logic layer (src/logic/): created by the first run, freed by mprtc_app_free. */
  struct mprtc__runtime *runtime;
  /* The view layer (src/view/): created by mprtc_app_launch, freed by mprtc_app_free after the
   * runtime (whose channel to it closes first). */
  struct mprtc__view *view;

  /* The SDK (src/sdk/), SDK thread only. */
  GHashTable *objects;                /* int64 ID -> mprtc__object* of the app (borrowed: the
                                         registry holds them) */
  GHashTable *stream_ids;             /* MediaStream.id -> mprtc__object* (borrowed) */
  GHashTable *grants;                 /* permission -> GINT_TO_POINTER(1 granted, 2 denied) */

  /* Frame slots the view layer made for its media components, waiting for the SDK's
   * Renderer.create to take them (mprtc__app_put_slot); any thread, under slots_lock. */
  GMutex slots_lock;
  GHashTable *slots;                  /* int64 key -> slot (a reference, freed by slot_free) */
  GDestroyNotify slot_free;
};

/* Any thread. A new record of container (id valid, root NULL or resolved). */
mprtc_app *mprtc__app_new(mprtc_container *container, const char *id, const char *root);
mprtc_app *mprtc__app_ref(mprtc_app *app);
void mprtc__app_unref(mprtc_app *app);

/* Any thread. Hands n to the host (taken). Before the app started, or once it is freed, the
 * notice is dropped (a permission question answered no). */
void mprtc__app_notify(mprtc_app *app, mprtc__notice *n);
mprtc__notice *mprtc__notice_new(mprtc__notice_kind kind);
/* Frees n, answering what it still carries (n->drop). */
void mprtc__notice_free(mprtc__notice *n);

/* Any thread. Leaves slot (a reference, taken; freed with unref if nobody takes it) under key, a
 * number the giver chose unique in the process; the taker gets the reference, or NULL. */
void mprtc__app_put_slot(mprtc_app *app, int64_t key, void *slot, GDestroyNotify unref);
void *mprtc__app_take_slot(mprtc_app *app, int64_t key);

/* The host's thread. Lets go of the host's handlers and methods (their destroy functions run):
 * the app never calls the host again. */
void mprtc__app_release_handlers(mprtc_app *app);

/* The JS thread. The app's file system, made at the first call. */
struct mprtc__files *mprtc__app_files(mprtc_app *app);

/* Whether the app was made with MPRTC_APP_TESTING. Any thread. */
gboolean mprtc__app_testing(const mprtc_app *app);

#endif
