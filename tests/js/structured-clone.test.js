import { test, assert, run } from './harness.js';

// structuredClone (HTML StructuredSerialize/StructuredDeserialize), compared with browsers.

function assertDataCloneError(fn, what) {
  const e = assert.throws(fn, { name: 'DataCloneError', code: 25 }, what);
  assert.ok(e instanceof DOMException, `${what}: the error is a DOMException`);
  return e;
}

test('primitives are returned as they are, including -0, NaN and bigints', () => {
  for (const v of [undefined, null, true, false, 0, 1.5, -Infinity, '', 'text 😀', 10n, -(2n ** 100n)]) {
    assert.ok(Object.is(structuredClone(v), v), `structuredClone(${typeof v === 'bigint' ? v + 'n' : JSON.stringify(v)})`);
  }
  assert.ok(Object.is(structuredClone(-0), -0), '-0 stays -0');
  assert.ok(Number.isNaN(structuredClone(NaN)), 'NaN');
  const nested = structuredClone({ z: -0, n: NaN, b: 1n });
  assert.ok(Object.is(nested.z, -0), 'nested -0');
  assert.ok(Number.isNaN(nested.n), 'nested NaN');
  assert.equal(nested.b, 1n, 'nested bigint');
});

test('a missing argument throws TypeError; structuredClone(undefined) is fine', () => {
  assert.throws(() => structuredClone(), TypeError);
  assert.equal(structuredClone(undefined), undefined);
});

test('Date and RegExp are copied', () => {
  const d = new Date(1234567890123);
  const dc = structuredClone(d);
  assert.ok(dc instanceof Date && dc !== d);
  assert.equal(dc.getTime(), 1234567890123);
  assert.ok(Number.isNaN(structuredClone(new Date(NaN)).getTime()), 'invalid date');

  const r = /a(b+)c/giu;
  r.lastIndex = 3;
  const rc = structuredClone(r);
  assert.ok(rc instanceof RegExp && rc !== r);
  assert.equal(rc.source, 'a(b+)c');
  assert.equal(rc.flags, 'giu');
  assert.equal(rc.lastIndex, 0, 'lastIndex is not serialized');
  assert.equal(structuredClone(/x/dsy).flags, 'dsy');
});

test('boxed primitives are copied with their values', () => {
  const cases = [new Boolean(false), new Number(-0), new Number(42), new String('abc'), Object(5n)];
  for (const v of cases) {
    const c = structuredClone(v);
    assert.equal(typeof c, 'object', `${Object.prototype.toString.call(v)} stays an object`);
    assert.notEqual(c, v);
    assert.equal(Object.getPrototypeOf(c), Object.getPrototypeOf(v), 'same wrapper type');
    assert.ok(Object.is(c.valueOf(), v.valueOf()), `value ${String(v.valueOf())}`);
  }
});

test('Map and Set are copied deeply, keeping insertion order', () => {
  const key = { k: 1 };
  const m = new Map([[key, 'object key'], ['b', { deep: [1, 2] }], [NaN, 'nan']]);
  const mc = structuredClone(m);
  assert.ok(mc instanceof Map && mc !== m);
  assert.equal(mc.size, 3);
  const [[k0, v0], [k1, v1], [k2, v2]] = mc;
  assert.ok(k0 !== key && k0.k === 1, 'object keys are cloned');
  assert.equal(v0, 'object key');
  assert.equal(k1, 'b');
  assert.deepEqual(v1, { deep: [1, 2] });
  assert.notEqual(v1, m.get('b'));
  assert.ok(Number.isNaN(k2) && v2 === 'nan');

  const s = new Set([1, 'two', { three: 3 }]);
  const sc = structuredClone(s);
  assert.ok(sc instanceof Set && sc !== s);
  const values = [...sc];
  assert.equal(values[0], 1);
  assert.equal(values[1], 'two');
  assert.deepEqual(values[2], { three: 3 });
});

