#!/usr/bin/env python3
"""A small HTTP server for the fetch and wx.request tests, on the Python 3 standard library only.
It listens on 127.0.0.1 on an ephemeral port:

  /json           200, {"hello": "world", "n": 1} as application/json, with X-Test: a and b
  /echo           answers any method with JSON {method, path, query, headers, body (text)}
  /status/N       answers status N with the text "status N"
  /redirect       302 to /json
  /bytes          200, the bytes 0..255 as application/octet-stream
  /slow           answers after 3 seconds

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
