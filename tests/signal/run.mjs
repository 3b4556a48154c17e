// The signaling server, `mprtc signal`, as its clients see it (docs/signaling.md): rooms, presence,
// the relay, every kind of bad message answered with its error on a connection that stays up,
// the limits, and clients that vanish. Clients are Node's `ws` package (installed into
// tests/signal/node_modules when missing). Prints TAP.
//
// Usage: node tests/signal/run.mjs PATH/TO/mprtc
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackage } from '../support/npm-package.mjs';
import { check, equal, run as runTests, test } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mprtcPath = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'build', 'mprtc'));
const WebSocket = await npmPackage(here, 'ws', 'ws@8');
// Only a bound for what would otherwise hang: every check waits for the message it checks.
const WAIT_MS = 15000;

// `mprtc signal --port 0 ...args`: resolves once it says where it serves.
function startServer(...args) {
  const child = spawn(mprtcPath, ['signal', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const server = { child, log: '' };
  server.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      server.log += line + '\n';
      const m = /serving (ws:\/\/\S+)/.exec(line);
      if (m) resolve(Object.assign(server, { url: m[1] }));
    });
    server.exited.then((code) => reject(new Error(`mprtc signal exited (${code}):\n${server.log}`)));
  });
}

async function stopServer(server) {
  server.child.kill('SIGTERM');
  return server.exited;
}

// A client: messages in order, next(type) waits for the next one of that type.
async function connect(url) {
  const ws = new WebSocket(url);
  const client = { ws, inbox: [], waiters: [], closed: null };
  ws.on('message', (data, binary) => {
    client.inbox.push(JSON.parse(data.toString()));
    for (const w of client.waiters.splice(0)) w();
  });
  client.closedPromise = new Promise((resolve) => ws.on('close', (code) => { client.closed = code; resolve(code); }));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  client.send = (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  client.next = async (type) => {
    const end = Date.now() + WAIT_MS;
    for (;;) {
      const i = client.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return client.inbox.splice(i, 1)[0];
      if (Date.now() > end) throw new Error(`no '${type}' message within ${WAIT_MS} ms; got ${JSON.stringify(client.inbox)}`);
      await new Promise((resolve) => { client.waiters.push(resolve); setTimeout(resolve, 200); });
    }
  };
  client.none = (type) => check(!client.inbox.some((m) => m.type === type), `no '${type}' message: ${JSON.stringify(client.inbox)}`);
  client.join = async (room) => { client.send({ type: 'join', room }); return (client.me = await client.next('joined')); };
  client.close = () => ws.close();
  return client;
}

test('rooms, presence and the relay to one peer or the room', async () => {
  const server = await startServer();
  try {
    const a = await connect(server.url), b = await connect(server.url), c = await connect(server.url);
    const ja = await a.join('lobby');
    check(/^[0-9a-f]{16}$/.test(ja.peer), `a peer ID the server chose: ${ja.peer}`);
    equal([ja.room, ja.peers], ['lobby', []], 'the first in the room');
    const jb = await b.join('lobby');
    equal(jb.peers, [ja.peer], 'the second hears who is there');
    equal(await a.next('peer-joined'), { type: 'peer-joined', room: 'lobby', peer: jb.peer }, 'the first hears of the second');
    await c.join('elsewhere');

    a.send({ type: 'offer', to: jb.peer, sdp: 'v=0 offer', extra: 'dropped' });
    equal(await b.next('offer'), { sdp: 'v=0 offer', type: 'offer', from: ja.peer }, 'an offer to one peer, with who sent it');
    b.send({ type: 'answer', to: ja.peer, sdp: 'v=0 answer' });
    equal((await a.next('answer')).sdp, 'v=0 answer', 'the answer back');
    b.send({ type: 'candidate', to: ja.peer, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } });
    equal((await a.next('candidate')).candidate.sdpMid, '0', 'a candidate');
    b.send({ type: 'candidate', to: ja.peer, candidate: null });
    equal((await a.next('candidate')).candidate, null, 'the end of candidates');
    a.send({ type: 'message', data: { chat: 'hello room', n: [1, 2] } });
    equal((await b.next('message')).data, { chat: 'hello room', n: [1, 2] }, 'a message to the room');
    a.send({ type: 'message', data: 'ping' });
    await b.next('message');
    a.none('message');
    c.none('message');

    b.send({ type: 'leave' });
    equal(await b.next('left'), { type: 'left', room: 'lobby' }, 'leave is answered');
    equal((await a.next('peer-left')).peer, jb.peer, 'the room hears who left');
    const again = await b.join('lobby');
    equal(again.peers, [ja.peer], 'a peer may join again');
    check(again.peer === jb.peer, 'with the same ID (it is the connection\'s)');
    a.close();
    equal((await b.next('peer-left')).peer, ja.peer, 'a closed connection leaves its room');
    b.close();
    c.close();
    const d = await connect(server.url);
    equal((await d.join('lobby')).peers, [], 'an empty room goes; the name makes a new one');
    d.close();
  } finally {
    equal(await stopServer(server), 0, 'SIGTERM ends the server with status 0');
  }
  check(/room lobby: peer [0-9a-f]{16} joined \(2 peers\)/.test(server.log), `the server logs joins:\n${server.log}`);
});

