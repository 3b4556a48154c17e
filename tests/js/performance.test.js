import { test, assert, run } from './harness.js';

// performance (High Resolution Time, Performance Timeline, User Timing) and the self global.
// No sleeps and no timing thresholds: only ordering and sanity bounds.

const reset = () => { performance.clearMarks(); performance.clearMeasures(); };
const names = (list) => list.map((e) => e.name);

test('self is globalThis', () => {
  assert.equal(self, globalThis);
  assert.equal(globalThis.self, globalThis);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'self');
  assert.equal(d.enumerable, false, 'self is not enumerable');
});

test('performance is a Performance (an EventTarget); new Performance() throws TypeError', () => {
  assert.ok(performance instanceof Performance);
  assert.ok(performance instanceof EventTarget);
  assert.throws(() => new Performance(), TypeError, 'new Performance()');
  assert.throws(() => new Performance({}), TypeError, 'new Performance({})');
  assert.throws(() => new PerformanceEntry(), TypeError, 'new PerformanceEntry()');
});

test('performance.now() is a non-negative number that never decreases', () => {
  let prev = performance.now();
  assert.equal(typeof prev, 'number');
  assert.ok(prev >= 0 && Number.isFinite(prev), `now() = ${prev}`);
  for (let i = 0; i < 10000; i++) {
    const t = performance.now();
    if (t < prev) assert.fail(`now() went backwards: ${prev} then ${t}`);
    prev = t;
  }
});

test('performance.now() has sub-millisecond resolution', () => {
  let fractional = false;
  for (let i = 0; i < 1000 && !fractional; i++) fractional = !Number.isInteger(performance.now());
  assert.ok(fractional, 'some reading in 1000 calls is not a whole number of milliseconds');
});

test('performance.timeOrigin is close to Date.now() - performance.now()', () => {
  const origin = performance.timeOrigin;
  assert.equal(typeof origin, 'number');
  assert.equal(performance.timeOrigin, origin, 'timeOrigin does not change');
  const estimate = Date.now() - performance.now();
  // A sanity bound (the two clocks are read separately), not a timing threshold.
  assert.ok(Math.abs(origin - estimate) < 1000, `timeOrigin ${origin} vs ${estimate}`);
  assert.ok(origin <= Date.now(), 'the origin is not in the future');
});

test('performance.toJSON() holds timeOrigin; JSON.stringify uses it', () => {
  const json = performance.toJSON();
  assert.equal(json.timeOrigin, performance.timeOrigin);
  assert.equal(Object.getPrototypeOf(json), Object.prototype, 'a plain object');
  assert.equal(JSON.parse(JSON.stringify(performance)).timeOrigin, performance.timeOrigin);
});

test('mark() records an entry at now() with duration 0 and detail null', () => {
  reset();
  const before = performance.now();
  const m = performance.mark('m1');
  const after = performance.now();
  assert.ok(m instanceof PerformanceEntry);
  assert.equal(m.name, 'm1');
  assert.equal(m.entryType, 'mark');
  assert.equal(m.duration, 0);
  assert.equal(m.detail, null);
  assert.ok(m.startTime >= before && m.startTime <= after, 'startTime is taken during the call');
  const j = m.toJSON();
  assert.deepEqual(j, { name: 'm1', entryType: 'mark', startTime: m.startTime, duration: 0, detail: null });
  assert.equal(performance.mark(42).name, '42', 'the name is stringified');
  assert.throws(() => performance.mark(), TypeError, 'mark() needs a name');
});

test('mark() options: startTime and a cloned detail; null options are empty', () => {
  reset();
  const detail = { a: [1, 2] };
  const m = performance.mark('opt', { startTime: 12.5, detail });
  assert.equal(m.startTime, 12.5);
  assert.deepEqual(m.detail, { a: [1, 2] });
  assert.notEqual(m.detail, detail, 'detail is structured-cloned');
  assert.equal(performance.mark('zero', { startTime: 0 }).startTime, 0);
  assert.equal(performance.mark('nullopts', null).detail, null, 'null options');
  assert.throws(() => performance.mark('neg', { startTime: -1 }), TypeError, 'a negative startTime');
  assertDataCloneError(() => performance.mark('fn', { detail: () => {} }), 'an uncloneable detail');
  reset();
});

function assertDataCloneError(fn, what) {
  const e = assert.throws(fn, { name: 'DataCloneError' }, what);
  assert.ok(e instanceof DOMException, what);
}

test('getEntriesByName / getEntriesByType / getEntries filter entries', () => {
  reset();
  performance.mark('a');
  performance.mark('b');
  performance.mark('a');
  performance.measure('a');
  assert.deepEqual(names(performance.getEntriesByName('a')), ['a', 'a', 'a']);
  assert.equal(performance.getEntriesByName('a', 'mark').length, 2);
  assert.equal(performance.getEntriesByName('a', 'measure').length, 1);
  assert.equal(performance.getEntriesByName('a', 'resource').length, 0);
  assert.equal(performance.getEntriesByName('nope').length, 0);
  assert.deepEqual(names(performance.getEntriesByType('mark')), ['a', 'b', 'a']);
  assert.equal(performance.getEntriesByType('measure').length, 1);
  assert.equal(performance.getEntries().length, 4);
  const list = performance.getEntries();
  list.length = 0;
  assert.equal(performance.getEntries().length, 4, 'the returned list is a copy');
  reset();
});

test('entries come back in startTime order', () => {
  reset();
  performance.mark('late', { startTime: 50 });
  performance.mark('early', { startTime: 10 });
  performance.mark('middle', { startTime: 30 });
  performance.mark('tie', { startTime: 30 });
  assert.deepEqual(names(performance.getEntriesByType('mark')), ['early', 'middle', 'tie', 'late']);
  assert.deepEqual(names(performance.getEntries()), ['early', 'middle', 'tie', 'late']);
  performance.mark('x', { startTime: 20 });
  performance.mark('x', { startTime: 5 });
  assert.deepEqual(performance.getEntriesByName('x').map((e) => e.startTime), [5, 20]);
  reset();
});

