// structuredClone (HTML): the structured serialize/deserialize of the types a logic layer can
// hold, with cycles and shared references preserved and ArrayBuffer transfer.

const errorCtors = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

function cloneError(what) {
  return new DOMException(`Failed to execute 'structuredClone': ${what} could not be cloned.`, 'DataCloneError');
}

function clone(value, memory, transfers) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    if (typeof value === 'symbol') throw cloneError(value.toString());
    return value;
  }
  if (memory.has(value)) return memory.get(value);
  if (typeof value === 'function') throw cloneError(Function.prototype.toString.call(value).slice(0, 60));

  let out;
  const remember = (v) => { memory.set(value, v); return v; };
  if (value instanceof ArrayBuffer) {
    if (transfers.has(value)) return remember(transfers.get(value));
    return remember(value.slice(0));
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = clone(value.buffer, memory, transfers);
    if (value instanceof DataView) return remember(new DataView(buffer, value.byteOffset, value.byteLength));
    return remember(new value.constructor(buffer, value.byteOffset, value.length));
  }
  if (value instanceof Date) return remember(new Date(value.getTime()));
  if (value instanceof RegExp) return remember(new RegExp(value.source, value.flags));
  if (value instanceof Boolean) return remember(new Boolean(value.valueOf()));
  if (value instanceof Number) return remember(new Number(value.valueOf()));
  if (value instanceof String) return remember(new String(value.valueOf()));
  if (typeof BigInt === 'function' && value instanceof BigInt) return remember(Object(value.valueOf()));
  if (value instanceof DOMException) return remember(new DOMException(value.message, value.name));
  if (value instanceof Error) {
    const name = Object.hasOwn(errorCtors, value.name) ? value.name : 'Error';
    out = remember(new errorCtors[name]());
    const message = Object.getOwnPropertyDescriptor(value, 'message');
    if (message && 'value' in message) out.message = String(message.value);
    else delete out.message;
    if (typeof value.stack === 'string') {
      Object.defineProperty(out, 'stack', { value: value.stack, writable: true, configurable: true });
    }
    if ('cause' in value) out.cause = clone(value.cause, memory, transfers);
    return out;
  }
  if (value instanceof Map) {
    out = remember(new Map());
    for (const [k, v] of value) out.set(clone(k, memory, transfers), clone(v, memory, transfers));
    return out;
  }
  if (value instanceof Set) {
    out = remember(new Set());
    for (const v of value) out.add(clone(v, memory, transfers));
    return out;
  }
  if (Array.isArray(value)) {
    out = remember(new Array(value.length));
  } else {
    const tag = Object.prototype.toString.call(value);
    const proto = Object.getPrototypeOf(value);
    // Platform objects (events, promises, weak collections, ...) are not serializable.
    if (tag !== '[object Object]' || value instanceof Promise || value instanceof WeakMap ||
        value instanceof WeakSet || (typeof EventTarget === 'function' && value instanceof EventTarget) ||
        (typeof Event === 'function' && value instanceof Event) ||
        (proto !== null && proto !== Object.prototype && Object.prototype.toString.call(proto) !== '[object Object]')) {
      throw cloneError(tag === '[object Object]' ? (value.constructor?.name || 'An object') : tag);
    }
    out = remember({});
  }
  for (const key of Object.keys(value)) out[key] = clone(value[key], memory, transfers);
  return out;
}

internal.structuredClone = function structuredClone(value, options = undefined) {
  const transfers = new Map();
  const list = options && options.transfer !== undefined ? Array.from(options.transfer) : [];
  for (const t of list) {
    if (!(t instanceof ArrayBuffer)) throw cloneError('A transfer list entry that is not an ArrayBuffer');
    if (transfers.has(t)) throw new DOMException("Failed to execute 'structuredClone': ArrayBuffer at index is a duplicate of an earlier ArrayBuffer.", 'DataCloneError');
    transfers.set(t, null);
  }
  // Transfer: the receiver gets the memory and the sender's buffer is detached.
  for (const t of transfers.keys()) {
    if (typeof t.transfer !== 'function') throw cloneError('ArrayBuffer transfer (unsupported by this engine)');
    if (t.detached) throw cloneError('A detached ArrayBuffer');
  }
  const result = clone(value, new Map(), new Map([...transfers.keys()].map((t) => [t, t.slice(0)])));
  for (const t of transfers.keys()) t.transfer();
  return result;
};

internal.defineGlobal('structuredClone', function structuredClone(value, options = undefined) {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  return internal.structuredClone(value, options);
});
