// A small test harness for tests that run inside `mprtc exec`: register with test(), finish
// with `await run()`. Prints TAP (what meson reads); a failure makes run() reject, so the
// process exits 1 with the failure listed.

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

class AssertionError extends Error {
  get name() { return 'AssertionError'; }
}

function show(v) {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(v && typeof v === 'object' ? JSON.stringify(v) : v);
  } catch {
    return String(v);
  }
}

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Map || a instanceof Set) {
    if (a.size !== b.size) return false;
    return deepEqual([...a], [...b]);
  }
  if (ArrayBuffer.isView(a)) return deepEqual(Array.from(a), Array.from(b));
  if (a instanceof ArrayBuffer) return deepEqual(new Uint8Array(a), new Uint8Array(b));
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual(a[k], b[k]));
}

function checkError(error, expected, what) {
  if (expected === undefined) return;
  if (typeof expected === 'function' && !(error instanceof expected)) {
    throw new AssertionError(`${what}: expected ${expected.name}, got ${error && error.name}: ${error && error.message}`);
  }
  if (typeof expected === 'string' && (!error || error.name !== expected)) {
    throw new AssertionError(`${what}: expected an error named ${expected}, got ${error && error.name}: ${error && error.message}`);
  }
  if (expected instanceof RegExp && !expected.test(String(error && error.message))) {
    throw new AssertionError(`${what}: message ${show(error && error.message)} does not match ${expected}`);
  }
  if (typeof expected === 'object' && !(expected instanceof RegExp)) {
    for (const [k, v] of Object.entries(expected)) {
      const actual = error && error[k];
      if (v instanceof RegExp ? !v.test(String(actual)) : actual !== v) {
        throw new AssertionError(`${what}: error.${k} is ${show(actual)}, expected ${v instanceof RegExp ? v : show(v)}`);
      }
    }
  }
}

export const assert = {
  ok(value, message = 'expected a truthy value') {
    if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
  },
  equal(actual, expected, message = '') {
    if (!Object.is(actual, expected)) {
      throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
    }
  },
  notEqual(actual, expected, message = '') {
    if (Object.is(actual, expected)) throw new AssertionError(`${message ? message + ': ' : ''}did not expect ${show(actual)}`);
  },
  deepEqual(actual, expected, message = '') {
    if (!deepEqual(actual, expected)) {
      throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
    }
  },
  match(text, re, message = '') {
    if (!re.test(String(text))) throw new AssertionError(`${message ? message + ': ' : ''}${show(text)} does not match ${re}`);
  },
  // expected: an error class, a name string, a RegExp for the message, or {name, message, ...}.
  throws(fn, expected, message = 'expected an exception') {
    let threw = false, error;
    try { fn(); } catch (e) { threw = true; error = e; }
    if (!threw) throw new AssertionError(message);
    checkError(error, expected, message);
    return error;
  },
  async rejects(promiseOrFn, expected, message = 'expected a rejection') {
    let rejected = false, error;
    try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (e) { rejected = true; error = e; }
    if (!rejected) throw new AssertionError(message);
    checkError(error, expected, message);
    return error;
  },
  fail(message) { throw new AssertionError(message); },
};

// Collects what reaches the global "error" event (and silences it) until stop().
export function captureErrors() {
  const errors = [];
  const listener = (event) => {
    event.preventDefault();
    errors.push(event);
  };
  globalThis.addEventListener('error', listener);
  return { errors, stop: () => globalThis.removeEventListener('error', listener) };
}

// A promise and its resolve function.
export function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

// Resolves after the next task (a timer), without asserting anything about timing.
export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function run() {
  console.log('TAP version 13');
  console.log(`1..${tests.length}`);
  const failures = [];
  for (let i = 0; i < tests.length; i++) {
    const { name, fn } = tests[i];
    try {
      await fn();
      console.log(`ok ${i + 1} - ${name}`);
    } catch (error) {
      failures.push(name);
      console.log(`not ok ${i + 1} - ${name}`);
      const text = error && error.stack ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
      console.log(text.split('\n').map((l) => '  # ' + l).join('\n'));
    }
  }
  if (failures.length) {
    throw new Error(`${failures.length} of ${tests.length} tests failed: ${failures.join(', ')}`);
  }
}
