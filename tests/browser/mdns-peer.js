// The mprtc end of tests/browser/mdns.mjs: joins a room of `mprtc signal`, offers (role "offer",
// when it joins second) or answers (role "answer"), and never tells the browser its own
// candidates: the connection can only come from mprtc's checks to the browser's candidates,
// whose addresses are mDNS names. Prints "RESULT {json}" when the data channel has carried a
// message both ways.
// Usage: mprtc exec mdns-peer.js -- WS_URL ROOM ROLE
const [url, room, role, debug] = mprtc.args;
globalThis.DEBUG_MDNS = debug === 'debug';
const ws = new WebSocket(url);
const send = (m) => ws.send(JSON.stringify(m));
const withoutCandidates = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
const pc = new RTCPeerConnection();
const result = { role, remoteCandidates: [] };
let other = null;

const done = new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error(`no message both ways within 20 s (${pc.connectionState})`)), 20000);
  const use = (channel) => {
    channel.onmessage = (e) => {
      if (e.data === 'ping') channel.send('pong');
      if (e.data === 'pong' || e.data === 'ping') {
        result[e.data] = true;
        if (role === 'offer' ? result.pong : result.ping) resolve();
      }
    };
    channel.onopen = () => { if (role === 'offer') channel.send('ping'); };
  };
  if (role === 'offer') use(pc.createDataChannel('mdns'));
  else pc.ondatachannel = (e) => use(e.channel);
});

let chain = Promise.resolve();
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (globalThis.DEBUG_MDNS) console.error('signal', m.type, m.peers ?? m.from ?? '', m.candidate?.candidate ?? '');
  chain = chain.then(async () => {
    if (m.type === 'joined' && role === 'offer') {
      other = m.peers[0];
      await pc.setLocalDescription();
      send({ type: 'offer', to: other, sdp: withoutCandidates(pc.localDescription.sdp) });
    } else if (m.type === 'offer') {
      other = m.from;
      result.remoteCandidates.push(...m.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:')));
      await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
      await pc.setLocalDescription();
      send({ type: 'answer', to: other, sdp: withoutCandidates(pc.localDescription.sdp) });
    } else if (m.type === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
    } else if (m.type === 'candidate' && m.candidate) {
      result.remoteCandidates.push(m.candidate.candidate);
      await pc.addIceCandidate(m.candidate);
    }
  });
};
ws.onopen = () => send({ type: 'join', room });
await done;
result.connectionState = pc.connectionState;
console.log('RESULT ' + JSON.stringify(result));
pc.close();
ws.close();
