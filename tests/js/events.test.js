import { test, assert, run, nextTask, captureErrors, deferred } from './harness.js';

// ---- Event and CustomEvent ----

test('Event requires a type', () => {
  assert.throws(() => new Event(), TypeError);
  assert.throws(() => Event('x'), TypeError, 'without new');
});

test('Event rejects a non-object init dictionary', () => {
  assert.throws(() => new Event('x', 1), TypeError);
  assert.throws(() => new Event('x', 'bubbles'), TypeError);
  assert.throws(() => new Event('x', true), TypeError);
  // null and undefined are an empty dictionary.
  assert.equal(new Event('x', null).bubbles, false);
  assert.equal(new Event('x', undefined).cancelable, false);
});

test('Event defaults', () => {
  const e = new Event('ping');
  assert.equal(e.type, 'ping');
  assert.equal(e.bubbles, false);
  assert.equal(e.cancelable, false);
  assert.equal(e.composed, false);
  assert.equal(e.defaultPrevented, false);
  assert.equal(e.returnValue, true);
  assert.equal(e.cancelBubble, false);
  assert.equal(e.isTrusted, false);
  assert.equal(e.eventPhase, Event.NONE);
  assert.equal(e.target, null);
  assert.equal(e.currentTarget, null);
  assert.equal(e.srcElement, null);
  assert.deepEqual(e.composedPath(), []);
});

test('Event type is converted to a string', () => {
  assert.equal(new Event(42).type, '42');
  assert.equal(new Event(undefined).type, 'undefined');
  assert.equal(new Event(null).type, 'null');
  assert.equal(new Event({ toString: () => 'custom' }).type, 'custom');
});

test('Event init dictionary members are converted to booleans', () => {
  const e = new Event('x', { bubbles: 1, cancelable: 'yes', composed: {} });
  assert.equal(e.bubbles, true);
  assert.equal(e.cancelable, true);
  assert.equal(e.composed, true);
  const f = new Event('x', { bubbles: 0, cancelable: '', composed: null });
  assert.equal(f.bubbles, false);
  assert.equal(f.cancelable, false);
  assert.equal(f.composed, false);
});

test('Event attributes are read-only', () => {
  const e = new Event('x');
  assert.throws(() => { e.type = 'y'; }, TypeError);
  assert.throws(() => { e.isTrusted = true; }, TypeError);
  assert.equal(e.type, 'x');
  assert.equal(e.isTrusted, false);
});

test('Event timeStamp is a high-resolution time on the performance.now() clock', () => {
  const before = performance.now();
  const e = new Event('x');
  const after = performance.now();
  assert.equal(typeof e.timeStamp, 'number');
  assert.ok(e.timeStamp >= before && e.timeStamp <= after, 'between two performance.now() readings');
});

test('Event phase constants on the constructor and the prototype', () => {
  const expected = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(Event[name], value, name);
    assert.equal(Event.prototype[name], value, 'prototype.' + name);
    assert.equal(new Event('x')[name], value, 'instance.' + name);
  }
});

test('preventDefault only affects cancelable events', () => {
  const plain = new Event('x');
  plain.preventDefault();
  assert.equal(plain.defaultPrevented, false);
  assert.equal(plain.returnValue, true);
  const cancelable = new Event('x', { cancelable: true });
  cancelable.preventDefault();
  assert.equal(cancelable.defaultPrevented, true);
  assert.equal(cancelable.returnValue, false);
});

test('returnValue = false cancels; returnValue = true does not undo it', () => {
  const e = new Event('x', { cancelable: true });
  e.returnValue = true;
  assert.equal(e.defaultPrevented, false);
  e.returnValue = false;
  assert.equal(e.defaultPrevented, true);
  e.returnValue = true;
  assert.equal(e.defaultPrevented, true);
  const n = new Event('x');
  n.returnValue = false;
  assert.equal(n.defaultPrevented, false, 'not cancelable');
});

test('cancelBubble = true is stopPropagation; false does not clear it', () => {
  const e = new Event('x');
  e.cancelBubble = true;
  assert.equal(e.cancelBubble, true);
  e.cancelBubble = false;
  assert.equal(e.cancelBubble, true);
  const f = new Event('x');
  f.stopPropagation();
  assert.equal(f.cancelBubble, true);
  const g = new Event('x');
  g.stopImmediatePropagation();
  assert.equal(g.cancelBubble, true);
});

test('CustomEvent: detail defaults to null and keeps what is given', () => {
  const e = new CustomEvent('c');
  assert.ok(e instanceof Event);
  assert.equal(e.detail, null);
  const detail = { n: 1 };
  const f = new CustomEvent('c', { detail, cancelable: true });
  assert.equal(f.detail, detail);
  assert.equal(f.cancelable, true);
  assert.equal(new CustomEvent('c', { detail: 0 }).detail, 0);
  assert.throws(() => new CustomEvent(), TypeError);
});

