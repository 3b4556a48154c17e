#!/usr/bin/env python3
"""A small WebSocket server (RFC 6455) for the tests, on the Python 3 standard library only.

It listens on 127.0.0.1 on an ephemeral port and picks a behaviour by the request's path:

  /echo                 echoes every message, text as text and binary as binary
  /close?code=C&reason=R  closes at once with a close frame (code C, reason R; no code: an
                        empty close frame), waits for the client's close frame, then the TCP close
  /subprotocol          accepts the first protocol the client offers, then echoes
                        (every other path accepts none)
  /refuse               answers HTTP 403 instead of upgrading
  /headers              like /subprotocol, but first sends the handshake's request headers as
                        one JSON text message
  /burst?n=N            sends N text messages "0".."N-1", then echoes
  /ping                 sends a ping, reports the pong's payload as the text "pong:<payload>",
                        then echoes
  /drop                 closes the TCP connection at once, without a close frame
  /hang                 reads the request and never answers it
  /relay/ROOM           a signaling relay: every message from one client goes, unchanged and in
                        order, to the other clients of the same ROOM; messages sent while the
                        client is alone in the room wait there and go to the next client to join
  /command              each text message is a command for the server's command handler (a
                        test wrapper that imports this module gives one to start()); its answer
                        comes back as one text message

Every mode answers a ping with a pong and a close frame with the same close frame, then closes
the TCP connection (the server closes first, as RFC 6455 7.1.1 asks). Fragmented messages are
reassembled.

Usage:
  ws_server.py                print the base URL (ws://127.0.0.1:PORT) and serve until killed
  ws_server.py -- CMD ARG...  serve, run CMD with every "{WS_URL}" in its arguments replaced by
                              the base URL (stdout and stderr are CMD's own), then stop; the exit
                              status is CMD's
"""

import base64
import hashlib
import json
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import urllib.parse

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_MESSAGE = 64 * 1024 * 1024


class Closed(Exception):
    """The peer went away (EOF) or broke the protocol."""


class Connection:
    def __init__(self, sock, rfile):
        self.sock = sock
        self.rfile = rfile
        self.lock = threading.Lock()

    def read_exact(self, n):
        data = self.rfile.read(n)
        if data is None or len(data) < n:
            raise Closed("EOF")
        return data

    def read_frame(self):
        b0, b1 = self.read_exact(2)
        fin, opcode = bool(b0 & 0x80), b0 & 0x0F
        if b0 & 0x70:
            raise Closed("reserved bits set")
        if not b1 & 0x80:
            raise Closed("a client frame must be masked")
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.read_exact(8))
        if length > MAX_MESSAGE:
            raise Closed("frame too large")
        mask = self.read_exact(4)
        payload = self.read_exact(length)
        # Unmask as one big integer: a byte-by-byte loop is slow on megabyte messages.
        key = (mask * (length // 4 + 1))[:length]
        unmasked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")
        return fin, opcode, unmasked

    def send_frame(self, opcode, payload=b""):
        header = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header.append(n)
        elif n < 65536:
            header.append(126)
            header += struct.pack("!H", n)
        else:
            header.append(127)
            header += struct.pack("!Q", n)
        with self.lock:
            self.sock.sendall(bytes(header) + payload)

    def send_text(self, text):
        self.send_frame(OP_TEXT, text.encode("utf-8"))

    def send_close(self, payload=b""):
        self.send_frame(OP_CLOSE, payload)

    def read_message(self):
        """The next data message as (opcode, payload), answering control frames on the way.
        Returns (OP_CLOSE, payload) once the peer's close frame has been echoed, and
        (OP_PONG, payload) for a pong."""
        opcode, parts = None, []
        size = 0
        while True:
            fin, op, payload = self.read_frame()
            if op == OP_PING:
                self.send_frame(OP_PONG, payload)
                continue
            if op == OP_PONG:
                return OP_PONG, payload
            if op == OP_CLOSE:
                return OP_CLOSE, payload
            if op == OP_CONT:
                if opcode is None:
                    raise Closed("continuation without a first frame")
            elif op in (OP_TEXT, OP_BINARY):
                if opcode is not None:
                    raise Closed("new message inside a fragmented one")
                opcode = op
            else:
                raise Closed("unknown opcode %d" % op)
            parts.append(payload)
            size += len(payload)
            if size > MAX_MESSAGE:
                raise Closed("message too large")
            if fin:
                return opcode, b"".join(parts)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            request = self.read_request()
        except (Closed, ValueError, UnicodeDecodeError):
            return
        if request is None:
            return
        path, headers = request
        parsed = urllib.parse.urlsplit(path)
        route, query = parsed.path, urllib.parse.parse_qs(parsed.query)
        if route == "/hang":
            # Never answer: the client stays CONNECTING until it gives up. EOF ends the thread.
            while self.rfile.read(1024):
                pass
            return
        if route == "/refuse":
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n"
                             b"Connection: close\r\n\r\nForbidden")
            return
        key = headers.get("sec-websocket-key")
        if headers.get("upgrade", "").lower() != "websocket" or not key:
            self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
            return
        protocol = None
        if route in ("/subprotocol", "/headers"):
            offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",")]
            protocol = next((p for p in offered if p), None)
        accept = base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest())
        response = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n")
        if protocol:
            response += b"Sec-WebSocket-Protocol: " + protocol.encode("ascii") + b"\r\n"
        self.wfile.write(response + b"\r\n")
        self.wfile.flush()
        conn = Connection(self.connection, self.rfile)
        try:
            self.run_mode(conn, route, query, headers)
        except (Closed, OSError):
            pass

    def read_request(self):
        line = self.rfile.readline(8192)
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or parts[0] != "GET":
            raise ValueError("bad request line")
        headers = {}
        while True:
            line = self.rfile.readline(8192).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            name = name.strip().lower()
            value = value.strip()
            headers[name] = headers[name] + ", " + value if name in headers else value
        return parts[1], headers

    def run_mode(self, conn, route, query, headers):
        if route == "/drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if route == "/close":
            payload = b""
            if "code" in query:
                payload = struct.pack("!H", int(query["code"][0]))
                payload += query.get("reason", [""])[0].encode("utf-8")
            conn.send_close(payload)
            # Wait for the client's close frame (data messages before it are dropped).
            while conn.read_message()[0] != OP_CLOSE:
                pass
            return
        if route.startswith("/relay/") and len(route) > len("/relay/"):
            self.relay(conn, route[len("/relay/"):])
            return
        if route == "/command" and self.server.command_handler:
            self.command(conn)
            return
        if route == "/headers":
            conn.send_text(json.dumps(headers))
        elif route == "/burst":
            for i in range(int(query.get("n", ["10"])[0])):
                conn.send_text(str(i))
        elif route == "/ping":
            conn.send_frame(OP_PING, b"are-you-there")
        self.echo(conn)

    def echo(self, conn):
        while True:
            opcode, payload = conn.read_message()
            if opcode == OP_CLOSE:
                conn.send_close(payload)
                return
            if opcode == OP_PONG:
                conn.send_text("pong:" + payload.decode("utf-8", "replace"))
                continue
            conn.send_frame(opcode, payload)

    def command(self, conn):
        while True:
            opcode, payload = conn.read_message()
            if opcode == OP_CLOSE:
                conn.send_close(payload)
                return
            if opcode == OP_TEXT:
                conn.send_text(self.server.command_handler(payload.decode("utf-8")))

    def relay(self, conn, name):
        self.server.join_room(name, conn)
        try:
            while True:
                opcode, payload = conn.read_message()
                if opcode == OP_CLOSE:
                    conn.send_close(payload)
                    return
                if opcode in (OP_TEXT, OP_BINARY):
                    self.server.forward(name, conn, opcode, payload)
        finally:
            self.server.leave_room(name, conn)


