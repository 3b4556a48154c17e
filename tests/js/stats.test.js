// getStats() on connections, senders and receivers (run with --grant camera,microphone): the W3C
// stats types with their fields, in the performance time base, and the selection rules.
import { test, assert, run } from './harness.js';
import { once, until, exchangeCandidates, negotiate } from './lib/rtc.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const byType = (report, type) => [...report.values()].filter((s) => s.type === type);

// a sends its camera and microphone to b, with a data channel; everything is flowing.
async function call() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const tracks = [];
  b.ontrack = (e) => tracks.push(e.track);
  for (const t of stream.getTracks()) a.addTrack(t, stream);
  const dc = a.createDataChannel('stats');
  const remote = once(b, 'datachannel');
  await negotiate(a, b);
  const dcB = (await remote).channel;
  await until(dc, 'open', () => dc.readyState === 'open');
  const got = once(dcB, 'message');
  dc.send('twelve bytes');
  await got;
  const video = tracks.find((t) => t.kind === 'video');
  // Until a has a receiver report back (RTCP every second or so; GStreamer keeps only the last
  // report block a peer's source sent, so one of the two streams has it at a time: docs/media.md)
  // and b's stats show both streams.
  const deadline = performance.now() + 15000;
  const ready = async (pc, what, pred) => {
    for (;;) {
      const r = await pc.getStats();
      if (pred(r)) return;
      if (performance.now() > deadline) throw new Error(`no ${what}: ${JSON.stringify([...r.values()])}`);
      await sleep(100);
    }
  };
  await ready(a, 'receiver report', (r) => byType(r, 'remote-inbound-rtp').some((s) => s.roundTripTime !== undefined));
  await ready(b, 'inbound audio and decoded video', (r) => byType(r, 'inbound-rtp').some((s) => s.kind === 'audio') &&
              byType(r, 'inbound-rtp').some((s) => s.kind === 'video' && s.framesDecoded > 0));
  return { a, b, stream, video, audio: tracks.find((t) => t.kind === 'audio'), dc, dcB,
           close() { a.close(); b.close(); stream.getTracks().forEach((t) => t.stop()); } };
}

test('the report of both ends: RTP, codecs, transport, candidates, data channel', async () => {
  const c = await call();
  const before = performance.now();
  const ra = await c.a.getStats();
  const after = performance.now();
  assert.ok(ra instanceof RTCStatsReport);
  assert.equal(Object.prototype.toString.call(ra), '[object RTCStatsReport]');
  for (const [id, s] of ra) {
    assert.equal(s.id, id);
    assert.equal(typeof s.type, 'string');
    assert.ok(s.timestamp >= before - 5000 && s.timestamp <= after, `${s.type} timestamp ${s.timestamp} in the performance time base`);
  }
  let n = 0;
  ra.forEach((s, id, report) => { n++; assert.equal(report, ra); assert.equal(s.id, id); });
  assert.equal(n, ra.size);
  const out = byType(ra, 'outbound-rtp');
  assert.deepEqual(out.map((s) => s.kind).sort(), ['audio', 'video']);
  const vOut = out.find((s) => s.kind === 'video');
  assert.ok(vOut.bytesSent > 10000 && vOut.packetsSent > 10);
  assert.ok(vOut.framesEncoded > 0);
  assert.equal(vOut.frameWidth, 320);
  assert.equal(vOut.frameHeight, 240);
  assert.equal(vOut.mid, c.a.getTransceivers()[1].mid);
  assert.equal(ra.get(vOut.codecId).mimeType, 'video/VP8');
  assert.equal(ra.get(out.find((s) => s.kind === 'audio').codecId).mimeType, 'audio/opus');
  const source = ra.get(vOut.mediaSourceId);
  assert.equal(source.type, 'media-source');
  assert.equal(source.trackIdentifier, c.stream.getVideoTracks()[0].id);
  const [rin] = byType(ra, 'remote-inbound-rtp');
  const rout = ra.get(rin.localId);
  assert.equal(rout.type, 'outbound-rtp');
  assert.equal(rout.remoteId, rin.id);
  assert.equal(rin.kind, rout.kind);
  assert.equal(typeof rin.roundTripTime, 'number');
  const transport = ra.get(vOut.transportId);
  assert.equal(transport.type, 'transport');
  assert.equal(transport.dtlsState, 'connected');
  const pair = ra.get(transport.selectedCandidatePairId);
  assert.equal(pair.type, 'candidate-pair');
  assert.equal(pair.state, 'succeeded');
  assert.ok(pair.bytesSent >= vOut.bytesSent, 'the pair carries at least the video');
  assert.ok(pair.bytesReceived > 0);
  assert.ok(pair.currentRoundTripTime >= 0 && pair.currentRoundTripTime < 1);
  assert.equal(ra.get(pair.localCandidateId).type, 'local-candidate');
  assert.equal(ra.get(pair.remoteCandidateId).type, 'remote-candidate');
  assert.ok(ra.get(pair.localCandidateId).port > 0);
  const [channel] = byType(ra, 'data-channel');
  assert.deepEqual([channel.label, channel.state, channel.messagesSent, channel.bytesSent], ['stats', 'open', 1, 12]);
  assert.equal(byType(ra, 'peer-connection').length, 1);

  const rb = await c.b.getStats();
  const vIn = byType(rb, 'inbound-rtp').find((s) => s.kind === 'video');
  assert.ok(vIn, `no video inbound-rtp at b: ${JSON.stringify([...rb.values()])}`);
  assert.ok(vIn.framesDecoded > 0);
  assert.equal(vIn.frameWidth, 320);
  assert.equal(vIn.frameHeight, 240);
  assert.equal(vIn.trackIdentifier, c.video.id);
  assert.equal(vIn.ssrc, vOut.ssrc, 'the SSRC a sent with');
  for (const key of ['jitter', 'packetsLost', 'packetsReceived', 'bytesReceived']) assert.equal(typeof vIn[key], 'number', key);
  const aIn = byType(rb, 'inbound-rtp').find((s) => s.kind === 'audio');
  assert.ok(aIn.audioLevel > 0.05, 'the tone is heard');
  assert.deepEqual([byType(rb, 'data-channel')[0].messagesReceived, byType(rb, 'data-channel')[0].bytesReceived], [1, 12]);
  // A rate needs two looks.
  await sleep(500);
  const later = byType(await c.b.getStats(), 'inbound-rtp').find((s) => s.kind === 'video');
  assert.ok(later.framesPerSecond > 10 && later.framesPerSecond < 50, `framesPerSecond ${later.framesPerSecond}`);
  assert.ok(later.framesDecoded > vIn.framesDecoded);
  c.close();
});

