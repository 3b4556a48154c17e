// WebSocket (WHATWG) against tests/support/ws_server.py, whose base URL (ws://127.0.0.1:PORT)
// is mprtc.args[0]; the server picks its behaviour by path (see that file).
import { test, assert, run } from './harness.js';

const base = mprtc.args[0];
if (!/^ws:\/\/127\.0\.0\.1:\d+$/.test(base ?? '')) {
  throw new Error(`run through tests/support/ws_server.py: mprtc.args[0] is ${base}`);
}
const port = Number(base.split(':')[2]);
// The server listens on 127.0.0.1 only: the same port on another loopback address refuses.
const refusedURL = `ws://127.0.0.2:${port}/echo`;

// Resolves with the next event of that type.
const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

// Records every event of ws as [type, details] in order.
function record(ws) {
  const log = [];
  ws.addEventListener('open', () => log.push(['open']));
  ws.addEventListener('message', (e) => log.push(['message', e.data]));
  ws.addEventListener('error', () => log.push(['error']));
  ws.addEventListener('close', (e) => log.push(['close', e.code, e.reason, e.wasClean]));
  return log;
}

async function opened(path, protocols = undefined) {
  const ws = new WebSocket(base + path, protocols);
  ws.binaryType = 'arraybuffer'; // the tests read bytes; 'blob', the default, has tests of its own
  ws.addEventListener('error', () => { throw new Error(`unexpected error event on ${path}`); });
  await once(ws, 'open');
  return ws;
}

// Sends message and resolves with the echo's data.
async function echo(ws, message) {
  const reply = once(ws, 'message');
  ws.send(message);
  return (await reply).data;
}

// Closes ws (if still open) and resolves with the close event.
async function closed(ws, ...args) {
  const event = once(ws, 'close');
  if (ws.readyState !== WebSocket.CLOSED) ws.close(...args);
  return event;
}

// A point after every event the SDK has sent so far: the bridge keeps replies and events in
// one ordered channel, so once a round trip returns, nothing sent before it is still on its way.
async function drain() {
  await mprtc.bridge.ping();
  await mprtc.bridge.ping();
}

test('the interface: constants, attributes before open, event handler attributes', async () => {
  assert.equal(WebSocket.CONNECTING, 0);
  assert.equal(WebSocket.OPEN, 1);
  assert.equal(WebSocket.CLOSING, 2);
  assert.equal(WebSocket.CLOSED, 3);
  assert.equal(WebSocket.prototype.CLOSED, 3);
  assert.throws(() => new WebSocket(), TypeError);
  assert.throws(() => WebSocket(base), TypeError);
  const ws = new WebSocket(base + '/echo');
  assert.ok(ws instanceof EventTarget);
  assert.equal(Object.prototype.toString.call(ws), '[object WebSocket]');
  assert.equal(ws.url, base + '/echo');
  assert.equal(ws.readyState, WebSocket.CONNECTING);
  assert.equal(ws.protocol, '');
  assert.equal(ws.extensions, '');
  assert.equal(ws.bufferedAmount, 0);
  assert.equal(ws.binaryType, 'blob', 'the standard\'s default');
  for (const name of ['onopen', 'onmessage', 'onerror', 'onclose']) assert.equal(ws[name], null, name);
  const handler = () => {};
  ws.onerror = handler;
  assert.equal(ws.onerror, handler);
  ws.onerror = null;
  await once(ws, 'open');
  assert.equal(ws.readyState, WebSocket.OPEN);
  await closed(ws);
});

test('bad URLs throw SyntaxError', () => {
  const bad = ['', 'nonsense', '/echo', '//127.0.0.1/echo', 'ftp://127.0.0.1/', 'file:///tmp/x',
               'mailto:someone@example.com', 'javascript:alert(1)', `${base}/echo#frag`, `${base}/#`,
               'ws://', 'ws://?x', 'ws://[::1/', 'ws://[::1]x/', 'ws://[1:2:3]/', 'ws://a b/',
               'ws://a%20b/', 'ws://a<b/', 'ws://127.0.0.1:99999/', 'ws://127.0.0.1:8a/',
               'ws://256.0.0.1/', 'ws://1.2.3.4.5/', 'ws://user@/'];
  for (const url of bad) {
    const e = assert.throws(() => new WebSocket(url), 'SyntaxError', `new WebSocket(${JSON.stringify(url)})`);
    assert.ok(e instanceof DOMException);
    assert.equal(e.code, DOMException.SYNTAX_ERR);
  }
});

