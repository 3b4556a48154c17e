// The interop peer inside Chromium: the page /?ws=WS_URL&role=ROLE loads this module, which runs
// the very same peer.js as mprtc does. Checks go to run.mjs through window.interopReport (a
// function run.mjs exposes); window.interopDone settles once the peer has finished and every
// report has been delivered.
import { runPeer } from './peer.js';

const params = new URLSearchParams(location.search);
let delivered = Promise.resolve();
window.interopDone = runPeer({
  url: params.get('ws'),
  role: params.get('role'),
  impl: 'chromium',
  report: (result) => {
    delivered = delivered.then(() => window.interopReport(JSON.stringify(result)));
  },
  log: (text) => console.log(text),
}).then(() => 'finished', (e) => `threw ${e && e.name}: ${e && e.message}`)
  .then(async (outcome) => { await delivered; return outcome; });
