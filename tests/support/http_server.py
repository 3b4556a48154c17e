#!/usr/bin/env python3
"""A small HTTP server for the fetch and wx.request tests, on the Python 3 standard library only.
It listens on 127.0.0.1 on an ephemeral port:

  /json           200, {"hello": "world", "n": 1} as application/json, with X-Test: a and b
  /echo           answers any method with JSON {method, path, query, headers, body (text)}
  /status/N       answers status N with the text "status N"
  /redirect       302 to /json
  /bytes          200, the bytes 0..255 as application/octet-stream
  /slow           answers after 3 seconds
  /whip           a WHIP endpoint (RFC 9725): POST an SDP offer as application/sdp (else 415);
                  201 Created with the answer (application/sdp) and Location /whip/session/ID,
                  which DELETE ends (200, then 404). The answer comes from the endpoint's media
                  side, a peer of the test's own that takes the offer from GET /whip-offer
                  ({id, sdp}) and POSTs its answer to /whip-answer/ID (204); 503 when no answer
                  comes within 10 seconds

Usage:
  http_server.py -- CMD ARG...   serve, run CMD with every "{HTTP_URL}" in its arguments replaced
                                 by the base URL (http://127.0.0.1:PORT), then stop; the exit
                                 status is CMD's
"""
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class Whip:
    """The WHIP sessions: offers waiting for the media side, answers waiting for the client."""
    lock = threading.Condition()
    offers = []          # (id, sdp) not taken yet
    answers = {}         # id -> answer SDP
    sessions = set()     # ids with an answer, not deleted
    next_id = 1

    @classmethod
    def wait(cls, predicate, timeout=10):
        with cls.lock:
            return cls.lock.wait_for(predicate, timeout)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type='text/plain', extra=()):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def handle_any(self):
        url = urlsplit(self.path)
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        if url.path == '/json':
            self.reply(200, json.dumps({'hello': 'world', 'n': 1}).encode(), 'application/json',
                       [('X-Test', 'a'), ('X-Test', 'b')])
        elif url.path == '/echo':
            echo = {'method': self.command, 'path': url.path, 'query': url.query,
                    'headers': {k.lower(): v for k, v in self.headers.items()}, 'body': body.decode('utf-8', 'replace')}
            self.reply(200, json.dumps(echo).encode(), 'application/json')
        elif url.path.startswith('/status/'):
            status = int(url.path.split('/')[2])
            self.reply(status, f'status {status}'.encode())
        elif url.path == '/redirect':
            self.reply(302, b'', extra=[('Location', '/json')])
        elif url.path == '/bytes':
            self.reply(200, bytes(range(256)), 'application/octet-stream')
        elif url.path == '/whip' and self.command == 'POST':
            if self.headers.get('Content-Type', '').split(';')[0].strip().lower() != 'application/sdp':
                self.reply(415, b'a WHIP offer is application/sdp')
                return
            with Whip.lock:
                sid = str(Whip.next_id)
                Whip.next_id += 1
                Whip.offers.append((sid, body.decode()))
                Whip.lock.notify_all()
            if not Whip.wait(lambda: sid in Whip.answers):
                self.reply(503, b'no answer from the media side')
                return
            with Whip.lock:
                answer = Whip.answers.pop(sid)
                Whip.sessions.add(sid)
            self.reply(201, answer.encode(), 'application/sdp', [('Location', f'/whip/session/{sid}')])
        elif url.path == '/whip-offer':
            if not Whip.wait(lambda: Whip.offers):
                self.reply(404, b'no offer')
                return
            with Whip.lock:
                sid, sdp = Whip.offers.pop(0)
            self.reply(200, json.dumps({'id': sid, 'sdp': sdp}).encode(), 'application/json')
        elif url.path.startswith('/whip-answer/') and self.command == 'POST':
            with Whip.lock:
                Whip.answers[url.path.split('/')[2]] = body.decode()
                Whip.lock.notify_all()
            self.reply(204, b'')
        elif url.path.startswith('/whip/session/') and self.command == 'DELETE':
            sid = url.path.split('/')[3]
            with Whip.lock:
                found = sid in Whip.sessions
                Whip.sessions.discard(sid)
            self.reply(200 if found else 404, b'')
        elif url.path == '/slow':
            time.sleep(3)
            self.reply(200, b'late')
        else:
            self.reply(404, b'not found')

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that went away mid-answer (an aborted or timed-out request)


def start():
    """Serves in a thread: (server, base URL)."""
    server = Server(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, 'http://127.0.0.1:%d' % server.server_address[1]


def main(argv):
    if len(argv) < 2 or argv[0] != '--':
        print('usage: http_server.py -- CMD ARG...', file=sys.stderr)
        return 2
    server, url = start()
    try:
        return subprocess.call([a.replace('{HTTP_URL}', url) for a in argv[1:]])
    finally:
        server.shutdown()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
