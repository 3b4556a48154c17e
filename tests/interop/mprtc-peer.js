// The interop peer inside mprtc: `mprtc exec mprtc-peer.js --grant camera,microphone -- WS_URL
// ROLE [data|media [CODEC]]`. Each check goes to stdout as one line "CHECK <json>", read by run.mjs;
// anything else printed is diagnostics.
import { runPeer } from './peer.js';
import { runMediaPeer } from './media-peer.js';

const [url, role, peer = 'data', codec = null] = mprtc.args;
await (peer === 'media' ? runMediaPeer : runPeer)({
  url,
  role,
  impl: 'mprtc',
  codec,
  report: (result) => console.log('CHECK ' + JSON.stringify(result)),
  log: (text) => console.log(text),
});