test('URLs are parsed and serialized as the URL Standard says', async () => {
  const cases = [
    [`http://127.0.0.1:${port}/echo`, `ws://127.0.0.1:${port}/echo`],
    [`WS://127.0.0.1:${port}`, `ws://127.0.0.1:${port}/`],
    [`  ws://127.0.0.1:${port}/a/../b/./c?x=1 2&y='"\t `, `ws://127.0.0.1:${port}/b/c?x=1%202&y=%27%22`],
    [`ws://127.0.0.1:${port}/%2e%2E/sp ace/é`, `ws://127.0.0.1:${port}/sp%20ace/%C3%A9`],
    [`ws:\\\\127.0.0.1:${port}\\x\\y`, `ws://127.0.0.1:${port}/x/y`],
    [`ws://0x7f.1:${port}/`, `ws://127.0.0.1:${port}/`],
    [`ws://2130706433:${port}/`, `ws://127.0.0.1:${port}/`],
    [`ws://LocalHost:${port}/`, `ws://localhost:${port}/`],
    [`ws://[0:0::1]:${port}/`, `ws://[::1]:${port}/`],
    [`ws://[::ffff:127.0.0.1]:${port}/`, `ws://[::ffff:7f00:1]:${port}/`],
    [`ws://u:p@127.0.0.1:${port}/`, `ws://u:p@127.0.0.1:${port}/`],
    ['wss://127.0.0.1:443/', 'wss://127.0.0.1/'],
    ['https://127.0.0.1:443/', 'wss://127.0.0.1/'],
    ['http://127.0.0.1:443/', 'ws://127.0.0.1:443/'],
    ['ws://127.0.0.1:80/?', 'ws://127.0.0.1/?'],
  ];
  for (const [input, expected] of cases) {
    const ws = new WebSocket(input);
    assert.equal(ws.url, expected, JSON.stringify(input));
    await closed(ws);
  }
});

test('bad protocols throw SyntaxError, a non-sequence object TypeError', () => {
  for (const protocols of [['chat', 'chat'], [''], 'a b', 'a,b', ['é'], ['ok', 'not ok'], ['x\u0000']]) {
    assert.throws(() => new WebSocket(base + '/echo', protocols), 'SyntaxError', JSON.stringify(protocols));
  }
  assert.throws(() => new WebSocket(base + '/echo', {}), TypeError);
});

test('open, then echo of text, through the on<event> attributes', async () => {
  const ws = new WebSocket(base + '/echo');
  const events = [];
  ws.onopen = (e) => { events.push(e.type); assert.equal(ws.readyState, WebSocket.OPEN); ws.send('héllo ✓ 😀'); };
  const message = new Promise((resolve) => { ws.onmessage = resolve; });
  const e = await message;
  assert.deepEqual(events, ['open']);
  assert.ok(e instanceof MessageEvent);
  assert.ok(e instanceof Event);
  assert.equal(e.isTrusted, true);
  assert.equal(e.data, 'héllo ✓ 😀');
  assert.equal(e.origin, base);
  assert.equal(e.lastEventId, '');
  assert.equal(e.source, null);
  assert.deepEqual(e.ports, []);
  assert.equal(e.target, ws);
  await closed(ws);
});

test('text: empty, U+0000, lone surrogates (sent as U+FFFD), other values as strings', async () => {
  const ws = await opened('/echo');
  assert.equal(await echo(ws, ''), '');
  assert.equal(await echo(ws, 'a\u0000b\u0000'), 'a\u0000b\u0000');
  assert.equal(await echo(ws, 'x\uD800y\uDC00'), 'x\uFFFDy\uFFFD');
  assert.equal(await echo(ws, 42), '42');
  assert.equal(await echo(ws, null), 'null');
  assert.equal(await echo(ws, { toString: () => 'object' }), 'object');
  await closed(ws);
});