test('ErrorEvent attributes and defaults', () => {
  const error = new Error('e');
  const e = new ErrorEvent('error', { message: 'msg', filename: 'f.js', lineno: 3, colno: 4, error });
  assert.ok(e instanceof Event);
  assert.equal(e.message, 'msg');
  assert.equal(e.filename, 'f.js');
  assert.equal(e.lineno, 3);
  assert.equal(e.colno, 4);
  assert.equal(e.error, error);
  const d = new ErrorEvent('error');
  assert.equal(d.message, '');
  assert.equal(d.filename, '');
  assert.equal(d.lineno, 0);
  assert.equal(d.colno, 0);
  assert.equal(d.error, undefined);
});

test('PromiseRejectionEvent requires a promise', () => {
  assert.throws(() => new PromiseRejectionEvent('unhandledrejection'), TypeError);
  assert.throws(() => new PromiseRejectionEvent('unhandledrejection', {}), TypeError);
  const promise = Promise.resolve();
  const e = new PromiseRejectionEvent('unhandledrejection', { promise, reason: 'r' });
  assert.equal(e.promise, promise);
  assert.equal(e.reason, 'r');
});

test('interfaces carry their @@toStringTag', () => {
  assert.equal(Object.prototype.toString.call(new Event('x')), '[object Event]');
  assert.equal(Object.prototype.toString.call(new CustomEvent('x')), '[object CustomEvent]');
  assert.equal(Object.prototype.toString.call(new EventTarget()), '[object EventTarget]');
  assert.equal(Object.prototype.toString.call(new AbortController()), '[object AbortController]');
  assert.equal(Object.prototype.toString.call(new AbortController().signal), '[object AbortSignal]');
});

// ---- EventTarget ----

test('EventTarget is constructible and subclassable', () => {
  const t = new EventTarget();
  assert.equal(typeof t.addEventListener, 'function');
  class Emitter extends EventTarget {
    ping() { return this.dispatchEvent(new Event('ping')); }
  }
  const em = new Emitter();
  let got = 0;
  em.addEventListener('ping', () => { got++; });
  assert.equal(em.ping(), true);
  assert.equal(got, 1);
  assert.ok(em instanceof EventTarget);
});

test('dispatch: target, currentTarget, this, eventPhase during and after', () => {
  const t = new EventTarget();
  const e = new Event('x');
  let seen;
  t.addEventListener('x', function (event) {
    seen = {
      event, self: this, target: event.target, currentTarget: event.currentTarget,
      srcElement: event.srcElement, phase: event.eventPhase, path: event.composedPath(),
      trusted: event.isTrusted,
    };
  });
  assert.equal(t.dispatchEvent(e), true);
  assert.equal(seen.event, e);
  assert.equal(seen.self, t);
  assert.equal(seen.target, t);
  assert.equal(seen.currentTarget, t);
  assert.equal(seen.srcElement, t);
  assert.equal(seen.phase, Event.AT_TARGET);
  assert.equal(seen.path.length, 1);
  assert.equal(seen.path[0], t);
  assert.equal(seen.trusted, false, 'isTrusted is false for dispatchEvent');
  // After dispatch: phase NONE, no currentTarget, target kept.
  assert.equal(e.eventPhase, Event.NONE);
  assert.equal(e.currentTarget, null);
  assert.equal(e.target, t);
  assert.deepEqual(e.composedPath(), []);
});

test('a listener for another type is not called', () => {
  const t = new EventTarget();
  let called = false;
  t.addEventListener('a', () => { called = true; });
  t.dispatchEvent(new Event('b'));
  t.dispatchEvent(new Event('A'));
  assert.equal(called, false);
});

test('dispatchEvent returns false only when a cancelable event is canceled', () => {
  const t = new EventTarget();
  t.addEventListener('cancel', (e) => e.preventDefault());
  assert.equal(t.dispatchEvent(new Event('cancel', { cancelable: true })), false);
  assert.equal(t.dispatchEvent(new Event('cancel')), true, 'not cancelable');
  assert.equal(t.dispatchEvent(new Event('other', { cancelable: true })), true, 'no listener');
  const e = new Event('cancel', { cancelable: true });
  t.dispatchEvent(e);
  assert.equal(e.defaultPrevented, true);
});

test('a canceled event stays canceled when dispatched again', () => {
  const t = new EventTarget();
  const e = new Event('x', { cancelable: true });
  e.preventDefault();
  let calls = 0;
  t.addEventListener('x', () => { calls++; });
  assert.equal(t.dispatchEvent(e), false);
  assert.equal(t.dispatchEvent(e), false);
  assert.equal(calls, 2, 'an event can be dispatched again after its dispatch');
});

