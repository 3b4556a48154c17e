#!/usr/bin/env python3
"""Runs a real TURN server (coturn's `turnserver`) on 127.0.0.1 for one command, on the Python 3
standard library only.

The server listens for TURN over UDP and TCP on one ephemeral port of 127.0.0.1, relays on
127.0.0.1 from a small port range, and accepts one user by the long-term credential mechanism
(realm "mprtc.test"). The user name and password hold characters that a turn:// URL must
percent-encode (":", "@", "/", "+", "="), so that clients exercise that path. Because coturn's
`--user=NAME:PASS` splits at the first ":", the account lives in a SQLite user database that
this script writes itself (the key is MD5("name:realm:password"), RFC 5389 15.4).
Everything coturn writes (database, pid file, log) stays in a temporary directory that is
removed afterwards; its log is copied to stderr when the command fails.

Usage:
  turn_server.py                print the TURN URL, user and password and serve until killed
  turn_server.py -- CMD ARG...  serve, run CMD with "{TURN_URL}", "{TURN_USER}" and "{TURN_PASS}"
                                in its arguments replaced (stdout and stderr are CMD's own),
                                then stop the server; the exit status is CMD's
"""

import hashlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
REALM = "mprtc.test"
USER = "mp:rtc"
PASSWORD = "p@ss/w+rd="
RELAY_PORTS = 40  # the size of the relay port range
ATTEMPTS = 5      # servers started before giving up (a port taken meanwhile by someone else)
READY_WITHIN = 15.0  # seconds for a started server to answer a STUN binding request

# The tables coturn's SQLite driver reads (coturn's schema.sql).
SCHEMA = """
CREATE TABLE turnusers_lt (realm varchar(127) default '', name varchar(512), hmackey char(128),
                           PRIMARY KEY (realm, name));
CREATE TABLE turn_secret (realm varchar(127) default '', value varchar(256), primary key (realm, value));
CREATE TABLE allowed_peer_ip (realm varchar(127) default '', ip_range varchar(256),
                              primary key (realm, ip_range));
CREATE TABLE denied_peer_ip (realm varchar(127) default '', ip_range varchar(256),
                             primary key (realm, ip_range));
CREATE TABLE turn_origin_to_realm (origin varchar(127), realm varchar(127), primary key (origin));
CREATE TABLE turn_realm_option (realm varchar(127) default '', opt varchar(32), value varchar(128),
                                primary key (realm, opt));
CREATE TABLE oauth_key (kid varchar(128), ikm_key varchar(256), timestamp bigint default 0,
                        lifetime integer default 0, as_rs_alg varchar(64) default '',
                        realm varchar(127), primary key (kid));
CREATE TABLE admin_user (name varchar(32), realm varchar(127), password varchar(127),
                         primary key (name));
"""


def write_userdb(path):
    key = hashlib.md5(("%s:%s:%s" % (USER, REALM, PASSWORD)).encode("utf-8")).hexdigest()
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES (?, ?, ?)", (REALM, USER, key))
        db.commit()
    finally:
        db.close()


def free_port():
    """A port of HOST that is free for both UDP and TCP right now."""
    while True:
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            tcp.bind((HOST, 0))
            port = tcp.getsockname()[1]
            udp.bind((HOST, port))
            return port
        except OSError:
            continue
        finally:
            tcp.close()
            udp.close()


def relay_range():
    """A random range of RELAY_PORTS ports below Linux's ephemeral ports (32768 and up)."""
    low = random.randrange(20000, 32768 - RELAY_PORTS)
    return low, low + RELAY_PORTS - 1


def stun_binding_ok(port, timeout):
    """True if a STUN binding request to HOST:port over UDP gets a success response."""
    tid = os.urandom(12)
    request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + tid
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(request, (HOST, port))
            data, _ = s.recvfrom(2048)
        except OSError:  # a timeout, or ICMP "port unreachable" while coturn is starting
            return False
    return len(data) >= 20 and struct.unpack("!H", data[:2])[0] == 0x0101 and data[8:20] == tid


def tcp_accepts(port):
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


class Turn:
    def __init__(self, tmp):
        self.tmp = tmp
        self.proc = None
        self.port = None
        self.log_path = os.path.join(tmp, "turnserver.log")
        self.log = open(self.log_path, "ab")
        self.userdb = os.path.join(tmp, "turndb")
        write_userdb(self.userdb)

    def start_once(self):
        port = free_port()
        low, high = relay_range()
        command = [
            "turnserver", "-n",  # -n: no configuration file (not /etc/turnserver.conf)
            "--listening-ip=%s" % HOST, "--listening-port=%d" % port,
            "--relay-ip=%s" % HOST, "--min-port=%d" % low, "--max-port=%d" % high,
            "--lt-cred-mech", "--realm=%s" % REALM, "--userdb=%s" % self.userdb,
            "--fingerprint",
            # The peers of the tests are on 127.0.0.1, which coturn refuses as a peer by default.
            "--allow-loopback-peers",
            "--no-tls", "--no-dtls", "--no-cli", "--no-rfc5780", "--no-software-attribute",
            "--pidfile=%s" % os.path.join(self.tmp, "turnserver.pid"),
            "--log-file=stdout", "--simple-log",
        ]
        self.log.write(("--- %s\n" % " ".join(command)).encode())
        self.log.flush()
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=self.tmp,
                                     start_new_session=True)
        self.port = port
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if stun_binding_ok(port, 0.2) and tcp_accepts(port):
                return not self.bind_failed()
        return False

    def bind_failed(self):
        with open(self.log_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        last = text.rsplit("--- turnserver", 1)[-1]
        return "Cannot bind" in last or "cannot bind" in last

    def start(self):
        for _ in range(ATTEMPTS):
            if self.start_once():
                return True
            self.stop()
        return False

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def dump_log(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            sys.stderr.write("--- turnserver log ---\n")
            sys.stderr.write(f.read().decode("utf-8", "replace")[-20000:])
            sys.stderr.flush()

    def url(self):
        return "turn:%s:%d" % (HOST, self.port)


def main(argv):
    if argv and (argv[0] != "--" or len(argv) < 2):
        print("usage: turn_server.py [-- CMD ARG...]", file=sys.stderr)
        return 2
    if shutil.which("turnserver") is None:
        print("turn_server.py: turnserver not found (install the Debian package coturn)", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="mprtc-turn-")
    turn = Turn(tmp)
    try:
        if not turn.start():
            print("turn_server.py: turnserver did not start", file=sys.stderr)
            turn.dump_log()
            return 1
        if not argv:
            print("%s %s %s" % (turn.url(), USER, PASSWORD), flush=True)
            try:
                turn.proc.wait()
            except KeyboardInterrupt:
                pass
            return 0
        values = {"{TURN_URL}": turn.url(), "{TURN_USER}": USER, "{TURN_PASS}": PASSWORD}
        command = []
        for arg in argv[1:]:
            for token, value in values.items():
                arg = arg.replace(token, value)
            command.append(arg)
        status = subprocess.call(command)
        if status != 0 or turn.proc.poll() is not None:
            turn.dump_log()
        if status == 0 and turn.proc.poll() is not None:
            print("turn_server.py: turnserver exited during the test", file=sys.stderr)
            status = 1
        return status if status >= 0 else 128 - status
    finally:
        turn.stop()
        turn.log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
