// Audio and video between two peers in one process (run with --grant camera,microphone): the
// receiver decodes the sender's fake camera and reads its frame stamp back from the picture.
import { test, assert, run } from './harness.js';
import { sleep, snapshotUntil } from './lib/media.js';
import { once, until, exchangeCandidates, negotiate } from './lib/rtc.js';

const gum = (c) => navigator.mediaDevices.getUserMedia(c);

// Frames whose stamp counter moves on: decoded, in order, at the given size.
async function expectMovingPicture(track, width, height) {
  const first = await snapshotUntil(track, (s) => s.stamp, 'a stamped frame');
  assert.equal(first.width, width, 'decoded width');
  assert.equal(first.height, height, 'decoded height');
  const later = await snapshotUntil(track, (s) => s.stamp && s.stamp.counter >= first.stamp.counter + 5, 'the counter to move');
  assert.ok(later.frames > first.frames);
  return later;
}

function collectTracks(pc) {
  const events = [];
  pc.addEventListener('track', (e) => events.push(e));
  return events;
}

test('audio and video both ways, with track events and streams', async () => {
  const sa = await gum({ audio: true, video: { width: 320, height: 240 } });
  const sb = await gum({ audio: true, video: { width: 160, height: 120 } });
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const atA = collectTracks(a), atB = collectTracks(b);
  for (const t of sa.getTracks()) a.addTrack(t, sa);
  assert.equal(a.getTransceivers().length, 2);
  assert.equal(a.getSenders().length, 2);
  assert.ok(a.getSenders().every((s) => s instanceof RTCRtpSender && sa.getTracks().includes(s.track)));
  const offer = await a.createOffer();
  assert.match(offer.sdp, /a=rtpmap:111 OPUS\/48000/i);
  assert.match(offer.sdp, /a=rtpmap:96 VP8\/90000/);
  assert.match(offer.sdp, new RegExp(`a=msid:${sa.id} `));
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  // Track events fire during setRemoteDescription, one per m-section the peer sends on.
  assert.equal(atB.length, 2);
  const bTransceivers = b.getTransceivers();
  assert.equal(bTransceivers.length, 2);
  assert.ok(bTransceivers.every((t) => t.direction === 'recvonly'));
  for (const e of atB) {
    assert.ok(e instanceof RTCTrackEvent);
    assert.equal(e.receiver, e.transceiver.receiver);
    assert.equal(e.track, e.receiver.track);
    assert.equal(e.streams.length, 1);
    assert.equal(e.track.muted, true, 'remote tracks start muted');
    assert.equal(e.track.readyState, 'live');
  }
  assert.equal(atB[0].streams[0], atB[1].streams[0], 'audio and video in one stream');
  const remoteStream = atB[0].streams[0];
  assert.equal(remoteStream.getTracks().length, 2);
  // The answerer sends back on the same transceivers (addTrack reuses them).
  for (const t of sb.getTracks()) b.addTrack(t, sb);
  assert.equal(b.getTransceivers().length, 2);
  assert.ok(b.getTransceivers().every((t) => t.direction === 'sendrecv'));
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  assert.equal(atA.length, 2);
  assert.deepEqual(a.getTransceivers().map((t) => t.currentDirection), ['sendrecv', 'sendrecv']);
  assert.deepEqual(a.getTransceivers().map((t) => t.mid), b.getTransceivers().map((t) => t.mid));
  await until(a, 'connectionstatechange', () => a.connectionState === 'connected');
  const videoAtB = atB.find((e) => e.track.kind === 'video').track;
  const audioAtB = atB.find((e) => e.track.kind === 'audio').track;
  const videoAtA = atA.find((e) => e.track.kind === 'video').track;
  const audioAtA = atA.find((e) => e.track.kind === 'audio').track;
  const unmuted = videoAtB.muted ? once(videoAtB, 'unmute') : Promise.resolve();
  const seen = await expectMovingPicture(videoAtB, 320, 240);
  await unmuted;
  assert.equal(videoAtB.muted, false);
  assert.ok(seen.latency && seen.latency.samples > 0, 'latency measured from the stamps');
  // The answerer's camera comes back on the transceiver it reused from the offer.
  await expectMovingPicture(videoAtA, 160, 120);
  await snapshotUntil(audioAtB, (s) => s.audioLevel > 0.05, 'the tone at b');
  await snapshotUntil(audioAtA, (s) => s.audioLevel > 0.05, 'the tone at a');
  // Closing ends the remote tracks, without ended events.
  let ended = 0;
  videoAtB.onended = () => ended++;
  b.close();
  assert.equal(videoAtB.readyState, 'ended');
  assert.equal(ended, 0);
  a.close();
  for (const t of [...sa.getTracks(), ...sb.getTracks()]) t.stop();
});