test('binary: ArrayBuffer and views with offsets arrive as ArrayBuffers with the same bytes', async () => {
  const ws = await opened('/echo');
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
  let data = await echo(ws, bytes.buffer);
  assert.ok(data instanceof ArrayBuffer);
  assert.deepEqual(new Uint8Array(data), bytes);
  data = await echo(ws, bytes.subarray(10, 20));
  assert.deepEqual(new Uint8Array(data), bytes.subarray(10, 20));
  data = await echo(ws, new DataView(bytes.buffer, 255, 3));
  assert.deepEqual(Array.from(new Uint8Array(data)), [bytes[255], bytes[256], bytes[257]]);
  const floats = new Float64Array([1.5, -2, Math.PI]);
  data = await echo(ws, new Float64Array(floats.buffer, 8, 2));
  assert.deepEqual(Array.from(new Float64Array(data)), [-2, Math.PI]);
  data = await echo(ws, new ArrayBuffer(0));
  assert.ok(data instanceof ArrayBuffer);
  assert.equal(data.byteLength, 0);
  await closed(ws);
});

test('the bytes are taken when send() is called', async () => {
  const ws = await opened('/echo');
  const bytes = new Uint8Array([1, 2, 3]);
  const reply = once(ws, 'message');
  ws.send(bytes);
  bytes[0] = 99;
  assert.deepEqual(Array.from(new Uint8Array((await reply).data)), [1, 2, 3]);
  await closed(ws);
});

test('messages larger than a call block go whole (text across a surrogate pair, binary)', async () => {
  const ws = await opened('/echo');
  // 128 Ki UTF-16 units is the chunk size: put a surrogate pair across that boundary.
  const text = 'é'.repeat(131071) + '😀' + '\u0000z'.repeat(70000) + '✓'.repeat(100000);
  assert.equal(await echo(ws, text), text);
  const bytes = Uint8Array.from({ length: 1500 * 1000 }, (_, i) => (i * 31 + (i >> 8)) & 255);
  assert.deepEqual(new Uint8Array(await echo(ws, bytes)), bytes);
  assert.equal(ws.bufferedAmount, 0);
  await closed(ws);
});

test('many messages arrive in order, both ways', async () => {
  const ws = await opened('/echo');
  const n = 500;
  const received = [];
  const all = new Promise((resolve) => {
    ws.onmessage = (e) => { received.push(typeof e.data === 'string' ? e.data : new Uint8Array(e.data)[0]); if (received.length === n) resolve(); };
  });
  for (let i = 0; i < n; i++) ws.send(i % 2 ? String(i) : new Uint8Array([i & 255]));
  await all;
  received.forEach((v, i) => assert.equal(v, i % 2 ? String(i) : i & 255, `message ${i}`));
  await closed(ws);

  const burst = new WebSocket(`${base}/burst?n=${n}`);
  const log = [];
  const got = new Promise((resolve) => {
    burst.onmessage = (e) => { log.push(e.data); if (log.length === n) resolve(); };
  });
  await got;
  assert.deepEqual(log, Array.from({ length: n }, (_, i) => String(i)));
  await closed(burst);
});

test('bufferedAmount counts UTF-8 bytes until the SDK has taken the data, then returns to 0', async () => {
  const ws = await opened('/echo');
  const replies = [];
  const all = new Promise((resolve) => {
    ws.onmessage = (e) => { replies.push(e.data); if (replies.length === 3) resolve(); };
  });
  ws.send('abc');
  assert.equal(ws.bufferedAmount, 3);
  ws.send('é😀');
  assert.equal(ws.bufferedAmount, 3 + 2 + 4);
  ws.send(new Uint16Array(5));
  assert.equal(ws.bufferedAmount, 9 + 10);
  await all;
  assert.equal(ws.bufferedAmount, 0);
  await closed(ws);
});

test('subprotocol negotiation', async () => {
  const ws = await opened('/subprotocol', ['chat.v2', 'chat']);
  assert.equal(ws.protocol, 'chat.v2');
  await closed(ws);
  const single = await opened('/subprotocol', 'signal');
  assert.equal(single.protocol, 'signal');
  await closed(single);
  const none = await opened('/subprotocol');
  assert.equal(none.protocol, '');
  await closed(none);
});

test('the handshake offers the protocols, no extension, and names mprtc', async () => {
  const ws = new WebSocket(base + '/headers', ['a', 'b']);
  const headers = JSON.parse((await once(ws, 'message')).data);
  assert.equal(headers['sec-websocket-protocol'], 'a, b');
  assert.equal(headers['sec-websocket-version'], '13');
  assert.equal(headers['sec-websocket-extensions'], undefined);
  assert.match(headers['user-agent'], /^mprtc\/\d+\.\d+\.\d+/);
  assert.equal(ws.protocol, 'a');
  await closed(ws);
  const plain = new WebSocket(base + '/headers');
  assert.equal(JSON.parse((await once(plain, 'message')).data)['sec-websocket-protocol'], undefined);
  await closed(plain);
});

