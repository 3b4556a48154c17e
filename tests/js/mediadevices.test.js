// navigator.mediaDevices, MediaStream and MediaStreamTrack over the fake devices. Run with
// --grant camera,microphone.
import { test, assert, run } from './harness.js';
import { snapshotUntil } from './lib/media.js';

const info = () => mprtc.bridge.info();

test('navigator and the globals', () => {
  assert.ok(navigator.mediaDevices instanceof MediaDevices);
  assert.ok(navigator.mediaDevices instanceof EventTarget);
  assert.equal(Object.prototype.toString.call(navigator), '[object Navigator]');
  assert.match(navigator.userAgent, /^mprtc\//);
  assert.throws(() => new MediaDevices(), TypeError);
  assert.throws(() => new MediaStreamTrack(), TypeError);
  assert.equal(navigator.mediaDevices.ondevicechange, null);
  const supported = navigator.mediaDevices.getSupportedConstraints();
  for (const k of ['width', 'height', 'frameRate', 'facingMode', 'deviceId', 'aspectRatio', 'channelCount']) {
    assert.equal(supported[k], true, k);
  }
});

test('enumerateDevices lists the fake camera and microphone', async () => {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const camera = devices.find((d) => d.kind === 'videoinput');
  const mic = devices.find((d) => d.kind === 'audioinput');
  assert.ok(camera instanceof InputDeviceInfo && camera instanceof MediaDeviceInfo);
  assert.equal(camera.deviceId, 'mprtc-fake-camera');
  assert.equal(mic.deviceId, 'mprtc-fake-microphone');
  assert.deepEqual(Object.keys(camera.toJSON()), ['deviceId', 'kind', 'label', 'groupId']);
  const caps = camera.getCapabilities();
  assert.ok(caps.width.min <= 640 && caps.width.max >= 1280, 'width range');
  assert.deepEqual(caps.facingMode, ['user']);
  assert.equal(mic.getCapabilities().sampleRate.max, 48000);
});

test('getUserMedia: audio and video with the defaults', async () => {
  const before = await info();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  assert.ok(stream instanceof MediaStream);
  assert.match(stream.id, /^[0-9a-f-]{36}$/);
  assert.equal(stream.active, true);
  const [audio] = stream.getAudioTracks();
  const [video] = stream.getVideoTracks();
  assert.equal(stream.getTracks().length, 2);
  assert.equal(audio.kind, 'audio');
  assert.equal(video.kind, 'video');
  assert.match(video.label, /fake camera/);
  assert.equal(video.readyState, 'live');
  assert.equal(video.enabled, true);
  assert.equal(video.muted, false);
  assert.notEqual(audio.id, video.id);
  assert.equal(stream.getTrackById(video.id), video);
  assert.equal(stream.getTrackById('nope'), null);
  const s = video.getSettings();
  assert.equal(s.width, 640);
  assert.equal(s.height, 480);
  assert.equal(s.frameRate, 30);
  assert.equal(s.deviceId, 'mprtc-fake-camera');
  assert.equal(audio.getSettings().sampleRate, 48000);
  assert.equal((await info()).captures, before.captures + 2);
  // Frames flow: the picture carries the fake camera's stamp and the counter moves.
  const first = await snapshotUntil(video, (x) => x.stamp, 'a stamped frame');
  assert.equal(first.width, 640);
  assert.equal(first.height, 480);
  assert.equal(first.format, 'I420');
  const later = await snapshotUntil(video, (x) => x.stamp && x.stamp.counter >= first.stamp.counter + 3, 'the counter to move');
  assert.ok(later.frames > first.frames);
  const tone = await snapshotUntil(audio, (x) => x.audioLevel > 0.05, 'the tone');
  assert.ok(tone.audioLevel < 0.5, `level ${tone.audioLevel}`);
  // Labels show once the app has been granted.
  const devices = await navigator.mediaDevices.enumerateDevices();
  assert.ok(devices.every((d) => d.label.length > 0));
  for (const t of stream.getTracks()) t.stop();
  assert.equal(video.readyState, 'ended');
  assert.equal(stream.active, false);
});

test('stop releases the device; the last clone keeps it', async () => {
  const base = (await info()).captures;
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } });
  const [video] = stream.getVideoTracks();
  const copy = video.clone();
  assert.notEqual(copy.id, video.id);
  assert.equal(copy.kind, 'video');
  assert.deepEqual(copy.getSettings(), video.getSettings());
  let ended = 0;
  video.onended = () => ended++;
  video.stop();
  video.stop(); // twice: no-op
  await snapshotUntil(copy, (x) => x.frames > 2, 'the clone to see frames after the original stopped');
  assert.equal((await info()).captures, base + 1);
  await assert.rejects(mprtc.media.snapshot(video), 'InvalidStateError');
  copy.stop();
  // The stop call block precedes this one: the SDK has released the device by now.
  assert.equal((await info()).captures, base);
  assert.equal(ended, 0, 'stop() fires no ended event');
  const objects = (await info()).objects;
  const again = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0];
  again.stop();
  assert.ok((await info()).objects <= objects + 1, 'at most the stream object stays');
  assert.equal((await info()).captures, base);
});

