import { test, assert, run, nextTask } from './harness.js';

// Console output goes straight to stdout/stderr, so these tests check what is observable from
// JavaScript: that nothing throws, what user code the formatting runs (toString, valueOf,
// getters) and when. The exact text is checked by the CLI test with tests/js/console-output.js.
//
// stdout carries this file's TAP, so what the tests print there is one line starting with "#"
// (a TAP comment); the bulk of the formatting goes through console.warn/error, which format
// exactly as console.log does but write to stderr.

const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'dir', 'dirxml', 'table', 'trace',
                 'assert', 'count', 'countReset', 'time', 'timeLog', 'timeEnd', 'group',
                 'groupCollapsed', 'groupEnd'];

// An object whose toString/valueOf calls are counted.
function spy(text = 'spied', number = 7) {
  const calls = { toString: 0, valueOf: 0 };
  const obj = {
    toString() { calls.toString++; return text; },
    valueOf() { calls.valueOf++; return number; },
  };
  return { obj, calls };
}

class Point {
  constructor(x, y) { this.x = x; this.y = y; }
}

function sampleValues() {
  const circular = { name: 'loop' };
  circular.self = circular;
  const circularArray = [1];
  circularArray.push(circularArray);
  const circularMap = new Map();
  circularMap.set('me', circularMap);
  const nullProto = Object.create(null);
  nullProto.a = 1;
  const withStack = new Error('with stack');
  const withCause = new Error('outer', { cause: new TypeError('inner') });
  const errorWithProps = Object.assign(new RangeError('props'), { code: 'E_CODE' });
  const sparse = [1, , 3];
  sparse[10] = 'x';
  const arrayWithProps = Object.assign([1, 2], { extra: true });
  const rejected = Promise.reject(new Error('r'));
  rejected.catch(() => {}); // handled: no unhandled-rejection report
  return [
    undefined, null, true, false, 0, -0, 1.5, NaN, Infinity, -Infinity, 10n, -3n,
    '', 'plain', "it's", 'say "hi"', 'both \' and "', 'tab\tnew\nline\\', '%s', '%',
    Symbol('sym'), Symbol(), Symbol.iterator,
    function named() {}, () => {}, async function asyncFn() {}, function* gen() {},
    class Klass {}, class extends Point {}, Math.max,
    {}, [], { a: 1, b: 'two', c: [3] }, [1, 'two', [3, [4, [5, [6]]]]],
    { a: { b: { c: { d: { e: 1 } } } } }, [[[[[]]]]],
    { 'needs quotes': 1, valid_id: 2, $dollar: 3, 42: 'n', [Symbol('k')]: 'sym' },
    new Map([['k', 'v'], [{ obj: 1 }, [1, 2]]]), new Set([1, 'two', { three: 3 }]),
    new Map(), new Set(), new WeakMap(), new WeakSet(),
    new Uint8Array([1, 2, 3]), new Int16Array(0), new Float64Array([0.5, -0]),
    new BigInt64Array([1n, -1n]), new Uint8ClampedArray(200), new ArrayBuffer(4),
    new DataView(new ArrayBuffer(2)),
    withStack, withCause, errorWithProps, new DOMException('dom', 'AbortError'),
    new Point(1, 2), new (class {})(), nullProto, Object.create(null),
    circular, circularArray, circularMap,
    new Date(0), new Date(NaN), /re(g)?ex/gi, Promise.resolve(1), rejected,
    new Number(1), new String('boxed'), new Boolean(false), Object(Symbol('boxed')), Object(1n),
    sparse, arrayWithProps, new Array(5), Array.from({ length: 150 }, (_, i) => i),
    'x'.repeat(500), { long: 'y'.repeat(100) },
    new Event('evt'), new CustomEvent('custom', { detail: { d: 1 } }), new EventTarget(),
    new AbortController(), AbortSignal.abort('why'),
    { [Symbol.toStringTag]: 'Tagged' }, Math, JSON, globalThis.console,
    (function () { return arguments; })(1, 2),
    { get getter() { return 1; }, set setter(v) {}, get both() { return 1; }, set both(v) {} },
  ];
}

// A class whose instances format as "#name { ... }": console.dir output that is a TAP comment.
const Comment = { ['#dir']: class {} }['#dir'];
const commentObject = (props) => Object.assign(new Comment(), props);

