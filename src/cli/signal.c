/* mprtc signal: the signaling server (include/mprtc/signal.h, docs/signaling.md) on its own,
 * until interrupted. */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static gboolean on_signal(gpointer data) {
  g_main_loop_quit(data);
  /* The source stays: it is removed with the other when the loop ends. */
  return G_SOURCE_CONTINUE;
}

static void log_line(const char *line, void *user_data) { fprintf(stderr, "mprtc signal: %s\n", line); }

/* A whole number from min to max: TRUE and *out. */
static gboolean parse_int(const char *text, long min, long max, int *out) {
  char *end;
  long v = strtol(text, &end, 10);
  if (end == text || *end || v < min || v > max) return FALSE;
  *out = (int)v;
  return TRUE;
}

int cli_signal(int argc, char **argv) {
  const char *host = "127.0.0.1";
  int port = 0;
  gboolean quiet = FALSE;
  mprtc_signal_limits limits;
  mprtc_signal_limits_init(&limits);
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
    gboolean ok = value != NULL;
    if (strcmp(opt, "--host") == 0 && value) host = value;
    else if (strcmp(opt, "--port") == 0 && value) ok = parse_int(value, 0, 65535, &port);
    else if (strcmp(opt, "--max-peers") == 0 && value) ok = parse_int(value, 2, 1000, &limits.max_peers_per_room);
    else if (strcmp(opt, "--max-rooms") == 0 && value) ok = parse_int(value, 1, 1000000, &limits.max_rooms);
    else if (strcmp(opt, "--keepalive") == 0 && value) ok = parse_int(value, 0, 3600, &limits.keepalive_seconds);
    else if (strcmp(opt, "--quiet") == 0) quiet = TRUE, ok = TRUE, i--;
    else ok = FALSE;
    if (!ok) {
      fprintf(stderr, "mprtc signal: bad or unknown option '%s%s%s' (see mprtc --help)\n", opt, value ? " " : "",
              value && opt[0] == '-' && strcmp(opt, "--quiet") != 0 ? value : "");
      return EXIT_USAGE;
    }
    i++;
  }
  mprtc_signal_server *server = NULL;
  char *error = NULL;
  int err = mprtc_signal_server_new(NULL, host, port, &limits, &server, &error);
  if (err) {
    fprintf(stderr, "mprtc signal: %s\n", error ? error : mprtc_strerror(err));
    g_free(error);
    return err == MPRTC_E_INVAL ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (!quiet) mprtc_signal_server_set_log(server, log_line, NULL);
  /* Where clients connect (a client reads this line for a port of 0). */
  fprintf(stderr, "mprtc signal: serving ws://%s:%d/signal\n", host, mprtc_signal_server_port(server));
  GMainLoop *loop = g_main_loop_new(NULL, FALSE);
  guint sigint = g_unix_signal_add(SIGINT, on_signal, loop), sigterm = g_unix_signal_add(SIGTERM, on_signal, loop);
  g_main_loop_run(loop);
  g_source_remove(sigint);
  g_source_remove(sigterm);
  mprtc_signal_server_free(server);
  g_main_loop_unref(loop);
  cli_drain_main_context();
  return EXIT_SUCCESS;
}
