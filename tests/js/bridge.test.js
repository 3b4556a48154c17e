// The JSBridge from JS: call blocks to the SDK thread and back, events, hostile blocks.
import { test, assert, run } from './harness.js';

const bridge = mprtc.bridge;
const RAW_SEQ = 2 ** 52; // raw blocks use seqs that call() never reaches

test('ping reaches the SDK thread and comes back', async () => {
  const r = await bridge.ping();
  assert.equal(r.pong, true);
  assert.equal(typeof r.sdkTime, 'number');
});

test('echo round-trips every JSON type', async () => {
  const value = { s: 'héllo ✓ 😀 "quoted" \\ \n', n: -1.5e-7, i: 9007199254740991, t: true, f: false,
                  z: null, a: [1, [2, [3]], {}], o: { nested: { deeper: 'x' } }, empty: {} };
  assert.deepEqual(await bridge.echo(value), value);
  assert.deepEqual(await bridge.echo(undefined), {});
});

test('bytes travel beside a block and come back beside the reply, copied as the block leaves', async () => {
  const sent = Uint8Array.from({ length: 70000 }, (_, i) => (i * 13) & 255);
  const reply = bridge.call('bridge.echo', { k: 1 }, { bytes: sent });
  sent[0] = 99; // after the call: the block took its copy already
  const r = await reply;
  assert.equal(r.k, 1);
  assert.ok(r.bytes instanceof ArrayBuffer);
  assert.equal(r.bytes.byteLength, 70000);
  const back = new Uint8Array(r.bytes);
  assert.equal(back[0], 0);
  assert.equal(back[69999], (69999 * 13) & 255);
  // Any view, as the bytes it covers; an empty attachment is one too.
  const view = new DataView(sent.buffer, 10, 5);
  assert.deepEqual(new Uint8Array((await bridge.call('bridge.echo', {}, { bytes: view })).bytes), sent.subarray(10, 15));
  assert.equal((await bridge.call('bridge.echo', {}, { bytes: new ArrayBuffer(0) })).bytes.byteLength, 0);
  await assert.rejects(bridge.call('bridge.echo', {}, { bytes: [1, 2] }), TypeError);
  // A block whose "bytes" does not match what came with it is refused.
  const raw = await bridge.postRaw(`{"v":1,"seq":${RAW_SEQ + 7},"method":"bridge.echo","bytes":3}`, new Uint8Array(2));
  assert.equal(raw.error.name, 'TypeError');
});

test('info reports the protocol and the GStreamer the SDK initialised', async () => {
  const info = await bridge.info();
  assert.equal(info.protocol, 1);
  assert.match(info.gstreamer, /^1\.\d+\.\d+$/);
  assert.equal(info.objects, 0);
  assert.ok(info.cpuSeconds > 0, 'the process has used some CPU');
  assert.ok(info.rssBytes > 2 ** 20 && info.rssBytes < 2 ** 34, `resident memory ${info.rssBytes}`);
});

test('10000 concurrent calls each settle with their own result', async () => {
  const results = await Promise.all(Array.from({ length: 10000 }, (_, i) => bridge.echo({ i })));
  results.forEach((r, i) => assert.equal(r.i, i));
  assert.equal(bridge.pendingCalls, 0);
});

test('replies settle in call order, with microtasks between them', async () => {
  const order = [];
  const p1 = bridge.ping().then(() => { order.push('r1'); queueMicrotask(() => order.push('m1')); });
  const p2 = bridge.ping().then(() => order.push('r2'));
  await Promise.all([p1, p2]);
  assert.deepEqual(order, ['r1', 'm1', 'r2']);
});

test('an unknown method rejects with NotSupportedError', async () => {
  const e = await assert.rejects(bridge.call('Nope.method'), 'NotSupportedError');
  assert.ok(e instanceof DOMException);
  assert.match(e.message, /unknown method 'Nope.method'/);
});

test('a malformed method name rejects with TypeError', async () => {
  await assert.rejects(bridge.call('a..b'), TypeError);
  await assert.rejects(bridge.call(42), TypeError);
});

test('arguments that cannot be serialized reject with TypeError', async () => {
  await assert.rejects(bridge.echo({ big: 1n }), TypeError);
  const cyclic = {};
  cyclic.self = cyclic;
  await assert.rejects(bridge.echo(cyclic), TypeError);
});

test('an oversized call block is refused before it is sent', async () => {
  await assert.rejects(bridge.echo({ s: 'x'.repeat(1100 * 1000) }), 'QuotaExceededError');
});

test('a call on a missing object rejects with NotFoundError', async () => {
  await assert.rejects(bridge.call('Ticker.close', undefined, { target: 987654321 }), 'NotFoundError');
  await assert.rejects(bridge.call('Ticker.close'), TypeError); // no target at all
  await assert.rejects(bridge.call('bridge.ping', undefined, { target: 1 }), TypeError);
});

test('bad parameters reject with TypeError', async () => {
  await assert.rejects(bridge.call('Ticker.constructor', { interval: -1 }), { name: 'TypeError', message: /interval/ });
  await assert.rejects(bridge.call('Ticker.constructor', { count: 'many' }), TypeError);
});