// Those of the sample values a conversion accepts (for %d and %f).
const convertible = (convert) => sampleValues().filter((v) => {
  try { convert(v); return true; } catch { return false; }
});

test('console is a non-enumerable global with @@toStringTag "console"', () => {
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'console');
  assert.ok(desc, 'global property');
  assert.equal(desc.enumerable, false);
  assert.equal(desc.writable, true);
  assert.equal(desc.configurable, true);
  assert.equal(typeof console, 'object');
  assert.equal(Object.prototype.toString.call(console), '[object console]');
});

test('console has every method, as a function', () => {
  for (const name of METHODS) {
    assert.equal(typeof console[name], 'function', name);
    assert.equal(console[name].name, name, `${name}.name`);
  }
});

test('every method returns undefined', () => {
  const results = {
    log: console.log('# log returns undefined'),
    info: console.info('# info returns undefined'),
    debug: console.debug('# debug returns undefined'),
    warn: console.warn('warn returns undefined'),
    error: console.error('error returns undefined'),
    dir: console.dir(commentObject({ returns: undefined })),
    dirxml: console.dirxml('# dirxml returns undefined'),
    table: console.table('# table returns undefined'),
    trace: console.trace('trace returns undefined'),
    assert: console.assert(false, 'assert returns undefined'),
    count: console.count('# count'),
    countReset: console.countReset('# count'),
    time: console.time('# time'),
    timeLog: console.timeLog('# time'),
    timeEnd: console.timeEnd('# time'),
    group: console.group('# group'),
    groupEnd: console.groupEnd(),
    groupCollapsed: console.groupCollapsed('# groupCollapsed'),
  };
  console.groupEnd();
  for (const name of METHODS) {
    assert.ok(name in results, name);
    assert.equal(results[name], undefined, name);
  }
});

test('methods work detached from console', () => {
  const { log, warn, error, info, debug, count, time, timeEnd, group, groupEnd, dir, trace } = console;
  log('# detached log');
  info('# detached info');
  debug('# detached debug');
  warn('detached warn');
  error('detached error');
  dir(commentObject({ detached: true }));
  count('# detached');
  time('# detached');
  timeEnd('# detached');
  group('# detached group');
  groupEnd();
  trace('detached trace');
  console.log.call(null, '# null this');
  console.log.call({}, '# other this');
});

test('log, info and debug accept several values on one line', () => {
  console.log('# log:', 1, 'two', [3], { four: 4 }, null, undefined, 5n, Symbol('six'));
  console.info('# info:', true, -0, NaN, new Map([[1, 2]]), new Set([3]), new Uint8Array(2));
  console.debug('# debug:', () => {}, class K {}, new Date(0), /x/g, [, 1]);
  console.log('# empty call follows (an empty line would not be TAP), so not here');
});

test('warn and error format every sample value without throwing', () => {
  const values = sampleValues();
  console.warn(...values);
  console.error(...values);
  for (const v of values) console.error(v);
});

test('nested values (in arrays, objects, Maps, Sets) format without throwing', () => {
  for (const v of sampleValues()) {
    console.error([v], { v }, new Map([[v, v]]), new Set([v]), { deep: { deeper: { deepest: v } } });
  }
});

test('console.dir and %O/%o format every sample value', () => {
  for (const v of sampleValues()) console.error('%O %o', v, v);
  console.dir(commentObject({ a: 1 }), { depth: 0 }); // options are accepted
  console.dir(commentObject({ nested: { b: [1, 2] } }));
});

test('every substitution with every sample value it can convert', () => {
  for (const v of sampleValues()) console.error('%s|%o|%O|%j|%c|%%', v, v, v, v, v);
  for (const v of convertible(Number)) console.error('%d|%i', v, v);
  for (const v of convertible(String)) console.error('%f', v);
});

test('substitutions with too few or too many arguments', () => {
  console.error('%s and %s and %d', 'one');
  console.error('%s', 'one', 'two', { three: 3 });
  console.error('%', 1);
  console.error('%z %s', 'unknown specifier');
  console.error('100%', 'done');
  console.error('%s');
  console.error('%%');
  console.error('%c', 'color: red');
  console.error(1, '%s', 'not a format: the first argument is not a string');
  console.log('# %s: %d%% (%i) %f%c', 'stdout too', 50, 7.9, '0.5', 'font-weight: bold');
});

