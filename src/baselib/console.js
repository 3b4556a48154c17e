// console, with Node-like formatting of values (util.inspect) and printf-style substitutions.
// log/info/debug/dir/table/group go to stdout; warn/error/trace/assert to stderr.

const MAX_DEPTH = 2;

// The prototypes of the platform's interfaces: those of the globals that exist now (before any
// user code) and of those the base library defines from here on.
const platformProtos = new WeakSet();
function notePlatform(value) {
  if (typeof value === 'function') {
    if (internal.isObject(value.prototype)) platformProtos.add(value.prototype);
  } else if (internal.isObject(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto && proto !== Object.prototype) platformProtos.add(proto);
  }
}
for (const key of Object.getOwnPropertyNames(globalThis)) {
  const desc = Object.getOwnPropertyDescriptor(globalThis, key);
  if (desc && 'value' in desc) notePlatform(desc.value);
}
const baseDefineGlobal = internal.defineGlobal;
internal.defineGlobal = function defineGlobal(name, value) {
  baseDefineGlobal(name, value);
  notePlatform(value);
};
const MAX_ITEMS = 100;
const LINE_WIDTH = 72;

function quote(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/[\\\n\r\t\b\f\v\0]/g, (c) => ({
    '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0',
  })[c]);
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function keyName(key) {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function constructorName(obj) {
  let proto = Object.getPrototypeOf(obj);
  while (proto) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (desc && typeof desc.value === 'function' && desc.value.name) return desc.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function wrap(prefix, parts, open, close, indent) {
  if (parts.length === 0) return `${prefix}${open}${close}`;
  const oneLine = `${prefix}${open} ${parts.join(', ')} ${close}`;
  if (oneLine.length <= LINE_WIDTH && !parts.some((p) => p.includes('\n'))) return oneLine;
  const pad = '  '.repeat(indent + 1);
  return `${prefix}${open}\n${parts.map((p) => pad + p).join(',\n')}\n${'  '.repeat(indent)}${close}`;
}

function ownEntries(obj, depth, seen, indent, skipIndices) {
  const parts = [];
  for (const key of Reflect.ownKeys(obj)) {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (!desc || !desc.enumerable) continue;
    if (skipIndices && typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key)) continue;
    let shown;
    if (desc.get || desc.set) shown = desc.get && desc.set ? '[Getter/Setter]' : desc.get ? '[Getter]' : '[Setter]';
    else shown = formatValue(desc.value, depth + 1, seen, indent + 1);
    parts.push(`${keyName(key)}: ${shown}`);
  }
  return parts;
}

function formatValue(value, depth, seen, indent) {
  switch (typeof value) {
    case 'string': return depth === 0 ? value : quote(value);
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'boolean': case 'undefined': return String(value);
    case 'symbol': return value.toString();
    case 'function': {
      const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
      const base = isClass ? `[class ${value.name || '(anonymous)'}]`
                           : `[Function: ${value.name || '(anonymous)'}]`;
      const extra = depth <= MAX_DEPTH && !seen.includes(value) ? ownEntries(value, depth, seen.concat([value]), indent)
        .filter((p) => !p.startsWith('prototype:')) : [];
      return extra.length ? wrap(base + ' ', extra, '{', '}', indent) : base;
    }
  }
  if (value === null) return 'null';
  if (seen.includes(value)) return '[Circular]';
  // Looking at an object runs its code (getters of platform objects, proxy traps): a value
  // that throws is shown as such instead of making console.log throw.
  try {
    return formatObject(value, depth, seen, indent);
  } catch {
    return '[Uninspectable]';
  }
}

function formatObject(value, depth, seen, indent) {
  const inner = seen.concat([value]);

  if (value instanceof Error) {
    const text = internal.formatError(value);
    return depth === 0 ? text : (depth > MAX_DEPTH ? `[${String(value)}]` : text.split('\n').join('\n' + '  '.repeat(indent)));
  }
  if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Promise) return 'Promise {}';
  if (value instanceof WeakMap) return 'WeakMap { <items unknown> }';
  if (value instanceof WeakSet) return 'WeakSet { <items unknown> }';
  if (typeof Event === 'function' && value instanceof Event && depth > MAX_DEPTH) {
    return `[${constructorName(value)}]`;
  }

  const name = constructorName(value);
  if (depth > MAX_DEPTH) {
    if (Array.isArray(value)) return '[Array]';
    return `[${name || 'Object'}]`;
  }
  if (Array.isArray(value)) {
    const parts = [];
    let holes = 0;
    const n = Math.min(value.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      if (!(i in value)) { holes++; continue; }
      if (holes) { parts.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`); holes = 0; }
      parts.push(formatValue(value[i], depth + 1, inner, indent + 1));
    }
    if (holes) parts.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    if (value.length > n) parts.push(`... ${value.length - n} more items`);
    parts.push(...ownEntries(value, depth, inner, indent, true).filter((p) => !p.startsWith('length:')));
    return wrap(name && name !== 'Array' ? `${name}(${value.length}) ` : '', parts, '[', ']', indent);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const parts = Array.from(value.subarray(0, MAX_ITEMS), (x) => formatValue(x, depth + 1, inner, indent + 1));
    if (value.length > MAX_ITEMS) parts.push(`... ${value.length - MAX_ITEMS} more items`);
    return wrap(`${name}(${value.length}) `, parts, '[', ']', indent);
  }
  if (value instanceof ArrayBuffer) {
    const bytes = Array.from(new Uint8Array(value, 0, Math.min(value.byteLength, 50)),
                             (b) => b.toString(16).padStart(2, '0'));
    return `ArrayBuffer { [Uint8Contents]: <${bytes.join(' ')}${value.byteLength > 50 ? ' ...' : ''}>, byteLength: ${value.byteLength} }`;
  }
  if (value instanceof Map) {
    const parts = [];
    for (const [k, v] of value) {
      if (parts.length >= MAX_ITEMS) { parts.push(`... ${value.size - MAX_ITEMS} more items`); break; }
      parts.push(`${formatValue(k, depth + 1, inner, indent + 1)} => ${formatValue(v, depth + 1, inner, indent + 1)}`);
    }
    return wrap(`${name || 'Map'}(${value.size}) `, parts, '{', '}', indent);
  }
  if (value instanceof Set) {
    const parts = [];
    for (const v of value) {
      if (parts.length >= MAX_ITEMS) { parts.push(`... ${value.size - MAX_ITEMS} more items`); break; }
      parts.push(formatValue(v, depth + 1, inner, indent + 1));
    }
    return wrap(`${name || 'Set'}(${value.size}) `, parts, '{', '}', indent);
  }
  for (const Boxed of [Number, String, Boolean]) {
    if (value instanceof Boxed) return `[${Boxed.name}: ${formatValue(value.valueOf(), 1, inner, indent)}]`;
  }

  let parts = ownEntries(value, depth, inner, indent);
  // Platform objects (Event, DOMException, ...) keep their state in accessors: show those,
  // the base library's only (a user's getter is code that console.log must not run).
  if (name && name !== 'Object' && parts.length === 0) {
    const proto = Object.getPrototypeOf(value);
    const shown = [];
    for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      if (!platformProtos.has(p)) continue;
      for (const key of Object.getOwnPropertyNames(p)) {
        const desc = Object.getOwnPropertyDescriptor(p, key);
        if (!desc.get || shown.includes(key) || /^on/.test(key) || /^[A-Z_]+$/.test(key)) continue;
        shown.push(key);
        let v;
        try { v = desc.get.call(value); } catch { continue; }
        if (typeof v === 'function') continue;
        parts.push(`${keyName(key)}: ${formatValue(v, depth + 1, inner, indent + 1)}`);
      }
    }
  }
  let prefix = '';
  if (Object.getPrototypeOf(value) === null) prefix = '[Object: null prototype] ';
  else if (name && name !== 'Object') prefix = name + ' ';
  const tag = value[Symbol.toStringTag];
  const proto = Object.getPrototypeOf(value);
  // A platform interface without a tag of its own would show its parent's (Performance
  // [EventTarget]): leave that out.
  const inheritedPlatformTag = proto !== null && platformProtos.has(proto) &&
    !Object.hasOwn(value, Symbol.toStringTag) && !Object.hasOwn(proto, Symbol.toStringTag);
  if (typeof tag === 'string' && tag !== name && !inheritedPlatformTag) {
    prefix = `${prefix || 'Object '}[${tag}] `;
  }
  return wrap(prefix, parts, '{', '}', indent);
}

// A value as console.dir, %o and %O show it: formatted as console.log formats an argument
// (depth counted from the top), but a string quoted.
function inspect(value) {
  return typeof value === 'string' ? quote(value) : formatValue(value, 0, [], 0);
}

// Whether %s should show String(value): a toString of the value's own (or its class's) rather
// than a built-in one, which would say only "[object Object]" (as Node does).
const builtinProtos = [Object.prototype, Array.prototype, Error.prototype, Date.prototype,
                       RegExp.prototype, Function.prototype, Number.prototype, String.prototype,
                       Boolean.prototype, Symbol.prototype, BigInt.prototype,
                       Object.getPrototypeOf(Uint8Array.prototype)];
function hasUserToString(obj) {
  try {
    let o = obj;
    while (o !== null && !Object.prototype.hasOwnProperty.call(o, 'toString')) o = Object.getPrototypeOf(o);
    return o !== null && !builtinProtos.includes(o);
  } catch {
    return false; // a proxy whose traps throw: let formatValue show it
  }
}
internal.inspect = inspect;

function formatArgs(args) {
  const out = [];
  let i = 0;
  if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
    i = 1;
    const text = args[0].replace(/%[sdifoOjc%]/g, (spec) => {
      if (spec === '%%') return '%';
      if (i >= args.length) return spec;
      const a = args[i++];
      switch (spec) {
        case '%s': return typeof a === 'string' ? a : typeof a === 'bigint' ? `${a}n` :
          (typeof a === 'object' && a !== null && !hasUserToString(a) ? formatValue(a, 2, [], 0) : String(a));
        case '%d': case '%i': {
          if (typeof a === 'bigint') return `${a}n`;
          if (typeof a === 'symbol') return 'NaN';
          const n = Number(a);
          return spec === '%i' ? String(Math.trunc(n)) : String(n);
        }
        case '%f': return typeof a === 'symbol' ? 'NaN' : String(parseFloat(a));
        case '%j': try { return JSON.stringify(a); } catch { return '[Circular]'; }
        case '%c': return '';
        default: return inspect(a);
      }
    });
    out.push(text);
  }
  for (; i < args.length; i++) out.push(formatValue(args[i], 0, [], 0));
  return out.join(' ');
}
internal.formatArgs = formatArgs;

// The host's log levels (mprtc_log_level): without a log handler, DEBUG and INFO go to stdout,
// WARN and ERROR to stderr.
const DEBUG = 0, INFO = 1, WARN = 2, ERROR = 3;
internal.LOG_ERROR = ERROR;

let groupIndent = '';
function emit(level, args) {
  let text = formatArgs(args);
  if (groupIndent) text = text.split('\n').map((l) => groupIndent + l).join('\n');
  native.print(level, text);
  // An automation client may listen (src/baselib/automation.js).
  internal.onConsole?.(level, args);
}

const counts = new Map();
const timers = new Map();
const console = {
  log(...args) { emit(INFO, args); },
  info(...args) { emit(INFO, args); },
  debug(...args) { emit(DEBUG, args); },
  warn(...args) { emit(WARN, args); },
  error(...args) { emit(ERROR, args); },
  dir(value) { emit(INFO, [inspect(value)]); },
  dirxml(...args) { emit(INFO, args); },
  table(...args) { emit(INFO, args); },
  trace(...args) {
    emit(WARN, [internal.formatError({
      toString: () => 'Trace' + (args.length ? ': ' + formatArgs(args) : ''),
      stack: new Error().stack,
    })]);
  },
  assert(condition, ...args) {
    if (condition) return;
    if (typeof args[0] === 'string') args[0] = 'Assertion failed: ' + args[0];
    else args.unshift('Assertion failed');
    emit(ERROR, args);
  },
  count(label = 'default') {
    label = String(label);
    const n = (counts.get(label) || 0) + 1;
    counts.set(label, n);
    emit(INFO, [`${label}: ${n}`]);
  },
  countReset(label = 'default') {
    label = String(label);
    if (!counts.has(label)) { emit(WARN, [`Warning: Count for '${label}' does not exist`]); return; }
    counts.set(label, 0);
  },
  time(label = 'default') {
    label = String(label);
    if (timers.has(label)) { emit(WARN, [`Warning: Label '${label}' already exists for console.time()`]); return; }
    timers.set(label, native.now());
  },
  timeLog(label = 'default', ...args) {
    label = String(label);
    if (!timers.has(label)) { emit(WARN, [`Warning: No such label '${label}' for console.timeLog()`]); return; }
    emit(INFO, [`${label}: ${(native.now() - timers.get(label)).toFixed(3)}ms`, ...args]);
  },
  timeEnd(label = 'default') {
    label = String(label);
    if (!timers.has(label)) { emit(WARN, [`Warning: No such label '${label}' for console.timeEnd()`]); return; }
    emit(INFO, [`${label}: ${(native.now() - timers.get(label)).toFixed(3)}ms`]);
    timers.delete(label);
  },
  group(...args) { if (args.length) emit(INFO, args); groupIndent += '  '; },
  groupCollapsed(...args) { if (args.length) emit(INFO, args); groupIndent += '  '; },
  groupEnd() { groupIndent = groupIndent.slice(2); },
};
// Web IDL namespace object: @@toStringTag is its name.
Object.defineProperty(console, Symbol.toStringTag, { value: 'console', configurable: true });
internal.defineGlobal('console', console);
