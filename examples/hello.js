// The bundled example: the logic layer's web globals, and standard WebRTC end to end: two peer
// connections in this app, a data channel between them through the SDK's webrtcbin.
// Run it with: build/mprtc exec examples/hello.js
const started = performance.now();
console.log('mprtc %s, app %o', mprtc.version, mprtc.app);

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

// Two peers, offer/answer and trickle ICE between them, a data channel, one message each way.
const a = new RTCPeerConnection();
const b = new RTCPeerConnection();
a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
const channel = a.createDataChannel('hello');
const answered = new Promise((resolve) => {
  b.ondatachannel = ({ channel: remote }) => {
    remote.onmessage = (e) => {
      console.log('b received:', e.data);
      remote.send(new TextEncoder().encode('hello back, as bytes'));
    };
  };
  // Binary messages arrive as Blobs unless asked otherwise (the W3C default).
  channel.onmessage = async (e) => resolve(await e.data.text());
});
const t0 = performance.now();
await a.setLocalDescription();
await b.setRemoteDescription(a.localDescription);
await b.setLocalDescription();
await a.setRemoteDescription(b.localDescription);
await new Promise((resolve) => { channel.onopen = resolve; });
console.log('data channel open in %s ms (%s)', (performance.now() - t0).toFixed(1), a.connectionState);
channel.send('hello over WebRTC');
console.log('a received:', await answered);
a.close();
b.close();
console.log('done in %s ms', (performance.now() - started).toFixed(1));
