"""examples/video-call: two instances in one room of `mprtc signal` call each other (real
connections, the fake camera and microphone); the stats line moves; the one who stays waits when
the other leaves and is called again by the next one.

Usage: test_video_call.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import json
import os
import re
import subprocess
import sys
from urllib.parse import quote

from mp import MPRTC, TMP, Signal, by_id, check, main, test, texts  # noqa: E402
import png  # noqa: E402  (tests/support, on the path mp sets)

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'examples', 'video-call')


def instance(name, url, room, *args):
    page = f'pages/index/index?room={room}&autojoin=1&server={quote(url, safe="")}'
    return subprocess.Popen([MPRTC, 'run', EXAMPLE, '--app', name, '--page', page, '--grant', 'camera,microphone', *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, what):
    out, err = proc.communicate(timeout=120)
    proc.stdout, proc.stderr = out, err
    check(proc.returncode == 0, f'{what} exits 0', proc)
    return proc


def video_region(image, dump, id_):
    x, y, w, h = by_id(dump, id_)['box']
    # The middle of the element, in snapshot pixels (ratio 2).
    return [png.pixel(image, int((x + w * fx) * 2), int((y + h * fy) * 2)) for fx in (0.2, 0.5, 0.8) for fy in (0.3, 0.7)]


@test
def two_instances_call_each_other():
    """b leaves first (its run is shorter): its dump is of the call; a's, of the wait after."""
    with Signal() as url:
        shots = {n: os.path.join(TMP, f'video-call-{n}.png') for n in 'ab'}
        # The snapshot is a step (a step follows it): painted while the call runs.
        steps = ['--wait-for', '#remote-playing', '--wait-for', '#stats-flowing', '--dump-view']
        a = instance('a', url, 'pair', '--duration', '35', *steps, '--snapshot', shots['a'], '--wait-for', '#status')
        b = instance('b', url, 'pair', '--duration', '22', *steps, '--snapshot', shots['b'], '--wait-for', '#status')
        a, b = finish(a, 'the first instance'), finish(b, 'the second instance')
    dump = json.loads(b.stdout)
    remote = by_id(dump, 'remote')
    check(remote['media']['bound'] and remote['media']['framesRendered'] > 30, f'the remote video rendered: {remote["media"]}', b)
    line = texts(by_id(dump, 'stats'))
    m = re.match(r'(\d+) kbps · (\d+) fps · rtt (\d+) ms', line)
    check(m and int(m.group(1)) > 100 and int(m.group(2)) >= 10, f'the stats line moves: {line!r}', b)
    check(texts(by_id(dump, 'connected')).startswith('call 1: connected in'), 'connected once', b)
    after = json.loads(a.stdout)
    check(texts(by_id(after, 'status')) == 'they left: waiting for someone to join', 'the other side left: a waits', a)
    check(not by_id(after, 'remote')['media']['bound'], 'and shows no remote video', a)
    for name, proc in (('a', a), ('b', b)):
        pixels = video_region(png.read(shots[name]), dump, 'remote')
        check(max(max(p) for p in pixels) > 100, f'{name}: the remote video region is not black: {pixels}', proc)


@test
def the_one_who_stays_is_called_again():
    with Signal() as url:
        a = instance('a', url, 'again', '--timeout', '60', '--wait-for', '#call-1', '--wait-for', '#call-2',
                     '--wait-for', '#remote-playing', '--dump-view')
        # The first caller leaves once its call ran; the second comes after.
        b1 = instance('b1', url, 'again', '--timeout', '30', '--wait-for', '#remote-playing')
        finish(b1, 'the first caller')
        b2 = instance('b2', url, 'again', '--duration', '30', '--wait-for', '#connected')
        a = finish(a, 'the one who stays')
        finish(b2, 'the second caller')
    dump = json.loads(a.stdout)
    check(texts(by_id(dump, 'connected')).startswith('call 2: connected in'), 'a second call after the first left', a)
    check(by_id(dump, 'remote')['media']['bound'], 'the second caller\'s video is shown', a)


@test
def a_bad_server_address_is_said():
    proc = subprocess.run([MPRTC, 'run', EXAMPLE, '--page', 'pages/index/index?room=r&autojoin=1&server=not-a-url', '--grant',
                           'camera,microphone', '--timeout', '30', '--wait-for', '#error', '--dump-view'],
                          capture_output=True, text=True, timeout=60)
    check(proc.returncode == 0, 'the run ends with the error shown', proc)
    dump = json.loads(proc.stdout)
    check("the signaling server 'not-a-url'" in texts(by_id(dump, 'error')), 'the page says what was wrong', proc)
    check(texts(by_id(dump, 'status')) == 'not joined' and by_id(dump, 'join'), 'it can join again', proc)
    check(not by_id(dump, 'local')['media']['bound'], 'the camera was let go', proc)


main()
