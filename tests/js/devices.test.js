// Real devices coming and going, with a private PulseAudio server (tests/support/pulse_server.py
// runs this with PULSE_SERVER set and the URL of its control WebSocket as the argument): a
// microphone plugged in fires devicechange, is listed, and getUserMedia hears it; unplugged, it
// fires devicechange again, leaves the list, and its track ends. Run with --grant microphone.
import { test, assert, run } from './harness.js';
import { snapshotUntil } from './lib/media.js';

const [controlUrl] = mprtc.args;

// Resolves with the next event of type on target, or rejects after ms.
function next(target, type, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    target.addEventListener(type, (e) => { clearTimeout(timer); resolve(e); }, { once: true });
  });
}

// The PulseAudio server's control channel: send a command, get its answer.
async function control() {
  const ws = new WebSocket(controlUrl);
  await next(ws, 'open');
  return {
    async send(command) {
      const answer = next(ws, 'message');
      ws.send(command);
      const { data } = await answer;
      if (data.startsWith('error')) throw new Error(`${command}: ${data}`);
      return data;
    },
    close() { ws.close(); },
  };
}

const microphones = async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');

test('a microphone plugged in: devicechange, listed, heard; unplugged: devicechange, gone, its track ends', async () => {
  assert.ok(controlUrl, 'the control URL of pulse_server.py is the argument');
  const pulse = await control();
  // Granted once, so that labels show.
  (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop());
  assert.deepEqual((await microphones()).map((d) => d.label), ['mprtc fake microphone (440 Hz tone)'],
                   'only the fake microphone: the speaker\'s monitor is not a microphone');

  let changes = 0;
  navigator.mediaDevices.ondevicechange = () => { changes++; };
  // Watching starts with the first listener, in the SDK's call order: a device call after it
  // returns once the watch runs.
  await navigator.mediaDevices.enumerateDevices();
  const plugged = next(navigator.mediaDevices, 'devicechange');
  await pulse.send('plug mic1');
  await plugged;
  const listed = (await microphones()).find((d) => d.label === 'mic1');
  assert.ok(listed, 'mic1 is listed after devicechange');
  assert.equal(listed.groupId.length > 0, true);
  assert.equal(listed.getCapabilities().deviceId, listed.deviceId);
  assert.equal((await microphones()).find((d) => d.label === 'mic1').deviceId, listed.deviceId, 'a stable deviceId');

  const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: listed.deviceId } } });
  const [track] = stream.getAudioTracks();
  assert.equal(track.label, 'mic1');
  assert.equal(track.getSettings().deviceId, listed.deviceId);
  // PulseAudio's 300 Hz tone, through the speaker's monitor and the remap source.
  const heard = await snapshotUntil(track, (s) => s.audioLevel > 0.05, 'the tone from PulseAudio');
  assert.ok(heard.frames > 0);

  const ended = next(track, 'ended');
  const unplugged = next(navigator.mediaDevices, 'devicechange');
  await pulse.send('unplug mic1');
  await unplugged;
  await ended;
  assert.equal(track.readyState, 'ended');
  assert.equal((await microphones()).some((d) => d.label === 'mic1'), false, 'gone from the list');
  assert.ok(changes >= 2, `ondevicechange ran ${changes} times`);
  await assert.rejects(navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: listed.deviceId } } }),
                       'OverconstrainedError');
  navigator.mediaDevices.ondevicechange = null;
  pulse.close();
});

await run();
