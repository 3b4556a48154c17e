// Interop test: mprtc and headless Chromium connect through a signaling relay on 127.0.0.1, in
// both directions of offering, and run the same peer logic: data channels (peer.js), then audio
// and video both ways (media-peer.js). Prints TAP.
//
// Usage: node tests/interop/run.mjs PATH/TO/mprtc [PATH/TO/python3]
//
// It starts tests/support/ws_server.py (its /relay/ROOM path is the signaling channel) and an
// HTTP server for the page, both on ephemeral ports of 127.0.0.1; then, for each scenario, runs
// `mprtc exec mprtc-peer.js` and a Chromium page running browser-peer.js in the same room. Each
// peer reports the checks peer.js lists for it (checksFor); a check that never arrives fails.
// playwright-core is installed into tests/interop/node_modules when missing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackage } from '../support/npm-package.mjs';
import { checksFor } from './peer.js';
import { mediaChecksFor } from './media-peer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const mprtcPath = path.resolve(process.argv[2] ?? path.join(root, 'build', 'mprtc'));
const pythonPath = process.argv[3] ?? 'python3';
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Bounds: every wait in peer.js is bounded by STEP_TIMEOUT_MS; these only stop a stuck process.
const MPRTC_TIMEOUT_S = 60;
const SCENARIO_TIMEOUT_MS = 90000;

const SCENARIOS = [
  { name: 'mprtc offers, Chromium answers', offerer: 'mprtc', answerer: 'chromium', peer: 'data' },
  { name: 'Chromium offers, mprtc answers', offerer: 'chromium', answerer: 'mprtc', peer: 'data' },
  { name: 'media: mprtc offers, Chromium answers', offerer: 'mprtc', answerer: 'chromium', peer: 'media' },
  { name: 'media: Chromium offers, mprtc answers', offerer: 'chromium', answerer: 'mprtc', peer: 'media' },
  { name: 'media, H264: mprtc offers H264 alone, Chromium answers', offerer: 'mprtc', answerer: 'chromium', peer: 'media', codec: 'H264' },
  { name: 'media, VP9: Chromium offers VP9 alone, mprtc answers', offerer: 'chromium', answerer: 'mprtc', peer: 'media', codec: 'VP9' },
];
const checksOf = (scenario, role, impl) => (scenario.peer === 'media' ? mediaChecksFor() : checksFor(role, impl));
const RUNNER_CHECKS = {
  mprtc: 'the mprtc process exits with status 0 and no uncaught error',
  chromium: 'the page finishes with no uncaught error',
};

const comment = (text) => {
  for (const line of String(text).split('\n')) if (line.trim()) console.log('# ' + line);
};

const loadPlaywright = () => npmPackage(here, 'playwright-core');

// ws_server.py prints its base URL, then serves until killed.
function startRelay() {
  const child = spawn(pythonPath, [path.join(root, 'tests', 'support', 'ws_server.py')],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (url) => resolve({ child, url: url.trim() }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`ws_server.py exited (${code}) before serving`)));
  });
}

// Serves the page and the two modules it needs, nothing else.
function startHttp() {
  const files = { '/peer.js': 'peer.js', '/media-peer.js': 'media-peer.js', '/browser-peer.js': 'browser-peer.js' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><title>mprtc interop</title>' +
              '<script type="module" src="/browser-peer.js"></script>');
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (files[url.pathname]) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(fs.readFileSync(path.join(here, files[url.pathname])));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function timeout(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no end after ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

// Runs the mprtc peer; resolves with {status, stderr} once it exits. Checks go to results.
function runMprtc(wsUrl, role, scenario, results, log) {
  const child = spawn(mprtcPath, ['exec', path.join(here, 'mprtc-peer.js'), '--timeout', String(MPRTC_TIMEOUT_S),
                                  '--grant', 'camera,microphone', '--', wsUrl, role, scenario.peer,
                                  ...(scenario.codec ? [scenario.codec] : [])],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('CHECK ')) {
      try {
        results.push(JSON.parse(line.slice(6)));
        return;
      } catch { /* shown below as it is */ }
    }
    log(line);
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    log('stderr: ' + line);
  });
  const exited = new Promise((resolve) => {
    child.once('error', (e) => resolve({ status: null, error: e.message, stderr }));
    child.once('exit', (code, signal) => resolve({ status: code, signal, stderr }));
  });
  return { child, exited };
}

// Runs the browser peer in a new tab; resolves with what the page reported at its end.
async function runChromium(tab, pageUrl, results, log) {
  const errors = [];
  await tab.exposeFunction('interopReport', (json) => { results.push(JSON.parse(json)); });
  tab.on('console', (msg) => log(`console.${msg.type()}: ${msg.text()}`));
  tab.on('pageerror', (e) => { errors.push(e.message); log(`uncaught: ${e.message}`); });
  tab.on('crash', () => { errors.push('the page crashed'); log('the page crashed'); });
  await tab.goto(pageUrl);
  await tab.waitForFunction(() => window.interopDone !== undefined, null, { timeout: 10000 });
  const outcome = await tab.evaluate(() => window.interopDone);
  return { outcome, errors };
}

