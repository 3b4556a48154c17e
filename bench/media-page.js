// The media benchmark, Chromium side: the same measurement (media-core.js) in a page. The camera
// is a MediaStreamTrackGenerator fed SMPTE-like bars moving 4 px a frame (as mprtc's fake camera,
// videotestsrc smpte horizontal-speed=4) with the mprtc frame stamp, plus the fake microphone;
// decoded frames are read with MediaStreamTrackProcessor (right after the decoder, where mprtc
// reads them); CPU and memory are those of every Chromium process (window.benchProcess, from
// bench/chromium.mjs).
import { measure, config } from './media-core.js';
import { stamp, read, wallMicros32 } from './media-stamp.js';

const { width, height, fps } = config;

// One row of bars per band (Y, U, V), twice as wide so a moving window can be copied out.
const BARS = [[180, 128, 128], [168, 44, 136], [145, 147, 44], [133, 63, 52], [63, 193, 204], [51, 109, 212], [28, 212, 120]];
function bandRows(w) {
  const y = new Uint8Array(2 * w), u = new Uint8Array(w), v = new Uint8Array(w);
  for (let x = 0; x < 2 * w; x++) y[x] = BARS[Math.floor((x % w) * 7 / w)][0];
  for (let x = 0; x < w; x++) {
    u[x] = BARS[Math.floor(((2 * x) % w) * 7 / w)][1];
    v[x] = BARS[Math.floor(((2 * x) % w) * 7 / w)][2];
  }
  return { y, u: Uint8Array.from([...u, ...u]), v: Uint8Array.from([...v, ...v]) };
}

function camera() {
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  const rows = bandRows(width);
  const cw = width >> 1, ch = height >> 1;
  let n = 0;
  const timer = setInterval(() => {
    if (generator.readyState === 'ended') return clearInterval(timer);
    const buf = new Uint8Array(width * height * 3 / 2);
    const y = buf.subarray(0, width * height), u = buf.subarray(width * height, width * height + cw * ch), v = buf.subarray(width * height + cw * ch);
    const shift = (n * 4) % width;
    for (let r = 0; r < height; r++) y.set(rows.y.subarray(shift, shift + width), r * width);
    for (let r = 0; r < ch; r++) {
      u.set(rows.u.subarray(shift >> 1, (shift >> 1) + cw), r * cw);
      v.set(rows.v.subarray(shift >> 1, (shift >> 1) + cw), r * cw);
    }
    stamp(y, width, u, v, cw, width, height, n, wallMicros32());
    writer.write(new VideoFrame(buf, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: Math.round(n * 1e6 / fps) }))
      .catch(() => clearInterval(timer));
    n++;
  }, 1000 / fps);
  return navigator.mediaDevices.getUserMedia({ audio: true }).then((mic) => new MediaStream([generator, ...mic.getAudioTracks()]));
}

// Latency of each decoded frame's stamp, the last 256 kept.
function watch(track) {
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  const latencies = [];
  let gotFirst;
  const first = new Promise((resolve) => { gotFirst = resolve; });
  (async () => {
    for (;;) {
      const { value: frame, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      gotFirst(performance.now());
      const arrived = wallMicros32();
      try {
        const data = new Uint8Array(frame.allocationSize());
        const layout = await frame.copyTo(data);
        const s = read(data.subarray(layout[0].offset), layout[0].stride, frame.displayWidth, frame.displayHeight);
        if (s) {
          latencies.push(((arrived - s.timeUs + 2 ** 32) % 2 ** 32) / 1000);
          if (latencies.length > 256) latencies.shift();
        }
      } finally {
        frame.close();
      }
    }
  })();
  const pct = (p) => {
    const xs = [...latencies].sort((a, b) => a - b);
    return xs.length ? xs[Math.min(xs.length - 1, Math.floor(p / 100 * xs.length))] : NaN;
  };
  return { first, latency: () => ({ p50: pct(50), p95: pct(95), samples: latencies.length }) };
}

window.benchResult = measure({ camera, watch, process: () => window.benchProcess() });
