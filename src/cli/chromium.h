/* A headless Chromium driven through the DevTools protocol on a pipe (--remote-debugging-pipe:
 * commands go to the child's fd 3, answers come from its fd 4, each a JSON text ended by a NUL
 * byte), for `mprtc demo --browser`. Everything on the default GMainContext.
 */
#ifndef MPRTC_CLI_CHROMIUM_H
#define MPRTC_CLI_CHROMIUM_H

#include <glib.h>
#include <jansson.h>

typedef struct cli_chromium cli_chromium;

/* The browser to run: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome
 * and google-chrome-stable on PATH; NULL when there is none. g_free it. */
char *cli_chromium_find(void);

/* Starts the browser at path headless on url, with a fake camera and microphone (as the test
 * flags of Chromium give them), sound allowed without a gesture, and a fresh profile in a
 * temporary folder. Its own output goes to a log file in that folder. NULL with *error. */
cli_chromium *cli_chromium_start(const char *path, const char *url, GError **error);

/* A command's answer: its "result" object (borrowed; NULL on error) or the error's text. */
typedef void (*cli_chromium_done_fn)(cli_chromium *browser, json_t *result, const char *error, void *user_data);

/* Sends method with params (taken over; NULL: {}) to the page the browser opened (found and
 * attached to at the first command). done runs once, on the default context. */
void cli_chromium_page_command(cli_chromium *browser, const char *method, json_t *params, cli_chromium_done_fn done,
                               void *user_data);

/* Events of the page's session (method, params borrowed): those asked for, such as
 * Runtime.bindingCalled after Runtime.addBinding. */
typedef void (*cli_chromium_event_fn)(cli_chromium *browser, const char *method, json_t *params, void *user_data);
void cli_chromium_set_event_handler(cli_chromium *browser, cli_chromium_event_fn fn, void *user_data);

/* The last lines the browser wrote on stderr (g_free it): for a failure's report. */
char *cli_chromium_log_tail(cli_chromium *browser, int lines);

/* Asks the browser to close, kills it when it has not within a few seconds, removes the profile.
 * Commands still unanswered get an error first. */
void cli_chromium_free(cli_chromium *browser);

#endif