// A connected pair with a's camera going to b; returns what the tests below need.
async function videoCall(size = { width: 320, height: 240 }) {
  const stream = await gum({ video: size });
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const tracks = collectTracks(b);
  const sender = a.addTrack(stream.getVideoTracks()[0], stream);
  await negotiate(a, b);
  const remote = tracks[0].track;
  await expectMovingPicture(remote, size.width, size.height);
  return { a, b, sender, local: stream.getVideoTracks()[0], remote, tracks,
           close() { a.close(); b.close(); stream.getTracks().forEach((t) => t.stop()); } };
}

test('enabled = false sends black; true brings the picture back', async () => {
  const call = await videoCall();
  call.local.enabled = false;
  const black = await snapshotUntil(call.remote, (s) => !s.stamp && s.meanLuma < 24, 'black frames');
  assert.equal(black.width, 320);
  call.local.enabled = true;
  await snapshotUntil(call.remote, (s) => s.stamp, 'the picture again');
  call.close();
});

test('applyConstraints on a sent track: the peer decodes the new size, no renegotiation', async () => {
  const call = await videoCall();
  let renegotiate = false;
  call.a.addEventListener('negotiationneeded', () => { renegotiate = true; });
  await call.local.applyConstraints({ width: 160, height: 120 });
  await snapshotUntil(call.remote, (x) => x.width === 160 && x.stamp, 'the new size at the peer');
  await expectMovingPicture(call.remote, 160, 120);
  assert.equal(renegotiate, false);
  call.close();
});

test('replaceTrack swaps the picture without renegotiation; null stops it', async () => {
  const call = await videoCall();
  const other = (await gum({ video: { width: 320, height: 240 } })).getVideoTracks()[0];
  const before = await mprtc.media.snapshot(call.remote);
  let negotiationNeeded = 0;
  call.a.onnegotiationneeded = () => negotiationNeeded++;
  await call.sender.replaceTrack(other);
  assert.equal(call.sender.track, other);
  // The other camera's counter started later: a jump back in the counter shows the swap.
  await snapshotUntil(call.remote, (s) => s.stamp && s.stamp.counter < before.stamp.counter, 'the other camera');
  await assert.rejects(call.sender.replaceTrack((await gum({ audio: true })).getAudioTracks()[0]), TypeError);
  await call.sender.replaceTrack(null);
  assert.equal(call.sender.track, null);
  const stalled = await mprtc.media.snapshot(call.remote);
  await sleep(500);
  const after = await mprtc.media.snapshot(call.remote);
  assert.ok(after.frames - stalled.frames <= 3, `frames kept coming: ${after.frames - stalled.frames}`);
  assert.equal(negotiationNeeded, 0);
  other.stop();
  call.close();
});

