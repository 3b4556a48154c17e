// The interop peer inside Chromium: the page /?ws=WS_URL&role=ROLE&peer=data|media[&codec=NAME] loads this
// module, which runs the very same peer.js (or media-peer.js) as mprtc does. Checks go to run.mjs
// through window.interopReport (a function run.mjs exposes); window.interopDone settles once the
// peer has finished and every report has been delivered.
import { runPeer } from './peer.js';
import { runMediaPeer } from './media-peer.js';

const params = new URLSearchParams(location.search);
const run = params.get('peer') === 'media' ? runMediaPeer : runPeer;
let delivered = Promise.resolve();
window.interopDone = run({
  url: params.get('ws'),
  role: params.get('role'),
  impl: 'chromium',
  codec: params.get('codec'),
  report: (result) => {
    delivered = delivered.then(() => window.interopReport(JSON.stringify(result)));
  },
  log: (text) => console.log(text),
  play: (stream) => {
    const audio = document.createElement('audio');
    audio.srcObject = stream;
    document.body.append(audio);
    audio.play().catch((e) => console.log(`audio.play: ${e.message}`));
  },
}).then(() => 'finished', (e) => `threw ${e && e.name}: ${e && e.message}`)
  .then(async (outcome) => { await delivered; return outcome; });