test('objects and arrays are copied deeply; holes, extra properties and order are kept', () => {
  const src = { a: 1, nested: { b: [1, { c: 'x' }] }, 2: 'index key', s: 'str' };
  const c = structuredClone(src);
  assert.notEqual(c, src);
  assert.notEqual(c.nested, src.nested);
  assert.notEqual(c.nested.b, src.nested.b);
  assert.deepEqual(c, src);
  assert.deepEqual(Object.keys(c), ['2', 'a', 'nested', 's']);

  const arr = [1, , 3];
  arr[6] = 'seven';
  arr.extra = 'prop';
  const ac = structuredClone(arr);
  assert.ok(Array.isArray(ac));
  assert.equal(ac.length, 7);
  assert.equal(1 in ac, false, 'hole at 1 stays a hole');
  assert.equal(4 in ac, false, 'hole at 4 stays a hole');
  assert.equal(ac[6], 'seven');
  assert.equal(ac.extra, 'prop', 'non-index properties of arrays are copied');
  const sparse = structuredClone(new Array(5));
  assert.equal(sparse.length, 5);
  assert.equal(Object.keys(sparse).length, 0);
});

test('only own enumerable string keys are copied; prototypes become Object.prototype', () => {
  const proto = { inherited: 1 };
  const o = Object.create(proto);
  o.own = 2;
  Object.defineProperty(o, 'hidden', { value: 3, enumerable: false });
  o[Symbol('s')] = 4;
  const c = structuredClone(o);
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyNames(c), ['own']);
  assert.equal(Object.getOwnPropertySymbols(c).length, 0, 'symbol keys are skipped');
  assert.equal(c.inherited, undefined);
  const nullProto = Object.assign(Object.create(null), { x: 1 });
  const nc = structuredClone(nullProto);
  assert.equal(Object.getPrototypeOf(nc), Object.prototype, 'a null-prototype object comes back ordinary');
  assert.equal(nc.x, 1);
});

test('an own "__proto__" key stays an own data property', () => {
  const src = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const c = structuredClone(src);
  assert.equal(Object.getPrototypeOf(c), Object.prototype, 'the prototype is not replaced');
  assert.ok(Object.hasOwn(c, '__proto__'), '__proto__ is an own property');
  assert.equal(c.polluted, undefined);
  assert.deepEqual(Object.keys(c), ['__proto__', 'a']);
  assert.equal(Object.getOwnPropertyDescriptor(c, '__proto__').value.polluted, true);
  const arr = structuredClone(JSON.parse('[{"__proto__": 1}]'));
  assert.ok(Object.hasOwn(arr[0], '__proto__'));
});

test('getters are invoked and their values copied; the clone has data properties', () => {
  let calls = 0;
  const o = { get g() { calls++; return { n: calls }; } };
  const c = structuredClone(o);
  assert.equal(calls, 1, 'the getter ran once');
  const d = Object.getOwnPropertyDescriptor(c, 'g');
  assert.ok('value' in d, 'a data property');
  assert.deepEqual(d.value, { n: 1 });
  assert.equal(d.writable && d.enumerable && d.configurable, true);
  const err = new Error('boom');
  const thrown = assert.throws(() => structuredClone({ get bad() { throw err; } }), Error);
  assert.equal(thrown, err, 'a getter\'s error propagates as it is');
});

test('a getter that deletes a later property: the deleted property is skipped', () => {
  const o = { get first() { delete this.second; return 1; }, second: 2, third: 3 };
  const c = structuredClone(o);
  assert.deepEqual(Object.keys(c), ['first', 'third']);
});

test('cycles and shared references are preserved', () => {
  const shared = { s: 1 };
  const o = { a: shared, b: shared, list: [shared] };
  o.self = o;
  o.list.push(o.list);
  const c = structuredClone(o);
  assert.equal(c.self, c, 'self reference');
  assert.equal(c.a, c.b, 'shared object stays shared');
  assert.equal(c.list[0], c.a, 'shared across containers');
  assert.notEqual(c.a, shared, 'but it is a copy');
  assert.equal(c.list[1], c.list, 'array cycle');

  const m = new Map();
  m.set('me', m);
  const s = new Set();
  s.add(s);
  const mc = structuredClone({ m, s, again: m });
  assert.equal(mc.m.get('me'), mc.m, 'Map cycle');
  assert.equal([...mc.s][0], mc.s, 'Set cycle');
  assert.equal(mc.again, mc.m);
});