test('dispatchEvent requires an Event', () => {
  const t = new EventTarget();
  assert.throws(() => t.dispatchEvent({ type: 'x' }), TypeError);
  assert.throws(() => t.dispatchEvent('x'), TypeError);
  assert.throws(() => t.dispatchEvent(), TypeError);
});

test('addEventListener argument checks', () => {
  const t = new EventTarget();
  assert.throws(() => t.addEventListener('x'), TypeError, 'one argument');
  assert.throws(() => t.addEventListener(), TypeError, 'no argument');
  assert.throws(() => t.addEventListener('x', 'not a function'), TypeError);
  assert.throws(() => t.addEventListener('x', 42), TypeError);
  t.addEventListener('x', null); // ignored
  t.addEventListener('x', undefined); // ignored
  assert.equal(t.dispatchEvent(new Event('x')), true);
  assert.throws(() => t.removeEventListener('x'), TypeError);
  t.removeEventListener('x', () => {}); // unknown listener: no-op
  t.removeEventListener('never', null);
});

test('removeEventListener removes; the capture flag must match', () => {
  const t = new EventTarget();
  let calls = 0;
  const fn = () => { calls++; };
  t.addEventListener('x', fn);
  t.removeEventListener('x', fn, true); // different capture: no effect
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
  t.removeEventListener('x', fn, { capture: false });
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
  t.addEventListener('x', fn, { capture: true });
  t.removeEventListener('x', fn, true);
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
});

test('a duplicate listener (same callback and capture) is ignored', () => {
  const t = new EventTarget();
  let calls = 0;
  const fn = () => { calls++; };
  t.addEventListener('x', fn);
  t.addEventListener('x', fn);
  t.addEventListener('x', fn, { once: true, passive: true }); // still the same (callback, capture)
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 2, 'the first registration (not once) is the one kept');
  t.addEventListener('x', fn, true); // different capture: a second registration
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 4);
});

test('listeners run in registration order; capture listeners first at the target', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', () => order.push('a'));
  t.addEventListener('x', () => order.push('cap1'), true);
  t.addEventListener('x', () => order.push('b'));
  t.addEventListener('x', () => order.push('cap2'), { capture: true });
  t.addEventListener('x', { handleEvent: () => order.push('c') });
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['cap1', 'cap2', 'a', 'b', 'c']);
});

test('once: the listener runs one time and is removed', () => {
  const t = new EventTarget();
  let calls = 0;
  const fn = () => { calls++; };
  t.addEventListener('x', fn, { once: true });
  t.dispatchEvent(new Event('x'));
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
  // Once removed, it can be added again.
  t.addEventListener('x', fn, { once: true });
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 2);
});

test('once: removed before it runs, so a nested dispatch does not call it again', () => {
  const t = new EventTarget();
  let calls = 0;
  t.addEventListener('x', () => {
    calls++;
    t.dispatchEvent(new Event('x'));
  }, { once: true });
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
});

test('passive: preventDefault is ignored in a passive listener only', () => {
  const t = new EventTarget();
  const seen = [];
  t.addEventListener('x', (e) => { e.preventDefault(); seen.push(e.defaultPrevented); }, { passive: true });
  const e = new Event('x', { cancelable: true });
  assert.equal(t.dispatchEvent(e), true);
  assert.deepEqual(seen, [false]);
  assert.equal(e.defaultPrevented, false);
  t.addEventListener('x', (ev) => { ev.returnValue = false; });
  const f = new Event('x', { cancelable: true });
  assert.equal(t.dispatchEvent(f), false, 'a later non-passive listener can cancel');
  assert.equal(f.defaultPrevented, true);
});

test('passive: returnValue = false is ignored too', () => {
  const t = new EventTarget();
  t.addEventListener('x', (e) => { e.returnValue = false; }, { passive: true });
  assert.equal(t.dispatchEvent(new Event('x', { cancelable: true })), true);
});

test('signal: aborting removes the listener', () => {
  const t = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  t.addEventListener('x', () => { calls++; }, { signal: controller.signal });
  t.dispatchEvent(new Event('x'));
  controller.abort();
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 1);
});

test('signal: an already aborted signal adds nothing', () => {
  const t = new EventTarget();
  let calls = 0;
  t.addEventListener('x', () => { calls++; }, { signal: AbortSignal.abort() });
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 0);
});

test('signal: one signal removes several listeners, on several targets', () => {
  const a = new EventTarget(), b = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  const opts = { signal: controller.signal };
  a.addEventListener('x', () => { calls++; }, opts);
  a.addEventListener('y', () => { calls++; }, opts);
  b.addEventListener('x', () => { calls++; }, opts);
  controller.abort();
  a.dispatchEvent(new Event('x'));
  a.dispatchEvent(new Event('y'));
  b.dispatchEvent(new Event('x'));
  assert.equal(calls, 0);
});

