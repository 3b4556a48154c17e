/* Automation: the protocol that WeChat DevTools serves to the npm package miniprogram-automator
 * (0.12), so that a mini-program is tested in mprtc with the package a developer already uses.
 * docs/automation.md lists the methods as mprtc serves them.
 *
 * Two levels: the requests and events themselves (mprtc_app_automate and the event handler),
 * for a host with a transport of its own; and the WebSocket server that `mprtc run --auto-port`
 * uses (mprtc_automation_server_new), which speaks the package's framing on 127.0.0.1.
 *
 * Thread rules: as include/mprtc/app.h; callbacks run on the app's context.
 */
#ifndef MPRTC_AUTOMATION_H
#define MPRTC_AUTOMATION_H

#include "mprtc/app.h"
#include "mprtc/export.h"
#include "mprtc/view.h"

/* An event of the app for an automation client: method "App.logAdded" (a console line, once
 * "App.enableLog" was asked), "App.exceptionThrown" (an uncaught error) or "App.bindingCalled"
 * (a function exposed with "App.addBinding" was called); params_json is a JSON object. */
typedef void (*mprtc_automation_event_fn)(mprtc_app *app, const char *method, const char *params_json, void *user_data);

/* Before the launch (MPRTC_E_BUSY afterwards). destroy (may be NULL) is called on user_data when
 * the app is freed or the handler replaced. */
MPRTC_API int mprtc_app_set_automation_handler(mprtc_app *app, mprtc_automation_event_fn fn, void *user_data,
                                               GDestroyNotify destroy);

/* One request of the protocol: method ("App.getCurrentPage", "Page.getElement", "Element.tap",
 * ...) and params_json (a JSON object; NULL: {}). done gets err 0 and the result's JSON text, or
 * a negative mprtc_error and the message. After the launch (MPRTC_E_INVALID_STATE before). */
MPRTC_API int mprtc_app_automate(mprtc_app *app, const char *method, const char *params_json, mprtc_view_done_fn done,
                                 void *user_data);

/* The WebSocket server: ws://127.0.0.1:port, the package's framing ({id, method, params} in,
 * {id, result} or {id, error: {message}} out, events as {method, params}). It takes connections
 * from this machine only (it listens on the loopback address and checks the peer's), and refuses
 * any handshake that carries an Origin header with 403: a web page must not be able to drive a
 * mini-program through a local port. */
typedef struct mprtc_automation_server mprtc_automation_server;

/* A client sent Tool.close (miniprogram.close()): the host usually ends the app. */
typedef void (*mprtc_automation_closed_fn)(mprtc_automation_server *server, void *user_data);

/* Serves app (before its launch: it sets the app's automation handler) on port (0: a free one,
 * see mprtc_automation_server_port). closed may be NULL. Returns 0 and *out, MPRTC_E_INVAL,
 * MPRTC_E_BUSY (launched already) or MPRTC_E_IO (the port cannot be had; *error says why, g_free
 * it). */
MPRTC_API int mprtc_automation_server_new(mprtc_app *app, int port, mprtc_automation_closed_fn closed, void *user_data,
                                          mprtc_automation_server **out, char **error);
MPRTC_API int mprtc_automation_server_port(const mprtc_automation_server *server);
/* Closes the connections and the port; requests still unanswered are dropped. After
 * mprtc_app_free (which ends every callback of the app's, the server's included). */
MPRTC_API void mprtc_automation_server_free(mprtc_automation_server *server);

#endif
