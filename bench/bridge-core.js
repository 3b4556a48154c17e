// The measurement shared by both engines: `call` is one awaited cross-thread round trip
// (mprtc: JS thread -> SDK thread -> JS thread over the JSBridge; Chromium: page -> Worker ->
// page over postMessage). Runs unchanged in mprtc and in a browser page.

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function roundTrip(call, count) {
  for (let i = 0; i < 2000; i++) await call(); // warm up the JIT and the caches
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call();
    samples[i] = (performance.now() - t0) * 1000;
  }
  samples.sort();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

// Calls per second with `inFlight` calls outstanding at every moment, `total` in all.
export async function pipelined(call, total, inFlight) {
  let sent = 0;
  let done = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    const next = () => {
      done++;
      if (sent < total) {
        sent++;
        call().then(next);
      } else if (done === total) {
        resolve();
      }
    };
    for (; sent < inFlight; sent++) call().then(next);
  });
  return total / ((performance.now() - t0) / 1000);
}

// Nanoseconds per call of a synchronous function (the floor of a JS -> native call).
export function perCallNs(fn, count) {
  for (let i = 0; i < 100000; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) fn();
  return ((performance.now() - t0) * 1e6) / count;
}

// settleMs: both engines idle this long after start first, so that what they do once at start
// (mprtc's SDK warm-up, a browser's page load) is not measured.
export const config = { settleMs: 1000, roundTrips: 20000, total: 200000, inFlight: 10000, floorCalls: 2000000 };

export async function measure(call, floors) {
  await new Promise((resolve) => setTimeout(resolve, config.settleMs));
  const rt = await roundTrip(call, config.roundTrips);
  const rate = await pipelined(call, config.total, config.inFlight);
  const result = { roundTripP50us: rt.p50, roundTripP99us: rt.p99, callsPerSecond: rate };
  for (const [name, fn] of Object.entries(floors)) result[name] = perCallNs(fn, config.floorCalls);
  return result;
}