test('signal: the listener is gone before the signal\'s own "abort" listeners run', () => {
  const t = new EventTarget();
  const controller = new AbortController();
  let calls = 0;
  // Registered first, and stops the others: the removal must not depend on it.
  controller.signal.addEventListener('abort', (e) => {
    e.stopImmediatePropagation();
    t.dispatchEvent(new Event('x'));
  });
  t.addEventListener('x', () => { calls++; }, { signal: controller.signal });
  controller.abort();
  t.dispatchEvent(new Event('x'));
  assert.equal(calls, 0);
});

test('signal must be an AbortSignal', () => {
  const t = new EventTarget();
  assert.throws(() => t.addEventListener('x', () => {}, { signal: {} }), TypeError);
  assert.throws(() => t.addEventListener('x', () => {}, { signal: null }), TypeError);
  assert.throws(() => t.addEventListener('x', () => {}, { signal: new AbortController() }), TypeError);
});

test('handleEvent objects: called with the object as this; looked up at each dispatch', () => {
  const t = new EventTarget();
  const calls = [];
  const listener = {
    handleEvent(e) { calls.push(['first', this, e.type]); },
  };
  t.addEventListener('x', listener);
  t.dispatchEvent(new Event('x'));
  listener.handleEvent = function (e) { calls.push(['second', this, e.currentTarget]); };
  t.dispatchEvent(new Event('x'));
  assert.equal(calls.length, 2);
  assert.equal(calls[0][0], 'first');
  assert.equal(calls[0][1], listener);
  assert.equal(calls[1][0], 'second');
  assert.equal(calls[1][1], listener);
  assert.equal(calls[1][2], t);
  t.removeEventListener('x', listener);
  t.dispatchEvent(new Event('x'));
  assert.equal(calls.length, 2);
});

test('a function listener\'s handleEvent property is not used', () => {
  const t = new EventTarget();
  const calls = [];
  const fn = () => calls.push('fn');
  fn.handleEvent = () => calls.push('handleEvent');
  t.addEventListener('x', fn);
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(calls, ['fn']);
});

test('an object without a callable handleEvent reports a TypeError; others still run', () => {
  const capture = captureErrors();
  const t = new EventTarget();
  let after = false;
  try {
    t.addEventListener('x', {});
    t.addEventListener('x', { handleEvent: 'nope' });
    t.addEventListener('x', () => { after = true; });
    assert.equal(t.dispatchEvent(new Event('x')), true);
  } finally {
    capture.stop();
  }
  assert.equal(after, true);
  assert.equal(capture.errors.length, 2);
  for (const e of capture.errors) assert.ok(e.error instanceof TypeError, 'TypeError');
});

test('removing a later listener during dispatch stops it from running', () => {
  const t = new EventTarget();
  const order = [];
  const later = () => order.push('later');
  t.addEventListener('x', () => { order.push('first'); t.removeEventListener('x', later); });
  t.addEventListener('x', later);
  t.addEventListener('x', () => order.push('last'));
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['first', 'last']);
});

test('removing and re-adding a later listener during dispatch: not run in that dispatch', () => {
  const t = new EventTarget();
  const order = [];
  const later = () => order.push('later');
  t.addEventListener('x', () => {
    order.push('first');
    t.removeEventListener('x', later);
    t.addEventListener('x', later);
  });
  t.addEventListener('x', later);
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['first']);
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['first', 'first'], 'the re-added one was removed again and re-added last');
});

test('a listener added during dispatch does not run in that dispatch', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', () => {
    order.push('a');
    t.addEventListener('x', () => order.push('added'));
  }, { once: true });
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['a']);
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['a', 'added']);
});

test('a non-capture listener added by a capture listener runs in the same dispatch', () => {
  // DOM: each pass clones the listener list when it starts.
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', () => {
    order.push('capture');
    t.addEventListener('x', () => order.push('added'));
  }, { capture: true, once: true });
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['capture', 'added']);
});

test('stopImmediatePropagation stops the remaining listeners', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', () => order.push('a'));
  t.addEventListener('x', (e) => { order.push('b'); e.stopImmediatePropagation(); });
  t.addEventListener('x', () => order.push('c'));
  const e = new Event('x');
  t.dispatchEvent(e);
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(e.cancelBubble, false, 'the flags are cleared after dispatch');
  t.dispatchEvent(e);
  assert.deepEqual(order, ['a', 'b', 'a', 'b'], 'the next dispatch starts afresh');
});

test('stopPropagation does not stop the other listeners of the same phase at the target', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', (e) => { order.push('a'); e.stopPropagation(); });
  t.addEventListener('x', () => order.push('b'));
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['a', 'b']);
});

