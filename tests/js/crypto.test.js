import { test, assert, run } from './harness.js';

// crypto.getRandomValues and crypto.randomUUID (Web Crypto API), checked as in WPT
// WebCryptoAPI/getRandomValues.any.js. Randomness checks use sizes where a false failure has
// probability far below 2^-1000.

const integerTypes = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
                      Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
const floatTypes = [Float32Array, Float64Array];
if (typeof Float16Array === 'function') floatTypes.push(Float16Array);

const hex = (view) => Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
                                 (b) => b.toString(16).padStart(2, '0')).join('');

test('crypto is a Crypto instance; new Crypto() throws TypeError', () => {
  assert.ok(crypto instanceof Crypto);
  assert.equal(Object.prototype.toString.call(crypto.getRandomValues), '[object Function]');
  assert.throws(() => new Crypto(), TypeError, 'new Crypto()');
  assert.throws(() => new Crypto({}), TypeError, 'new Crypto({})');
  assert.throws(() => Crypto(), TypeError, 'Crypto() without new');
});

test('getRandomValues fills every integer typed array type and returns the same array', () => {
  for (const T of integerTypes) {
    const a = new T(1024 / T.BYTES_PER_ELEMENT);
    const r = crypto.getRandomValues(a);
    assert.equal(r, a, `${T.name}: returns its argument`);
    assert.equal(r.constructor, T, `${T.name}: same type`);
    const bytes = new Uint8Array(a.buffer);
    assert.ok(bytes.some((b) => b !== 0), `${T.name}: 1 KiB is not all zero`);
    // Each byte value appears about 4 times in 1 KiB; a zero-fill or a short fill would not
    // touch the last bytes.
    assert.ok(bytes.subarray(1008).some((b) => b !== 0), `${T.name}: the end of the array is filled`);
    const before = hex(a);
    crypto.getRandomValues(a);
    assert.notEqual(hex(a), before, `${T.name}: a second call gives different values`);
  }
});

test('getRandomValues: subclasses of integer arrays are accepted', () => {
  for (const T of integerTypes) {
    class Sub extends T {}
    const a = new Sub(256 / T.BYTES_PER_ELEMENT);
    assert.equal(crypto.getRandomValues(a), a, `subclass of ${T.name}`);
    assert.ok(new Uint8Array(a.buffer).some((b) => b !== 0), `subclass of ${T.name} is filled`);
  }
});

test('getRandomValues fills only the bytes of a view at an offset', () => {
  for (const T of [Uint8Array, Uint16Array, Int32Array, BigUint64Array]) {
    const buffer = new ArrayBuffer(64 + 256 + 64);
    const view = new T(buffer, 64, 256 / T.BYTES_PER_ELEMENT);
    assert.equal(crypto.getRandomValues(view), view);
    const all = new Uint8Array(buffer);
    assert.ok(all.subarray(0, 64).every((b) => b === 0), `${T.name}: bytes before the view untouched`);
    assert.ok(all.subarray(320).every((b) => b === 0), `${T.name}: bytes after the view untouched`);
    assert.ok(all.subarray(64, 320).some((b) => b !== 0), `${T.name}: the view is filled`);
    assert.ok(all.subarray(304, 320).some((b) => b !== 0), `${T.name}: the view's last bytes are filled`);
  }
  const big = new Uint8Array(1024);
  crypto.getRandomValues(big.subarray(512));
  assert.ok(big.subarray(0, 512).every((b) => b === 0), 'subarray: the first half is untouched');
  assert.ok(big.subarray(512).some((b) => b !== 0), 'subarray: the second half is filled');
});

test('getRandomValues: zero-length arrays are fine', () => {
  for (const T of integerTypes) {
    const a = new T(0);
    assert.equal(crypto.getRandomValues(a), a, T.name);
  }
});

