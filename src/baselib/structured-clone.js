// structuredClone (HTML): the structured serialize/deserialize of the types a logic layer can
// hold, with cycles and shared references preserved and ArrayBuffer transfer.

const errorCtors = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

function cloneError(what) {
  return new DOMException(`Failed to execute 'structuredClone': ${what} could not be cloned.`, 'DataCloneError');
}

// A typed array's kind from its internal slot (undefined for anything else): a subclass
// instance clones as the base type, as in browsers.
const typedArrayName = Function.prototype.call.bind(
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag).get);
const typedArrays = { Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
                      Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array };
if (typeof Float16Array === 'function') typedArrays.Float16Array = Float16Array;
const detachedGetter = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get;

// Prototypes whose instances are not serializable: objects with internal slots the algorithm
// does not handle (promises, weak collections, generators, iterators, Intl, ...) and platform
// objects (events, event targets, encoders, crypto, ...). Files loaded later add theirs.
// Ordinary objects, whatever their Symbol.toStringTag, are cloned as plain objects.
const unserializable = internal.unserializablePrototypes = [];
for (const ctor of [Promise, WeakMap, WeakSet, Symbol, globalThis.WeakRef, globalThis.FinalizationRegistry,
                    EventTarget, Event, AbortController, TextEncoder, TextDecoder, Crypto]) {
  if (typeof ctor === 'function') unserializable.push(ctor.prototype);
}
if (typeof Intl === 'object') {
  for (const ctor of Object.values(Intl)) if (typeof ctor === 'function' && ctor.prototype) unserializable.push(ctor.prototype);
}
unserializable.push(
  Object.getPrototypeOf(function* () {}).prototype,       // %GeneratorPrototype%
  Object.getPrototypeOf(async function* () {}).prototype, // %AsyncGeneratorPrototype%
  Object.getPrototypeOf(new Map().entries()), Object.getPrototypeOf(new Set().values()),
  Object.getPrototypeOf([].values()), Object.getPrototypeOf(''[Symbol.iterator]()),
  Object.getPrototypeOf(/x/[Symbol.matchAll]('')));
const isPrototypeOf = Function.prototype.call.bind(Object.prototype.isPrototypeOf);

// CreateDataProperty: an own "__proto__" key must stay an own property, not set the prototype.
function define(target, key, v) {
  Object.defineProperty(target, key, { value: v, writable: true, enumerable: true, configurable: true });
}

function copyBuffer(buffer) {
  if (detachedGetter ? detachedGetter.call(buffer) : false) throw cloneError('A detached ArrayBuffer');
  // A plain ArrayBuffer whatever the original's class, resizable when the original was.
  const copy = buffer.resizable ? new ArrayBuffer(buffer.byteLength, { maxByteLength: buffer.maxByteLength })
                                : new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(new Uint8Array(buffer));
  return copy;
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
    return remember(copyBuffer(value));
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = clone(value.buffer, memory, transfers);
    const type = typedArrayName(value);
    if (type === undefined) return remember(new DataView(buffer, value.byteOffset, value.byteLength));
    return remember(new typedArrays[type](buffer, value.byteOffset, value.length));
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
    if (unserializable.some((proto) => isPrototypeOf(proto, value)) ||
        Object.prototype.toString.call(value) === '[object Arguments]') {
      let what;
      try { what = value.constructor?.name || Object.prototype.toString.call(value); } catch { what = 'An object'; }
      throw cloneError(what);
    }
    out = remember({});
  }
  for (const key of Object.keys(value)) {
    // A getter may have deleted a later property: the spec skips it.
    if (Object.hasOwn(value, key)) define(out, key, clone(value[key], memory, transfers));
  }
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
  const result = clone(value, new Map(), new Map([...transfers.keys()].map((t) => [t, copyBuffer(t)])));
  for (const t of transfers.keys()) t.transfer();
  return result;
};

internal.defineGlobal('structuredClone', function structuredClone(value, options = undefined) {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  return internal.structuredClone(value, options);
});