test('stopPropagation in a capture listener skips the non-capture listeners', () => {
  const t = new EventTarget();
  const order = [];
  t.addEventListener('x', () => order.push('bubble'));
  t.addEventListener('x', (e) => { order.push('cap1'); e.stopPropagation(); }, true);
  t.addEventListener('x', () => order.push('cap2'), true);
  t.dispatchEvent(new Event('x'));
  assert.deepEqual(order, ['cap1', 'cap2']);
});

test('stopPropagation before dispatch: no listener runs', () => {
  const t = new EventTarget();
  let calls = 0;
  t.addEventListener('x', () => { calls++; });
  t.addEventListener('x', () => { calls++; }, true);
  const e = new Event('x', { cancelable: true });
  e.stopPropagation();
  assert.equal(t.dispatchEvent(e), true);
  assert.equal(calls, 0);
  assert.equal(e.cancelBubble, false, 'cleared by the dispatch');
  t.dispatchEvent(e);
  assert.equal(calls, 2, 'a second dispatch runs them');
  const f = new Event('x');
  f.cancelBubble = true;
  t.dispatchEvent(f);
  assert.equal(calls, 2, 'cancelBubble = true works as well');
});

test('dispatching an event that is being dispatched throws InvalidStateError', () => {
  const t = new EventTarget();
  const other = new EventTarget();
  const e = new Event('x');
  let error;
  let inner = 0;
  other.addEventListener('x', () => { inner++; });
  t.addEventListener('x', () => {
    try { other.dispatchEvent(e); } catch (err) { error = err; }
  });
  assert.equal(t.dispatchEvent(e), true);
  assert.ok(error instanceof DOMException, 'a DOMException');
  assert.equal(error.name, 'InvalidStateError');
  assert.equal(error.code, DOMException.INVALID_STATE_ERR);
  assert.equal(inner, 0);
  // The failed nested dispatch leaves the outer one's state alone, and it can go again.
  assert.equal(e.eventPhase, Event.NONE);
  assert.equal(other.dispatchEvent(e), true);
  assert.equal(inner, 1);
  assert.equal(e.target, other);
});

test('an exception in a listener is reported; the other listeners still run', () => {
  const capture = captureErrors();
  const t = new EventTarget();
  const order = [];
  const boom = new Error('listener boom');
  let result;
  try {
    t.addEventListener('x', () => { order.push('a'); throw boom; });
    t.addEventListener('x', () => order.push('b'));
    result = t.dispatchEvent(new Event('x'));
  } finally {
    capture.stop();
  }
  assert.equal(result, true, 'dispatchEvent returns normally');
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(capture.errors.length, 1);
  const report = capture.errors[0];
  assert.ok(report instanceof ErrorEvent);
  assert.equal(report.error, boom);
  assert.equal(report.message, 'listener boom');
  assert.equal(report.isTrusted, true);
  assert.equal(report.cancelable, true);
});

// ---- The global object ----

test('the global object has addEventListener, removeEventListener, dispatchEvent', () => {
  for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent', 'reportError']) {
    assert.equal(typeof globalThis[name], 'function', name);
  }
  assert.equal(globalThis.onerror, null);
  assert.equal(globalThis.onunhandledrejection, null);
});

test('a global dispatch targets the global object', () => {
  let seen;
  const listener = function (e) { seen = { self: this, target: e.target, current: e.currentTarget }; };
  globalThis.addEventListener('custom-global', listener);
  try {
    assert.equal(globalThis.dispatchEvent(new CustomEvent('custom-global', { detail: 1 })), true);
  } finally {
    globalThis.removeEventListener('custom-global', listener);
  }
  assert.equal(seen.self, globalThis);
  assert.equal(seen.target, globalThis);
  assert.equal(seen.current, globalThis);
  seen = undefined;
  globalThis.dispatchEvent(new Event('custom-global'));
  assert.equal(seen, undefined, 'removed from the global object');
});

test('reportError dispatches a cancelable "error" ErrorEvent at the global object', () => {
  const capture = captureErrors();
  const error = new RangeError('reported');
  let target;
  const l = (e) => { target = e.currentTarget; };
  globalThis.addEventListener('error', l);
  try {
    assert.equal(reportError(error), undefined);
  } finally {
    capture.stop();
    globalThis.removeEventListener('error', l);
  }
  assert.equal(capture.errors.length, 1);
  const e = capture.errors[0];
  assert.ok(e instanceof ErrorEvent);
  assert.equal(e.type, 'error');
  assert.equal(e.error, error);
  assert.equal(e.message, 'reported');
  assert.equal(e.cancelable, true);
  assert.equal(e.isTrusted, true);
  assert.equal(target, globalThis);
});

test('reportError accepts any value and needs one argument', () => {
  const capture = captureErrors();
  try {
    reportError('text');
    reportError(undefined);
    reportError(null);
  } finally {
    capture.stop();
  }
  assert.deepEqual(capture.errors.map((e) => e.error), ['text', undefined, null]);
  assert.equal(capture.errors[0].message, 'text');
  assert.throws(() => reportError(), TypeError);
});