test('bad, oversized, unknown and out-of-order messages: each answered, the connection stays', async () => {
  const server = await startServer();
  try {
    const a = await connect(server.url), b = await connect(server.url);
    const cases = [
      ['not json', 'bad-json', /not JSON/],
      ['[1, 2]', 'bad-json', /a JSON object/],
      ['{"type": "join", "type": "leave"}', 'bad-json', /duplicate/],
      [{}, 'unknown-type', /string `type`/],
      [{ type: 'dance' }, 'unknown-type', /unknown type 'dance'/],
      [{ type: 'offer', sdp: 'v=0' }, 'not-joined', /offer before join/],
      [{ type: 'leave' }, 'not-joined', /not in a room/],
      [{ type: 'join' }, 'bad-field', /`room` must be/],
      [{ type: 'join', room: 'a room with spaces' }, 'bad-field', /`room`/],
      [{ type: 'join', room: 'x'.repeat(65) }, 'bad-field', /`room`/],
      ['x'.repeat(70000), 'too-large', /70000 bytes, over the limit of 65536/],
    ];
    for (const [msg, code, why] of cases) {
      a.send(msg);
      const e = await a.next('error');
      equal(e.code, code, `the code for ${JSON.stringify(msg).slice(0, 60)}`);
      check(why.test(e.message), `the message for ${JSON.stringify(msg).slice(0, 60)}: ${e.message}`);
    }
    a.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    equal((await a.next('error')).code, 'bad-json', 'a binary frame');
    const ja = await a.join('r1');
    const jb = await b.join('r1');
    await a.next('peer-joined');
    const after = [
      [{ type: 'join', room: 'r2' }, 'already-joined', 'join'],
      [{ type: 'offer', sdp: 42 }, 'bad-field', undefined],
      [{ type: 'candidate', candidate: 'a string' }, 'bad-field', undefined],
      [{ type: 'message' }, 'bad-field', undefined],
      [{ type: 'offer', sdp: 'v=0', to: 7 }, 'bad-field', undefined],
      [{ type: 'offer', sdp: 'v=0', to: 'nobody' }, 'no-such-peer', 'offer'],
      [{ type: 'answer', sdp: 'v=0', to: ja.peer }, 'no-such-peer', 'answer'], // not to oneself
    ];
    for (const [msg, code, ref] of after) {
      a.send(msg);
      const e = await a.next('error');
      equal([e.code, e.ref], [code, ref], `${JSON.stringify(msg)}`);
    }
    a.send({ type: 'offer', to: jb.peer, sdp: 'v=0 still here' });
    equal((await b.next('offer')).sdp, 'v=0 still here', 'the connection still relays after every error');
    b.none('error');
    a.close();
    b.close();
  } finally {
    await stopServer(server);
  }
});