test('console.log does not call toString or valueOf of the objects it shows', () => {
  const { obj, calls } = spy();
  console.log('# spy:', obj);
  console.error(obj);
  console.error([obj], { obj }, new Map([[obj, obj]]), new Set([obj]));
  console.dir(Object.assign(new Comment(), obj));
  console.error('%o %O', obj, obj);
  console.error('no substitution here', obj);
  assert.deepEqual(calls, { toString: 0, valueOf: 0 });
});

test('console.log does not run getters, own or inherited from a user class', () => {
  let gets = 0;
  const own = { get value() { gets++; return 1; } };
  class WithGetter { get value() { gets++; return 2; } }
  class EventWithGetter extends Event { get extra() { gets++; return 3; } }
  console.log('# getters:', own, new WithGetter());
  console.error(new EventWithGetter('e'));
  console.error({ nested: [own, new WithGetter()] });
  console.dir(Object.assign(new Comment(), { own }));
  assert.equal(gets, 0);
});

test('%s calls a user-defined toString, and only for the argument it consumes', () => {
  const a = spy('A');
  const b = spy('B');
  console.log('# %s', a.obj, b.obj);
  assert.equal(a.calls.toString, 1, 'consumed by %s');
  assert.equal(b.calls.toString, 0, 'an extra argument is inspected, not stringified');
  assert.equal(a.calls.valueOf, 0);
  let classCalls = 0;
  class WithToString { toString() { classCalls++; return 'instance'; } }
  console.error('%s', new WithToString());
  assert.equal(classCalls, 1, 'a class\'s toString counts as user-defined');
});

test('%s does not call a built-in toString it would only get "[object Object]" from', () => {
  let proxied = 0;
  const watched = new Proxy({ a: 1 }, {
    get(t, key, receiver) {
      if (key === 'toString') proxied++;
      return Reflect.get(t, key, receiver);
    },
  });
  console.error('%s', watched);
  console.error('%s', [1, 2], new Date(0), /re/);
  assert.equal(proxied, 0);
});

test('%% is a literal percent sign and consumes no argument', () => {
  const s = spy();
  console.error('%%s', s.obj); // "%s" as text: the argument is not substituted
  assert.equal(s.calls.toString, 0);
  const t = spy();
  console.error('100%% %s', t.obj);
  assert.equal(t.calls.toString, 1);
});

test('%d and %i convert with valueOf; %f with toString (parseFloat)', () => {
  const d = spy('1.5', 3);
  console.error('%d', d.obj);
  assert.equal(d.calls.valueOf, 1);
  const i = spy('1.5', 3.7);
  console.error('%i', i.obj);
  assert.equal(i.calls.valueOf, 1);
  const f = spy('2.5', 9);
  console.error('%f', f.obj);
  assert.equal(f.calls.toString, 1);
  console.error('%d %i %f', 42n, Symbol('s'), Symbol('t'));
  console.error('%d %i %f', '42', '42.9', 'abc');
});

test('%c consumes its argument without converting it', () => {
  const c = spy();
  const after = spy();
  console.error('%c%s', c.obj, after.obj);
  assert.deepEqual(c.calls, { toString: 0, valueOf: 0 });
  assert.equal(after.calls.toString, 1, 'the next specifier gets the next argument');
});

test('substitution only applies when the first argument is a string', () => {
  const s = spy();
  console.error(s.obj, '%s', s.obj);
  console.error(['%s'], s.obj);
  assert.equal(s.calls.toString, 0);
});

test('objects whose inspection throws do not make console.log throw', () => {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const hostile = [
    revocable.proxy,
    new Proxy({}, { ownKeys() { throw new Error('ownKeys'); } }),
    new Proxy({}, { getPrototypeOf() { throw new Error('getPrototypeOf'); } }),
    new Proxy({}, { getOwnPropertyDescriptor() { throw new Error('gOPD'); } }),
    new Proxy([], { get() { throw new Error('get'); } }),
    { get [Symbol.toStringTag]() { throw new Error('tag'); } },
    Object.create(Object.defineProperty({}, 'constructor', { get() { throw new Error('ctor'); } })),
  ];
  const hostileErrors = [
    (() => { const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw new Error('name'); } }); return e; })(),
    (() => { const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { throw new Error('stack'); } }); return e; })(),
  ];
  for (const v of hostile) {
    console.log('# hostile:', v);
    console.dir(Object.assign(new Comment(), { v }));
  }
  for (const v of [...hostile, ...hostileErrors]) {
    console.error(v);
    console.error([v], { v });
    console.error('%s %o %O', v, v, v);
  }
});

