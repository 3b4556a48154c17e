import { test, assert, run, nextTask, captureErrors, deferred } from './harness.js';

test('the timer functions are non-enumerable globals', () => {
  for (const name of ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask']) {
    const desc = Object.getOwnPropertyDescriptor(globalThis, name);
    assert.ok(desc, name);
    assert.equal(typeof desc.value, 'function', name);
    assert.equal(desc.enumerable, false, name);
  }
});

test('setTimeout and setInterval return distinct positive integer IDs', () => {
  const ids = [setTimeout(() => {}, 0), setTimeout(() => {}, 0), setInterval(() => {}, 1000),
               setTimeout(() => {}, 5)];
  for (const id of ids) {
    assert.ok(Number.isInteger(id) && id > 0, `integer id ${id}`);
  }
  assert.equal(new Set(ids).size, ids.length, 'all distinct');
  for (const id of ids) clearTimeout(id);
});

test('timers with the same delay fire in creation order', async () => {
  const order = [];
  const done = deferred();
  for (let i = 0; i < 8; i++) setTimeout(() => order.push(i), 0);
  for (let i = 0; i < 4; i++) setTimeout(() => order.push('d' + i), 3);
  setTimeout(() => done.resolve(), 3);
  await done.promise;
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 'd0', 'd1', 'd2', 'd3']);
});

test('a shorter delay fires first, whatever the creation order', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => { order.push('long'); done.resolve(); }, 30);
  setTimeout(() => order.push('medium'), 10);
  setTimeout(() => order.push('short'), 0);
  await done.promise;
  assert.deepEqual(order, ['short', 'medium', 'long']);
});

test('a timer set from a callback runs after timers already due', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => {
    order.push('a');
    setTimeout(() => { order.push('c'); done.resolve(); }, 0);
  }, 0);
  setTimeout(() => order.push('b'), 0);
  await done.promise;
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('extra arguments are passed to the callback', async () => {
  const done = deferred();
  const obj = {};
  setTimeout((...args) => done.resolve(args), 0, 1, 'two', obj, undefined);
  const args = await done.promise;
  assert.equal(args.length, 4);
  assert.equal(args[0], 1);
  assert.equal(args[1], 'two');
  assert.equal(args[2], obj);
  assert.equal(args[3], undefined);
});

test('the callback is called with the global object as this', async () => {
  const done = deferred();
  setTimeout(function () { done.resolve(this); }, 0);
  assert.equal(await done.promise, globalThis);
});

test('negative, NaN and non-numeric delays count as 0', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => order.push('zero'), 0);
  setTimeout(() => order.push('negative'), -100);
  setTimeout(() => order.push('nan'), NaN);
  setTimeout(() => order.push('string'), 'abc');
  setTimeout(() => order.push('undefined'));
  setTimeout(() => { order.push('later'); done.resolve(); }, 5);
  await done.promise;
  assert.deepEqual(order, ['zero', 'negative', 'nan', 'string', 'undefined', 'later']);
});

test('the delay is converted as an IDL long (2**32 wraps to 0)', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => order.push('wrapped'), 2 ** 32);
  setTimeout(() => { order.push('five'); done.resolve(); }, 5);
  await done.promise;
  assert.deepEqual(order, ['wrapped', 'five']);
});

test('numeric-string delays are converted', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => { order.push('20'); done.resolve(); }, '20');
  setTimeout(() => order.push('0'), '0');
  await done.promise;
  assert.deepEqual(order, ['0', '20']);
});

test('clearTimeout cancels a pending timer', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 0);
  clearTimeout(id);
  await nextTask();
  await nextTask();
  assert.equal(fired, false);
});

test('clearTimeout from an earlier callback cancels a later timer', async () => {
  const order = [];
  const done = deferred();
  let later;
  setTimeout(() => { order.push('first'); clearTimeout(later); }, 0);
  later = setTimeout(() => order.push('cancelled'), 0);
  setTimeout(() => { order.push('last'); done.resolve(); }, 0);
  await done.promise;
  assert.deepEqual(order, ['first', 'last']);
});

test('clearTimeout of the running timer from inside its callback is harmless', async () => {
  let count = 0;
  const done = deferred();
  const id = setTimeout(() => { count++; clearTimeout(id); done.resolve(); }, 0);
  await done.promise;
  await nextTask();
  assert.equal(count, 1);
});

