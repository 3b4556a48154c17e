// The automation benchmark: a test client's requests, round trip, as a developer's test sees
// them. mprtc: miniprogram-automator over `mprtc run --auto-port` (bench/automation-app).
// Chromium: playwright-core over the DevTools protocol on a page of the same content. Same
// machine, same run; prints "BENCH_MPRTC <json>" and "BENCH_CHROMIUM <json>". Not a test
// (docs/benchmarks.md).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackage } from '../tests/support/npm-package.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const N = 300;

// fn's round trips; after (untimed) lets go of what one returned.
async function timed(n, fn, after) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const value = await fn(i);
    ms.push(performance.now() - t);
    if (after) await after(value);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(n * 0.5)], p95: ms[Math.floor(n * 0.95)] };
}

async function figures(ops) {
  const out = {};
  for (const [key, n, fn, after] of ops) {
    await timed(Math.min(n, 10), fn, after); // warm-up
    const { p50, p95 } = await timed(n, fn, after);
    out[`${key}P50ms`] = p50;
    out[`${key}P95ms`] = p95;
  }
  return out;
}

async function mprtc() {
  // The tests' copy (one npm folder per package: npm prunes what another install put there).
  const automator = await npmPackage(path.join(root, 'tests', 'automation'), 'miniprogram-automator', 'miniprogram-automator@0.12.1');
  const child = spawn(path.join(root, 'build', 'mprtc'), ['run', path.join(here, 'automation-app'), '--auto-port', '0'],
                      { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      const m = /automation on (ws:\S+)/.exec(l);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`mprtc run exited (${code})`)));
  });
  const mp = await automator.connect({ wsEndpoint: endpoint });
  const page = await mp.currentPage();
  const button = await page.$('#button');
  const count = await page.$('#count');
  const result = await figures([
    ['data', N, () => page.data('n')],
    ['evaluate', N, () => mp.evaluate(() => getCurrentPages().length)],
    ['tap', N, () => button.tap()],
    ['text', N, () => count.text()],
    ['query', N, () => page.$$('.row')],
    ['screenshot', 30, () => mp.screenshot()],
  ]);
  const n = await page.data('n');
  if (n < N) throw new Error(`the taps did not all run: n = ${n}`);
  await mp.close();
  return result;
}

async function chromium() {
  const { chromium } = await npmPackage(here, 'playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2 });
  await page.setContent(`<div id="count">0</div><div id="button">Add one</div>
    ${Array.from({ length: 50 }, (_, i) => `<div class="row">row ${i}</div>`).join('')}
    <script>
      window.data = { n: 0 };
      document.getElementById('button').addEventListener('click', () => {
        document.getElementById('count').textContent = String(++window.data.n);
      });
    </script>`);
  const button = await page.$('#button');
  const count = await page.$('#count');
  const result = await figures([
    ['data', N, () => page.evaluate(() => window.data.n)],
    ['evaluate', N, () => page.evaluate(() => document.readyState)],
    // A dispatched click (no hit-testing waits): the closest to a mini-program's tap event.
    ['tap', N, () => button.dispatchEvent('click')],
    ['text', N, () => count.innerText()],
    // Handles kept would slow every later call: each query's are let go, untimed. (mprtc's
    // element IDs live in the elements' view state: nothing piles up.)
    ['query', N, () => page.$$('.row'), (handles) => Promise.all(handles.map((h) => h.dispose()))],
    ['screenshot', 30, () => page.screenshot()],
  ]);
  result.version = browser.version();
  await browser.close();
  return result;
}

console.log('BENCH_MPRTC ' + JSON.stringify(await mprtc()));
if (process.env.MPRTC_BENCH_NO_CHROMIUM !== '1') console.log('BENCH_CHROMIUM ' + JSON.stringify(await chromium()));