async function runScenario(scenario, index, relayUrl, httpPort, context) {
  const room = `s${index}-${process.pid}-${Date.now()}`;
  const wsUrl = `${relayUrl}/relay/${room}`;
  const mprtcRole = scenario.offerer === 'mprtc' ? 'offerer' : 'answerer';
  const chromiumRole = mprtcRole === 'offerer' ? 'answerer' : 'offerer';
  const results = { mprtc: [], chromium: [] };
  const logs = [];
  const log = (who) => (text) => logs.push(`${who}: ${text}`);
  comment(`scenario ${index + 1}: ${scenario.name} (room ${room})`);

  const mprtc = runMprtc(wsUrl, mprtcRole, scenario, results.mprtc, log('mprtc'));
  const pageUrl = `http://127.0.0.1:${httpPort}/?ws=${encodeURIComponent(wsUrl)}&role=${chromiumRole}&peer=${scenario.peer}` +
                  (scenario.codec ? `&codec=${scenario.codec}` : '');
  const tab = await context.newPage();
  const chromium = runChromium(tab, pageUrl, results.chromium, log('chromium'));
  chromium.catch(() => {});
  const limit = timeout(SCENARIO_TIMEOUT_MS, scenario.name);
  let mprtcEnd, chromiumEnd;
  try {
    [mprtcEnd, chromiumEnd] = await Promise.race([
      Promise.all([mprtc.exited, chromium.then((v) => v, (e) => ({ outcome: `failed: ${e.message}`, errors: [] }))]),
      limit.promise,
    ]);
  } catch (e) {
    logs.push(`runner: ${e.message}`);
    mprtc.child.kill('SIGKILL');
    mprtcEnd = await mprtc.exited;
    chromiumEnd = { outcome: 'did not finish', errors: [] };
  } finally {
    limit.cancel();
  }
  await tab.close().catch(() => {});

  // Every check each side was to report, in order; then the runner's own.
  const lines = [];
  const unexpected = {};
  for (const [impl, role] of [['mprtc', mprtcRole], ['chromium', chromiumRole]]) {
    const got = results[impl];
    const expected = checksOf(scenario, role, impl);
    for (const name of expected) {
      const r = got.find((x) => x.check === name);
      lines.push({ ok: !!(r && r.ok), name: `${scenario.name}: ${impl} (${role}): ${name}`,
                   detail: r ? r.detail : 'never reported (the run stopped before it)' });
    }
    // A report no list names (an exception in peer.js, say) fails the runner's check below.
    unexpected[impl] = got.filter((x) => !expected.includes(x.check)).map((r) => `${r.ok ? 'ok' : 'FAILED'} "${r.check}": ${r.detail}`);
  }
  const uncaught = mprtcEnd.stderr.filter((l) => /Uncaught|unhandled/i.test(l)).concat(unexpected.mprtc);
  lines.push({
    ok: mprtcEnd.status === 0 && uncaught.length === 0,
    name: `${scenario.name}: ${RUNNER_CHECKS.mprtc}`,
    detail: `status ${mprtcEnd.status}${mprtcEnd.signal ? ` (signal ${mprtcEnd.signal})` : ''}${mprtcEnd.error ? ` (${mprtcEnd.error})` : ''}` +
            `${uncaught.length ? `; ${uncaught.join(' | ')}` : ''}`,
  });
  chromiumEnd.errors.push(...unexpected.chromium);
  lines.push({
    ok: chromiumEnd.outcome === 'finished' && chromiumEnd.errors.length === 0,
    name: `${scenario.name}: chromium: ${RUNNER_CHECKS.chromium}`,
    detail: `${chromiumEnd.outcome}${chromiumEnd.errors.length ? `; ${chromiumEnd.errors.join(' | ')}` : ''}`,
  });
  return { lines, logs };
}

function planSize() {
  let n = 0;
  for (const s of SCENARIOS) {
    n += checksOf(s, 'offerer', s.offerer).length + checksOf(s, 'answerer', s.answerer).length + 2;
  }
  return n;
}

async function main() {
  if (!fs.existsSync(mprtcPath)) throw new Error(`no mprtc at ${mprtcPath}: build it first (ninja -C build)`);
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium)`);
  const { chromium } = await loadPlaywright();
  const relay = await startRelay();
  const server = await startHttp();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-interop-chromium-'));
  let context = null;
  let failed = 0;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
             '--use-fake-ui-for-media-stream', '--disable-background-networking',
             '--disable-component-update', '--disable-sync',
             '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
    });
    console.log('TAP version 13');
    console.log(`1..${planSize()}`);
    comment(`Chromium ${context.browser()?.version() ?? '(version unknown)'}; mprtc ${mprtcPath}; relay ${relay.url}`);
    let n = 0;
    for (const [i, scenario] of SCENARIOS.entries()) {
      const { lines, logs } = await runScenario(scenario, i, relay.url, server.address().port, context);
      const anyFailed = lines.some((l) => !l.ok);
      for (const l of lines) {
        n++;
        if (!l.ok) failed++;
        console.log(`${l.ok ? 'ok' : 'not ok'} ${n} - ${l.name.replace(/#/g, '\\#')}`);
        if (!l.ok || l.detail) comment(`  ${l.detail}`);
      }
      // The peers' own output, in full when something failed.
      if (anyFailed) logs.forEach((l) => comment(`  | ${l}`));
    }
  } finally {
    if (context) await context.close().catch(() => {});
    server.close();
    relay.child.kill();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return failed;
}

main().then((failed) => {
  if (failed) comment(`${failed} check(s) failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log('Bail out! ' + (e && e.stack ? e.stack.split('\n')[0] : String(e)));
  console.error(e);
  process.exit(1);
});
