// A browser calls a mini-program: headless Chromium (driven by playwright-core) opens the web page
// that `mprtc signal` serves and joins a room where an instance of examples/video-call waits (run by
// `mprtc run --auto-port`, driven by miniprogram-automator). Video goes both ways, and each side's
// getStats shows the other's frames decoded; then the browser hangs up and the mini-program waits
// for the next caller. Both packages are installed into tests/browser/node_modules when missing.
// Prints TAP.
//
// Usage: node tests/browser/run.mjs PATH/TO/mprtc
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackages } from '../support/npm-package.mjs';
import { check, equal, run as runTests, test, until } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const mprtcPath = path.resolve(process.argv[2] ?? path.join(root, 'build', 'mprtc'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Only bounds for what would otherwise hang: every wait is for the state it checks.
const WAIT_MS = 45000;

const { 'playwright-core': playwright, 'miniprogram-automator': automator } = await npmPackages(here, {
  'playwright-core': 'playwright-core', 'miniprogram-automator': 'miniprogram-automator@0.12.1',
});

// A process of mprtc that says on stderr where it serves: resolves with the match of pattern.
function startMprtc(args, pattern) {
  const child = spawn(mprtcPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, log: '' };
  child.stdout.on('data', (d) => { proc.log += d; });
  proc.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      proc.log += line + '\n';
      const m = pattern.exec(line);
      if (m) resolve(Object.assign(proc, { match: m }));
    });
    proc.exited.then((code) => reject(new Error(`mprtc ${args[0]} exited (${code}):\n${proc.log}`)));
  });
}

async function stop(proc) {
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10000);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

// What a page's getStats says of the video it receives: frames decoded, and its size.
const INBOUND_VIDEO = async (pc) => {
  if (!pc) return null;
  let found = null;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') found = { framesDecoded: s.framesDecoded ?? 0, frameWidth: s.frameWidth ?? 0 };
  });
  return found;
};

async function launchChromium() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-browser-call-'));
  const context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
  });
  context.cleanup = async () => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return context;
}

test('the served page: the call in a browser, the example\'s page code, nothing else', async () => {
  const signal = await startMprtc(['signal', '--port', '0'], /serving ws:\/\/127\.0\.0\.1:(\d+)\/signal/);
  try {
    const base = `http://127.0.0.1:${signal.match[1]}`;
    const page = await fetch(`${base}/`);
    equal(page.status, 200, 'GET /');
    equal(page.headers.get('content-type'), 'text/html; charset=utf-8', 'the page\'s type');
    check((await page.text()).includes('<script src="/index.js">'), 'the page loads the example\'s page code');
    const code = await fetch(`${base}/index.js`);
    equal(code.headers.get('content-type'), 'text/javascript; charset=utf-8', 'the script\'s type');
    equal(await code.text(), fs.readFileSync(path.join(root, 'examples', 'video-call', 'pages', 'index', 'index.js'), 'utf8'),
          '/index.js is examples/video-call/pages/index/index.js');
    equal((await fetch(`${base}/index.html`, { method: 'HEAD' })).status, 200, 'HEAD /index.html');
    equal((await fetch(`${base}/nothing-here`)).status, 404, 'another path');
    equal((await fetch(`${base}/../../etc/passwd`)).status, 404, 'a path that climbs');
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    equal([post.status, post.headers.get('allow')], [405, 'GET, HEAD'], 'POST');
  } finally {
    equal(await stop(signal), 0, 'mprtc signal exits 0 on SIGTERM');
  }
});

test('a browser and a mini-program call each other: video both ways, frames decoded on each side', async () => {
  const signal = await startMprtc(['signal', '--port', '0'], /serving (ws:\/\/127\.0\.0\.1:(\d+)\/signal)/);
  const [, wsUrl, port] = signal.match;
  const room = `browser-${process.pid}`;
  const context = await launchChromium();
  let run, mp;
  try {
    const browser = await context.newPage();
    const errors = [];
    browser.on('pageerror', (e) => errors.push(e.message));
    await browser.goto(`http://127.0.0.1:${port}/?room=${room}&autojoin=1`);
    await until('the browser waiting in the room', () => browser.evaluate(() => window.page.data.status.startsWith('in room')), WAIT_MS);

    // The mini-program joins second, so it calls the browser.
    run = await startMprtc(['run', path.join(root, 'examples', 'video-call'), '--app', 'called-by-browser', '--auto-port', '0',
                            '--grant', 'camera,microphone',
                            '--page', `pages/index/index?room=${room}&autojoin=1&server=${encodeURIComponent(wsUrl)}`],
                           /automation on (ws:\/\/127\.0\.0\.1:\d+)/);
    mp = await automator.connect({ wsEndpoint: run.match[1] });
    const mpPage = await mp.currentPage();

    await until('both sides connected', async () => (await mpPage.data('connected')) &&
                (await browser.evaluate(() => window.page.data.connected)), WAIT_MS);
    // Each side decodes the other's frames, and more of them a moment later.
    const inBrowser = () => browser.evaluate(`(${INBOUND_VIDEO})(window.page.pc)`);
    const inMiniProgram = () => mp.evaluate(`async () => (${INBOUND_VIDEO})(getCurrentPages()[0].pc)`);
    for (const [side, look] of [['the browser', inBrowser], ['the mini-program', inMiniProgram]]) {
      const first = await until(`${side} decoding frames`, async () => { const v = await look(); return v && v.framesDecoded > 0 && v; }, WAIT_MS);
      check(first.frameWidth > 0, `${side}: the frames have a size: ${JSON.stringify(first)}`);
      await until(`${side} decoding more frames`, async () => (await look()).framesDecoded > first.framesDecoded + 10, WAIT_MS);
    }
    // The pages show it: the video plays, the stats line moves.
    await until('the browser\'s video playing', () => browser.evaluate(() => {
      const v = document.getElementById('remote');
      return window.page.data.remotePlaying && v.videoWidth > 0 && !v.paused;
    }), WAIT_MS);
    await until('the mini-program\'s video playing', async () => (await mpPage.$('#remote-playing')) !== null, WAIT_MS);
    for (const [side, line] of [['the browser', () => browser.textContent('#stats')],
                                ['the mini-program', async () => (await mpPage.$('#stats')).text()]]) {
      const text = await until(`${side}'s stats line`, async () => { const t = await line(); return / [1-9]\d* fps/.test(t) && t; }, WAIT_MS);
      check(/^\d+ kbps · \d+ fps · rtt \d+ ms$/.test(text), `${side}'s stats line: ${text}`);
    }
    equal(await browser.evaluate(() => document.querySelector('#connected span').id), 'call-1', 'the browser\'s page says call 1');

    // The browser hangs up: the mini-program waits for the next one.
    await browser.click('#hangup');
    await until('the mini-program told they left', async () => (await mpPage.data('status')).startsWith('they left'), WAIT_MS);
    equal(await mpPage.data('connected'), false, 'the mini-program\'s call ended');
    equal(await browser.evaluate(() => window.page.data.status), 'not joined', 'the browser left the room');
    equal(errors, [], 'no uncaught error in the browser');
  } finally {
    if (mp) await mp.close().catch(() => {});
    if (run) {
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 20000);
      equal(await run.exited, 0, 'mprtc run exits 0 after the client\'s close');
      clearTimeout(timer);
    }
    await context.cleanup();
    await stop(signal);
  }
});

await runTests();