test('onerror is called with (message, filename, lineno, colno, error); true cancels', () => {
  const calls = [];
  let canceled;
  const observer = (e) => { canceled = e.defaultPrevented; };
  globalThis.onerror = function (...args) { calls.push({ self: this, args }); return true; };
  globalThis.addEventListener('error', observer); // after the handler: sees the cancel
  const error = new Error('handled by onerror');
  try {
    reportError(error);
  } finally {
    globalThis.onerror = null;
    globalThis.removeEventListener('error', observer);
  }
  assert.equal(calls.length, 1);
  assert.equal(calls[0].self, globalThis);
  const [message, filename, lineno, colno, err] = calls[0].args;
  assert.equal(calls[0].args.length, 5);
  assert.equal(message, 'handled by onerror');
  assert.equal(typeof filename, 'string');
  assert.equal(typeof lineno, 'number');
  assert.equal(typeof colno, 'number');
  assert.equal(err, error);
  assert.equal(canceled, true);
  assert.equal(globalThis.onerror, null);
});

test('setting onerror to null removes the handler', () => {
  const capture = captureErrors();
  let calls = 0;
  globalThis.onerror = () => { calls++; };
  try {
    reportError(new Error('x'));
    assert.equal(calls, 1);
    globalThis.onerror = null;
    assert.equal(globalThis.onerror, null);
    reportError(new Error('y'));
  } finally {
    capture.stop();
    globalThis.onerror = null;
  }
  assert.equal(calls, 1, 'not called after being set to null');
  assert.equal(capture.errors.length, 2, 'the listeners still saw both');
});

test('a non-callable onerror object is kept but not called', () => {
  const capture = captureErrors();
  const obj = { handleEvent() { throw new Error('must not be called'); } };
  try {
    globalThis.onerror = obj;
    assert.equal(globalThis.onerror, obj);
    reportError(new Error('z'));
    globalThis.onerror = 5; // not an object: null
    assert.equal(globalThis.onerror, null);
  } finally {
    capture.stop();
    globalThis.onerror = null;
  }
  assert.equal(capture.errors.length, 1);
  assert.equal(capture.errors[0].error.message, 'z');
});

test('onerror returning false does not cancel the event', () => {
  let canceled;
  globalThis.onerror = () => false;
  const observe = (e) => { canceled = e.defaultPrevented; e.preventDefault(); };
  globalThis.addEventListener('error', observe);
  try {
    reportError(new Error('not canceled by false'));
  } finally {
    globalThis.onerror = null;
    globalThis.removeEventListener('error', observe);
  }
  assert.equal(canceled, false);
});

test('an unhandled rejection fires "unhandledrejection" with promise and reason', async () => {
  const done = deferred();
  const listener = (e) => { e.preventDefault(); done.resolve(e); };
  globalThis.addEventListener('unhandledrejection', listener);
  const reason = new Error('nobody catches this');
  let promise;
  try {
    promise = Promise.reject(reason);
    const e = await done.promise;
    assert.ok(e instanceof PromiseRejectionEvent, 'a PromiseRejectionEvent');
    assert.equal(e.type, 'unhandledrejection');
    assert.equal(e.promise, promise);
    assert.equal(e.reason, reason);
    assert.equal(e.cancelable, true);
    assert.equal(e.isTrusted, true);
    assert.equal(e.target, globalThis);
  } finally {
    globalThis.removeEventListener('unhandledrejection', listener);
  }
});

test('only a rejection still unhandled at the end of its task fires "unhandledrejection"', async () => {
  let fired = 0;
  const listener = (e) => { fired++; e.preventDefault(); };
  globalThis.addEventListener('unhandledrejection', listener);
  try {
    const p = Promise.reject(new Error('handled'));
    await nextTask();
    p.catch(() => {}); // handled late: the earlier event counted it already
    const q = Promise.reject(new Error('handled at once'));
    q.catch(() => {});
    await nextTask();
    await nextTask();
  } finally {
    globalThis.removeEventListener('unhandledrejection', listener);
  }
  assert.equal(fired, 1, 'only the promise left unhandled through a task');
});

test('onunhandledrejection receives the event; returning false cancels it', async () => {
  const done = deferred();
  let canceled;
  const observe = (e) => { canceled = e.defaultPrevented; e.preventDefault(); done.resolve(); };
  globalThis.onunhandledrejection = function (e) {
    this.__sawUnhandled = e.reason;
    return false;
  };
  globalThis.addEventListener('unhandledrejection', observe);
  try {
    Promise.reject('plain reason');
    await done.promise;
  } finally {
    globalThis.onunhandledrejection = null;
    globalThis.removeEventListener('unhandledrejection', observe);
  }
  assert.equal(globalThis.__sawUnhandled, 'plain reason');
  assert.equal(canceled, true);
  delete globalThis.__sawUnhandled;
});