test('ArrayBuffer is copied, not shared', () => {
  const buf = new Uint8Array([1, 2, 3, 4]).buffer;
  const c = structuredClone(buf);
  assert.ok(c instanceof ArrayBuffer);
  assert.notEqual(c, buf);
  assert.deepEqual([...new Uint8Array(c)], [1, 2, 3, 4]);
  new Uint8Array(c)[0] = 99;
  assert.equal(new Uint8Array(buf)[0], 1, 'writing the clone leaves the original alone');
  assert.equal(buf.byteLength, 4, 'the original is not detached');
});

test('ArrayBuffer subclasses clone as plain ArrayBuffers; resizable ones stay resizable', () => {
  class MyBuffer extends ArrayBuffer {}
  const c = structuredClone(new MyBuffer(4));
  assert.equal(Object.getPrototypeOf(c), ArrayBuffer.prototype);
  assert.equal(c.byteLength, 4);
  if (typeof ArrayBuffer.prototype.resize === 'function') {
    const r = new ArrayBuffer(4, { maxByteLength: 16 });
    new Uint8Array(r).set([9, 8, 7, 6]);
    const rc = structuredClone(r);
    assert.equal(rc.resizable, true, 'resizable');
    assert.equal(rc.maxByteLength, 16);
    assert.deepEqual([...new Uint8Array(rc)], [9, 8, 7, 6]);
  }
});

test('typed arrays and DataViews keep type, offset and length, and share one buffer in the clone', () => {
  const buf = new ArrayBuffer(16);
  const u8 = new Uint8Array(buf);
  u8.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  const i16 = new Int16Array(buf, 2, 3);
  const f64 = new Float64Array(buf, 8, 1);
  const dv = new DataView(buf, 4, 8);
  const c = structuredClone({ u8, i16, f64, dv, buf });
  assert.ok(c.u8 instanceof Uint8Array && c.i16 instanceof Int16Array && c.f64 instanceof Float64Array);
  assert.ok(c.dv instanceof DataView);
  assert.equal(c.u8.buffer, c.buf, 'views share the cloned buffer');
  assert.equal(c.i16.buffer, c.buf);
  assert.equal(c.f64.buffer, c.buf);
  assert.equal(c.dv.buffer, c.buf);
  assert.notEqual(c.buf, buf);
  assert.equal(c.i16.byteOffset, 2);
  assert.equal(c.i16.length, 3);
  assert.equal(c.dv.byteOffset, 4);
  assert.equal(c.dv.byteLength, 8);
  assert.deepEqual([...c.u8], [...u8]);
  c.u8[2] = 0xFF;
  c.u8[3] = 0x7F;
  assert.equal(c.i16[0], 0x7FFF, 'writes through one cloned view show in another');
  assert.equal(c.dv.getUint8(0), 5);
  assert.equal(u8[2], 3, 'the original is untouched');
});

test('a typed array alone brings its whole buffer; subclasses clone as the base type', () => {
  const big = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
  const view = big.subarray(2, 5);
  const c = structuredClone(view);
  assert.deepEqual([...c], [2, 3, 4]);
  assert.equal(c.byteOffset, 2);
  assert.equal(c.buffer.byteLength, 8, 'the whole buffer is serialized');
  for (const T of [Uint8Array, Float32Array, BigInt64Array]) {
    class Sub extends T {}
    const sc = structuredClone(new Sub(2));
    assert.equal(Object.getPrototypeOf(sc), T.prototype, `subclass of ${T.name} comes back as ${T.name}`);
    assert.equal(sc.length, 2);
  }
});

