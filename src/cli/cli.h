/* What the commands of the mprtc command line share (src/cli/): exit codes, option values,
 * and the answers to an app's permission questions from --grant. The command line is a host
 * like any other: it sees libmprtc's public API only.
 */
#ifndef MPRTC_CLI_CLI_H
#define MPRTC_CLI_CLI_H

#include "mprtc/mprtc.h"

#define EXIT_USAGE 2
#define EXIT_TIMEOUT 124

/* A positive number of seconds (decimals allowed, at most a million): TRUE and *out. */
gboolean cli_parse_seconds(const char *text, double *out);

/* --grant LIST: the permissions answered yes (a NULL-terminated list to free with g_strfreev),
 * or NULL after printing what is wrong (command: for the message). */
char **cli_parse_grants(const char *command, const char *list);

/* The permission handler answering from such a list (user_data). */
void cli_answer_from_grants(mprtc_app *app, mprtc_permission_request *request, const char *permission,
                            void *user_data);

/* After a timeout the JS thread is told to stop; should it be stuck outside JavaScript, this
 * ends the process anyway, after a grace period, rather than hang. */
void cli_start_exit_watchdog(void);

/* Iterates the default context until nothing is pending: results sent to it after it stopped
 * being iterated are still queued there. */
void cli_drain_main_context(void);

int cli_exec(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_signal(int argc, char **argv);
int cli_demo(int argc, char **argv);

#endif