test('setParameters: active false stops sending; scaleResolutionDownBy halves the picture', async () => {
  const call = await videoCall();
  await assert.rejects(call.sender.setParameters({ encodings: [{}] }), 'InvalidStateError');
  let p = call.sender.getParameters();
  assert.equal(p.encodings.length, 1);
  assert.equal(p.encodings[0].active, true);
  assert.equal(p.codecs[0].mimeType, 'video/VP8');
  p.encodings[0].scaleResolutionDownBy = 2;
  p.encodings[0].maxBitrate = 300000;
  await call.sender.setParameters(p);
  await snapshotUntil(call.remote, (s) => s.width === 160 && s.height === 120 && s.stamp, 'a 160x120 picture');
  assert.equal(call.sender.getParameters().encodings[0].maxBitrate, 300000);
  p = call.sender.getParameters();
  p.encodings[0].active = false;
  await call.sender.setParameters(p);
  const stalled = await mprtc.media.snapshot(call.remote);
  await sleep(500);
  const after = await mprtc.media.snapshot(call.remote);
  assert.ok(after.frames - stalled.frames <= 3, `frames kept coming: ${after.frames - stalled.frames}`);
  p = call.sender.getParameters();
  p.encodings.push({});
  await assert.rejects(call.sender.setParameters(p), 'InvalidModificationError');
  p = call.sender.getParameters();
  p.encodings[0].scaleResolutionDownBy = 0.5;
  await assert.rejects(call.sender.setParameters(p), RangeError);
  call.close();
});

test('adding a track mid-call renegotiates and the peer gets a new track', async () => {
  const call = await videoCall();
  const mic = (await gum({ audio: true })).getAudioTracks()[0];
  const needed = once(call.a, 'negotiationneeded');
  call.a.addTrack(mic);
  await needed;
  await negotiate(call.a, call.b);
  assert.equal(call.tracks.length, 2);
  const audio = call.tracks[1];
  assert.equal(audio.track.kind, 'audio');
  assert.equal(audio.streams.length, 0, 'added without a stream');
  assert.equal(call.a.signalingState, 'stable');
  assert.equal(call.a.getTransceivers()[1].currentDirection, 'sendrecv');
  await expectMovingPicture(call.remote, 320, 240);
  await snapshotUntil(audio.track, (s) => s.audioLevel > 0.05, 'the tone on the new m-section');
  mic.stop();
  call.close();
});

// The codec the receiver's stats say it decodes.
async function decodedCodec(pc, kind = 'video') {
  const report = await pc.getStats();
  const inbound = [...report.values()].find((s) => s.type === 'inbound-rtp' && s.kind === kind);
  return inbound && report.get(inbound.codecId).mimeType;
}

for (const mimeType of ['video/VP9', 'video/H264']) {
  test(`setCodecPreferences([${mimeType}]): offered, answered and sent both ways`, async () => {
    const sa = await gum({ video: { width: 320, height: 240 } });
    const sb = await gum({ video: { width: 160, height: 120 } });
    const a = new RTCPeerConnection(), b = new RTCPeerConnection();
    exchangeCandidates(a, b);
    const atA = collectTracks(a), atB = collectTracks(b);
    a.addTrack(sa.getVideoTracks()[0], sa);
    const codecs = RTCRtpSender.getCapabilities('video').codecs;
    assert.deepEqual(codecs.map((c) => c.mimeType), ['video/VP8', 'video/VP9', 'video/H264']);
    a.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === mimeType));
    const offer = await a.createOffer();
    const offered = offer.sdp.match(/a=rtpmap:\d+ ([A-Za-z0-9]+)\//g).map((l) => l.split(' ')[1].split('/')[0]);
    assert.deepEqual(offered.filter((n) => n !== 'rtx'), [mimeType.split('/')[1]], 'only the preferred codec is offered');
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    // b has no preference: it answers with the offer's codec and sends it back.
    b.addTrack(sb.getVideoTracks()[0], sb);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription);
    assert.equal(a.getSenders()[0].getParameters().codecs[0].mimeType, mimeType);
    await expectMovingPicture(atB[0].track, 320, 240);
    await expectMovingPicture(atA[0].track, 160, 120);
    assert.equal(await decodedCodec(b), mimeType);
    assert.equal(await decodedCodec(a), mimeType);
    assert.throws(() => a.getTransceivers()[0].setCodecPreferences([{ mimeType: 'audio/opus', clockRate: 48000 }]),
                  'InvalidModificationError');
    a.close();
    b.close();
    [...sa.getTracks(), ...sb.getTracks()].forEach((t) => t.stop());
  });
}