test('enabled = false delivers black frames and silence; true restores them', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  const [audio] = stream.getAudioTracks();
  const [video] = stream.getVideoTracks();
  const copy = video.clone();
  await snapshotUntil(video, (x) => x.stamp, 'a live frame');
  video.enabled = false;
  audio.enabled = false;
  assert.equal(video.enabled, false);
  const black = await snapshotUntil(video, (x) => x.meanLuma === 16 && x.frames > 0, 'a black frame');
  assert.equal(black.stamp, undefined);
  assert.equal(black.width, 320);
  await snapshotUntil(audio, (x) => x.audioLevel === 0, 'silence');
  // A clone has its own enabled flag.
  const live = await snapshotUntil(copy, (x) => x.stamp, 'the clone still live');
  assert.ok(live.meanLuma > 30);
  const disabledClone = video.clone();
  assert.equal(disabledClone.enabled, false);
  await snapshotUntil(disabledClone, (x) => x.frames > 0 && x.meanLuma === 16, 'a disabled clone');
  video.enabled = true;
  audio.enabled = true;
  await snapshotUntil(video, (x) => x.stamp, 'live frames again');
  await snapshotUntil(audio, (x) => x.audioLevel > 0.05, 'the tone again');
  for (const t of [audio, video, copy, disabledClone]) t.stop();
});

test('constraints choose size and rate', async () => {
  const get = async (video) => {
    const s = await navigator.mediaDevices.getUserMedia({ video });
    const t = s.getVideoTracks()[0];
    const settings = t.getSettings();
    const snap = await snapshotUntil(t, (x) => x.width, 'a frame');
    t.stop();
    assert.equal(snap.width, settings.width, 'frames at the chosen width');
    assert.equal(snap.height, settings.height, 'frames at the chosen height');
    return { settings, constraints: t.getConstraints(), caps: t.getCapabilities() };
  };
  let r = await get({ width: 1280, height: 720, frameRate: 15 });
  assert.equal(r.settings.width, 1280);
  assert.equal(r.settings.height, 720);
  assert.equal(r.settings.frameRate, 15);
  assert.deepEqual(r.constraints, { width: 1280, height: 720, frameRate: 15 });
  assert.equal(r.caps.deviceId, 'mprtc-fake-camera');
  r = await get({ width: { ideal: 5000 } }); // ideal beyond the device: the nearest it can do
  assert.equal(r.settings.width, 1920);
  r = await get({ width: { min: 700, max: 800 } });
  assert.ok(r.settings.width >= 700 && r.settings.width <= 800, String(r.settings.width));
  r = await get({ height: 360, aspectRatio: 16 / 9 });
  assert.equal(r.settings.height, 360);
  assert.equal(r.settings.width, 640);
  r = await get({ width: { exact: 320 }, aspectRatio: { exact: 1 } });
  assert.equal(r.settings.width, 320);
  assert.equal(r.settings.height, 320);
  r = await get({ facingMode: 'environment' }); // ideal: no error when unmet
  assert.equal(r.settings.facingMode, 'user');
  r = await get({ deviceId: { exact: 'mprtc-fake-camera' }, advanced: [{ width: 99999 }, { width: 800 }] });
  assert.equal(r.settings.width, 800, 'the advanced set that can be met is applied');
});

