// AbortController and AbortSignal (DOM Standard).

let signalAccess;

const abortError = () => new DOMException('signal is aborted without reason', 'AbortError');

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #algorithms = [];          // abort algorithms (the base library's), run before "abort" fires
  #dependent = false;        // made by AbortSignal.any
  #sources = new Set();      // for a dependent signal: the signals it follows
  #dependents = new Set();   // for a source signal: the dependent signals following it

  constructor(key) {
    if (key !== signalAccess) throw new TypeError('Illegal constructor');
    super();
  }

  get aborted() { return this.#aborted; }
  get reason() { return this.#reason; }
  throwIfAborted() { if (this.#aborted) throw this.#reason; }

  static abort(reason = undefined) {
    const signal = new AbortSignal(signalAccess);
    signal.#aborted = true;
    signal.#reason = reason === undefined ? abortError() : reason;
    return signal;
  }

  static timeout(milliseconds) {
    const ms = Number(milliseconds);
    if (!Number.isFinite(ms) || ms < 0) {
      throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.");
    }
    const signal = new AbortSignal(signalAccess);
    internal.setTimer(() => signal.#abort(new DOMException('signal timed out', 'TimeoutError')), ms);
    return signal;
  }

  // DOM "create a dependent abort signal": aborted at once if a source is, else follows the
  // sources (those of a dependent source, not the dependent signal itself).
  static any(signals) {
    // IDL sequence<AbortSignal>: an iterable object.
    if (!internal.isObject(signals) || typeof signals[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to execute 'any' on 'AbortSignal': The provided value cannot be converted to a sequence.");
    }
    const list = [...signals];
    for (const s of list) {
      if (!(internal.isObject(s) && #aborted in s)) {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': member is not of type 'AbortSignal'.");
      }
    }
    const result = new AbortSignal(signalAccess);
    for (const s of list) {
      if (s.#aborted) {
        result.#aborted = true;
        result.#reason = s.#reason;
        return result;
      }
    }
    result.#dependent = true;
    for (const s of list) {
      for (const source of s.#dependent ? s.#sources : [s]) {
        result.#sources.add(source);
        source.#dependents.add(result);
      }
    }
    return result;
  }

  // DOM "signal abort": the dependents are marked aborted (with the same reason) before any
  // abort steps run; then this signal's abort steps, then each dependent's.
  #abort(reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? abortError() : reason;
    const dependents = [];
    for (const d of this.#dependents) {
      if (d.#aborted) continue;
      d.#aborted = true;
      d.#reason = this.#reason;
      dependents.push(d);
    }
    this.#dependents.clear();
    this.#runAbortSteps();
    for (const d of dependents) d.#runAbortSteps();
  }

  #runAbortSteps() {
    const algorithms = this.#algorithms;
    this.#algorithms = [];
    for (const algorithm of algorithms) internal.callReporting(algorithm, undefined);
    for (const source of this.#sources) source.#dependents.delete(this);
    this.#sources.clear();
    internal.fire(this, new Event('abort'));
  }

  static {
    signalAccess = { create: () => new AbortSignal(signalAccess), abort: (s, r) => s.#abort(r) };
    // For the base library (EventTarget's `signal` option): run fn when signal aborts, before
    // its "abort" event.
    internal.addAbortAlgorithm = (signal, fn) => { if (!signal.#aborted) signal.#algorithms.push(fn); };
  }
}
internal.defineEventHandler(AbortSignal.prototype, 'abort');

class AbortController {
  #signal = signalAccess.create();
  get signal() { return this.#signal; }
  abort(reason = undefined) { signalAccess.abort(this.#signal, reason); }
}

for (const cls of [AbortSignal, AbortController]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: cls.name, configurable: true });
}
internal.defineGlobal('AbortSignal', AbortSignal);
internal.defineGlobal('AbortController', AbortController);
