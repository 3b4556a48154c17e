#!/usr/bin/env python3
"""<webrtc-video> and <webrtc-audio> through `mprtc run`: components bound by stream ID to real
streams (the fake camera and microphone, and a second RTCPeerConnection's remote stream), their
events, their frames in the snapshot, their audio measured or played through a private
PulseAudio server; and examples/loopback.

Usage: test_media.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mp import MPRTC, TMP, by_id, check, lines_with, package, run, test  # noqa: E402
import png  # noqa: E402  (tests/support, on the path mp sets)
import pulse_server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RATIO = 2  # the snapshot's pixels per CSS pixel


def no_pulse_env():
    """The environment of a machine without a sound server: audio is only measured."""
    env = {k: v for k, v in os.environ.items() if k != 'PULSE_SERVER'}
    env['XDG_RUNTIME_DIR'] = tempfile.mkdtemp(prefix='mprtc-nopulse-', dir=TMP)
    return env


def run_media(root, *args, env=None):
    p = subprocess.run([MPRTC, 'run', root, '--timeout', '40', '--grant', 'camera,microphone', *args, '--dump-view'],
                       capture_output=True, text=True, timeout=90, env=env or no_pulse_env())
    check(p.returncode == 0, 'the run succeeds', p)
    return p, json.loads(p.stdout)


def region(image, box, inset=4):
    """The pixels (r, g, b) of a dumped box in a snapshot, a few pixels inside its edges."""
    x0, y0 = int(box[0] * RATIO) + inset, int(box[1] * RATIO) + inset
    x1, y1 = int((box[0] + box[2]) * RATIO) - inset, int((box[1] + box[3]) * RATIO) - inset
    return [png.pixel(image, x, y) for y in range(y0, y1, 2) for x in range(x0, x1, 2)]


def brightness(pixels):
    return sum(sum(p) for p in pixels) / (3 * len(pixels))


def differing(a, b):
    return sum(1 for p, q in zip(a, b) if max(abs(p[i] - q[i]) for i in range(3)) > 24) / len(a)


# ---- examples/loopback ----

@test
def loopback_example_renders_both_streams():
    a, b = os.path.join(TMP, 'loopback-a.png'), os.path.join(TMP, 'loopback-b.png')
    p, dump = run_media(os.path.join(ROOT, 'examples', 'loopback'), '--wait-for', '#playing', '--snapshot', a,
                        '--tap', '#hangup', '--tap', '#call', '--wait-for', '#playing', '--snapshot', b)
    check('[view]' not in p.stderr, 'no warning from the view', p)
    for id_ in ('local', 'remote'):
        media = by_id(dump, id_)['media']
        check(media['bound'] and media['videoWidth'] == 640 and media['videoHeight'] == 480 and
              media['framesRendered'] > 0, f'{id_} bound and rendering: {media}', p)
    check(by_id(dump, 'local')['media']['streamId'] != by_id(dump, 'remote')['media']['streamId'], 'two streams', p)
    audio = by_id(dump, 'remote-audio')['media']
    check(audio['bound'] and audio['audioLevel'] > 0.01 and audio['output'] == 'none', f'remote audio plays: {audio}', p)
    first, second = png.read(a), png.read(b)
    for id_ in ('local', 'remote'):
        box = by_id(dump, id_)['box']
        ra, rb = region(first, box), region(second, box)
        check(brightness(ra) > 40 and brightness(rb) > 40, f'{id_}: the test pattern shows, not black', p)
        check(differing(ra, rb) > 0.01, f'{id_}: the picture moves between the snapshots ({differing(ra, rb):.4f})', p)


PRESENT_JS = r"""
Page({
  async onLoad() {
    const s = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 } });
    this.setData({ id: s.id });
  },
  // Two seconds of video once it plays: the window the paints are counted in.
  onPlay() { setTimeout(() => this.setData({ held: true }), 2000); },
});
"""


@test
def present_repaints_the_window_as_frames_come():
    root = package({'pages/index/index.js': PRESENT_JS,
                    'pages/index/index.wxml': '<webrtc-video stream-id="{{id}}" bindplay="onPlay"/><view wx:if="{{held}}" id="held"/>'})
    p, dump = run_media(root, '--present', '--wait-for', '#held')
    # A 30 fps camera for two seconds, at most 60 paints a second; loaded machines paint less.
    check(10 <= dump['paints'] <= 60 * 4, f'the window was painted as frames came: {dump["paints"]} paints', p)
    p, dump = run_media(root, '--wait-for', '#held')
    check('paints' not in dump, 'without --present nothing is painted but snapshots', p)


# ---- binding by stream ID ----

BINDING_JS = r"""
const log = (...a) => console.log('LOG', ...a);
Page({
  data: { a: '', b: '', unknown: 'no-such-stream', long: 'x'.repeat(2000) },
  async onLoad() {
    this.local = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    // Two elements on one stream.
    this.setData({ a: this.local.id, b: this.local.id });
  },
  // A remote stream whose ID, 'later-stream', an element waits for since the page loaded.
  async connect() {
    const caller = new RTCPeerConnection(), callee = new RTCPeerConnection();
    this.peers = [caller, callee];
    caller.onicecandidate = (e) => e.candidate && callee.addIceCandidate(e.candidate);
    callee.onicecandidate = (e) => e.candidate && caller.addIceCandidate(e.candidate);
    callee.ontrack = (e) => log('TRACK', e.streams[0].id);
    caller.addTrack(this.local.getVideoTracks()[0], this.local);
    const offer = await caller.createOffer();
    await caller.setLocalDescription(offer);
    await callee.setRemoteDescription({ type: 'offer', sdp: offer.sdp.replaceAll(this.local.id, 'later-stream') });
    await callee.setLocalDescription();
    await caller.setRemoteDescription(callee.localDescription);
  },
  switchB() { this.played.delete('b'); this.setData({ b: 'later-stream', switched: true, played_b: false }); },
  stop() { this.local.getVideoTracks()[0].stop(); },
  played: new Set(),
  onPlay(e) {
    const id = e.currentTarget.id;
    log('PLAY', id, e.type);
    this.played.add(id);
    this.setData({ ['played_' + id]: true, bothPlayed: this.played.has('a') && this.played.has('b') });
  },
  onResize(e) { log('RESIZE', e.currentTarget.id, e.detail.videoWidth, e.detail.videoHeight); },
  onEnded(e) { log('ENDED', e.currentTarget.id); this.setData({ ['ended_' + e.currentTarget.id]: true }); },
  onError(e) { log('ERROR', e.currentTarget.id, e.detail.errMsg); this.setData({ errored: true }); },
});
"""

BINDING_WXML = """
<webrtc-video id="a" stream-id="{{a}}" bindplay="onPlay" bindresize="onResize" bindended="onEnded"/>
<webrtc-video id="b" stream-id="{{b}}" bindplay="onPlay" bindresize="onResize"/>
<webrtc-video id="later" stream-id="later-stream" bindplay="onPlay"/>
<webrtc-video id="unknown" stream-id="{{unknown}}" style="width: {{switched ? 200 : 300}}px"/>
<webrtc-video id="bad" stream-id="{{long}}" binderror="onError"/>
<view wx:if="{{bothPlayed}}" id="both"/>
<view wx:if="{{played_later}}" id="later-playing"/>
<view wx:if="{{switched && played_b}}" id="b-again"/>
<view wx:if="{{ended_a}}" id="a-ended"/>
<view wx:if="{{errored}}" id="errored"/>
<button id="connect" bindtap="connect">connect</button>
<button id="switch" bindtap="switchB">switch</button>
<button id="stop" bindtap="stop">stop</button>
"""


@test
def components_bind_switch_wait_and_end():
    root = package({'pages/index/index.js': BINDING_JS, 'pages/index/index.wxml': BINDING_WXML})
    shot = os.path.join(TMP, 'binding.png')
    p, dump = run_media(root, '--size', '375x1300', '--wait-for', '#both', '--wait-for', '#errored', '--tap', '#connect',
                        '--wait-for', '#later-playing', '--tap', '#switch', '--wait-for', '#b-again',
                        '--tap', '#stop', '--wait-for', '#a-ended', '--snapshot', shot)
    log = lines_with(p.stderr, 'LOG')
    plays = [l.split()[1] for l in log if l.startswith('PLAY')]
    check(sorted(plays[:2]) == ['a', 'b'] and plays[2:] == ['later', 'b'],
          f'play: both on one stream, then the one that waited, then b on its new stream: {plays}', p)
    check(all(l.endswith('play') for l in log if l.startswith('PLAY')), 'event.type', p)
    check('TRACK later-stream' in log, 'the remote stream has the ID the element waited for', p)
    check('RESIZE a 320 240' in log and 'RESIZE b 320 240' in log, f'resize with the video size: {log}', p)
    check(log.count('ENDED a') == 1, 'ended once for the stopped track', p)
    errors = [l for l in log if l.startswith('ERROR bad')]
    check(len(errors) == 1 and 'longer than 1024' in errors[0], f'binderror with errMsg: {errors}', p)
    # One warning for the unknown ID, however often the page renders; one for the stream that ended.
    warnings = [l for l in p.stderr.splitlines() if l.startswith('[view]')]
    check(len([w for w in warnings if 'no-such-stream' in w]) == 1, f'one warning for the unknown stream: {warnings}', p)
    check(len([w for w in warnings if 'ended' in w]) == 1, f'one warning for the ended stream: {warnings}', p)
    media = {id_: by_id(dump, id_)['media'] for id_ in ('a', 'b', 'later', 'unknown')}
    check(not media['a']['bound'] and media['a']['framesRendered'] > 0 and media['a']['videoWidth'] == 0,
          f'a: unbound after its track stopped: {media["a"]}', p)
    check(media['b']['bound'] and media['b']['streamId'] == 'later-stream', f'b switched: {media["b"]}', p)
    check(media['later']['bound'], f'later bound: {media["later"]}', p)
    check(not media['unknown']['bound'] and media['unknown']['framesRendered'] == 0, 'unknown: nothing', p)
    image = png.read(shot)
    for id_ in ('a', 'unknown'):
        check(brightness(region(image, by_id(dump, id_)['box'])) < 2, f'{id_} shows black', p)
    check(brightness(region(image, by_id(dump, 'later')['box'])) > 40, 'later shows the picture', p)


# ---- audio ----

AUDIO_JS = r"""
Page({
  played: 0,
  async onLoad() {
    const s = await navigator.mediaDevices.getUserMedia({ audio: true });
    this.setData({ id: s.id });
  },
  onPlay() { if (++this.played === 3) this.setData({ playing: true }); },
});
"""

AUDIO_WXML = """
<webrtc-audio id="full" stream-id="{{id}}" bindplay="onPlay"/>
<webrtc-audio id="half" stream-id="{{id}}" volume="0.5" bindplay="onPlay"/>
<webrtc-audio id="muted" stream-id="{{id}}" muted bindplay="onPlay"/>
<view wx:if="{{playing}}" id="playing"/>
"""


@test
def audio_is_measured_with_volume_and_mute():
    root = package({'pages/index/index.js': AUDIO_JS, 'pages/index/index.wxml': AUDIO_WXML})
    p, dump = run_media(root, '--wait-for', '#playing')
    m = {id_: by_id(dump, id_)['media'] for id_ in ('full', 'half', 'muted')}
    check(all(x['bound'] and x['framesRendered'] > 0 and x['output'] == 'none' for x in m.values()),
          f'all bound, measured without a sound server: {m}', p)
    check(m['full']['audioLevel'] > 0.05, f'the tone is heard: {m["full"]}', p)
    ratio = m['half']['audioLevel'] / m['full']['audioLevel']
    check(0.45 < ratio < 0.55, f'volume 0.5 halves the level: {ratio:.3f}', p)
    check(m['muted']['audioLevel'] == 0, 'muted is silent', p)


@test
def audio_plays_through_pulseaudio():
    pulse = pulse_server.Pulse(tempfile.mkdtemp(prefix='mprtc-pulse-', dir=TMP))
    try:
        pulse.start()
        before = len(pulse.pactl('list', 'short', 'sink-inputs').stdout.splitlines())
        root = package({'pages/index/index.js': AUDIO_JS, 'pages/index/index.wxml': AUDIO_WXML})
        proc = subprocess.Popen([MPRTC, 'run', root, '--grant', 'microphone', '--timeout', '40', '--wait-for',
                                 '#playing', '--duration', '30', '--dump-view'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=pulse.env)
        playing = 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            playing = len(pulse.pactl('list', 'short', 'sink-inputs').stdout.splitlines()) - before
            if playing >= 3:
                break
            time.sleep(0.1)
        proc.terminate()  # the run ends as at its end: the dump comes
        out, err = proc.communicate(timeout=30)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        check(playing >= 3, f'three streams play into the server ({playing})', result)
        check(proc.returncode == 0, 'the interrupted run ends well', result)
        dump = json.loads(out)
        check(by_id(dump, 'full')['media']['output'] == 'pulseaudio', 'the dump says where it plays', result)
    except RuntimeError as e:
        pulse.dump_log()
        raise AssertionError(str(e))
    finally:
        pulse.stop()


# ---- the SDK's side: Renderer call blocks ----

@test
def renderer_call_blocks_are_validated():
    script = os.path.join(TMP, 'renderer-calls.js')
    with open(script, 'w') as f:
        f.write("""
