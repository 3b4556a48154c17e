// The media benchmark, mprtc side: the fake camera stamps its frames; the SDK reads the stamps
// of decoded frames (mprtc.media.snapshot) and reports the process's CPU and memory
// (bridge.info). Prints "BENCH <json>" for bench/media.
import { measure, config } from './media-core.js';

const engine = {
  camera: () => navigator.mediaDevices.getUserMedia({
    audio: true, video: { width: config.width, height: config.height, frameRate: config.fps } }),
  watch(track) {
    // unmute: the first decoded frame (src/sdk/rtc/rtp.c).
    const first = track.muted ? new Promise((resolve) => track.addEventListener('unmute', () => resolve(performance.now()), { once: true }))
      : Promise.resolve(performance.now());
    let last = { p50: NaN, p95: NaN, samples: 0 };
    const poll = setInterval(async () => {
      if (track.readyState === 'ended') return clearInterval(poll);
      const s = await mprtc.media.snapshot(track).catch(() => null);
      if (s && s.latency) last = s.latency;
    }, 500);
    return { first, latency: () => last };
  },
  process: () => mprtc.bridge.info(),
};

const r = await measure(engine, (phase) => console.error(`bench/media: mprtc ${phase} ...`));
console.log(`mprtc: first frame ${r.firstFrameMs.toFixed(0)} ms, latency p50 ${r.latencyP50ms.toFixed(1)} ms, ` +
            `${r.cpuPerCallSecond.toFixed(2)} CPU s per call-second, ${r.rssMiB.toFixed(0)} MiB`);
console.log('BENCH ' + JSON.stringify(r));
