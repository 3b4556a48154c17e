// setTimeout, setInterval, clearTimeout, clearInterval and queueMicrotask (HTML).
// One queue ordered by (deadline, creation); C keeps a single wakeup armed for its head and
// calls host.runTimers, which runs ONE due timer per call: each timer is its own task, so
// microtasks queued by one callback run before the next timer's callback, as in a browser.

const queue = [];       // binary heap of timer records
const active = new Map(); // id -> record
let nextId = 1;
let order = 0;
let nestingLevel = 0;

function less(a, b) { return a.deadline < b.deadline || (a.deadline === b.deadline && a.order < b.order); }

function push(record) {
  queue.push(record);
  let i = queue.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(queue[i], queue[parent])) break;
    [queue[i], queue[parent]] = [queue[parent], queue[i]];
    i = parent;
  }
}

function pop() {
  const top = queue[0];
  const last = queue.pop();
  if (queue.length) {
    queue[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < queue.length && less(queue[l], queue[m])) m = l;
      if (r < queue.length && less(queue[r], queue[m])) m = r;
      if (m === i) break;
      [queue[i], queue[m]] = [queue[m], queue[i]];
      i = m;
    }
  }
  return top;
}

function arm() {
  // Cancelled timers stay in the heap until they reach the head.
  while (queue.length && !active.has(queue[0].id)) pop();
  native.armTimer(queue.length ? Math.max(0, queue[0].deadline - native.now()) : -1);
}

function schedule(record) {
  record.order = order++;
  record.deadline = native.now() + record.delay;
  push(record);
  if (queue[0] === record) arm();
}

function startTimer(handler, timeout, args, repeat, isInternal = false) {
  if (typeof handler !== 'function') {
    const code = String(handler);
    handler = () => (0, eval)(code);
  }
  // IDL `long` conversion, then HTML: negative -> 0; nested more than 5 deep -> at least 4 ms.
  let delay = timeout | 0;
  if (delay < 0) delay = 0;
  const nesting = nestingLevel + 1;
  if (nesting > 5 && delay < 4) delay = 4;
  const record = { id: nextId++, handler, args, repeat, delay, nesting, deadline: 0, order: 0,
                   isInternal };
  active.set(record.id, record);
  schedule(record);
  return record.id;
}

function clearTimer(id, fromUser = true) {
  const record = active.get(id | 0); // IDL long, as the ID was given
  if (!record || (fromUser && record.isInternal)) return;
  active.delete(record.id);
  arm();
}

internal.host.runTimers = function runTimers() {
  const now = native.now();
  while (queue.length && !active.has(queue[0].id)) pop();
  if (queue.length && queue[0].deadline <= now) {
    const record = pop();
    if (!record.repeat) active.delete(record.id);
    const saved = nestingLevel;
    nestingLevel = record.nesting;
    try {
      internal.callReporting(record.handler, globalThis, ...record.args);
    } finally {
      nestingLevel = saved;
    }
    if (record.repeat && active.has(record.id)) {
      if (record.nesting >= 5 && record.delay < 4) record.delay = 4;
      record.nesting++;
      schedule(record);
    }
  }
  arm();
};

// For the base library: a timer that user code cannot clear by guessing its ID.
internal.setTimer = (fn, ms) => startTimer(fn, ms, [], false, true);
internal.clearTimer = (id) => clearTimer(id, false);

internal.defineGlobal('setTimeout', function setTimeout(handler, timeout = 0, ...args) {
  return startTimer(handler, timeout, args, false);
});
internal.defineGlobal('setInterval', function setInterval(handler, timeout = 0, ...args) {
  return startTimer(handler, timeout, args, true);
});
internal.defineGlobal('clearTimeout', function clearTimeout(id = 0) { clearTimer(id); });
internal.defineGlobal('clearInterval', function clearInterval(id = 0) { clearTimer(id); });
internal.defineGlobal('queueMicrotask', function queueMicrotask(callback) {
  if (typeof callback !== 'function') {
    throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
  }
  Promise.resolve().then(() => internal.callReporting(callback, undefined));
});
