import { test, assert, run } from './harness.js';

// Blob against the W3C File API.

const bytesOf = async (blob) => Array.from(new Uint8Array(await blob.arrayBuffer()));

test('parts of every kind, in order; size and type', async () => {
  const inner = new Blob(['in']);
  const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
  const b = new Blob(['é', buffer, new Uint8Array(buffer, 1, 2), new DataView(buffer, 3, 1), inner, 5], { type: 'Text/HTML' });
  assert.equal(b.size, 2 + 4 + 2 + 1 + 2 + 1);
  assert.equal(b.type, 'text/html', 'lower case');
  assert.deepEqual(await bytesOf(b), [0xc3, 0xa9, 1, 2, 3, 4, 2, 3, 4, 0x69, 0x6e, 0x35]);
  assert.equal(new Blob([], { type: 'bad\u00e9' }).type, '', 'not printable ASCII: no type');
  assert.equal(new Blob().size, 0);
  assert.equal(Object.prototype.toString.call(b), '[object Blob]');
});

test('the bytes are copied: changing the source later changes nothing', async () => {
  const source = new Uint8Array([1, 2]);
  const b = new Blob([source]);
  source[0] = 9;
  assert.deepEqual(await bytesOf(b), [1, 2]);
  const copy = await b.arrayBuffer();
  new Uint8Array(copy)[1] = 7;
  assert.deepEqual(await bytesOf(b), [1, 2], 'nor does changing what arrayBuffer() gave');
});

test('slice: offsets from either end, clamped, and a type of its own', async () => {
  const b = new Blob(['0123456789'], { type: 'a/b' });
  assert.equal(await b.slice(2, 5).text(), '234');
  assert.equal(await b.slice(-3).text(), '789');
  assert.equal(await b.slice(-100, 2).text(), '01');
  assert.equal(await b.slice(7, 3).text(), '', 'end before start: empty');
  assert.equal(b.slice(0, 1).type, '', 'no type unless given');
  assert.equal(b.slice(0, 1, 'X/Y').type, 'x/y');
  assert.equal(await b.slice(1, 4).slice(1).text(), '23');
});

test('text(), bytes(), endings', async () => {
  assert.equal(await new Blob(['a\r\nb\rc\n'], { endings: 'native' }).text(), 'a\nb\nc\n');
  assert.equal(await new Blob(['a\r\nb']).text(), 'a\r\nb', 'transparent by default');
  assert.equal(await new Blob([new Uint8Array([0xff, 0x41])]).text(), '\ufffdA', 'bad UTF-8 becomes U+FFFD');
  const bytes = await new Blob(['hi']).bytes();
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual(Array.from(bytes), [0x68, 0x69]);
});

test('bad arguments are TypeErrors', () => {
  assert.throws(() => new Blob('not a sequence'), TypeError);
  assert.throws(() => new Blob(null), TypeError);
  assert.throws(() => new Blob([], { endings: 'other' }), TypeError);
  assert.throws(() => Object.getOwnPropertyDescriptor(Blob.prototype, 'size').get.call({}), TypeError);
});

await run();
