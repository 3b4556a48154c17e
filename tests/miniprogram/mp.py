"""What the mini-program tests share: packages written into a temporary folder, `mprtc run`
with its dump, checks that show the run's output when they fail, the dump's nodes, and a TAP
runner. Import it, then call mp.main() after the tests are defined.

Usage of a test file: test_X.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'support'))

MPRTC = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix='mprtc-mp-')
tests = []


def test(fn):
    tests.append(fn)
    return fn


_count = 0


def package(files, pages=('pages/index/index',), app_json=None):
    """A package in a fresh folder: app.json listing pages, an App() app.js, and files (path ->
    text) over them. Pages without a .js or .wxml get an empty Page() and <view/>."""
    global _count
    _count += 1
    root = os.path.join(TMP, f'p{_count}')
    all_files = {'app.json': json.dumps(app_json if app_json is not None else {'pages': list(pages)}),
                 'app.js': 'App({});'}
    for p in pages:
        all_files.setdefault(p + '.js', 'Page({});')
        all_files.setdefault(p + '.wxml', '<view/>')
    all_files.update(files)
    for path, text in all_files.items():
        if text is None:
            continue
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8') as f:
            f.write(text)
    return root


def run(root, *args, timeout=60):
    return subprocess.run([MPRTC, 'run', root, '--timeout', '30', *args], capture_output=True, text=True,
                          timeout=timeout)


def run_dump(root, *args):
    p = run(root, *args, '--dump-view')
    check(p.returncode == 0, 'the run succeeds', p)
    return p, json.loads(p.stdout)


@contextlib.contextmanager
def serving(server_module):
    """A test server of tests/support (ws_server, http_server) for the block: its base URL."""
    server, url = server_module.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Signal:
    """`mprtc signal --port 0` for the block: its URL; its log afterwards in .log."""

    def __enter__(self):
        self.proc = subprocess.Popen([MPRTC, 'signal', '--port', '0'], stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r'serving (ws://\S+)', line)
        check(m, f'mprtc signal says where it serves: {line}')
        return m.group(1)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log = self.proc.stderr.read()


def check(cond, what, proc=None):
    if not cond:
        detail = ''
        if proc is not None:
            detail = f'\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}'
        raise AssertionError(what + detail)


def lines_with(text, marker):
    return [l.split(marker, 1)[1].strip() for l in text.splitlines() if marker in l]


def texts(node):
    """The text of a dumped node, children joined."""
    if 'text' in node:
        return node['text']
    return ''.join(texts(c) for c in node['children'])


def find(node, pred):
    if 'tag' in node and pred(node):
        return node
    for c in node.get('children', []):
        found = find(c, pred)
        if found:
            return found
    return None


def by_id(dump, id_):
    return find(dump['root'], lambda n: n['attrs'].get('id') == id_)


def main():
    print(f'1..{len(tests)}')
    failed = 0
    for i, fn in enumerate(tests, 1):
        try:
            fn()
            print(f'ok {i} {fn.__name__}')
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed += 1
            print(f'not ok {i} {fn.__name__}')
            for line in str(e).splitlines():
                print('# ' + line)
    sys.exit(1 if failed else 0)