test('getSynchronizationSources: the sender\'s SSRC, recent and moving, with the audio level', async () => {
  const stream = await gum({ audio: true, video: { width: 160, height: 120 } });
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const atB = collectTracks(b);
  for (const t of stream.getTracks()) a.addTrack(t, stream);
  await negotiate(a, b);
  const receivers = atB.map((e) => e.receiver);
  const deadline = performance.now() + 10000;
  let lists;
  // The first call asks the SDK for them; they arrive while packets do.
  while (!(lists = receivers.map((r) => r.getSynchronizationSources())).every((l) => l.length === 1)) {
    if (performance.now() > deadline) throw new Error(`no sources: ${JSON.stringify(lists)}`);
    await sleep(50);
  }
  const inbound = [...(await b.getStats()).values()].filter((x) => x.type === 'inbound-rtp');
  for (const [i, r] of receivers.entries()) {
    const [s] = lists[i];
    const kind = r.track.kind;
    assert.equal(s.source, inbound.find((x) => x.kind === kind).ssrc, `${kind}: the SSRC getStats reports`);
    assert.ok(s.timestamp <= performance.now() && s.timestamp > performance.now() - 1000, `${kind}: a recent timestamp`);
    assert.ok(Number.isInteger(s.rtpTimestamp) && s.rtpTimestamp >= 0 && s.rtpTimestamp < 2 ** 32);
    if (kind === 'video') assert.equal('audioLevel' in s, false, 'no audioLevel for video');
    assert.deepEqual(r.getContributingSources(), [], 'no mixer, no CSRC');
    // Later: newer packets, and for audio the tone's level once it is decoded.
    const later = await (async () => {
      for (;;) {
        const [x] = r.getSynchronizationSources();
        if (x.timestamp > s.timestamp && (kind === 'video' || x.audioLevel > 0.05)) return x;
        if (performance.now() > deadline) throw new Error(`${kind}: no newer entry${kind === 'audio' ? ' with the level' : ''}: ${JSON.stringify(x)}`);
        await sleep(50);
      }
    })();
    assert.notEqual(later.rtpTimestamp, s.rtpTimestamp, `${kind}: the RTP timestamp moves`);
    if (kind === 'audio') assert.ok(later.audioLevel <= 1, `a level of 0-1, got ${later.audioLevel}`);
  }
  assert.ok(receivers[0].getSynchronizationSources() !== receivers[0].getSynchronizationSources(), 'a new list each call');
  a.close();
  b.close();
  const idle = new RTCPeerConnection();
  assert.deepEqual(idle.addTransceiver('audio').receiver.getSynchronizationSources(), [], 'nothing received');
  idle.close();
  stream.getTracks().forEach((t) => t.stop());
});

// a=extmap lines of the m-sections of sdp that map the transport-cc extension, as "kind:id".
const TWCC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
function twccMaps(sdp) {
  return sdp.split(/\r\nm=/).slice(1).map((m) => {
    const line = m.split('\r\n').find((l) => l.startsWith('a=extmap:') && l.endsWith(' ' + TWCC));
    return `${m.split(' ')[0]}:${line ? line.slice('a=extmap:'.length).split(' ')[0] : '-'}`;
  });
}

