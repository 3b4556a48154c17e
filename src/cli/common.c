/* What the commands share: see cli.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

gboolean cli_parse_seconds(const char *text, double *out) {
  char *end;
  double s = g_ascii_strtod(text, &end);
  if (*end || !(s > 0) || s > 1e6) return FALSE;
  *out = s;
  return TRUE;
}

char **cli_parse_grants(const char *command, const char *list) {
  char **granted = *list ? g_strsplit(list, ",", -1) : g_new0(char *, 1);
  for (int i = 0; granted[i]; i++)
    if (strcmp(granted[i], "camera") != 0 && strcmp(granted[i], "microphone") != 0) {
      fprintf(stderr, "mprtc %s: --grant takes camera and/or microphone, not '%s'\n", command, granted[i]);
      g_strfreev(granted);
      return NULL;
    }
  return granted;
}

void cli_answer_from_grants(mprtc_app *app, mprtc_permission_request *request, const char *permission,
                            void *user_data) {
  char **granted = user_data;
  mprtc_permission_request_answer(request, g_strv_contains((const char *const *)granted, permission));
}

static gpointer exit_watchdog(gpointer data) {
  g_usleep(3 * G_USEC_PER_SEC);
  fflush(stdout);
  fprintf(stderr, "mprtc: the runtime did not stop after the timeout; exiting\n");
  _exit(EXIT_TIMEOUT);
  return NULL;
}

void cli_start_exit_watchdog(void) { g_thread_unref(g_thread_new("mprtc-exit-watchdog", exit_watchdog, NULL)); }

void cli_drain_main_context(void) {
  while (g_main_context_iteration(NULL, FALSE)) {
  }
}