test('hostile raw blocks get error replies and change nothing', async () => {
  const cases = [
    ['this is not json', 0, 'SyntaxError'],
    ['{"v":1,"seq":', 0, 'SyntaxError'],
    ['[1,2,3]', 0, 'TypeError'],
    [`{"v":2,"seq":${RAW_SEQ},"method":"bridge.ping"}`, RAW_SEQ, 'NotSupportedError'],
    [`{"v":1,"seq":${RAW_SEQ + 1},"method":"bridge.ping","extra":1}`, RAW_SEQ + 1, 'TypeError'],
    [`{"v":1,"seq":${RAW_SEQ + 2},"method":"bridge.ping","params":"str"}`, RAW_SEQ + 2, 'TypeError'],
    [`{"v":1,"seq":${RAW_SEQ + 3},"app":"someone-else","method":"bridge.ping"}`, 0, 'SyntaxError'],
    [`{"v":1,"seq":${RAW_SEQ + 4},"method":"bridge.echo","params":{"d":${'['.repeat(40)}${']'.repeat(40)}}}`, 0, 'DataError'],
    [`{"v":1,"seq":${RAW_SEQ + 5},"method":"bridge.echo","params":{"s":"${'y'.repeat(1100 * 1000)}"}}`, 0, 'QuotaExceededError'],
    [`{"v":1,"seq":${RAW_SEQ + 6},"method":"bridge.ping","servers":[{"urls":5}]}`, RAW_SEQ + 6, 'TypeError'],
    ['', 0, 'SyntaxError'],
  ];
  const before = await bridge.info();
  for (const [text, seq, name] of cases) {
    const reply = await bridge.postRaw(text);
    assert.equal(reply.seq, seq, `seq of the reply to ${text.slice(0, 60)}`);
    assert.equal(reply.error && reply.error.name, name, `error of ${text.slice(0, 60)}`);
    assert.ok(reply.error.message.length > 0, 'the error has a message');
  }
  const after = await bridge.info();
  assert.deepEqual([after.objects, after.captures], [before.objects, before.captures]);
  assert.equal((await bridge.ping()).pong, true);
});

function ticker(params) {
  return bridge.call('Ticker.constructor', params).then((r) => r.id);
}

test('events reach the object they name, in order', async () => {
  const id = await ticker({ interval: 1, count: 3 });
  const seen = [];
  await new Promise((resolve) => bridge.listen(id, (event, data) => {
    seen.push(event === 'tick' ? data.n : event);
    if (event === 'done') resolve();
  }));
  bridge.unlisten(id);
  assert.deepEqual(seen, [1, 2, 3, 'done']);
});

test('after close resolves, the SDK sends no event for the object', async () => {
  const objectsBefore = (await bridge.info()).objects;
  const closed = await ticker({ interval: 0 });
  const late = [];
  let closeResolved = false;
  let events = 0;
  // The listener stays installed on purpose: this checks the SDK side of the guarantee.
  await new Promise((resolve) => bridge.listen(closed, () => { if (++events === 3) resolve(); }));
  bridge.listen(closed, (event, data) => { if (closeResolved) late.push(data); });
  await bridge.call('Ticker.close', undefined, { target: closed });
  closeResolved = true;
  // Replies and events share one ordered channel: once another ticker has ticked five times
  // after the close, any late event of the closed one would have arrived before them.
  const other = await ticker({ interval: 1, count: 5 });
  await new Promise((resolve) => bridge.listen(other, (event) => { if (event === 'done') resolve(); }));
  bridge.unlisten(other);
  bridge.unlisten(closed);
  assert.deepEqual(late, []);
  await assert.rejects(bridge.call('Ticker.close', undefined, { target: closed }), 'NotFoundError');
  await bridge.call('Ticker.close', undefined, { target: other });
  assert.equal((await bridge.info()).objects, objectsBefore);
});

test('a throwing event listener is reported and later events still arrive', async () => {
  const reported = [];
  const onError = (e) => { e.preventDefault(); reported.push(e.error.message); };
  addEventListener('error', onError);
  const id = await ticker({ interval: 1, count: 2 });
  const seen = [];
  await new Promise((resolve) => bridge.listen(id, (event, data) => {
    seen.push(event);
    if (event === 'tick' && data.n === 1) throw new Error('listener failed');
    if (event === 'done') resolve();
  }));
  removeEventListener('error', onError);
  assert.deepEqual(seen, ['tick', 'tick', 'done']);
  assert.deepEqual(reported, ['listener failed']);
});

test('user code cannot reach the native functions or forge the app', async () => {
  assert.equal(typeof native, 'undefined');
  assert.equal(typeof internal, 'undefined');
  assert.ok(Object.isFrozen(mprtc) && Object.isFrozen(mprtc.bridge));
  assert.equal(mprtc.app, 'exec');
  assert.match(mprtc.version, /^\d+\.\d+\.\d+$/);
});

await run();
