// AbortController and AbortSignal (DOM Standard).

let signalAccess;

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;

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
    signal.#reason = reason === undefined ? new DOMException('signal is aborted without reason', 'AbortError') : reason;
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

  static any(signals) {
    const result = new AbortSignal(signalAccess);
    const list = Array.from(signals);
    for (const s of list) {
      if (!(s instanceof AbortSignal)) throw new TypeError("Failed to execute 'any' on 'AbortSignal': member is not of type 'AbortSignal'.");
    }
    const aborted = list.find((s) => s.aborted);
    if (aborted) {
      result.#aborted = true;
      result.#reason = aborted.reason;
      return result;
    }
    for (const s of list) s.addEventListener('abort', () => result.#abort(s.reason), { once: true });
    return result;
  }

  #abort(reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? new DOMException('signal is aborted without reason', 'AbortError') : reason;
    internal.fire(this, new Event('abort'));
  }

  static {
    signalAccess = { create: () => new AbortSignal(signalAccess), abort: (s, r) => s.#abort(r) };
  }
}
internal.defineEventHandler(AbortSignal.prototype, 'abort');

class AbortController {
  #signal = signalAccess.create();
  get signal() { return this.#signal; }
  abort(reason = undefined) { signalAccess.abort(this.#signal, reason); }
}

internal.defineGlobal('AbortSignal', AbortSignal);
internal.defineGlobal('AbortController', AbortController);
