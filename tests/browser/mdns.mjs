// mDNS candidates: a default headless Chromium (its host candidates hidden behind .local names,
// as every default Chromium sends them) and mprtc connect both ways, where only mprtc can make
// the connection (it never tells Chromium its own candidates): mprtc must resolve the names on
// the network (src/sdk/net/mdns-resolver.c; Chromium answers mDNS queries for its own names).
// Chromium's candidates come once inside its offer, then trickled one by one to
// addIceCandidate. playwright-core is installed into tests/browser/node_modules when missing.
// Prints TAP.
//
// Usage: node tests/browser/mdns.mjs PATH/TO/mprtc
//   OFFERERS=mprtc (or chromium) runs one direction; DEBUG_MDNS=1 prints, on a failure, the
//   signaling messages the mprtc end received.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackages } from '../support/npm-package.mjs';
import { check, equal, run as runTests, test } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mprtcPath = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'build', 'mprtc'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The folder's packages, all at once (an install of fewer removes the others).
const { 'playwright-core': playwright, ws: WebSocket } = await npmPackages(here, {
  'playwright-core': 'playwright-core', 'miniprogram-automator': 'miniprogram-automator@0.12.1', ws: 'ws',
});

function startSignal() {
  const child = spawn(mprtcPath, ['signal', '--port', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      const m = /serving (ws:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`mprtc signal exited (${code})`)));
  });
}

// The mprtc end: resolves with its RESULT line's object.
function runMprtc(url, room, role) {
  const child = spawn(mprtcPath, ['exec', path.join(here, 'mdns-peer.js'), '--timeout', '40', '--', url, room, role, process.env.DEBUG_MDNS ? 'debug' : ''],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => child.once('exit', (code) => {
    const m = /^RESULT (.*)$/m.exec(out);
    if (code === 0 && m) resolve(JSON.parse(m[1]));
    else reject(new Error(`mprtc exited ${code}:\n${out}${err}`));
  }));
}

// The Chromium end, in the page: joins, offers (its candidates inside the offer, gathered first)
// or answers (trickling them), and answers a ping with a pong.
async function chromiumPeer(url, room, role) {
  const ws = new WebSocket(url);
  const send = (m) => ws.send(JSON.stringify(m));
  const pc = new RTCPeerConnection();
  const result = { role, candidatesFromMprtc: 0, ownCandidates: [] };
  let other = null;
  const done = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no message both ways within 20 s (${pc.connectionState})`)), 20000);
    const use = (channel) => {
      channel.onmessage = (e) => {
        if (e.data === 'ping') { channel.send('pong'); result.ping = true; resolve(); }
        if (e.data === 'pong') { result.pong = true; resolve(); }
      };
      channel.onopen = () => { if (role === 'offer') channel.send('ping'); };
    };
    if (role === 'offer') use(pc.createDataChannel('mdns'));
    else pc.ondatachannel = (e) => use(e.channel);
  });
  pc.onicecandidate = (e) => {
    if (!e.candidate) return;
    result.ownCandidates.push(e.candidate.candidate);
    if (role === 'answer') send({ type: 'candidate', to: other, candidate: e.candidate.toJSON() });
  };
  let chain = Promise.resolve();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    chain = chain.then(async () => {
      if (m.type === 'joined' && role === 'offer') {
        other = m.peers[0];
        await pc.setLocalDescription();
        if (pc.iceGatheringState !== 'complete') {
          await new Promise((r) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()));
        }
        send({ type: 'offer', to: other, sdp: pc.localDescription.sdp });
      } else if (m.type === 'offer') {
        other = m.from;
        await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
        await pc.setLocalDescription();
        send({ type: 'answer', to: other, sdp: pc.localDescription.sdp });
      } else if (m.type === 'answer') {
        await pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
      } else if (m.type === 'candidate') {
        result.candidatesFromMprtc++;
      }
    });
  };
  await new Promise((r) => { ws.onopen = r; });
  send({ type: 'join', room });
  await done;
  result.connectionState = pc.connectionState;
  pc.close();
  ws.close();
  return result;
}

let signal, context, userDataDir;

async function call(offerer) {
  const room = `mdns-${offerer}-${process.pid}`;
  const page = await context.newPage();
  // A document of the signaling server's origin (a 404 is one): from about:blank, Chromium
  // blocks connections to 127.0.0.1 (Local Network Access).
  await page.goto(signal.url.replace(/^ws:/, 'http:').replace(/\/signal$/, '/mdns-test'));
  // The answerer joins first and waits; the offerer joins second and calls.
  let mprtc, chromium;
  if (offerer === 'chromium') {
    mprtc = runMprtc(signal.url, room, 'answer');
    // mprtc must be in the room before Chromium joins: Chromium offers to the peer it finds.
    await waitForPeers(room, 1);
    chromium = page.evaluate(`(${chromiumPeer})(${JSON.stringify(signal.url)}, ${JSON.stringify(room)}, 'offer')`);
  } else {
    chromium = page.evaluate(`(${chromiumPeer})(${JSON.stringify(signal.url)}, ${JSON.stringify(room)}, 'answer')`);
    await waitForPeers(room, 1);
    mprtc = runMprtc(signal.url, room, 'offer');
  }
  const [m, c] = await Promise.allSettled([mprtc, chromium]);
  await page.close();
  if (m.status === 'rejected' || c.status === 'rejected') {
    throw new Error(`mprtc: ${m.reason?.message ?? 'done'}; Chromium: ${c.reason?.message ?? 'done'}`);
  }
  return { m: m.value, c: c.value };
}

// Waits until room holds n peers (the answerer has joined).
async function waitForPeers(room, n) {
  const end = Date.now() + 15000;
  while (!(await roomHas(room, n))) {
    if (Date.now() > end) throw new Error(`room ${room} never had ${n} peers`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Whether room holds n peers: a join of our own answers with the peers already there, then we
// leave at once (the waiting peer sees someone come and go, which both ends here ignore).
function roomHas(room, n) {
  return new Promise((resolve) => {
    const ws = new WebSocket(signal.url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'join', room }));
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      // Resolved once the server has let the probe go: an offerer joining next must not find it.
      if (m.type === 'joined') { ws.onclose = () => resolve(m.peers.length >= n); ws.close(); }
    };
    ws.onerror = () => resolve(false);
  });
}

test('setup: mprtc signal and a default headless Chromium', async () => {
  check(fs.existsSync(chromiumPath), `Chromium at ${chromiumPath}`);
  signal = await startSignal();
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-mdns-'));
  context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath, headless: true,
    // Not --disable-features=WebRtcHideLocalIpsWithMdns: Chromium's default, mDNS names.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

for (const offerer of (process.env.OFFERERS ?? 'chromium,mprtc').split(',')) {
  test(`${offerer} offers: mprtc resolves Chromium's .local candidates and connects`, async () => {
    const { m, c } = await call(offerer);
    const hidden = m.remoteCandidates.filter((l) => / typ host /.test(l));
    check(hidden.length > 0 && hidden.every((l) => /\.local /.test(l)), `Chromium's host candidates are mDNS names: ${JSON.stringify(m.remoteCandidates)}`);
    equal(c.candidatesFromMprtc, 0, 'Chromium was told none of mprtc\'s candidates');
    check(m.ping || m.pong, 'mprtc heard Chromium');
    check(c.ping || c.pong, 'Chromium heard mprtc');
    equal(m.connectionState, 'connected', 'mprtc connected');
  });
}

test('teardown', async () => {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  signal.child.kill('SIGTERM');
});

await runTests();
