#!/usr/bin/env python3
"""Runs a private PulseAudio server (Debian's `pulseaudio`) for one command, so that a test can
plug and unplug a real microphone while the command runs. Python 3 standard library only.

The server has no hardware: a null sink "speaker" into which PulseAudio's own `module-sine`
plays a 300 Hz tone. A microphone is a remap source of the speaker's monitor: a source of
device class "filter" (what GStreamer's device monitor lists as Audio/Source, unlike the
monitor itself), which hears the tone. The command talks to the server through a WebSocket
(tests/support/ws_server.py, path /command), one text message per command:

  plug NAME      adds the microphone NAME (its description, the label apps see, is NAME too);
                 answers "plugged NAME"
  unplug NAME    removes it; answers "unplugged NAME"
  anything else  answers "error: ..."

The server's socket, state and log stay in a temporary directory that is removed afterwards; the
log goes to stderr when the command fails.

Usage:
  pulse_server.py -- CMD ARG...  start the server, run CMD with PULSE_SERVER set to it and every
                                 "{PULSE_CONTROL_URL}" in its arguments replaced by the control
                                 WebSocket's URL, then stop the server; the exit status is CMD's
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ws_server  # noqa: E402

READY_WITHIN = 15.0  # seconds for the server to answer pactl


class Pulse:
    def __init__(self, tmp):
        self.tmp = tmp
        self.socket = os.path.join(tmp, "native")
        self.server = "unix:" + self.socket
        self.log_path = os.path.join(tmp, "pulse.log")
        self.env = dict(os.environ, HOME=tmp, XDG_RUNTIME_DIR=tmp, XDG_CONFIG_HOME=tmp,
                        PULSE_SERVER=self.server)
        self.process = None
        self.modules = {}  # microphone name -> module index
        self.lock = threading.Lock()

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                 "--use-pid-file=no", "--disable-shm=yes",
                 "-L", "module-native-protocol-unix socket=%s auth-anonymous=1" % self.socket,
                 "-L", "module-null-sink sink_name=speaker",
                 "-L", "module-sine sink=speaker frequency=300"],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("pulseaudio exited with status %d" % self.process.returncode)
            if self.pactl("info", check=False).returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError("pulseaudio did not answer within %.0f s" % READY_WITHIN)

    def pactl(self, *args, check=True):
        return subprocess.run(["pactl", "-s", self.server] + list(args), env=self.env,
                              capture_output=True, text=True, check=check, timeout=10)

    def command(self, text):
        verb, _, name = text.strip().partition(" ")
        if not name or not all(c.isalnum() or c in "-_" for c in name):
            return "error: a command is 'plug NAME' or 'unplug NAME' (NAME: letters, digits, - and _)"
        with self.lock:
            try:
                if verb == "plug" and name not in self.modules:
                    out = self.pactl("load-module", "module-remap-source", "master=speaker.monitor",
                                     "source_name=" + name,
                                     "source_properties=device.description=" + name)
                    self.modules[name] = out.stdout.strip()
                    return "plugged " + name
                if verb == "unplug" and name in self.modules:
                    self.pactl("unload-module", self.modules.pop(name))
                    return "unplugged " + name
            except (subprocess.SubprocessError, OSError) as e:
                return "error: %s" % e
        return "error: cannot %s '%s' now" % (verb, name)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def dump_log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                sys.stderr.write("pulse_server.py: the server's log:\n" + f.read())
        except OSError:
            pass


def main(argv):
    if len(argv) < 2 or argv[0] != "--":
        print("usage: pulse_server.py -- CMD ARG...", file=sys.stderr)
        return 2
    if not shutil.which("pulseaudio") or not shutil.which("pactl"):
        print("pulse_server.py: pulseaudio and pactl are needed (scripts/setup.sh installs them)",
              file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="mprtc-pulse-")
    pulse = Pulse(tmp)
    server = None
    status = 1
    try:
        pulse.start()
        server, url = ws_server.start(command_handler=pulse.command)
        command = [arg.replace("{PULSE_CONTROL_URL}", url + "/command") for arg in argv[1:]]
        status = subprocess.call(command, env=pulse.env)
    except RuntimeError as e:
        print("pulse_server.py: %s" % e, file=sys.stderr)
    finally:
        if server:
            server.shutdown()
            server.server_close()
        pulse.stop()
        if status != 0:
            pulse.dump_log()
        shutil.rmtree(tmp, ignore_errors=True)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
