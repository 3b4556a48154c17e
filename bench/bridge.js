// The bridge benchmark: awaited round trip JS -> SDK -> JS (p50/p99 in microseconds),
// pipelined calls per second with 10k in flight, and the floor: a plain JS -> C call.
// Run: bench/bridge   (or build/mprtc exec bench/bridge.js)

const ROUND_TRIPS = 20000;
const PIPELINED = 200000;
const IN_FLIGHT = 10000;
const FLOOR_CALLS = 2000000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
}

async function roundTrip(call) {
  for (let i = 0; i < 2000; i++) await call(); // warm up (JIT, caches)
  const samples = new Float64Array(ROUND_TRIPS);
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = performance.now();
    await call();
    samples[i] = (performance.now() - t0) * 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function pipelined(call) {
  let sent = 0, done = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    const next = () => {
      done++;
      if (sent < PIPELINED) { sent++; call().then(next); } else if (done === PIPELINED) resolve();
    };
    for (; sent < IN_FLIGHT; sent++) call().then(next);
  });
  return PIPELINED / ((performance.now() - t0) / 1000);
}

function floor() {
  const noop = mprtc.bridge.nativeNoop;
  for (let i = 0; i < 100000; i++) noop();
  const t0 = performance.now();
  for (let i = 0; i < FLOOR_CALLS; i++) noop();
  return (performance.now() - t0) * 1e6 / FLOOR_CALLS; // ns per call
}

const ping = () => mprtc.bridge.ping();
const rt = await roundTrip(ping);
const rate = await pipelined(ping);
const ns = floor();
const fmt = (n, d = 1) => n.toFixed(d).padStart(10);
console.log('mprtc bridge benchmark (bridge.ping, JS thread -> SDK thread -> JS thread)');
console.log(`  awaited round trip      p50 ${fmt(rt.p50)} us   p99 ${fmt(rt.p99)} us   (${ROUND_TRIPS} calls)`);
console.log(`  pipelined, ${IN_FLIGHT} in flight ${fmt(rate / 1000)} k calls/s          (${PIPELINED} calls)`);
console.log(`  floor: JS -> C no-op call ${fmt(ns, 0)} ns           (${FLOOR_CALLS} calls)`);
globalThis.benchResult = { roundTripP50us: rt.p50, roundTripP99us: rt.p99, callsPerSecond: rate, floorNs: ns };