class Room:
    """The clients of one /relay/ROOM and the messages waiting for a second client."""

    def __init__(self):
        self.clients = []
        self.waiting = []


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True  # a /hang handler must not keep the process alive
    allow_reuse_address = True

    def __init__(self, *args, command_handler=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.command_handler = command_handler
        self.rooms = {}
        # One lock for every room: a receiver gets messages in the order the relay took them,
        # and a client joining gets the waiting messages before any newer one.
        self.rooms_lock = threading.Lock()

    def join_room(self, name, conn):
        with self.rooms_lock:
            room = self.rooms.setdefault(name, Room())
            room.clients.append(conn)
            waiting, room.waiting = room.waiting, []
            for opcode, payload in waiting:
                conn.send_frame(opcode, payload)

    def forward(self, name, sender, opcode, payload):
        with self.rooms_lock:
            room = self.rooms[name]
            others = [c for c in room.clients if c is not sender]
            if not others:
                room.waiting.append((opcode, payload))
            for c in others:
                try:
                    c.send_frame(opcode, payload)
                except OSError:
                    pass  # that client is going away; its own handler takes it out of the room

    def leave_room(self, name, conn):
        with self.rooms_lock:
            room = self.rooms.get(name)
            if room and conn in room.clients:
                room.clients.remove(conn)
                if not room.clients and not room.waiting:
                    del self.rooms[name]


def start(command_handler=None):
    """Serves on an ephemeral port of 127.0.0.1 in a thread: (server, base URL).
    command_handler(text) -> text answers the messages of /command."""
    server = Server(("127.0.0.1", 0), Handler, command_handler=command_handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, "ws://127.0.0.1:%d" % server.server_address[1]


def main(argv):
    server, url = start()
    if not argv:
        print(url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        return 0
    if argv[0] != "--" or len(argv) < 2:
        print("usage: ws_server.py [-- CMD ARG...]", file=sys.stderr)
        return 2
    command = [arg.replace("{WS_URL}", url) for arg in argv[1:]]
    try:
        status = subprocess.call(command)
    finally:
        server.shutdown()
        server.server_close()
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