test('transport-cc: offered for audio and video, answered with the offer\'s ID or not at all', async () => {
  const stream = await gum({ audio: true, video: { width: 160, height: 120 } });
  const a = new RTCPeerConnection(), b = new RTCPeerConnection(), c = new RTCPeerConnection();
  for (const t of stream.getTracks()) a.addTrack(t, stream);
  const offer = await a.createOffer();
  assert.deepEqual(twccMaps(offer.sdp), ['audio:3', 'video:3']);
  assert.equal((offer.sdp.match(/a=rtcp-fb:\d+ transport-cc/g) || []).length, 2, 'rtcp-fb transport-cc per codec');
  assert.deepEqual(RTCRtpReceiver.getCapabilities('video').headerExtensions, [{ uri: TWCC }]);
  assert.deepEqual(RTCRtpSender.getCapabilities('video').headerExtensions, []);
  // A peer that maps it to 5: the answer keeps 5; one that does not offer it gets none.
  await b.setRemoteDescription({ type: 'offer', sdp: offer.sdp.replaceAll(`a=extmap:3 ${TWCC}`, `a=extmap:5 ${TWCC}`) });
  const answer = await b.createAnswer();
  assert.deepEqual(twccMaps(answer.sdp), ['audio:5', 'video:5']);
  await b.setLocalDescription(answer);
  await c.setRemoteDescription({ type: 'offer', sdp: offer.sdp.replaceAll(`a=extmap:3 ${TWCC}\r\n`, '') });
  assert.deepEqual(twccMaps((await c.createAnswer()).sdp), ['audio:-', 'video:-']);
  // b's own offers keep the ID negotiated; a data channel's m-section has none.
  b.addTransceiver('video');
  b.createDataChannel('x');
  assert.deepEqual(twccMaps((await b.createOffer()).sdp).sort(), ['application:-', 'audio:5', 'video:5', 'video:5']);
  [a, b, c].forEach((pc) => pc.close());
  stream.getTracks().forEach((t) => t.stop());
});

test('errors of addTrack, removeTrack, addTransceiver and the transceiver', async () => {
  const stream = await gum({ video: { width: 160, height: 120 } });
  const [track] = stream.getVideoTracks();
  const pc = new RTCPeerConnection();
  const other = new RTCPeerConnection();
  assert.throws(() => pc.addTrack({}), TypeError);
  assert.throws(() => pc.addTrack(track, {}), TypeError);
  const sender = pc.addTrack(track, stream);
  assert.throws(() => pc.addTrack(track), 'InvalidAccessError');
  assert.throws(() => other.removeTrack(sender), 'InvalidAccessError');
  assert.throws(() => pc.removeTrack({}), TypeError);
  assert.throws(() => pc.addTransceiver('data'), TypeError);
  assert.throws(() => pc.addTransceiver(), TypeError);
  assert.throws(() => pc.addTransceiver('audio', { direction: 'sideways' }), TypeError);
  assert.throws(() => pc.addTransceiver('video', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] }), RangeError);
  assert.throws(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'a' }, { rid: 'a' }] }), TypeError);
  const t = pc.addTransceiver('audio', { direction: 'recvonly' });
  assert.equal(t.direction, 'recvonly');
  assert.equal(t.currentDirection, null);
  assert.equal(t.mid, null);
  assert.equal(t.receiver.track.kind, 'audio');
  assert.equal(t.receiver.track.muted, true);
  assert.throws(() => { t.direction = 'up'; }, TypeError);
  assert.throws(() => t.setCodecPreferences([{ mimeType: 'audio/G722' }]), 'InvalidModificationError');
  t.setCodecPreferences(RTCRtpReceiver.getCapabilities('audio').codecs);
  assert.equal(RTCRtpSender.getCapabilities('video').codecs[0].mimeType, 'video/VP8');
  assert.equal(RTCRtpSender.getCapabilities('data'), null);
  assert.ok(RTCRtpReceiver.getCapabilities('video').codecs.some((c) => c.mimeType === 'video/H264'));
  assert.equal(pc.getTransceivers().length, 2);
  pc.removeTrack(sender);
  assert.equal(sender.track, null);
  assert.equal(pc.getTransceivers()[0].direction, 'recvonly');
  t.stop();
  assert.equal(t.direction, 'stopped');
  assert.equal(t.receiver.track.readyState, 'ended');
  pc.close();
  assert.throws(() => pc.addTrack(track), 'InvalidStateError');
  assert.throws(() => pc.addTransceiver('audio'), 'InvalidStateError');
  assert.throws(() => pc.removeTrack(sender), 'InvalidStateError');
  await assert.rejects(sender.replaceTrack(null), 'InvalidStateError');
  assert.throws(() => { pc.getTransceivers()[0].direction = 'sendrecv'; }, 'InvalidStateError');
  other.close();
  track.stop();
});

await run();
