#!/usr/bin/env python3
"""libmprtc as a host sees it: `meson install` into a staging folder, the example host
(examples/host/host.c) compiled against the installed library through
`pkg-config --cflags --libs mprtc`, then run on its package.

Usage: test_host_example.py BUILD_DIR SOURCE_DIR CC [CFLAG...]   (prints TAP; meson runs it)
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

BUILD, SOURCE, CC = sys.argv[1], sys.argv[2], sys.argv[3]
EXTRA_CFLAGS = sys.argv[4:]
STAGE = tempfile.mkdtemp(prefix='mprtc-install-')
results = []


def step(name, ok, detail=''):
    results.append((name, ok, detail))
    return ok


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    p = run(['meson', 'install', '-C', BUILD, '--no-rebuild', '--destdir', STAGE])
    if not step('meson install puts the library in place', p.returncode == 0, p.stdout + p.stderr):
        return
    pcs = glob.glob(os.path.join(STAGE, '**', 'pkgconfig', 'mprtc.pc'), recursive=True)
    libs = glob.glob(os.path.join(STAGE, '**', 'libmprtc.so.0'), recursive=True)
    headers = glob.glob(os.path.join(STAGE, '**', 'include', 'mprtc', '*.h'), recursive=True)
    step('the staged tree has mprtc.pc, libmprtc.so.0 and the headers',
         len(pcs) == 1 and len(libs) == 1 and {os.path.basename(h) for h in headers} ==
         {'mprtc.h', 'app.h', 'container.h', 'error.h', 'export.h', 'view.h', 'automation.h', 'signal.h'}, f'{pcs} {libs} {headers}')
    if not pcs or not libs:
        return
    # `mprtc demo` finds its mini-program installed when the sources are gone.
    examples = glob.glob(os.path.join(STAGE, '**', 'share', 'mprtc', 'examples', 'video-call', 'pages', 'index', 'index.js'),
                         recursive=True)
    step('examples/video-call is installed under share/mprtc/examples', len(examples) == 1, f'{examples}')

    # Only the public API is exported: every dynamic symbol the library defines is mprtc_*.
    p = run(['nm', '-D', '--defined-only', libs[0]])
    names = [line.split()[-1] for line in p.stdout.splitlines() if line.split()[-2:-1] == ['T']]
    step('libmprtc exports the public API only', p.returncode == 0 and names and
         all(n.startswith('mprtc_') and not n.startswith('mprtc__') for n in names), ' '.join(names))

    # mprtc.pc is relocatable: found in the staged tree, it names the staged folders.
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]))
    p = run(['pkg-config', '--cflags', '--libs', 'mprtc'], env=env)
    if not step('pkg-config --cflags --libs mprtc', p.returncode == 0, p.stderr):
        return
    flags = p.stdout.split()
    host = os.path.join(STAGE, 'mprtc-host')
    p = run([CC, os.path.join(SOURCE, 'examples', 'host', 'host.c'), *flags, *EXTRA_CFLAGS, '-o', host])
    if not step('examples/host/host.c builds against the installed library', p.returncode == 0, p.stderr):
        return

    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(libs[0]))
    p = run([host, os.path.join(SOURCE, 'examples', 'host')], env=env, timeout=60)
    out = p.stdout
    step('the host runs its app to the end', p.returncode == 0 and 'host: done, status 0' in out,
         f'exit {p.returncode}\n{out}{p.stderr}')
    step("the app's console reaches the host's log handler",
         "[host-example info] hello from app 'host-example' inside mprtc-host-example" in out, out)
    step('the permission question reaches the host, whose no reaches the app',
         'host: host-example asks for the microphone: no' in out and
         '[host-example warn] no microphone: NotAllowedError' in out, out)
    step('a data channel between two peers carries a message',
         '[host-example info] b received: across the data channel' in out, out)
    step('the host method gets its params as JSON',
         'host: the app reports {"message":"across the data channel"' in out and '"state":"connected"' in out, out)


if __name__ == '__main__':
    try:
        main()
    finally:
        shutil.rmtree(STAGE, ignore_errors=True)
    print('TAP version 13')
    print(f'1..{len(results)}')
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {i} - {name}')
        if not ok:
            for line in str(detail).splitlines()[-40:]:
                print('  # ' + line)
    sys.exit(0 if results and all(ok for _, ok, _ in results) else 1)
