// The view benchmark's measurement, shared by the mini-program page (bench/view-app) and the
// Chromium page (bench/view-page.js, which loads this CommonJS file through a Function). engine:
//   apply(change) -> Promise, settled once the view has applied change and laid it out; change
//                    is {tick} (a small change), {rows} (the whole list) or {row, name}
//   camera() -> Promise<handle> of a 640x480@30 camera stream
//   show(handle | null) -> Promise: the stream in a video element (playing), or none
//   release(handle) -> the camera stops
//   process() -> Promise<{cpuSeconds}> of the whole engine
const config = { small: 300, warmup: 30, rows: 1000, rowUpdates: 50, cpuSeconds: 5 };

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function cpuOver(engine, seconds) {
  const a = await engine.process();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const b = await engine.process();
  return (b.cpuSeconds - a.cpuSeconds) / seconds;
}

async function measure(engine, progress) {
  const out = {};
  progress('small changes');
  for (let i = 0; i < config.warmup; i++) await engine.apply({ tick: -i });
  const small = [];
  for (let i = 0; i < config.small; i++) small.push(await timed(() => engine.apply({ tick: i })));
  out.smallP50ms = quantile(small, 0.5);
  out.smallP95ms = quantile(small, 0.95);

  progress('the 1000-row list');
  const rows = Array.from({ length: config.rows }, (_, i) => ({ id: i, name: `row ${i}`, value: i * 3 }));
  out.listFirstMs = await timed(() => engine.apply({ rows }));
  const updates = [];
  for (let i = 0; i < config.rowUpdates; i++) updates.push(await timed(() => engine.apply({ row: 500, name: `changed ${i}` })));
  out.listRowP50ms = quantile(updates, 0.5);
  await engine.apply({ rows: [] });

  progress('the camera, captured then shown');
  const stream = await engine.camera();
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the capture settles
  out.cpuCaptured = await cpuOver(engine, config.cpuSeconds);
  await engine.show(stream);
  out.cpuShown = await cpuOver(engine, config.cpuSeconds);
  out.cpuShowing = out.cpuShown - out.cpuCaptured;
  await engine.show(null);
  await engine.release(stream);
  return out;
}

module.exports = { measure, config };