const tries = [
  {},
  { slot: 1 },
  { slot: 99999, kind: 'video' },
  { slot: 99999, kind: 'audio', volume: 2 },
  { slot: 99999, kind: 'audio', streamId: 7 },
  { slot: 99999, kind: 'video', extra: true },
  { slot: -1, kind: 'video' },
];
for (const params of tries) {
  try { await mprtc.bridge.call('Renderer.create', params); console.log('RESULT resolved'); }
  catch (e) { console.log('RESULT', e.name, e.message); }
}
try { await mprtc.bridge.call('Renderer.set', {}, { target: 123456 }); } catch (e) { console.log('RESULT', e.name); }
""")
    p = subprocess.run([MPRTC, 'exec', script, '--testing', '--timeout', '20'], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, 'runs', p)
    results = lines_with(p.stdout, 'RESULT')
    names = [r.split()[0] for r in results]
    check(names == ['TypeError', 'TypeError', 'NotFoundError', 'TypeError', 'TypeError', 'TypeError', 'TypeError',
                    'NotFoundError'], f'each refused with its reason: {results}', p)
    check("'slot' is required" in results[0] and "'kind'" in results[1] and 'no frame slot 99999' in results[2] and
          "'volume'" in results[3] and "'extra'" in results[5], f'the reasons: {results}', p)

if __name__ == '__main__':
    import mp
    mp.main()