test('conversions a format asks for may throw, as in other consoles', () => {
  const bad = { toString() { throw new Error('toString failed'); }, valueOf() { throw new Error('valueOf failed'); } };
  assert.throws(() => console.error('%s', bad), /toString failed/);
  assert.throws(() => console.error('%d', bad), /valueOf failed/);
  console.error(bad); // showing it does not convert it
});

test('deep and wide structures', () => {
  let deep = {};
  const root = deep;
  for (let i = 0; i < 1000; i++) deep = deep.next = { i };
  console.error(root);
  let deepArray = [];
  const rootArray = deepArray;
  for (let i = 0; i < 1000; i++) { const next = []; deepArray.push(next); deepArray = next; }
  console.error(rootArray);
  const wide = {};
  for (let i = 0; i < 500; i++) wide['key' + i] = i;
  console.error(wide);
  console.error(new Map(Array.from({ length: 300 }, (_, i) => [i, i])));
  console.error(new Set(Array.from({ length: 300 }, (_, i) => i)));
  console.error(new Float32Array(1000));
});

test('console.assert: nothing happens for a truthy condition', () => {
  const s = spy();
  console.assert(true, '%s', s.obj);
  console.assert(1, s.obj);
  console.assert('non-empty', s.obj);
  console.assert({}, s.obj);
  assert.equal(s.calls.toString, 0);
});

test('console.assert: a falsy condition formats its message', () => {
  const s = spy();
  console.assert(false, 'failed: %s', s.obj);
  assert.equal(s.calls.toString, 1);
  console.assert(0);
  console.assert(null, { data: 1 });
  console.assert(undefined, 'plain message');
  console.assert('', 42, 'more');
  console.assert(NaN, '%d%%', 5);
  console.assert();
});

test('console.count converts the label with toString; countReset', () => {
  const s = spy('# spy-label');
  console.count(s.obj);
  console.count(s.obj);
  assert.equal(s.calls.toString, 2);
  console.countReset(s.obj);
  assert.equal(s.calls.toString, 3);
  console.count('# spy-label');
  console.countReset('never counted'); // a warning, on stderr
  console.countReset(); // 'default' was never counted: a warning too
});

test('console.time, timeLog and timeEnd, including unknown and duplicate labels', () => {
  console.timeLog(); // no 'default' timer yet: a warning
  console.timeEnd(undefined);
  console.time('# dup');
  console.time('# dup'); // warns, keeps the first
  console.timeLog('# dup', 'extra', { data: 1 });
  console.timeEnd('# dup');
  console.timeEnd('# dup'); // gone: warns
  console.timeLog('unknown label');
  console.timeEnd('unknown label');
  const s = spy('# timer-label');
  console.time(s.obj);
  console.timeEnd(s.obj);
  assert.equal(s.calls.toString, 2);
});

test('console.time labels are independent', async () => {
  console.time('# a');
  console.time('# b');
  await nextTask();
  console.timeEnd('# a');
  console.timeLog('# b');
  console.timeEnd('# b');
});

test('console.group, groupCollapsed and groupEnd nest; an extra groupEnd is harmless', () => {
  console.group('# outer');
  console.warn('inside outer');
  console.groupCollapsed();
  console.warn('inside inner\nwith two lines');
  console.group();
  console.error({ nested: [1, 2] });
  console.groupEnd();
  console.groupEnd();
  console.groupEnd();
  console.groupEnd();
  console.groupEnd();
  console.log('# back at the top, not indented (else this line would not be a TAP comment)');
});

test('console.trace with and without a message', () => {
  console.trace();
  console.trace('trace %s', 'formatted', { extra: 1 });
  (function namedFrame() { console.trace('from a named function'); })();
});

test('console.table and console.dirxml accept any data', () => {
  console.table('# table', [{ a: 1, b: 2 }, { a: 3 }]);
  console.table('# table', { x: { y: 1 } }, ['y']);
  console.dirxml('# dirxml', { a: 1 }, 'text');
});

await run();
