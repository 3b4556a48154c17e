// The signaling benchmark: 200 clients in 100 rooms (two a room, each the other's partner) on
// `mprtc signal`, then the same on a relay written on Node's `ws` (bench/signal-relay.mjs), in
// the same run with the same clients: the relay latency of messages sent at a steady 10 a second
// by each client (p50, p99), and the throughput of a burst of 150 messages from every client at
// once (30000 relayed); every message is counted (nothing lost). Prints "BENCH_MPRTC <json>" and
// "BENCH_NODE <json>". Not a test (docs/benchmarks.md).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackage } from '../tests/support/npm-package.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const WebSocket = await npmPackage(path.join(root, 'tests', 'signal'), 'ws', 'ws@8');
const CLIENTS = 200, STEADY_RATE = 10, STEADY_SECONDS = 3, BURST = 150;

function start(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      const m = /serving (ws:\S+)/.exec(l);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code})`)));
  });
}

async function client(url, room) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const c = { ws, got: 0, latencies: [], errors: 0, onJoined: null };
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    if (m.type === 'message') {
      c.got++;
      if (m.data.t) c.latencies.push(performance.now() - m.data.t);
    } else if (m.type === 'joined') {
      c.peer = m.peer;
      c.onJoined?.(m);
    } else if (m.type === 'peer-joined') {
      c.partner = m.peer;
    } else if (m.type === 'error') {
      c.errors++;
    }
  });
  const joined = await new Promise((resolve) => { c.onJoined = resolve; ws.send(JSON.stringify({ type: 'join', room })); });
  if (joined.peers.length) c.partner = joined.peers[0];
  return c;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout) || 100;
// The CPU seconds a process has used (user + system), from /proc.
function cpuSeconds(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

const until = async (cond) => {
  const end = Date.now() + 60000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

async function measure(url, pid) {
  const cpu0 = cpuSeconds(pid);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await client(url, `room${i >> 1}`));
  await until(() => clients.every((c) => c.partner));
  const send = (c, data) => c.ws.send(JSON.stringify({ type: 'message', to: c.partner, data }));
  // Steady: each client 10 a second, spread over the interval.
  const steadyTotal = CLIENTS * STEADY_RATE * STEADY_SECONDS;
  await new Promise((resolve) => {
    let sent = 0;
    const timer = setInterval(() => {
      for (let k = 0; k < CLIENTS * STEADY_RATE / 100 && sent < steadyTotal; k++, sent++) send(clients[sent % CLIENTS], { t: performance.now() });
      if (sent >= steadyTotal) { clearInterval(timer); resolve(); }
    }, 10);
  });
  await until(() => clients.reduce((n, c) => n + c.got, 0) >= steadyTotal);
  const lat = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  // Burst: everyone at once.
  for (const c of clients) c.got = 0;
  const t0 = performance.now();
  for (let k = 0; k < BURST; k++) for (const c of clients) send(c, { n: k });
  await until(() => clients.reduce((n, c) => n + c.got, 0) >= CLIENTS * BURST);
  const seconds = (performance.now() - t0) / 1000;
  const received = clients.reduce((n, c) => n + c.got, 0), errors = clients.reduce((n, c) => n + c.errors, 0);
  for (const c of clients) c.ws.close();
  const relayed = steadyTotal + CLIENTS * BURST;
  return {
    cpuMsPer1000: (cpuSeconds(pid) - cpu0) * 1000 / (relayed / 1000),
    p50ms: lat[Math.floor(lat.length * 0.5)], p99ms: lat[Math.floor(lat.length * 0.99)],
    steadyLost: steadyTotal - lat.length, perSecond: CLIENTS * BURST / seconds, burstLost: CLIENTS * BURST - received, errors,
  };
}

for (const [name, cmd, args] of [['MPRTC', path.join(root, 'build', 'mprtc'), ['signal', '--port', '0', '--quiet']],
                                 ['NODE', process.execPath, [path.join(here, 'signal-relay.mjs')]]]) {
  const server = await start(cmd, args);
  try {
    const result = await measure(server.url, server.child.pid);
    if (name === 'NODE') Object.assign(result, { name: 'Node ws', version: process.versions.node });
    console.log(`BENCH_${name} ${JSON.stringify(result)}`);
  } finally {
    server.child.kill('SIGTERM');
  }
}