test('an error thrown by an async function left unawaited is an unhandled rejection', async () => {
  const done = deferred();
  const listener = (e) => { e.preventDefault(); done.resolve(e.reason); };
  globalThis.addEventListener('unhandledrejection', listener);
  try {
    (async () => { throw new SyntaxError('async boom'); })();
    const reason = await done.promise;
    assert.ok(reason instanceof SyntaxError);
    assert.equal(reason.message, 'async boom');
  } finally {
    globalThis.removeEventListener('unhandledrejection', listener);
  }
});

// ---- AbortController and AbortSignal ----

test('AbortSignal cannot be constructed; a controller owns one signal', () => {
  assert.throws(() => new AbortSignal(), TypeError);
  const c = new AbortController();
  assert.ok(c.signal instanceof AbortSignal);
  assert.ok(c.signal instanceof EventTarget);
  assert.equal(c.signal, c.signal, 'same object each time');
  assert.equal(c.signal.aborted, false);
  assert.equal(c.signal.reason, undefined);
  assert.equal(c.signal.onabort, null);
});

test('abort(): aborted, default reason is an AbortError DOMException, one abort event', () => {
  const c = new AbortController();
  const events = [];
  c.signal.addEventListener('abort', function (e) {
    events.push({ e, self: this, aborted: c.signal.aborted, reason: c.signal.reason });
  });
  c.abort();
  assert.equal(c.signal.aborted, true);
  const reason = c.signal.reason;
  assert.ok(reason instanceof DOMException, 'a DOMException');
  assert.equal(reason.name, 'AbortError');
  assert.equal(reason.code, 20);
  assert.equal(events.length, 1);
  const { e, self } = events[0];
  assert.equal(e.type, 'abort');
  assert.equal(e.isTrusted, true);
  assert.equal(e.bubbles, false);
  assert.equal(e.cancelable, false);
  assert.equal(e.target, c.signal);
  assert.equal(self, c.signal);
  assert.equal(events[0].aborted, true, 'aborted before the event');
  assert.equal(events[0].reason, reason, 'reason set before the event');
  c.abort('again');
  assert.equal(events.length, 1, 'a second abort fires nothing');
  assert.equal(c.signal.reason, reason, 'and keeps the first reason');
});

test('abort(reason) keeps the reason as given', () => {
  for (const reason of ['why', 0, null, false, { code: 1 }, new TypeError('t')]) {
    const c = new AbortController();
    c.abort(reason);
    assert.equal(c.signal.aborted, true);
    assert.equal(c.signal.reason, reason);
  }
  const c = new AbortController();
  c.abort(undefined);
  assert.equal(c.signal.reason.name, 'AbortError', 'undefined means the default');
});

test('throwIfAborted throws the reason, only once aborted', () => {
  const c = new AbortController();
  c.signal.throwIfAborted();
  const reason = { custom: true };
  c.abort(reason);
  let thrown;
  try { c.signal.throwIfAborted(); } catch (e) { thrown = e; }
  assert.equal(thrown, reason);
  const d = new AbortController();
  d.abort();
  assert.throws(() => d.signal.throwIfAborted(), { name: 'AbortError' });
});

test('onabort is called with the event and the signal as this; null removes it', () => {
  const c = new AbortController();
  const calls = [];
  const handler = function (e) { calls.push([this, e.type]); };
  c.signal.onabort = handler;
  assert.equal(c.signal.onabort, handler);
  c.abort();
  assert.equal(calls.length, 1);
  assert.equal(calls[0][0], c.signal);
  assert.equal(calls[0][1], 'abort');
  const d = new AbortController();
  d.signal.onabort = handler;
  d.signal.onabort = null;
  assert.equal(d.signal.onabort, null);
  d.abort();
  assert.equal(calls.length, 1);
});

test('onabort keeps its place among listeners when replaced', () => {
  const c = new AbortController();
  const order = [];
  c.signal.addEventListener('abort', () => order.push('first'));
  c.signal.onabort = () => order.push('old handler');
  c.signal.addEventListener('abort', () => order.push('last'));
  c.signal.onabort = () => order.push('new handler');
  c.abort();
  assert.deepEqual(order, ['first', 'new handler', 'last']);
});

test('AbortSignal.abort(): already aborted, with the default or given reason', () => {
  const s = AbortSignal.abort();
  assert.ok(s instanceof AbortSignal);
  assert.equal(s.aborted, true);
  assert.ok(s.reason instanceof DOMException);
  assert.equal(s.reason.name, 'AbortError');
  const reason = new Error('mine');
  assert.equal(AbortSignal.abort(reason).reason, reason);
  assert.notEqual(AbortSignal.abort(), AbortSignal.abort(), 'a new signal each time');
});