test('Error types keep name, message and cause; the clone is a new error', () => {
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
    const e = new E('msg of ' + E.name);
    const c = structuredClone(e);
    assert.notEqual(c, e);
    assert.ok(c instanceof E, `${E.name} stays ${E.name}`);
    assert.equal(Object.getPrototypeOf(c), E.prototype);
    assert.equal(c.name, E.name);
    assert.equal(c.message, 'msg of ' + E.name);
    assert.ok(Object.hasOwn(c, 'message'), 'message is an own property');
  }
  const cause = { why: 'because' };
  const withCause = structuredClone(new Error('outer', { cause }));
  assert.deepEqual(withCause.cause, { why: 'because' });
  assert.notEqual(withCause.cause, cause, 'the cause is cloned');
  const nested = structuredClone(new TypeError('a', { cause: new RangeError('b') }));
  assert.ok(nested.cause instanceof RangeError);
  assert.equal(nested.cause.message, 'b');
  const noMessage = structuredClone(new Error());
  assert.equal(Object.hasOwn(noMessage, 'message'), false, 'no own message when the original had none');
  assert.equal(noMessage.message, '');
});

test('errors of other types clone as Error', () => {
  class MyError extends Error {}
  const c = structuredClone(new MyError('mine'));
  assert.equal(Object.getPrototypeOf(c), Error.prototype);
  assert.equal(c.message, 'mine');
  const renamed = new TypeError('x');
  renamed.name = 'Custom';
  assert.equal(Object.getPrototypeOf(structuredClone(renamed)), Error.prototype, 'an unknown name gives Error');
  const a = structuredClone(new AggregateError([], 'agg'));
  assert.ok(a instanceof Error);
  assert.equal(a.message, 'agg');
});

test('DOMException keeps name, message and code', () => {
  const e = new DOMException('gone', 'NotFoundError');
  const c = structuredClone(e);
  assert.ok(c instanceof DOMException);
  assert.notEqual(c, e);
  assert.equal(c.name, 'NotFoundError');
  assert.equal(c.message, 'gone');
  assert.equal(c.code, 8);
  const custom = structuredClone(new DOMException('m', 'SomethingElse'));
  assert.equal(custom.name, 'SomethingElse');
  assert.equal(custom.code, 0);
});

test('functions and symbols throw DataCloneError', () => {
  for (const v of [() => {}, function named() {}, class A {}, async () => {}, Math.max, Symbol('s'), Symbol.iterator]) {
    assertDataCloneError(() => structuredClone(v), `structuredClone(${String(typeof v)})`);
  }
  assertDataCloneError(() => structuredClone({ nested: { fn() {} } }), 'a method deep inside an object');
  assertDataCloneError(() => structuredClone([1, Symbol('x')]), 'a symbol inside an array');
  assertDataCloneError(() => structuredClone(new Map([['k', () => 1]])), 'a function inside a Map');
  assertDataCloneError(() => structuredClone(Object(Symbol('boxed'))), 'a boxed symbol');
});

test('user class instances become plain objects with their own data properties', () => {
  class Point {
    #secret = 1;
    constructor(x, y) { this.x = x; this.y = y; }
    get len() { return Math.hypot(this.x, this.y); }
    norm() { return this.len; }
  }
  const c = structuredClone(new Point(3, 4));
  assert.equal(Object.getPrototypeOf(c), Object.prototype, 'the class prototype is dropped');
  assert.deepEqual(Object.keys(c), ['x', 'y']);
  assert.equal(c.norm, undefined, 'methods are not copied');
  assert.equal(c.len, undefined, 'prototype getters are not copied');
});

test('ordinary objects clone even with a Symbol.toStringTag', () => {
  const tagged = { [Symbol.toStringTag]: 'Custom', a: 1 };
  assert.deepEqual(structuredClone(tagged), { a: 1 });
  class Tagged { get [Symbol.toStringTag]() { return 'Tagged'; } constructor() { this.v = 2; } }
  assert.deepEqual(structuredClone(new Tagged()), { v: 2 });
  const arrayProto = Object.create(Array.prototype);
  arrayProto.k = 'v';
  const c = structuredClone(arrayProto);
  assert.equal(Array.isArray(c), false, 'an object inheriting from Array.prototype is not an array');
  assert.deepEqual(c, { k: 'v' });
});

