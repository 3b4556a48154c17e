/* Mini-programs: an app launched from its package (app.json, app.js, pages of .js, .wxml, .wxss
 * and .json), with a logic layer running the framework (App, Page, setData, wx navigation) and a
 * view layer of its own that renders the current page. docs/miniprogram.md describes the
 * package and the framework, docs/view.md the view layer.
 *
 * Thread rules: as include/mprtc/app.h: any thread but the app's own threads; callbacks run on
 * the app's context.
 */
#ifndef MPRTC_VIEW_H
#define MPRTC_VIEW_H

#include "mprtc/app.h"
#include "mprtc/export.h"

/* The window the view lays pages out in, in CSS pixels (750rpx is its width), and the pixel
 * ratio of snapshots. Before the launch (MPRTC_E_BUSY afterwards). Default 375x667, ratio 2. */
MPRTC_API int mprtc_app_set_window(mprtc_app *app, int width, int height, double pixel_ratio);

/* Launches the mini-program in the app's package root (the app must have been made with one):
 * reads app.json, starts the logic and view layers, runs app.js (App's onLaunch, onShow) and
 * opens url ("pages/index/index?a=1"; NULL: app.json's entry page). done runs once the page is
 * ready (its onReady ran), with failed = 1 when the app could not start: its error (with file
 * and line) went to the log at MPRTC_LOG_ERROR. Returns 0, or MPRTC_E_INVAL (no root, a bad
 * url), MPRTC_E_BUSY (launched or run already), MPRTC_E_THREAD. */
MPRTC_API int mprtc_app_launch(mprtc_app *app, const char *url, mprtc_app_done_fn done, void *user_data);

/* The mini-program called wx.exitMiniProgram: the host closes it (mprtc_app_free), as a real
 * host closes the mini-program. Called on the app's context. */
typedef void (*mprtc_app_exit_fn)(mprtc_app *app, void *user_data);

/* Before the launch (MPRTC_E_BUSY afterwards). Without a handler the call succeeds and nothing
 * closes. destroy (may be NULL) is called on user_data when the app is freed or the handler
 * replaced. */
MPRTC_API int mprtc_app_set_exit_handler(mprtc_app *app, mprtc_app_exit_fn fn, void *user_data, GDestroyNotify destroy);

/* wx.chooseMessageFile: the user picks files on the host's side (a chat's files, a file dialog)
 * to hand to the mini-program. The host is asked on the app's context, with the call's options
 * as JSON ({"count": N, "type": "all" | "video" | "image" | "file", "extension": [...]}, as the
 * app gave them, the count 1 to 100), and answers once with mprtc_file_choice_answer, from any
 * thread, now or later (after asking its user). Without a chooser the call fails with
 * "chooseMessageFile:fail cancel". Before the launch (MPRTC_E_BUSY afterwards). destroy (may be
 * NULL) is called on user_data when the app is freed or the chooser replaced. */
typedef struct mprtc_file_choice mprtc_file_choice;
typedef void (*mprtc_file_chooser_fn)(mprtc_app *app, mprtc_file_choice *choice, const char *options_json,
                                      void *user_data);
MPRTC_API int mprtc_app_set_file_chooser(mprtc_app *app, mprtc_file_chooser_fn fn, void *user_data, GDestroyNotify destroy);

/* Answers choice with the files at paths[0..n-1] (local files the host may read; n = 0: the user
 * cancelled) and frees it; any thread, exactly once. The files are copied into the app's
 * temporary files, off the calling thread, and the mini-program gets them as
 * `wxfile://tmp_...` paths with their size, name, type and time; beyond the call's count they
 * are left out. A file that cannot be read fails the call ("chooseMessageFile:fail cannot read
 * ..."). An answer after the app was freed goes nowhere. */
MPRTC_API void mprtc_file_choice_answer(mprtc_file_choice *choice, const char *const *paths, size_t n);

/* What the view answers: err 0 and text (valid during the call; may be NULL), or a negative
 * mprtc_error and text saying why. */
typedef void (*mprtc_view_done_fn)(mprtc_app *app, int err, const char *text, void *user_data);

/* The current page as JSON (docs/view.md: path, query, the tree with boxes and media). */
MPRTC_API int mprtc_view_dump(mprtc_app *app, mprtc_view_done_fn done, void *user_data);

/* Paints the current page (window size times the pixel ratio, live video frames in the video
 * components) into a PNG file at path. */
MPRTC_API int mprtc_view_snapshot(mprtc_app *app, const char *path, mprtc_view_done_fn done, void *user_data);

/* Answers once an element of the current page matches selector (at once if one does). */
MPRTC_API int mprtc_view_wait(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data);

/* Taps the first element of the current page that matches selector, as a user would: its tap
 * handlers run (bubbling up, stopped by a catchtap). Answers once they have run and the
 * setData calls they made meanwhile are applied; MPRTC_E_NOT_FOUND when nothing matches. */
MPRTC_API int mprtc_view_tap(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data);

/* Types value into the first <input> that matches selector: its input handlers run with
 * detail.value, and a string one returns becomes the input's value. */
MPRTC_API int mprtc_view_input(mprtc_app *app, const char *selector, const char *value, mprtc_view_done_fn done,
                               void *user_data);

/* Presses the keyboard's done key in the first <input> that matches selector: its confirm
 * handlers run with detail.value, the input's value. */
MPRTC_API int mprtc_view_confirm(mprtc_app *app, const char *selector, mprtc_view_done_fn done, void *user_data);

#endif