test('sender, receiver and track selectors; errors', async () => {
  const c = await call();
  const sender = c.a.getSenders().find((s) => s.track.kind === 'video');
  const rs = await sender.getStats();
  const types = byType(rs, 'outbound-rtp');
  assert.equal(types.length, 1);
  assert.equal(types[0].kind, 'video');
  assert.equal(byType(rs, 'inbound-rtp').length, 0);
  assert.equal(byType(rs, 'data-channel').length, 0);
  assert.ok(byType(rs, 'codec').length === 1 && byType(rs, 'transport').length === 1 && byType(rs, 'media-source').length === 1);
  const receiver = c.b.getReceivers().find((r) => r.track.kind === 'audio');
  const rr = await receiver.getStats();
  assert.deepEqual(byType(rr, 'inbound-rtp').map((s) => s.kind), ['audio']);
  assert.equal(byType(rr, 'outbound-rtp').length, 0);
  const byTrack = await c.b.getStats(c.video);
  assert.deepEqual(byType(byTrack, 'inbound-rtp').map((s) => s.kind), ['video']);
  await assert.rejects(c.a.getStats({}), TypeError);
  await assert.rejects(c.a.getStats(c.video), 'InvalidAccessError');
  c.close();
  const closed = await c.a.getStats();
  assert.ok(closed instanceof RTCStatsReport);
  assert.equal(byType(closed, 'data-channel')[0].state, 'closed');
});

// Bytes sent per second over ms, from the sender's outbound-rtp.
async function sendRate(sender, ms) {
  const bytes = async () => byType(await sender.getStats(), 'outbound-rtp')[0].bytesSent;
  const b0 = await bytes(), t0 = performance.now();
  await sleep(ms);
  return ((await bytes()) - b0) * 8000 / (performance.now() - t0);
}

test('setParameters maxBitrate lowers the bitrate sent', async () => {
  const c = await call();
  const sender = c.a.getSenders().find((s) => s.track.kind === 'video');
  const free = await sendRate(sender, 1500);
  const p = sender.getParameters();
  p.encodings[0].maxBitrate = 100000;
  await sender.setParameters(p);
  await sleep(500); // the encoder's rate control settles
  const capped = await sendRate(sender, 1500);
  assert.ok(capped < free / 2 && capped < 200000, `capped at ${Math.round(capped)} bit/s, ${Math.round(free)} before`);
  assert.equal(byType(await sender.getStats(), 'outbound-rtp')[0].targetBitrate, 100000);
  c.close();
});

await run();