test('getRandomValues: float arrays throw TypeMismatchError', () => {
  for (const T of floatTypes) {
    for (const n of [6, 65536 / T.BYTES_PER_ELEMENT + 1]) {
      const e = assert.throws(() => crypto.getRandomValues(new T(n)), { name: 'TypeMismatchError', code: 17 },
                              `${T.name}(${n})`);
      assert.ok(e instanceof DOMException, `${T.name}: a DOMException`);
    }
  }
});

test('getRandomValues: a DataView throws TypeMismatchError (it is an ArrayBufferView, not an integer array)', () => {
  // WPT WebCryptoAPI/getRandomValues.any.js, "DataView"
  for (const n of [6, 65537]) {
    const e = assert.throws(() => crypto.getRandomValues(new DataView(new ArrayBuffer(n))),
                            { name: 'TypeMismatchError', code: 17 }, `DataView of ${n} bytes`);
    assert.ok(e instanceof DOMException);
  }
});

test('getRandomValues: non-views throw TypeError', () => {
  for (const v of [undefined, null, 0, 'abc', [1, 2, 3], {}, { length: 4 }, new ArrayBuffer(8)]) {
    assert.throws(() => crypto.getRandomValues(v), TypeError, `getRandomValues(${Object.prototype.toString.call(v)})`);
  }
  assert.throws(() => crypto.getRandomValues(), TypeError, 'no argument');
});

test('getRandomValues: more than 65536 bytes throws QuotaExceededError; exactly 65536 is fine', () => {
  for (const T of integerTypes) {
    const max = 65536 / T.BYTES_PER_ELEMENT;
    const ok = new T(max);
    assert.equal(crypto.getRandomValues(ok), ok, `${T.name}(${max}) is exactly 65536 bytes`);
    const e = assert.throws(() => crypto.getRandomValues(new T(max + 1)), { name: 'QuotaExceededError', code: 22 },
                            `${T.name}(${max + 1})`);
    assert.ok(e instanceof DOMException, `${T.name}: a DOMException`);
  }
  // The limit is on the view's byteLength, not its buffer's.
  const view = new Uint8Array(new ArrayBuffer(70000), 100, 65536);
  assert.equal(crypto.getRandomValues(view), view, 'a 65536-byte view on a larger buffer');
});

test('getRandomValues: values cover the whole range of the type', () => {
  const a = crypto.getRandomValues(new Uint8Array(4096));
  const seen = new Set(a);
  // With 4096 draws, each of the 256 values is missed with probability (255/256)^4096 < 1e-6.
  assert.ok(seen.size >= 250, `saw ${seen.size} distinct byte values`);
  const i8 = crypto.getRandomValues(new Int8Array(1024));
  assert.ok(i8.some((x) => x < 0) && i8.some((x) => x > 0), 'Int8Array has both signs');
  const b = crypto.getRandomValues(new BigInt64Array(64));
  assert.ok(b.some((x) => x < 0n) && b.some((x) => x > 0n), 'BigInt64Array has both signs');
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('randomUUID: version 4, RFC 4122 variant, lowercase, 36 characters', () => {
  for (let i = 0; i < 1000; i++) {
    const u = crypto.randomUUID();
    assert.equal(typeof u, 'string');
    assert.equal(u.length, 36, 'length');
    assert.match(u, uuidPattern, 'format');
    assert.equal(u, u.toLowerCase(), 'lowercase');
  }
});

test('randomUUID: 1000 calls give 1000 different values, with random bits everywhere', () => {
  const uuids = new Set();
  for (let i = 0; i < 1000; i++) uuids.add(crypto.randomUUID());
  assert.equal(uuids.size, 1000);
  // Every random hex position takes several values (not the hyphens, the version at 14 nor the variant at 19).
  const list = [...uuids];
  for (const pos of [0, 7, 9, 12, 15, 17, 20, 22, 24, 35]) {
    const values = new Set(list.map((u) => u[pos]));
    assert.ok(values.size > 4, `position ${pos} varies (${values.size} values)`);
  }
  const variants = new Set(list.map((u) => u[19]));
  assert.equal([...variants].sort().join(''), '89ab', 'all four variant digits occur');
});

await run();
