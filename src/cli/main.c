/* The mprtc command line. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: mprtc [--help] [--version] COMMAND [ARGS]\n"
    "\n"
    "Standard WebRTC for mini-programs: a JavaScriptCore logic layer with the W3C globals,\n"
    "a JSBridge of call blocks, and a native SDK on GStreamer webrtcbin.\n"
    "\n"
    "Commands:\n"
    "  demo [--out DIR] [--seconds N] [--timeout S] [--browser] [--example DIR]\n"
    "        A video call, start to finish: a signaling server in this process on a free\n"
    "        port, two instances of examples/video-call that join one room and call each\n"
    "        other, and the call's progress as it happens (each page's steps, the time to\n"
    "        connect, the first remote frame, then bitrate, frames per second and round\n"
    "        trip every second for both). Then a snapshot PNG of each page\n"
    "        (mprtc-demo-NAME.png), their paths printed, and the hang-up.\n"
    "        --out DIR      where the snapshots go (default: the current folder)\n"
    "        --seconds N    seconds of figures before the snapshots (default 5)\n"
    "        --timeout S    the call must connect and show frames on both sides within S\n"
    "                       seconds (default 30)\n"
    "        --browser      the second end is headless Chromium running the page that\n"
    "                       the signaling server serves (Chromium on PATH, or CHROMIUM=path)\n"
    "        --example DIR  the video-call package (default: examples/video-call beside\n"
    "                       the sources, or installed under share/mprtc/examples)\n"
    "        Exit status: 0 after the hang-up, 1 when the call does not connect or no\n"
    "        frames arrive in time (the reason and where each side stood on stderr), or\n"
    "        something cannot start, 2 on a usage error.\n"
    "  exec FILE.js [--timeout S] [--app ID] [--root DIR] [--grant LIST] [--testing]\n"
    "       [-- ARG...]\n"
    "        Run FILE.js as an ES module (top-level await; import of relative files) in a\n"
    "        fresh logic-layer context holding every base-library global. The app loads\n"
    "        nothing outside its package root: FILE's folder, or DIR.\n"
    "        --timeout S   give up after S seconds (decimals allowed; default: no limit)\n"
    "        --app ID      the app ID the runtime stamps on call blocks (default: exec)\n"
    "        --root DIR    the package root (default: FILE's folder); FILE must be inside\n"
    "        --grant LIST  permissions the user gave the app, comma-separated: camera,\n"
    "                      microphone (default: none; getUserMedia then rejects with\n"
    "                      NotAllowedError)\n"
    "        --testing     the test surface: the global mprtc.bridge (raw call blocks) and\n"
    "                      the SDK's test-only methods, for tests and benchmarks\n"
    "        -- ARG...     arguments for the script, as the array mprtc.args\n"
    "        Exit status: 0 when the module settles, 1 when it throws or rejects (the error\n"
    "        and its stack are printed on stderr), 124 on timeout, 2 on a usage error.\n"
    "  run DIR [--page PATH?QUERY] [--size WxH] [--duration S] [--timeout S]\n"
    "      [--grant LIST] [--wait-for SEL] [--tap SEL] [--input SEL=TEXT] [--confirm SEL]\n"
    "      [--snapshot FILE.png] [--choose-file PATH]\n"
    "      [--dump-view] [--present] [--auto-port N] [--app ID] [--testing]\n"
    "        Launch the mini-program in DIR (app.json, app.js, pages/...) headless: its\n"
    "        logic layer runs App and Page, its view layer renders the current page.\n"
    "        --page PATH?QUERY  the page to open (default: app.json's entry page)\n"
    "        --size WxH     the window in CSS pixels (default 375x667; 750rpx = W)\n"
    "        --duration S   how long the run lasts; steps not done by then: exit 124\n"
    "                       (default: until the steps are done, or until interrupted)\n"
    "        --timeout S    the launch and the steps must be done within S, or exit 124;\n"
    "                       unlike --duration it never keeps the run going\n"
    "        --grant LIST   as for exec: camera,microphone\n"
    "        --choose-file PATH  the file the user picks when the mini-program calls\n"
    "                       wx.chooseMessageFile, copied into its temp files; repeat it\n"
    "                       for later calls, in order; past the last, the user cancels\n"
    "        Steps, done in order once the page is ready:\n"
    "        --wait-for SEL until an element matches the selector (tag, .class, #id)\n"
    "        --tap SEL      tap the first element that matches; its handlers run\n"
    "        --input SEL=TEXT  type TEXT into the first <input> that matches\n"
    "        --confirm SEL  press done in the first <input> that matches (bindconfirm)\n"
    "        --snapshot FILE.png  paint the page (W x H times 2 pixels) into FILE;\n"
    "                       given last, it is painted when the run ends\n"
    "        --dump-view    when the run ends, print the page's tree as one JSON\n"
    "                       document on stdout (the app's console goes to stderr)\n"
    "        --present      keep the window painted as a screen shows it (after every\n"
    "                       change and video frame, at most 60 times a second), not\n"
    "                       only for snapshots; the dump then counts the paints\n"
    "        --auto-port N  serve WeChat DevTools' automation protocol on\n"
    "                       ws://127.0.0.1:N (0: a free port, printed on stderr) for\n"
    "                       the npm package miniprogram-automator; the run lasts until\n"
    "                       the client's close(). Only connections from this machine,\n"
    "                       and none from a web page (a request with an Origin header is\n"
    "                       refused): nothing outside can drive the mini-program\n"
    "        The run also ends when the mini-program calls wx.exitMiniProgram.\n"
    "        Exit status: 0 at the end of the run, 1 when the app cannot start (its\n"
    "        error printed with file and line) or a step fails, 124 when --duration or\n"
    "        --timeout passes first, 2 on a usage error.\n"
    "  signal [--host ADDR] [--port N] [--max-peers N] [--max-rooms N] [--keepalive S]\n"
    "      [--quiet]\n"
    "        Serve the signaling protocol (docs/signaling.md) on ws://ADDR:N/signal: rooms,\n"
    "        peers with IDs the server gives, offers, answers, candidates and messages\n"
    "        relayed to one peer or the room; every message checked (JSON, 64 KiB, known\n"
    "        types, rooms and peers, 50 messages a second a connection), a bad\n"
    "        one answered with an error naming what was wrong. At http://ADDR:N/ a web\n"
    "        page runs examples/video-call's call in a browser (?room=NAME&autojoin=1).\n"
    "        Until SIGINT or SIGTERM.\n"
    "        --host ADDR    the IP address to listen on (default 127.0.0.1)\n"
    "        --port N       the port (default 0: a free one; the line 'serving ...' on\n"
    "                       stderr says which)\n"
    "        --max-peers N  peers in one room (default 16)\n"
    "        --max-rooms N  rooms at once (default 1000)\n"
    "        --keepalive S  ping every S seconds; a connection silent for 3 S is closed and\n"
    "                       its peer announced as left (default 10; 0: never)\n"
    "        --quiet        no line for each peer that joins or leaves\n"
    "\n"
    "Options:\n"
    "  --help       show this help and exit\n"
    "  --version    print the mprtc version and exit\n"
    "\n"
    "Environment:\n"
    "  MPRTC_SPIN_US   microseconds the JS and SDK threads poll for bridge traffic before\n"
    "                  sleeping (default 50; 0 turns spinning off)\n";

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(usage, stdout);
    return EXIT_SUCCESS;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("mprtc %s\n", mprtc_version());
    return EXIT_SUCCESS;
  }
  if (strcmp(argv[1], "exec") == 0) return cli_exec(argc - 2, argv + 2);
  if (strcmp(argv[1], "run") == 0) return cli_run(argc - 2, argv + 2);
  if (strcmp(argv[1], "signal") == 0) return cli_signal(argc - 2, argv + 2);
  if (strcmp(argv[1], "demo") == 0) return cli_demo(argc - 2, argv + 2);
  fprintf(stderr, "mprtc: unknown command '%s' (see mprtc --help)\n", argv[1]);
  return EXIT_USAGE;
}