test('a server that accepts none of the offered protocols fails the connection', async () => {
  const ws = new WebSocket(base + '/echo', ['chat']);
  const log = record(ws);
  await once(ws, 'close');
  await drain();
  assert.deepEqual(log, [['error'], ['close', 1006, '', false]]);
});

test('a server close arrives with its code and reason, cleanly', async () => {
  const ws = new WebSocket(`${base}/close?code=4001&reason=bye%20%E2%9C%93`);
  const log = record(ws);
  const e = await once(ws, 'close');
  assert.ok(e instanceof CloseEvent);
  assert.equal(e.isTrusted, true);
  assert.equal(ws.readyState, WebSocket.CLOSED);
  assert.deepEqual(log, [['open'], ['close', 4001, 'bye ✓', true]]);

  const empty = new WebSocket(`${base}/close`);
  const ev = await once(empty, 'close');
  assert.equal(ev.code, 1005);
  assert.equal(ev.reason, '');
  assert.equal(ev.wasClean, true);
});

test('close() with a code and a reason, without, and twice', async () => {
  const ws = await opened('/echo');
  const log = record(ws);
  ws.close(4000, 'done ✓');
  assert.equal(ws.readyState, WebSocket.CLOSING);
  ws.close(4002, 'again'); // no-op once closing
  await once(ws, 'close');
  assert.deepEqual(log, [['close', 4000, 'done ✓', true]]);
  ws.close(); // no-op once closed
  assert.equal(ws.readyState, WebSocket.CLOSED);

  let e = await closed(await opened('/echo'));
  assert.deepEqual([e.code, e.reason, e.wasClean], [1005, '', true]); // no body: 1005
  e = await closed(await opened('/echo'), 1000);
  assert.deepEqual([e.code, e.reason, e.wasClean], [1000, '', true]);
  e = await closed(await opened('/echo'), undefined, 'why');
  assert.deepEqual([e.code, e.reason, e.wasClean], [1000, 'why', true]); // a reason alone: 1000
  e = await closed(await opened('/echo'), 3999.5, 'é'.repeat(61) + 'a');
  assert.deepEqual([e.code, e.reason], [4000, 'é'.repeat(61) + 'a']); // [Clamp] rounds half to even
});

test('bad close codes throw InvalidAccessError, long reasons SyntaxError', async () => {
  const ws = await opened('/echo');
  for (const code of [0, 999, 1001, 1005, 1006, 2999, 5000, 65535, 70000, NaN, -1, 'x']) {
    assert.throws(() => ws.close(code), 'InvalidAccessError', `close(${code})`);
  }
  assert.throws(() => ws.close(1000, 'é'.repeat(62)), 'SyntaxError'); // 124 bytes
  assert.throws(() => ws.close(1000, 'x'.repeat(124)), 'SyntaxError');
  assert.throws(() => ws.close(999, 'x'.repeat(200)), 'InvalidAccessError'); // the code is checked first
  assert.equal(ws.readyState, WebSocket.OPEN);
  assert.equal(await echo(ws, 'still open'), 'still open');
  const e = await closed(ws, 4999, 'x'.repeat(123));
  assert.deepEqual([e.code, e.reason.length, e.wasClean], [4999, 123, true]);
});

test('close() while CONNECTING: error, then close 1006 not clean, and never open', async () => {
  // /hang never answers the handshake: the socket is certainly still connecting.
  const ws = new WebSocket(base + '/hang');
  const log = record(ws);
  ws.close(1000, 'not now');
  assert.equal(ws.readyState, WebSocket.CLOSING);
  await once(ws, 'close');
  assert.deepEqual(log, [['error'], ['close', 1006, '', false]]);
  assert.equal(ws.readyState, WebSocket.CLOSED);

  // Against a server that does answer: whichever of the close and the handshake wins on the SDK
  // thread, the page sees the same.
  for (let i = 0; i < 10; i++) {
    const fast = new WebSocket(base + '/echo');
    const events = record(fast);
    fast.close();
    await once(fast, 'close');
    await drain();
    assert.deepEqual(events, [['error'], ['close', 1006, '', false]], `attempt ${i}`);
  }
});

