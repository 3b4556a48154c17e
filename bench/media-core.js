// The media benchmark, shared by both engines (standard WebRTC plus an `engine` of the few things
// that differ: a stamped camera, reading stamps from decoded frames, process figures). A two-way
// audio+video call at 640x480@30 between two peers in one process/page, VP8 both ways:
//   - time to first decoded frame: new RTCPeerConnection() to the first frame decoded at the
//     far end, the later of the two directions; median of 5 calls;
//   - glass-to-glass latency: the capture time stamped into each frame (the mprtc frame stamp,
//     src/sdk/media/barcode.h) read back from the decoded picture; p50 and p95 over the last 256
//     frames of each direction, averaged over the two directions;
//   - CPU seconds per call-second and resident memory, over a 10 s window of the call;
//   - for context: the bitrate sent and the frame rate and size decoded.
// engine: { camera() -> MediaStream (audio + stamped 640x480@30 video),
//           watch(track) -> { first: Promise<ms>, latency() -> {p50, p95, samples} },
//           process() -> Promise<{cpuSeconds, rssBytes}> (all processes of the engine) }
import { once, until, exchangeCandidates } from '../tests/js/lib/rtc.js';

const now = () => performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

export const config = { width: 640, height: 480, fps: 30, calls: 5, warmupMs: 3000, windowMs: 10000 };

// A two-way call: a offers its camera, b answers with its own on the same transceivers.
async function call(engine) {
  const sa = await engine.camera(), sb = await engine.camera();
  const t0 = now();
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const atA = [], atB = [];
  a.ontrack = (e) => atA.push(e.track);
  b.ontrack = (e) => atB.push(e.track);
  for (const t of sa.getTracks()) a.addTrack(t, sa);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  for (const t of sb.getTracks()) b.addTrack(t, sb);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  const video = (tracks) => tracks.find((t) => t.kind === 'video');
  const watchB = engine.watch(video(atB)), watchA = engine.watch(video(atA));
  const first = Math.max(await watchB.first, await watchA.first) - t0;
  return { a, b, watchA, watchB, first,
           close() { a.close(); b.close(); [...sa.getTracks(), ...sb.getTracks()].forEach((t) => t.stop()); } };
}

async function videoStats(pc) {
  const all = [...(await pc.getStats()).values()];
  return { out: all.find((s) => s.type === 'outbound-rtp' && s.kind === 'video'),
           in: all.find((s) => s.type === 'inbound-rtp' && s.kind === 'video') };
}

export async function measure(engine, progress = () => {}) {
  progress(`time to first frame, ${config.calls} calls`);
  const firsts = [];
  for (let i = 0; i < config.calls; i++) {
    const c = await call(engine);
    firsts.push(c.first);
    c.close();
    await sleep(300);
  }
  progress(`one call: ${config.warmupMs / 1000} s warm-up, ${config.windowMs / 1000} s measured`);
  const c = await call(engine);
  await sleep(config.warmupMs);
  const p0 = await engine.process(), s0 = await videoStats(c.a), t0 = now();
  await sleep(config.windowMs);
  const p1 = await engine.process(), s1 = await videoStats(c.a), t1 = now();
  const latA = c.watchA.latency(), latB = c.watchB.latency();
  const inB = (await videoStats(c.b)).in;
  c.close();
  const seconds = (t1 - t0) / 1000;
  return {
    firstFrameMs: median(firsts),
    latencyP50ms: (latA.p50 + latB.p50) / 2,
    latencyP95ms: (latA.p95 + latB.p95) / 2,
    latencySamples: latA.samples + latB.samples,
    cpuPerCallSecond: (p1.cpuSeconds - p0.cpuSeconds) / seconds,
    rssMiB: p1.rssBytes / 2 ** 20,
    sentKbps: (s1.out.bytesSent - s0.out.bytesSent) * 8 / seconds / 1000,
    receivedFps: (s1.in.framesDecoded - s0.in.framesDecoded) / seconds,
    receivedSize: `${inB.frameWidth}x${inB.frameHeight}`,
  };
}