test('clearMarks(name) removes those marks only; clearMarks() removes all marks', () => {
  reset();
  performance.mark('keep');
  performance.mark('drop');
  performance.mark('drop');
  performance.measure('drop');
  performance.clearMarks('drop');
  assert.deepEqual(names(performance.getEntriesByType('mark')), ['keep']);
  assert.equal(performance.getEntriesByName('drop', 'measure').length, 1, 'measures are not marks');
  performance.clearMarks('not-there');
  assert.equal(performance.getEntriesByType('mark').length, 1);
  performance.clearMarks();
  assert.equal(performance.getEntriesByType('mark').length, 0);
  assert.equal(performance.getEntriesByType('measure').length, 1);
  performance.clearMeasures();
  assert.equal(performance.getEntries().length, 0);
});

test('measure() between two marks', () => {
  reset();
  performance.mark('start', { startTime: 100 });
  performance.mark('end', { startTime: 350.25 });
  const m = performance.measure('span', 'start', 'end');
  assert.ok(m instanceof PerformanceEntry);
  assert.equal(m.entryType, 'measure');
  assert.equal(m.name, 'span');
  assert.equal(m.startTime, 100);
  assert.equal(m.duration, 250.25);
  assert.equal(m.detail, null);
  const back = performance.measure('backwards', 'end', 'start');
  assert.equal(back.startTime, 350.25);
  assert.equal(back.duration, -250.25, 'an end before the start gives a negative duration');
  assert.deepEqual(names(performance.getEntriesByType('measure')), ['span', 'backwards']);
  reset();
});

test('measure() uses the most recent mark of a name', () => {
  reset();
  performance.mark('m', { startTime: 10 });
  performance.mark('m', { startTime: 40 });
  performance.mark('e', { startTime: 100 });
  assert.equal(performance.measure('r', 'm', 'e').startTime, 40);
  reset();
});

test('measure() defaults: start 0, end now', () => {
  reset();
  const before = performance.now();
  const all = performance.measure('all');
  const after = performance.now();
  assert.equal(all.startTime, 0);
  assert.ok(all.duration >= before && all.duration <= after, 'the end is now()');
  performance.mark('s', { startTime: 1 });
  const fromMark = performance.measure('from', 's');
  assert.equal(fromMark.startTime, 1);
  assert.ok(fromMark.duration >= before - 1, 'from the mark to now');
  performance.mark('e', { startTime: 7 });
  const toMark = performance.measure('to', undefined, 'e');
  assert.equal(toMark.startTime, 0);
  assert.equal(toMark.duration, 7);
  const emptyOptions = performance.measure('empty', {}, 'e');
  assert.equal(emptyOptions.startTime, 0);
  assert.equal(emptyOptions.duration, 7);
  reset();
});

test('measure() with options: start/end as marks or times, duration, detail', () => {
  reset();
  performance.mark('a', { startTime: 20 });
  performance.mark('b', { startTime: 50 });
  let m = performance.measure('marks', { start: 'a', end: 'b', detail: { x: 1 } });
  assert.equal(m.startTime, 20);
  assert.equal(m.duration, 30);
  assert.deepEqual(m.detail, { x: 1 });
  m = performance.measure('times', { start: 5, end: 15 });
  assert.equal(m.startTime, 5);
  assert.equal(m.duration, 10);
  m = performance.measure('startDuration', { start: 'a', duration: 7 });
  assert.equal(m.startTime, 20);
  assert.equal(m.duration, 7);
  m = performance.measure('endDuration', { end: 50, duration: 20 });
  assert.equal(m.startTime, 30);
  assert.equal(m.duration, 20);
  reset();
});

test('measure() argument errors are TypeErrors', () => {
  reset();
  performance.mark('a', { startTime: 1 });
  assert.throws(() => performance.measure('x', { start: 'a' }, 'a'), TypeError, 'options and an end mark');
  assert.throws(() => performance.measure('x', { duration: 5 }), TypeError, 'duration without start or end');
  assert.throws(() => performance.measure('x', { start: 1, end: 5, duration: 4 }), TypeError, 'start, end and duration');
  assert.throws(() => performance.measure('x', { start: -1 }), TypeError, 'a negative start time');
  assert.throws(() => performance.measure(), TypeError, 'measure() needs a name');
  assert.equal(performance.getEntriesByType('measure').length, 0, 'no entry was added');
  reset();
});

test('measure() with an unknown mark throws a SyntaxError DOMException', () => {
  reset();
  performance.mark('known');
  const cases = [
    () => performance.measure('x', 'unknown'),
    () => performance.measure('x', 'known', 'unknown'),
    () => performance.measure('x', undefined, 'unknown'),
    () => performance.measure('x', { start: 'unknown' }),
    () => performance.measure('x', { end: 'unknown' }),
    // A start mark argument is a DOMString: a number names a mark, it is not a time.
    () => performance.measure('x', 5),
  ];
  for (const [i, fn] of cases.entries()) {
    const e = assert.throws(fn, { name: 'SyntaxError', code: 12 }, `case ${i}`);
    assert.ok(e instanceof DOMException, `case ${i}: a DOMException, not a JS SyntaxError`);
  }
  assert.equal(performance.getEntriesByType('measure').length, 0, 'no entry was added');
  performance.clearMarks('known');
  assert.throws(() => performance.measure('x', 'known'), { name: 'SyntaxError' }, 'a cleared mark is unknown');
  reset();
});

await run();
