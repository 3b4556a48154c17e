"""`mprtc demo`, as a newcomer runs it: two instances of examples/video-call call each other
through the demo's own signaling server; the progress is printed, the snapshots show video that
is not black and differs between the two; the call that cannot connect, or carries no video,
fails with its reason; --browser has headless Chromium call an instance.

Usage: test_demo.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import json
import os
import re
import shutil
import struct
import subprocess

from mp import MPRTC, TMP, by_id, check, main, test  # noqa: E402
import png  # noqa: E402  (tests/support, on the path mp sets)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'video-call')
FIGURES = re.compile(r'\] (\w+): (\d+) kbps · (\d+) fps · rtt (\d+) ms   (\w+): (\d+) kbps · (\d+) fps · rtt (\d+) ms$')


def demo(*args, timeout=120, env=None):
    return subprocess.run([MPRTC, 'demo', *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def said(proc, pattern):
    """The first line of stdout that matches: its match."""
    for line in proc.stdout.splitlines():
        m = re.search(pattern, line)
        if m:
            return m
    return None


def in_call_layout():
    """The page's boxes once joined (the join row gone), from a run whose server is unreachable:
    the same layout as during the call."""
    page = 'pages/index/index?room=r&autojoin=1&server=' + 'ws%3A%2F%2F127.0.0.1%3A1%2Fsignal'
    proc = subprocess.run([MPRTC, 'run', EXAMPLE, '--page', page, '--grant', 'camera,microphone', '--timeout', '30',
                           '--wait-for', '#error', '--dump-view'], capture_output=True, text=True, timeout=60)
    check(proc.returncode == 0, 'the layout run', proc)
    return json.loads(proc.stdout)


def region(image, dump, id_):
    """A grid of 8 x 6 pixels over the element, in snapshot pixels (ratio 2)."""
    x, y, w, h = by_id(dump, id_)['box']
    return [png.pixel(image, int((x + w * (i + 0.5) / 8) * 2), int((y + h * (j + 0.5) / 6) * 2)) for i in range(8) for j in range(6)]


def brightness(pixels):
    return sum(sum(p) for p in pixels) / (3 * len(pixels))


def snapshots_of(proc, names):
    paths = {}
    for name in names:
        m = said(proc, rf'\] {name}: snapshot of the page written to (\S+\.png)$')
        check(m, f'{name}: its snapshot\'s path is printed', proc)
        check(os.path.isfile(m.group(1)), f'{name}: {m.group(1)} exists', proc)
        paths[name] = m.group(1)
    return paths


def check_progress(proc, names):
    """Each side's steps, in order, then the figures with frames on both sides."""
    for name in names:
        steps = [said(proc, rf'\] {name}: (starting the camera|joining|negotiating)$'),
                 said(proc, rf'\] {name}: connected in (\d+) ms$'), said(proc, rf'\] {name}: first remote frame$')]
        check(all(steps), f'{name}: its progress is printed (camera or joining, negotiating, connected, first frame)', proc)
        lines = proc.stdout.splitlines()
        order = [next(i for i, l in enumerate(lines) if m.group(0) in l) for m in steps]
        check(order == sorted(order), f'{name}: in that order', proc)
    figures = [FIGURES.search(l) for l in proc.stdout.splitlines()]
    figures = [m for m in figures if m]
    check(len(figures) >= 3, 'figures every second for a few seconds', proc)
    for m in figures:
        check(m.group(1) == names[0] and m.group(5) == names[1], 'both sides on each line', proc)
        check(int(m.group(3)) > 0 and int(m.group(7)) > 0, f'frames per second on both sides: {m.group(0)}', proc)
        check(int(m.group(2)) > 50 and int(m.group(6)) > 50, f'bitrate on both sides: {m.group(0)}', proc)
    check(said(proc, r'\] hung up: both pages left the room$'), 'it hangs up', proc)


@test
def two_instances_call_each_other_and_are_snapshotted():
    out = os.path.join(TMP, 'demo-out', 'nested')
    proc = demo('--out', out, '--seconds', '3')
    check(proc.returncode == 0, 'mprtc demo exits 0', proc)
    check(said(proc, r'signaling server on ws://127\.0\.0\.1:\d+/signal'), 'it says where it signals', proc)
    check_progress(proc, ['a', 'b'])
    shots = snapshots_of(proc, ['a', 'b'])
    check(shots == {n: os.path.join(out, f'mprtc-demo-{n}.png') for n in 'ab'}, f'the snapshots are in --out: {shots}', proc)
    dump = in_call_layout()
    images = {n: png.read(p) for n, p in shots.items()}
    for n, image in images.items():
        for id_ in ('local', 'remote'):
            pixels = region(image, dump, id_)
            check(brightness(pixels) > 60, f'{n}: the {id_} video region is not black: {pixels[:8]}...', proc)
    # Two instances, two pictures: their cameras' frame stamps and noise differ, and so do the
    # frames each shows of the other.
    differ = sum(1 for p, q in zip(region(images['a'], dump, 'remote'), region(images['b'], dump, 'remote')) if p != q)
    check(differ >= 4, f'the two snapshots\' remote videos differ ({differ} of 48 pixels)', proc)