test('AbortSignal.any: aborted at once when a source already is (first in order)', () => {
  const a = new AbortController();
  const b = new AbortController();
  b.abort('b');
  const already = AbortSignal.abort('x');
  const s = AbortSignal.any([a.signal, b.signal, already]);
  assert.equal(s.aborted, true);
  assert.equal(s.reason, 'b');
  assert.equal(AbortSignal.any([]).aborted, false);
});

test('AbortSignal.any: follows its sources, once', () => {
  const a = new AbortController();
  const b = new AbortController();
  const s = AbortSignal.any([a.signal, b.signal]);
  let events = 0;
  s.addEventListener('abort', (e) => { events++; assert.equal(e.target, s); });
  assert.equal(s.aborted, false);
  b.abort('from b');
  assert.equal(s.aborted, true);
  assert.equal(s.reason, 'from b');
  a.abort('from a');
  assert.equal(s.reason, 'from b');
  assert.equal(events, 1);
});

test('AbortSignal.any: the result is aborted before the source\'s abort listeners run', () => {
  const a = new AbortController();
  let seen;
  // Registered before any() and stopping the rest: the dependent must not rely on a listener.
  a.signal.addEventListener('abort', (e) => {
    e.stopImmediatePropagation();
    seen = { aborted: s.aborted, reason: s.reason };
  });
  const s = AbortSignal.any([a.signal]);
  const order = [];
  a.signal.addEventListener('abort', () => order.push('source'));
  s.addEventListener('abort', () => order.push('dependent'));
  a.abort('r');
  assert.deepEqual(seen, { aborted: true, reason: 'r' });
  assert.equal(s.aborted, true);
  assert.deepEqual(order, ['dependent']);
});

test('AbortSignal.any: the source fires before the dependent', () => {
  const a = new AbortController();
  const s = AbortSignal.any([a.signal]);
  const order = [];
  s.addEventListener('abort', () => order.push('dependent'));
  a.signal.addEventListener('abort', () => order.push('source'));
  a.abort();
  assert.deepEqual(order, ['source', 'dependent']);
  assert.equal(s.reason, a.signal.reason, 'the same default reason object');
});

test('AbortSignal.any of a dependent signal follows the original sources', () => {
  const a = new AbortController();
  const inner = AbortSignal.any([a.signal]);
  const outer = AbortSignal.any([inner]);
  a.abort('deep');
  assert.equal(inner.aborted, true);
  assert.equal(outer.aborted, true);
  assert.equal(outer.reason, 'deep');
});

test('AbortSignal.any accepts any iterable and rejects non-signals', () => {
  const a = new AbortController();
  const s = AbortSignal.any(new Set([a.signal]));
  a.abort(1);
  assert.equal(s.reason, 1);
  assert.throws(() => AbortSignal.any([{}]), TypeError);
  assert.throws(() => AbortSignal.any([new AbortController()]), TypeError);
  assert.throws(() => AbortSignal.any([Object.create(AbortSignal.prototype)]), TypeError);
  assert.throws(() => AbortSignal.any(5), TypeError);
});

test('AbortSignal.timeout aborts with a TimeoutError DOMException', async () => {
  const s = AbortSignal.timeout(0);
  assert.equal(s.aborted, false, 'not synchronously');
  const event = await new Promise((resolve) => s.addEventListener('abort', resolve));
  assert.equal(event.isTrusted, true);
  assert.equal(s.aborted, true);
  assert.ok(s.reason instanceof DOMException);
  assert.equal(s.reason.name, 'TimeoutError');
  assert.equal(s.reason.code, 23);
  assert.throws(() => s.throwIfAborted(), { name: 'TimeoutError' });
});

test('AbortSignal.timeout rejects a negative or non-finite delay', () => {
  assert.throws(() => AbortSignal.timeout(-1), TypeError);
  assert.throws(() => AbortSignal.timeout(NaN), TypeError);
  assert.throws(() => AbortSignal.timeout(Infinity), TypeError);
});

test('AbortSignal.any with a timeout signal', async () => {
  const c = new AbortController();
  const s = AbortSignal.any([c.signal, AbortSignal.timeout(1)]);
  await new Promise((resolve) => { s.onabort = resolve; });
  assert.equal(s.reason.name, 'TimeoutError');
  assert.equal(c.signal.aborted, false);
});

test('the timeout of AbortSignal.timeout cannot be cleared by guessing timer IDs', async () => {
  const s = AbortSignal.timeout(0);
  const probe = setTimeout(() => {}, 0);
  for (let id = Math.max(1, probe - 50); id <= probe + 50; id++) clearTimeout(id);
  await new Promise((resolve) => s.addEventListener('abort', resolve));
  assert.equal(s.aborted, true);
});

await run();
