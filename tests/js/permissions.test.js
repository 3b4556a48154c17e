// getUserMedia when the user has let the app use the camera only (run with --grant camera):
// NotAllowedError for the microphone, nothing left open, labels only for what was granted.
import { test, assert, run } from './harness.js';

test('the microphone is refused with NotAllowedError', async () => {
  const before = await mprtc.bridge.info();
  await assert.rejects(navigator.mediaDevices.getUserMedia({ audio: true }), 'NotAllowedError');
  // Asked together, the whole request fails and no device is left open.
  await assert.rejects(navigator.mediaDevices.getUserMedia({ audio: true, video: true }), 'NotAllowedError');
  const after = await mprtc.bridge.info();
  assert.equal(after.captures, before.captures);
  assert.equal(after.objects, before.objects);
  // A raw call block is refused too: the SDK checks, not the base library.
  await assert.rejects(mprtc.bridge.call('MediaDevices.getUserMedia', { audio: true }), 'NotAllowedError');
});

test('the camera is granted; labels follow the grants', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  assert.equal(stream.getVideoTracks().length, 1);
  const devices = await navigator.mediaDevices.enumerateDevices();
  assert.match(devices.find((d) => d.kind === 'videoinput').label, /camera/);
  assert.equal(devices.find((d) => d.kind === 'audioinput').label, '');
  stream.getTracks()[0].stop();
});

test('a request for a missing kind is NotFoundError before any permission prompt', async () => {
  // Constraint failures come first too (mediacapture-main §9.2, SelectSettings before the prompt).
  await assert.rejects(navigator.mediaDevices.getUserMedia({ audio: { channelCount: { exact: 5 } } }), 'OverconstrainedError');
});

await run();
