// The bridge benchmark, Chromium side: a page talking to a dedicated Worker that answers every
// message, the browser's own cross-thread channel. Loaded by bench/chromium.mjs.
import { measure } from './bridge-core.js';

const worker = new Worker(URL.createObjectURL(new Blob([
  'onmessage = (e) => postMessage({ seq: e.data.seq, result: { pong: true, t: performance.now() } });',
], { type: 'text/javascript' })));
const pending = new Map();
let seq = 0;
worker.onmessage = (e) => {
  const resolve = pending.get(e.data.seq);
  pending.delete(e.data.seq);
  resolve(e.data.result);
};
const ping = () => new Promise((resolve) => {
  const s = ++seq;
  pending.set(s, resolve);
  worker.postMessage({ v: 1, seq: s, method: 'bridge.ping' });
});

window.benchResult = measure(ping, { performanceNowNs: () => performance.now() });
