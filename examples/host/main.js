// The app examples/host/host.c runs: asks its host who it is, connects two peers of its own
// with a data channel, sends one message across, and reports to the host.
const info = await mprtc.host.hostInfo();
console.log(`hello from app '${mprtc.app}' inside ${info.name} (pid ${info.pid})`);

try {
  await navigator.mediaDevices.getUserMedia({ audio: true });
} catch (e) {
  console.warn(`no microphone: ${e.name}`);
}

const a = new RTCPeerConnection();
const b = new RTCPeerConnection();
a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
const channel = a.createDataChannel('to-b');
const received = new Promise((resolve) => {
  b.ondatachannel = (e) => { e.channel.onmessage = (m) => resolve(m.data); };
});
const t0 = performance.now();
await a.setLocalDescription();
await b.setRemoteDescription(a.localDescription);
await b.setLocalDescription();
await a.setRemoteDescription(b.localDescription);
await new Promise((resolve) => { channel.onopen = resolve; });
channel.send('across the data channel');
const message = await received;
console.log(`b received: ${message}`);
await mprtc.host.report({ message, connectMs: Math.round(performance.now() - t0), state: a.connectionState });
a.close();
b.close();