test('clearTimeout and clearInterval accept unknown and odd IDs without throwing', () => {
  clearTimeout();
  clearInterval();
  for (const id of [undefined, null, 0, -1, 1.5, 1e9, 2 ** 40, NaN, 'abc', {}, [], true]) {
    clearTimeout(id);
    clearInterval(id);
  }
  const id = setTimeout(() => {}, 0);
  clearTimeout(id);
  clearTimeout(id); // twice
});

test('clearTimeout converts the ID as an IDL long (a numeric string works)', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 0);
  clearTimeout(String(id));
  await nextTask();
  await nextTask();
  assert.equal(fired, false);
});

test('clearTimeout truncates a fractional ID (IDL long)', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 0);
  clearTimeout(id + 0.75);
  await nextTask();
  await nextTask();
  assert.equal(fired, false);
});

test('setInterval repeats, passes its arguments each time, and clearInterval stops it', async () => {
  const done = deferred();
  const seen = [];
  const id = setInterval((a, b) => {
    seen.push([a, b]);
    if (seen.length === 4) {
      clearInterval(id);
      // Had the interval survived, it would come due again before this timer.
      setTimeout(done.resolve, 20);
    }
  }, 1, 'x', 2);
  await done.promise;
  assert.deepEqual(seen, [['x', 2], ['x', 2], ['x', 2], ['x', 2]]);
});

test('clearInterval from outside stops an interval', async () => {
  let count = 0;
  const id = setInterval(() => { count++; }, 0);
  const done = deferred();
  const poll = setInterval(() => {
    if (count >= 2) {
      clearInterval(id);
      clearInterval(poll);
      const stoppedAt = count;
      setTimeout(() => done.resolve(stoppedAt), 20);
    }
  }, 0);
  const stoppedAt = await done.promise;
  assert.equal(count, stoppedAt, 'no run after clearInterval');
});

test('setTimeout and setInterval share one list of IDs (clear either way)', async () => {
  let fired = 0;
  const t = setTimeout(() => { fired++; }, 0);
  const i = setInterval(() => { fired++; }, 0);
  clearInterval(t);
  clearTimeout(i);
  const done = deferred();
  setTimeout(done.resolve, 10);
  await done.promise;
  assert.equal(fired, 0);
});

test('intervals interleave with timeouts by due time', async () => {
  const order = [];
  const done = deferred();
  let n = 0;
  const id = setInterval(() => {
    order.push('i' + n++);
    if (n === 3) { clearInterval(id); done.resolve(); }
  }, 0);
  setTimeout(() => order.push('t'), 0);
  await done.promise;
  // The interval was created first, so its first run precedes the timeout's.
  assert.equal(order[0], 'i0');
  assert.equal(order[1], 't');
  assert.deepEqual(order.filter((x) => x !== 't'), ['i0', 'i1', 'i2']);
});

test('microtasks run between two timer callbacks due at the same time', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => {
    order.push('timer1');
    Promise.resolve().then(() => order.push('promise1'));
    queueMicrotask(() => order.push('micro1'));
  }, 0);
  setTimeout(() => {
    order.push('timer2');
    queueMicrotask(() => { order.push('micro2'); done.resolve(); });
  }, 0);
  await done.promise;
  assert.deepEqual(order, ['timer1', 'promise1', 'micro1', 'timer2', 'micro2']);
});

test('queueMicrotask runs after the current script and before timers', async () => {
  const order = [];
  const done = deferred();
  setTimeout(() => { order.push('timer'); done.resolve(); }, 0);
  queueMicrotask(() => order.push('micro'));
  order.push('sync');
  await done.promise;
  assert.deepEqual(order, ['sync', 'micro', 'timer']);
});

test('queueMicrotask and Promise.then share one FIFO queue', async () => {
  const order = [];
  queueMicrotask(() => order.push(1));
  Promise.resolve().then(() => order.push(2));
  queueMicrotask(() => {
    order.push(3);
    queueMicrotask(() => order.push(6));
    Promise.resolve().then(() => order.push(7));
  });
  Promise.resolve().then(() => order.push(4));
  queueMicrotask(() => order.push(5));
  await nextTask();
  assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 7]);
});

test('queueMicrotask passes no arguments and returns undefined', async () => {
  const done = deferred();
  const result = queueMicrotask((...args) => done.resolve(args));
  assert.equal(result, undefined);
  assert.deepEqual(await done.promise, []);
});

test('queueMicrotask throws TypeError for a non-function', () => {
  for (const value of [undefined, null, 1, 'code', {}, [], Symbol('s'), { handleEvent() {} }]) {
    assert.throws(() => queueMicrotask(value), TypeError, `queueMicrotask(${typeof value})`);
  }
  assert.throws(() => queueMicrotask(), TypeError, 'no argument');
});