test('errors: TypeError, OverconstrainedError, NotFoundError', async () => {
  const gum = (c) => navigator.mediaDevices.getUserMedia(c);
  const before = await info();
  await assert.rejects(gum({}), TypeError);
  await assert.rejects(gum(), TypeError);
  await assert.rejects(gum({ audio: false, video: false }), TypeError);
  await assert.rejects(gum({ video: 'yes' }), TypeError);
  await assert.rejects(gum(42), TypeError);
  await assert.rejects(gum({ video: { width: { exact: 'wide' } } }), TypeError);
  const over = async (c, constraint) => {
    try {
      await gum(c);
    } catch (e) {
      assert.ok(e instanceof OverconstrainedError, `${e.name}: ${e.message}`);
      assert.ok(e instanceof DOMException);
      assert.equal(e.name, 'OverconstrainedError');
      assert.equal(e.constraint, constraint);
      return;
    }
    throw new Error(`${JSON.stringify(c)} did not reject`);
  };
  await over({ video: { width: { exact: 4000 } } }, 'width');
  await over({ video: { width: { min: 10 } , height: { max: 20 } } }, 'height');
  await over({ video: { frameRate: { min: 120 } } }, 'frameRate');
  await over({ video: { facingMode: { exact: 'environment' } } }, 'facingMode');
  await over({ video: { deviceId: { exact: 'no-such-camera' } } }, 'deviceId');
  await over({ audio: { echoCancellation: { exact: true } } }, 'echoCancellation');
  await over({ audio: { channelCount: { min: 3 } } }, 'channelCount');
  await over({ video: { width: { min: 800, max: 700 } } }, 'width');
  // Nothing was opened on the way.
  const after = await info();
  assert.equal(after.captures, before.captures);
  assert.equal(after.objects, before.objects);
});

test('MediaStream: construct, add, remove, clone', async () => {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 160, height: 120 } });
  const [audio] = s.getAudioTracks();
  const [video] = s.getVideoTracks();
  const empty = new MediaStream();
  assert.equal(empty.active, false);
  assert.deepEqual(empty.getTracks(), []);
  assert.notEqual(empty.id, s.id);
  const copy = new MediaStream(s);
  assert.deepEqual(copy.getTracks(), s.getTracks());
  const fromList = new MediaStream([video]);
  assert.deepEqual(fromList.getTracks(), [video]);
  assert.throws(() => new MediaStream([1]), TypeError);
  assert.throws(() => new MediaStream(5), TypeError);
  let events = 0;
  empty.onaddtrack = () => events++;
  empty.addTrack(audio);
  empty.addTrack(audio); // twice: once
  assert.deepEqual(empty.getTracks(), [audio]);
  assert.equal(empty.active, true);
  empty.removeTrack(video); // not in it: nothing
  empty.removeTrack(audio);
  assert.deepEqual(empty.getTracks(), []);
  assert.equal(events, 0, 'addTrack() fires no addtrack event');
  assert.throws(() => empty.addTrack({}), TypeError);
  const cloned = s.clone();
  assert.notEqual(cloned.id, s.id);
  assert.equal(cloned.getTracks().length, 2);
  assert.ok(cloned.getTracks().every((t) => !s.getTracks().includes(t)));
  const event = new MediaStreamTrackEvent('addtrack', { track: video });
  assert.equal(event.track, video);
  assert.throws(() => new MediaStreamTrackEvent('addtrack', {}), TypeError);
  for (const t of [...s.getTracks(), ...cloned.getTracks()]) t.stop();
});

test('contentHint', () => {
  return navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } }).then((s) => {
    const [video] = s.getVideoTracks();
    video.contentHint = 'motion';
    assert.equal(video.contentHint, 'motion');
    video.contentHint = 'speech'; // an audio hint: ignored
    assert.equal(video.contentHint, 'motion');
    video.stop();
  });
});