test('send() while CONNECTING throws InvalidStateError', async () => {
  const ws = new WebSocket(base + '/echo');
  const e = assert.throws(() => ws.send('too early'), 'InvalidStateError');
  assert.equal(e.code, DOMException.INVALID_STATE_ERR);
  assert.equal(ws.bufferedAmount, 0);
  assert.throws(() => ws.send(), TypeError);
  await once(ws, 'open');
  await closed(ws);
});

test('a refused connection and an HTTP 403: error, then close 1006 not clean', async () => {
  for (const url of [refusedURL, base + '/refuse']) {
    const ws = new WebSocket(url);
    const log = record(ws);
    await once(ws, 'close');
    await drain();
    assert.deepEqual(log, [['error'], ['close', 1006, '', false]], url);
    assert.equal(ws.readyState, WebSocket.CLOSED);
  }
});

test('a server that drops the TCP connection: error, then close 1006 not clean', async () => {
  const ws = new WebSocket(base + '/drop');
  const log = record(ws);
  await once(ws, 'close');
  await drain();
  assert.deepEqual(log, [['open'], ['error'], ['close', 1006, '', false]]);
});

test('pings from the server are answered', async () => {
  const ws = new WebSocket(base + '/ping');
  assert.equal((await once(ws, 'message')).data, 'pong:are-you-there');
  await closed(ws);
});

test('no event after close: messages in flight are dropped, the SDK object is gone', async () => {
  const ws = await opened('/echo');
  const log = record(ws);
  for (let i = 0; i < 200; i++) ws.send('m' + i);
  ws.close(1000);
  // The standard drops messages that arrive once closing, and sends nothing after close().
  ws.send('after close');
  assert.equal(ws.bufferedAmount > 0, true);
  await once(ws, 'close');
  await drain();
  assert.deepEqual(log, [['close', 1000, '', true]]);
  const info = await mprtc.bridge.info();
  assert.equal(info.objects, 0, 'open SDK objects');
  // Data given once closing stays counted, as the standard says.
  assert.equal(ws.bufferedAmount, 'after close'.length);
});

test('the SDK object closes itself after its close event, in every ending', async () => {
  const sockets = [new WebSocket(base + '/close?code=4001'), new WebSocket(base + '/refuse'),
                   new WebSocket(refusedURL), new WebSocket(base + '/drop'),
                   new WebSocket(base + '/hang')];
  sockets[4].close();
  await Promise.all(sockets.map((ws) => once(ws, 'close')));
  assert.equal((await mprtc.bridge.info()).objects, 0);
});

test('binaryType: blob (the default) or arraybuffer; other values are ignored', async () => {
  const ws = await opened('/echo');
  ws.binaryType = 'blob';
  assert.equal(ws.binaryType, 'blob');
  ws.binaryType = 'nonsense';
  assert.equal(ws.binaryType, 'blob');
  ws.binaryType = 'arraybuffer';
  assert.equal(ws.binaryType, 'arraybuffer');
  await closed(ws);
});

test('Blobs: binary messages arrive as Blobs by default, and Blobs are sent as binary', async () => {
  const ws = await opened('/echo');
  ws.binaryType = 'blob';
  const got = await echo(ws, new Blob([new Uint8Array([1, 2, 3]), 'é'], { type: 'x/y' }));
  assert.ok(got instanceof Blob);
  assert.equal(got.type, '', 'a received Blob has no type');
  assert.deepEqual(Array.from(new Uint8Array(await got.arrayBuffer())), [1, 2, 3, 0xc3, 0xa9]);
  ws.binaryType = 'arraybuffer';
  const again = await echo(ws, new Blob(['abc']).slice(1));
  assert.ok(again instanceof ArrayBuffer);
  assert.equal(new TextDecoder().decode(again), 'bc');
  assert.equal(typeof (await echo(ws, 'text stays text')), 'string');
  await closed(ws);
});

test('MessageEvent and CloseEvent construct as HTML says', () => {
  const m = new MessageEvent('message');
  assert.deepEqual([m.data, m.origin, m.lastEventId, m.source, m.ports.length], [null, '', '', null, 0]);
  const data = { x: 1 };
  const m2 = new MessageEvent('custom', { data, origin: 'ws://h', lastEventId: 7, bubbles: true });
  assert.equal(m2.data, data);
  assert.deepEqual([m2.type, m2.origin, m2.lastEventId, m2.bubbles], ['custom', 'ws://h', '7', true]);
  const c = new CloseEvent('close');
  assert.deepEqual([c.wasClean, c.code, c.reason], [false, 0, '']);
  const c2 = new CloseEvent('close', { wasClean: 1, code: 65536 + 4000, reason: 'r' });
  assert.deepEqual([c2.wasClean, c2.code, c2.reason], [true, 4000, 'r']);
  assert.throws(() => new MessageEvent(), TypeError);
  assert.throws(() => new CloseEvent(), TypeError);
  assert.equal(Object.prototype.toString.call(c), '[object CloseEvent]');
});