test('platform objects and objects with unsupported internal slots throw DataCloneError', () => {
  const values = {
    Promise: Promise.resolve(1),
    WeakMap: new WeakMap(),
    WeakSet: new WeakSet(),
    WeakRef: typeof WeakRef === 'function' ? new WeakRef({}) : new WeakMap(),
    EventTarget: new EventTarget(),
    Event: new Event('x'),
    AbortController: new AbortController(),
    AbortSignal: new AbortController().signal,
    TextEncoder: new TextEncoder(),
    TextDecoder: new TextDecoder(),
    crypto,
    performance,
    PerformanceEntry: performance.mark('clone-test'),
    generator: (function* gen() {})(),
    'Map iterator': new Map().entries(),
    'Array iterator': [].values(),
  };
  for (const [what, v] of Object.entries(values)) {
    assertDataCloneError(() => structuredClone(v), what);
    assertDataCloneError(() => structuredClone({ inside: [v] }), `${what} nested`);
  }
  performance.clearMarks('clone-test');
});

test('a failed clone has no side effects on transferables', () => {
  if (typeof ArrayBuffer.prototype.transfer !== 'function') return;
  const buf = new ArrayBuffer(8);
  assertDataCloneError(() => structuredClone({ buf, f() {} }, { transfer: [buf] }), 'clone with a function');
  assert.equal(buf.byteLength, 8, 'the buffer is not detached when serialization fails');
});

test('transfer detaches the source ArrayBuffer and moves its contents', () => {
  if (typeof ArrayBuffer.prototype.transfer !== 'function') {
    assertDataCloneError(() => structuredClone(new ArrayBuffer(1), { transfer: [new ArrayBuffer(1)] }),
                         'transfer is unsupported by this engine');
    return;
  }
  const buf = new ArrayBuffer(8);
  const view = new Uint8Array(buf);
  view.set([1, 2, 3, 4, 5, 6, 7, 8]);
  const c = structuredClone({ buf, view }, { transfer: [buf] });
  assert.equal(buf.byteLength, 0, 'the source is detached');
  if ('detached' in ArrayBuffer.prototype) assert.equal(buf.detached, true);
  assert.equal(view.length, 0, 'views of the source see a detached buffer');
  assert.equal(c.buf.byteLength, 8);
  assert.deepEqual([...new Uint8Array(c.buf)], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(c.view.buffer, c.buf, 'cloned views use the transferred buffer');

  const other = new ArrayBuffer(4);
  const r = structuredClone(1, { transfer: [other] });
  assert.equal(r, 1);
  assert.equal(other.byteLength, 0, 'a transferred buffer not in the value is detached too');
});

test('transfer errors: detached buffers, duplicates and non-transferables throw DataCloneError', () => {
  if (typeof ArrayBuffer.prototype.transfer !== 'function') return;
  const buf = new ArrayBuffer(4);
  structuredClone(buf, { transfer: [buf] });
  assertDataCloneError(() => structuredClone(buf), 'cloning a detached buffer');
  assertDataCloneError(() => structuredClone(null, { transfer: [buf] }), 'transferring a detached buffer');
  const dup = new ArrayBuffer(4);
  assertDataCloneError(() => structuredClone(dup, { transfer: [dup, dup] }), 'the same buffer twice');
  assert.equal(dup.byteLength, 4, 'a rejected transfer leaves the buffer attached');
  assertDataCloneError(() => structuredClone(1, { transfer: [{}] }), 'a plain object in the transfer list');
  assert.equal(structuredClone(5, {}), 5, 'an empty options object');
  assert.equal(structuredClone(5, { transfer: [] }), 5, 'an empty transfer list');
});

await run();