test('applyConstraints changes what the device delivers; constraints that cannot be met change nothing', async () => {
  const s = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 } });
  const [video] = s.getVideoTracks();
  await snapshotUntil(video, (x) => x.width === 320 && x.stamp, '320x240 frames');
  // Already met: nothing restarts.
  await video.applyConstraints({ width: { max: 400 } });
  assert.deepEqual(video.getConstraints(), { width: { max: 400 } });
  assert.equal(video.getSettings().width, 320);
  // New size and rate: the frames follow, the camera's frame counter goes on.
  const before = await mprtc.media.snapshot(video);
  await video.applyConstraints({ width: 160, height: 120, frameRate: 15 });
  assert.deepEqual(video.getConstraints(), { width: 160, height: 120, frameRate: 15 });
  const s2 = video.getSettings();
  assert.deepEqual([s2.width, s2.height, s2.frameRate, s2.aspectRatio], [160, 120, 15, 1.3333]);
  const after = await snapshotUntil(video, (x) => x.width === 160 && x.stamp, '160x120 frames');
  assert.equal(after.height, 120);
  assert.equal(after.frameRate, 15);
  assert.ok(after.stamp.counter > before.stamp.counter, 'the same camera goes on');
  // Only the width: the height follows the current aspect ratio, the rate stays.
  await video.applyConstraints({ width: 240 });
  assert.deepEqual([video.getSettings().width, video.getSettings().height, video.getSettings().frameRate], [240, 180, 15]);
  await snapshotUntil(video, (x) => x.width === 240 && x.height === 180, '240x180 frames');
  // A clone that asks for another size gets a capture of its own; the original keeps its size.
  const clone = video.clone();
  assert.equal((await info()).captures, 1);
  await clone.applyConstraints({ width: 320, height: 240 });
  assert.equal((await info()).captures, 2);
  await snapshotUntil(clone, (x) => x.width === 320 && x.height === 240, 'the clone at 320x240');
  await snapshotUntil(video, (x) => x.frames > 0 && x.width === 240, 'the original still at 240x180');
  assert.equal(video.getSettings().width, 240);
  // Unmet: OverconstrainedError names the constraint; settings and constraints stay.
  for (const [c, name] of [[{ width: { exact: 5000 } }, 'width'], [{ frameRate: { min: 100 } }, 'frameRate'],
                           [{ facingMode: { exact: 'environment' } }, 'facingMode'], [{ deviceId: { exact: 'other' } }, 'deviceId']]) {
    try {
      await video.applyConstraints(c);
      throw new Error(`${JSON.stringify(c)} did not reject`);
    } catch (e) {
      assert.equal(e.name, 'OverconstrainedError');
      assert.equal(e.constraint, name);
    }
  }
  await assert.rejects(video.applyConstraints({ width: { min: 'wide' } }), TypeError);
  assert.deepEqual(video.getConstraints(), { width: 240 });
  assert.equal(video.getSettings().width, 240);
  // In order: the last one wins.
  const [p1, p2] = [video.applyConstraints({ width: 320 }), video.applyConstraints({ width: 160 })];
  await Promise.all([p1, p2]);
  assert.equal(video.getSettings().width, 160);
  await snapshotUntil(video, (x) => x.width === 160, 'the last size asked');
  // Audio: the channel count.
  const mic = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0];
  assert.equal(mic.getSettings().channelCount, 1);
  await mic.applyConstraints({ channelCount: 2 });
  assert.equal(mic.getSettings().channelCount, 2);
  const stereo = await snapshotUntil(mic, (x) => x.frames > 0, 'audio');
  assert.ok(stereo.audioLevel > 0.05);
  await assert.rejects(mic.applyConstraints({ channelCount: { exact: 6 } }), 'OverconstrainedError');
  for (const t of [video, clone, mic]) t.stop();
  await video.applyConstraints({ width: 1 }); // ended: resolves, does nothing
  assert.equal((await info()).captures, 0);
});

