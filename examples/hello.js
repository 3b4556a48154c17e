// The bundled example: the logic layer's web globals and a round trip over the JSBridge to
// the SDK thread. Run it with: build/mprtc exec examples/hello.js
const started = performance.now();
console.log('mprtc %s, app %o', mprtc.version, mprtc.app);

const info = await mprtc.bridge.info();
console.log('SDK thread up: GStreamer %s, bridge protocol %d', info.gstreamer, info.protocol);

const t0 = performance.now();
const pong = await mprtc.bridge.ping();
console.log('bridge round trip: %s us', ((performance.now() - t0) * 1000).toFixed(1), pong);

const target = new EventTarget();
target.addEventListener('greet', (e) => console.log('event:', e.type, e.detail), { once: true });
target.dispatchEvent(new CustomEvent('greet', { detail: { from: 'EventTarget' } }));

const bytes = new TextEncoder().encode('你好, WebRTC');
console.log('TextEncoder:', bytes.length, 'bytes; back:', new TextDecoder().decode(bytes));
console.log('btoa/atob:', btoa('mprtc'), atob(btoa('mprtc')));
console.log('crypto.randomUUID():', crypto.randomUUID());
console.log('structuredClone:', structuredClone({ when: new Date(0), tags: new Set(['a', 'b']) }));
try {
  throw new DOMException('a sample error', 'InvalidStateError');
} catch (e) {
  console.log('DOMException:', e.name, e.code, e instanceof Error);
}
await new Promise((resolve) => setTimeout(resolve, 10));
queueMicrotask(() => console.log('microtask ran'));
await null;
console.log('done in %s ms', (performance.now() - started).toFixed(1));