test('the call blocks validate their parameters', async () => {
  const call = (method, params, target, bytes) => mprtc.bridge.call(method, params, { target, bytes });
  await assert.rejects(call('WebSocket.constructor', {}), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: 5 }), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: 'http://127.0.0.1/' }), { name: 'TypeError', message: /scheme/ });
  await assert.rejects(call('WebSocket.constructor', { url: 'ws://127.0.0.1/#f' }), { name: 'TypeError', message: /fragment/ });
  await assert.rejects(call('WebSocket.constructor', { url: 'not a url' }), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: base, protocols: ['a', 'a'] }), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: base, protocols: 'a' }), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: base, protocols: ['a b'] }), TypeError);
  await assert.rejects(call('WebSocket.constructor', { url: base, extra: 1 }), { name: 'TypeError', message: /extra/ });

  const { id } = await call('WebSocket.constructor', { url: base + '/echo' });
  const events = [];
  let settle;
  const closedEvent = new Promise((resolve) => { settle = resolve; });
  let openResolve, messageResolve;
  const open = new Promise((resolve) => { openResolve = resolve; });
  const message = new Promise((resolve) => { messageResolve = resolve; });
  mprtc.bridge.listen(id, (event, data, bytes) => {
    events.push(event);
    if (event === 'open') openResolve(data);
    if (event === 'message') messageResolve({ data, bytes });
    if (event === 'close') settle(data);
  });
  assert.deepEqual(await open, { protocol: '', extensions: '' });
  await assert.rejects(call('WebSocket.send', {}, id), TypeError);
  await assert.rejects(call('WebSocket.send', { text: 'a', binary: true }, id), TypeError);
  await assert.rejects(call('WebSocket.send', { text: 5 }, id), TypeError);
  // Bytes travel beside the block, never inside it.
  await assert.rejects(call('WebSocket.send', { binary: true }, id), { name: 'TypeError', message: /attached/ });
  await assert.rejects(call('WebSocket.send', { binary: 'YQ==' }, id), TypeError);
  await assert.rejects(call('WebSocket.send', { text: 'a' }, id, new Uint8Array([1])), TypeError);
  await assert.rejects(call('WebSocket.send', { utf8: true }, id, new Uint8Array([0xff])), { name: 'TypeError', message: /UTF-8/ });
  await assert.rejects(call('WebSocket.send', { text: 'a', more: 'yes' }, id), TypeError);
  await call('WebSocket.send', { text: 'part', more: true }, id);
  await assert.rejects(call('WebSocket.send', { binary: true }, id, new Uint8Array([0x61])), { name: 'TypeError', message: /chunk/ });
  await assert.rejects(call('WebSocket.send', { text: 'a' }), TypeError); // no target
  await assert.rejects(call('WebSocket.send', { text: 'a' }, 987654321), 'NotFoundError');
  await assert.rejects(call('WebSocket.close', { code: 1001 }, id), 'InvalidAccessError');
  await assert.rejects(call('WebSocket.close', { code: 'x' }, id), 'InvalidAccessError');
  await assert.rejects(call('WebSocket.close', { reason: 'x'.repeat(124) }, id), 'SyntaxError');
  await assert.rejects(call('WebSocket.close', { bogus: true }, id), TypeError);
  await call('WebSocket.send', { binary: true }, id, new Uint8Array([0, 1, 2]));
  const echoed = await message;
  assert.deepEqual(echoed.data, { binary: true });
  assert.deepEqual(new Uint8Array(echoed.bytes), new Uint8Array([0, 1, 2]));
  await call('WebSocket.close', { code: 4321, reason: 'bye' }, id);
  assert.deepEqual(await closedEvent, { code: 4321, reason: 'bye', wasClean: true });
  mprtc.bridge.unlisten(id);
  assert.deepEqual(events, ['open', 'message', 'closing', 'close']); // the echo of 0 1 2, then close
  await assert.rejects(call('WebSocket.close', {}, id), 'NotFoundError'); // gone after close
});

await run();