test('hostile MediaDevices and MediaStreamTrack call blocks', async () => {
  const call = (m, p, target) => mprtc.bridge.call(m, p, { target });
  await assert.rejects(call('MediaDevices.getUserMedia', {}), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: false, audio: false }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: 1 }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: [] }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: true, bogus: 1 }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: { width: { min: 'x' } } }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: { width: { ideal: 'wide' } } }), TypeError);
  await assert.rejects(call('MediaDevices.getUserMedia', { video: { advanced: [{ height: { max: null } }] } }), TypeError);
  // The SDK's OverconstrainedError arrives as the class, naming its constraint.
  const wide = await assert.rejects(call('MediaDevices.getUserMedia', { video: { width: { exact: 5000 } } }), OverconstrainedError);
  assert.equal(wide.constraint, 'width');
  const facing = await assert.rejects(call('MediaDevices.getUserMedia', { video: { facingMode: { exact: 'environment' } } }), OverconstrainedError);
  assert.equal(facing.constraint, 'facingMode');
  await assert.rejects(call('MediaDevices.enumerate', { x: 1 }), TypeError);
  await assert.rejects(call('MediaStream.constructor', { tracks: [123456789] }), TypeError);
  await assert.rejects(call('MediaStream.constructor', { streamId: 'a b' }), 'InvalidAccessError');
  await assert.rejects(call('MediaStream.constructor', { streamId: 'a\r\nm=audio' }), 'InvalidAccessError');
  await assert.rejects(call('MediaStream.constructor', { streamId: 'ü' }), 'InvalidAccessError');
  const s = await call('MediaStream.constructor', { streamId: 'fixed-id', tracks: [] });
  assert.equal(s.streamId, 'fixed-id');
  await assert.rejects(call('MediaStream.constructor', { streamId: 'fixed-id' }), 'InvalidAccessError');
  await call('MediaStream.close', undefined, s.id);
  const { stream, tracks: [t] } = await call('MediaDevices.getUserMedia', { audio: { channelCount: 2 } });
  assert.equal(t.kind, 'audio');
  assert.equal(t.settings.channelCount, 2);
  await assert.rejects(call('MediaStreamTrack.setEnabled', { enabled: 'no' }, t.id), TypeError);
  await assert.rejects(call('MediaStreamTrack.snapshot', { withData: 1 }, t.id), TypeError);
  await assert.rejects(call('MediaStream.addTrack', { track: t.id }, t.id), TypeError);
  await assert.rejects(call('MediaStreamTrack.applyConstraints', {}, t.id), TypeError);
  await assert.rejects(call('MediaStreamTrack.applyConstraints', { constraints: 5 }, t.id), TypeError);
  await assert.rejects(call('MediaStreamTrack.applyConstraints', { constraints: {}, extra: 1 }, t.id), TypeError);
  const six = await assert.rejects(call('MediaStreamTrack.applyConstraints', { constraints: { channelCount: { exact: 6 } } }, t.id), OverconstrainedError);
  assert.equal(six.constraint, 'channelCount');
  const { tracks: [cam] } = await call('MediaDevices.getUserMedia', { video: { width: 64, height: 48 } });
  const fast = await assert.rejects(call('MediaStreamTrack.applyConstraints', { constraints: { frameRate: { min: 500 } } }, cam.id), OverconstrainedError);
  assert.equal(fast.constraint, 'frameRate');
  await call('MediaStreamTrack.stop', undefined, cam.id);
  await call('MediaStreamTrack.stop', undefined, t.id);
  await call('MediaStream.close', undefined, stream.id);
  await assert.rejects(call('MediaStreamTrack.snapshot', {}, t.id), 'NotFoundError');
});

test('the stream exists in the SDK, under its final ID, the moment getUserMedia resolves', async () => {
  const before = await mprtc.bridge.info();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  // No await in between: the SDK already has a stream of that ID (so it refuses another one).
  const again = mprtc.bridge.call('MediaStream.constructor', { streamId: stream.id });
  await assert.rejects(again, 'InvalidAccessError');
  const during = await mprtc.bridge.info();
  assert.equal(during.objects - before.objects, 3, 'the stream and its two tracks');
  for (const track of stream.getTracks()) track.stop();
});

test('snapshot withData gives the I420 picture', async () => {
  const s = await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } });
  const [video] = s.getVideoTracks();
  await snapshotUntil(video, (x) => x.stamp, 'a frame');
  const snap = await mprtc.media.snapshot(video, { withData: true });
  assert.ok(snap.data instanceof ArrayBuffer);
  assert.equal(snap.data.byteLength, 160 * 120 * 3 / 2);
  // The stamp's first cell row is black or white luma.
  const y = new Uint8Array(snap.data);
  assert.ok(y[0] === 16 || y[0] === 235, String(y[0]));
  video.stop();
  await assert.rejects(mprtc.media.snapshot({}), TypeError);
});

await run();