test('an exception in a microtask is reported and later microtasks still run', async () => {
  const capture = captureErrors();
  const order = [];
  const boom = new Error('micro boom');
  try {
    queueMicrotask(() => { throw boom; });
    queueMicrotask(() => order.push('after'));
    await nextTask();
  } finally {
    capture.stop();
  }
  assert.deepEqual(order, ['after']);
  assert.equal(capture.errors.length, 1);
  assert.equal(capture.errors[0].error, boom);
});

test('an exception in a timer callback is reported as an ErrorEvent and later timers run', async () => {
  const capture = captureErrors();
  const order = [];
  const boom = new TypeError('timer boom');
  const done = deferred();
  try {
    setTimeout(() => { order.push('a'); throw boom; }, 0);
    setTimeout(() => { order.push('b'); done.resolve(); }, 0);
    await done.promise;
  } finally {
    capture.stop();
  }
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(capture.errors.length, 1);
  const event = capture.errors[0];
  assert.ok(event instanceof ErrorEvent, 'an ErrorEvent');
  assert.equal(event.type, 'error');
  assert.equal(event.error, boom);
  assert.equal(event.message, 'timer boom');
  assert.equal(event.cancelable, true);
  assert.equal(event.isTrusted, true);
  assert.equal(event.defaultPrevented, true);
});

test('a non-Error thrown from a timer is reported as is', async () => {
  const capture = captureErrors();
  const done = deferred();
  try {
    setTimeout(() => { throw 42; }, 0);
    setTimeout(done.resolve, 0);
    await done.promise;
  } finally {
    capture.stop();
  }
  assert.equal(capture.errors.length, 1);
  assert.equal(capture.errors[0].error, 42);
});

test('an interval that throws keeps running', async () => {
  const capture = captureErrors();
  let count = 0;
  const done = deferred();
  try {
    const id = setInterval(() => {
      count++;
      if (count === 3) { clearInterval(id); done.resolve(); }
      throw new Error('tick ' + count);
    }, 0);
    await done.promise;
  } finally {
    capture.stop();
  }
  assert.equal(count, 3);
  assert.deepEqual(capture.errors.map((e) => e.error.message), ['tick 1', 'tick 2', 'tick 3']);
});

test('a string handler is evaluated as global code', async () => {
  const done = deferred();
  globalThis.__timersDone = done.resolve;
  setTimeout('globalThis.__timersValue = 6 * 7; globalThis.__timersDone()', 0);
  await done.promise;
  assert.equal(globalThis.__timersValue, 42);
  delete globalThis.__timersValue;
  delete globalThis.__timersDone;
});

test('a string handler does not see module scope; its error is reported', async () => {
  const moduleLocal = 'hidden';
  assert.equal(moduleLocal, 'hidden');
  const capture = captureErrors();
  const done = deferred();
  try {
    setTimeout('moduleLocal', 0);
    setTimeout(done.resolve, 0);
    await done.promise;
  } finally {
    capture.stop();
  }
  assert.equal(capture.errors.length, 1);
  assert.ok(capture.errors[0].error instanceof ReferenceError, 'ReferenceError');
});

test('a string handler for setInterval runs repeatedly', async () => {
  globalThis.__intervalCount = 0;
  const done = deferred();
  globalThis.__intervalDone = done.resolve;
  const id = setInterval('if (++globalThis.__intervalCount === 3) globalThis.__intervalDone()', 0);
  await done.promise;
  clearInterval(id);
  assert.equal(globalThis.__intervalCount, 3);
  delete globalThis.__intervalCount;
  delete globalThis.__intervalDone;
});

test('deeply nested timers (clamped after 5 levels) keep their order', async () => {
  const order = [];
  const done = deferred();
  function step(n) {
    order.push(n);
    if (n === 10) { done.resolve(); return; }
    setTimeout(step, 0, n + 1);
  }
  setTimeout(step, 0, 1);
  await done.promise;
  assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('a nested zero-delay timer still runs before a sibling set with a longer delay', async () => {
  // Ordering only: the nesting clamp is 4 ms, so a 0 ms timer set at level 6 precedes a
  // 100 ms timer set at the same moment.
  const order = [];
  const done = deferred();
  function step(n) {
    if (n < 6) { setTimeout(step, 0, n + 1); return; }
    setTimeout(() => { order.push('long'); done.resolve(); }, 100);
    setTimeout(() => order.push('nested zero'), 0);
  }
  step(0);
  await done.promise;
  assert.deepEqual(order, ['nested zero', 'long']);
});

await run();
