// The WebRTC data channel benchmark, shared by both engines (standard WebRTC only): connect
// time, throughput and ping-pong round trip between two peers in one process/page.
import { once, until, exchangeCandidates, negotiate } from '../tests/js/lib/rtc.js';

const now = () => performance.now();
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p / 100 * xs.length))];

// A pair with a reliable ordered channel, open at both ends.
async function pair() {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const dcA = a.createDataChannel('bench');
  const remote = once(b, 'datachannel');
  await negotiate(a, b);
  const dcB = (await remote).channel;
  dcB.binaryType = 'arraybuffer';
  dcA.binaryType = 'arraybuffer';
  await until(dcA, 'open', () => dcA.readyState === 'open');
  await until(dcB, 'open', () => dcB.readyState === 'open');
  return { a, b, dcA, dcB };
}

// new RTCPeerConnection() to the data channel open at both ends, in ms.
export async function connectTimes(count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    const { a, b } = await pair();
    times.push(now() - t0);
    a.close();
    b.close();
  }
  return times;
}

// Reliable ordered, chunk-byte messages, total bytes: MB/s (10^6 bytes) from first send to
// last byte received.
export async function throughput(total, chunk) {
  const { a, b, dcA, dcB } = await pair();
  const payload = new Uint8Array(chunk);
  for (let i = 0; i < chunk; i++) payload[i] = i & 255;
  let received = 0;
  const done = new Promise((resolve) => {
    dcB.onmessage = (e) => {
      received += e.data.byteLength;
      if (received >= total) resolve();
    };
  });
  dcA.bufferedAmountLowThreshold = 1 << 20;
  const t0 = now();
  for (let sent = 0; sent < total; sent += chunk) {
    if (dcA.bufferedAmount > 4 << 20) await once(dcA, 'bufferedamountlow');
    dcA.send(payload);
  }
  await done;
  const seconds = (now() - t0) / 1000;
  a.close();
  b.close();
  return total / 1e6 / seconds;
}

// Ping-pong of small text messages: round trips in ms.
export async function pingPong(count) {
  const { a, b, dcA, dcB } = await pair();
  dcB.onmessage = (e) => dcB.send(e.data);
  const rtts = [];
  for (let i = 0; i < count + 20; i++) {
    const t0 = now();
    const back = once(dcA, 'message');
    dcA.send('ping ' + i);
    await back;
    if (i >= 20) rtts.push(now() - t0); // the first 20 warm up
  }
  a.close();
  b.close();
  return rtts;
}

// firstConnectAfterMs: the first connection of the process/page is made this long after the
// script starts, as an app connects when its user asks, a moment after it started.
export const config = { firstConnectAfterMs: 1000, connects: 20, total: 64 << 20, chunk: 16 << 10, pings: 500 };

export async function measure(progress = () => {}) {
  progress('first connect');
  await new Promise((resolve) => setTimeout(resolve, config.firstConnectAfterMs));
  const [first] = await connectTimes(1);
  progress('connect');
  const connects = await connectTimes(config.connects);
  progress('throughput');
  const mbps = await throughput(config.total, config.chunk);
  progress('ping-pong');
  const rtts = await pingPong(config.pings);
  return {
    firstConnectMs: first,
    connectP50ms: median(connects), connectP95ms: pct(connects, 95),
    throughputMBps: mbps,
    rttP50ms: median(rtts), rttP95ms: pct(rtts, 95),
  };
}