test('limits: room size, room count, message rate, frames over 1 MiB', async () => {
  const server = await startServer('--max-peers', '2', '--max-rooms', '2');
  try {
    const [a, b, c] = await Promise.all([connect(server.url), connect(server.url), connect(server.url)]);
    await a.join('one');
    await b.join('one');
    c.send({ type: 'join', room: 'one' });
    const full = await c.next('error');
    equal([full.code, full.message], ['room-full', "room 'one' has 2 peers, the most it allows"], 'a full room');
    await c.join('two');
    const d = await connect(server.url);
    d.send({ type: 'join', room: 'three' });
    equal((await d.next('error')).code, 'too-many-rooms', 'the room count');

    // 300 at once: the burst of 200 passes, the rest are refused, the connection stays.
    for (let i = 0; i < 300; i++) a.send({ type: 'message', data: i });
    const limited = await a.next('error');
    equal(limited.code, 'rate-limited', 'over the rate');
    // Each of the 300 either reached b or was answered with rate-limited: none lost unsaid.
    const settled = () => b.inbox.filter((m) => m.type === 'message').length + 1 + a.inbox.filter((m) => m.code === 'rate-limited').length;
    const end0 = Date.now() + WAIT_MS;
    while (settled() < 300 && Date.now() < end0) await new Promise((r) => setTimeout(r, 20));
    const got = b.inbox.filter((m) => m.type === 'message').length;
    equal(settled(), 300, `relayed (${got}) and refused add up to what was sent`);
    check(got >= 195 && got <= 210, `about the burst of 200 passed (the join took one): ${got}`);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the bucket refills
    a.send({ type: 'message', data: 'after' });
    const end = Date.now() + WAIT_MS;
    while (!b.inbox.some((m) => m.data === 'after') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    check(b.inbox.some((m) => m.data === 'after'), 'after a pause the connection sends again');

    // (The server takes no permessage-deflate: a compressed frame could inflate past any limit.)
    equal(d.ws.extensions, '', 'no compression negotiated');
    d.ws.send('x'.repeat(1024 * 1024 + 1));
    const code = await d.closedPromise;
    // 1009 when the close frame gets through; 1006 when the server's close crosses the rest of
    // the big frame still being sent.
    check(code === 1009 || code === 1006, `a frame over 1 MiB closes the connection: ${code}`);
    a.send({ type: 'message', data: 'the server goes on' });
    const end1 = Date.now() + WAIT_MS;
    while (!b.inbox.some((m) => m.data === 'the server goes on') && Date.now() < end1) await new Promise((r) => setTimeout(r, 20));
    check(b.inbox.some((m) => m.data === 'the server goes on'), 'the others are served on');
    for (const x of [a, b, c]) x.close();
  } finally {
    await stopServer(server);
  }
});

test('a client that vanishes mid-negotiation is announced as left; the room goes on', async () => {
  const server = await startServer('--keepalive', '1');
  try {
    const [a, b, c] = await Promise.all([connect(server.url), connect(server.url), connect(server.url)]);
    const ja = await a.join('call');
    const jb = await b.join('call');
    const jc = await c.join('call');
    a.send({ type: 'offer', to: jb.peer, sdp: 'v=0' });
    await b.next('offer');
    b.ws.terminate(); // the process died: no close frame
    equal((await a.next('peer-left')).peer, jb.peer, 'a dropped connection is announced');
    equal((await c.next('peer-left')).peer, jb.peer, 'to everyone in the room');
    // Silent: the socket is open but answers nothing (a network that went away).
    c.ws._socket.pause();
    const t0 = Date.now();
    equal((await a.next('peer-left')).peer, jc.peer, 'a silent connection is announced after the keepalive');
    const ms = Date.now() - t0;
    check(ms < 6000, `within about 3 keepalive intervals: ${ms} ms`);
    const d = await connect(server.url);
    const jd = await d.join('call');
    equal(jd.peers, [ja.peer], 'the room has the one who stayed');
    d.send({ type: 'message', to: ja.peer, data: 'still working' });
    equal((await a.next('message')).data, 'still working', 'nothing else in the room was disturbed');
    a.close();
    d.close();
  } finally {
    await stopServer(server);
  }
});

test('usage errors', async () => {
  for (const args of [['--port', 'x'], ['--port', '70000'], ['--max-peers', '1'], ['--host', 'not-an-address'], ['--bogus']]) {
    const child = spawn(mprtcPath, ['signal', ...args], { stdio: 'ignore' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    equal(code, 2, `exit status for ${args.join(' ')}`);
  }
});

await runTests();
