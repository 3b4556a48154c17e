// Runs a bench page in headless Chromium and prints "BENCH <json>" with what it resolved to.
// Usage: node bench/chromium.mjs bench/PAGE.js   (PAGE.js sets window.benchResult to a promise)
// The repository is served from http://127.0.0.1 (a secure origin), so pages import the same
// modules mprtc runs. Pages may call window.benchProcess() for the CPU seconds and resident
// bytes of every Chromium process (all descendants of this one).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout) || 100;
const PAGE_SIZE = Number(spawnSync('getconf', ['PAGESIZE']).stdout) || 4096;

// {cpuSeconds, rssBytes} summed over the descendants of this process, from /proc.
function descendantsUsage() {
  const children = new Map();
  const stats = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text;
    try { text = fs.readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(f[1]);
    stats.set(Number(name), { cpu: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS, rss: Number(f[21]) * PAGE_SIZE });
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  let cpuSeconds = 0, rssBytes = 0;
  const todo = [...(children.get(process.pid) ?? [])];
  while (todo.length) {
    const pid = todo.pop();
    const s = stats.get(pid);
    if (s) { cpuSeconds += s.cpu; rssBytes += s.rss; }
    todo.push(...(children.get(pid) ?? []));
  }
  return { cpuSeconds, rssBytes };
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const page = process.argv[2];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><script type="module" src="/${page}"></script>`);
    return;
  }
  const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, ''));
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/javascript' });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-bench-chromium-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
         '--use-fake-ui-for-media-stream', '--disable-background-networking',
         '--disable-component-update', '--disable-sync',
         '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
try {
  await browser.exposeFunction('benchProcess', descendantsUsage);
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 600000 });
  tab.setDefaultTimeout(600000);
  const result = await tab.evaluate(() => window.benchResult);
  const version = browser.browser()?.version() ?? 'unknown';
  console.log('BENCH ' + JSON.stringify({ ...result, version }));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
