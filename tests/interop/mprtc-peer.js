// The interop peer inside mprtc: `mprtc exec mprtc-peer.js -- WS_URL ROLE`. Each check goes to
// stdout as one line "CHECK <json>", read by run.mjs; anything else printed is diagnostics.
import { runPeer } from './peer.js';

const [url, role] = mprtc.args;
await runPeer({
  url,
  role,
  impl: 'mprtc',
  report: (result) => console.log('CHECK ' + JSON.stringify(result)),
  log: (text) => console.log(text),
});