@test
def the_readme_first_command_writes_into_the_current_folder():
    """The README's first line, as a newcomer runs it (setup aside), from a folder of their own."""
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
        first = f.read().split('```sh\n', 1)[1].splitlines()[0].split('#')[0].strip()
    check(first == 'scripts/setup.sh && build/mprtc demo', 'the first command: ' + first)
    here = os.path.join(TMP, 'cwd')
    os.makedirs(here)
    proc = subprocess.run([MPRTC, 'demo'], capture_output=True, text=True, timeout=120, cwd=here)
    check(proc.returncode == 0, 'mprtc demo exits 0', proc)
    check(sorted(os.listdir(here)) == ['mprtc-demo-a.png', 'mprtc-demo-b.png'], f'two snapshots in the cwd: {os.listdir(here)}', proc)


def changed_example(name, old, new):
    """A copy of examples/video-call with one line of its page changed."""
    root = os.path.join(TMP, name)
    shutil.copytree(EXAMPLE, root)
    page = os.path.join(root, 'pages', 'index', 'index.js')
    with open(page, encoding='utf-8') as f:
        text = f.read()
    check(old in text, f'the example still has: {old}')
    with open(page, 'w', encoding='utf-8') as f:
        f.write(text.replace(old, new))
    return root


@test
def a_call_that_does_not_connect_fails_with_its_reason():
    # Relay candidates only, and no relay: nothing to connect over.
    root = changed_example('no-connect', 'new RTCPeerConnection()', "new RTCPeerConnection({ iceTransportPolicy: 'relay' })")
    proc = demo('--example', root, '--timeout', '4', '--out', os.path.join(TMP, 'no-connect-out'))
    check(proc.returncode == 1, 'exit 1', proc)
    check(re.search(r'mprtc demo: the call did not connect within 4 s \(a: \w.*; b: \w.*\)', proc.stderr),
          'the reason, with where each side stands', proc)
    check(not os.path.exists(os.path.join(TMP, 'no-connect-out', 'mprtc-demo-a.png')), 'no snapshot', proc)


@test
def a_call_without_video_fails_with_its_reason():
    root = changed_example('no-video', 'for (const track of this.local.getTracks())', 'for (const track of this.local.getAudioTracks())')
    proc = demo('--example', root, '--timeout', '6')
    check(proc.returncode == 1, 'exit 1', proc)
    check(said(proc, r'\] a: connected in \d+ ms$') and said(proc, r'\] b: connected in \d+ ms$'), 'they connected', proc)
    check('mprtc demo: no video frames arrived within 6 s' in proc.stderr, 'the reason', proc)


@test
def bad_options():
    for args, words in ((['--seconds', 'x'], "bad or unknown option '--seconds x'"), (['--nope'], "'--nope'"),
                        (['--example', TMP], f"'{TMP}' is no mini-program (no app.json)")):
        proc = demo(*args)
        check(proc.returncode == 2 and words in proc.stderr, f'{args}: exit 2 and {words}', proc)


@test
def without_a_browser_it_says_how_to_get_one():
    proc = demo('--browser', env={'CHROMIUM': os.path.join(TMP, 'no-chromium-here')})
    check(proc.returncode == 1, 'exit 1', proc)
    check('apt-get install chromium' in proc.stderr and 'CHROMIUM=' in proc.stderr, 'how to install it, or name one', proc)


@test
def a_browser_calls_an_instance():
    out = os.path.join(TMP, 'browser-out')
    proc = demo('--browser', '--out', out, '--seconds', '3')
    check(proc.returncode == 0, 'mprtc demo --browser exits 0', proc)
    check(said(proc, r'\] browser: \S*chrom\S* opened http://127\.0\.0\.1:\d+/\?room=demo&autojoin=1$'), 'the browser opens the page', proc)
    check_progress(proc, ['a', 'browser'])
    shots = snapshots_of(proc, ['a', 'browser'])
    with open(shots['browser'], 'rb') as f:
        head = f.read(24)
    width, height = struct.unpack('>II', head[16:24])
    check(head[:8] == b'\x89PNG\r\n\x1a\n' and width == 800 and height > 400, f'the browser\'s page as a PNG: {width}x{height}', proc)
    pixels = region(png.read(shots['a']), in_call_layout(), 'remote')
    check(brightness(pixels) > 40, f'the browser\'s video in the instance\'s snapshot is not black: {pixels[:8]}...', proc)


main()
