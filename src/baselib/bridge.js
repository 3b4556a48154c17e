// The logic layer's end of the JSBridge: turns calls into call blocks (docs/bridge.md),
// settles their promises from replies, and routes events to the objects they name. Bytes
// (an ArrayBuffer or a view) travel beside a block as its attachment, and come back beside a
// reply or an event as an ArrayBuffer.
// The other base-library files use internal.bridge. User code sees `mprtc.host` (the host's own
// methods), and with the test surface (MPRTC_APP_TESTING, `mprtc exec --testing`) the raw
// `mprtc.bridge` that the tests and the benchmarks use.

const PROTOCOL_VERSION = 1;
const MAX_BLOCK_BYTES = 1024 * 1024;

const pending = new Map();  // seq -> { resolve, reject, method }
const listeners = new Map(); // object id -> function (event, data, bytes)
const rawWaiters = [];       // resolvers of mprtc.bridge.postRaw, in order
let nextSeq = 1;

function send(post, method, params, target, servers, bytes) {
  // Any view (a DataView too) as the bytes it covers.
  if (bytes !== undefined && !(bytes instanceof ArrayBuffer)) {
    if (!ArrayBuffer.isView(bytes)) return Promise.reject(new TypeError(`${method}: an attachment must be an ArrayBuffer or a view`));
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const seq = nextSeq++;
  const block = { v: PROTOCOL_VERSION, seq, method };
  if (target !== undefined) block.target = target;
  if (params !== undefined) block.params = params;
  if (servers !== undefined) block.servers = servers;
  if (bytes !== undefined) block.bytes = bytes.byteLength;
  let text;
  try {
    text = JSON.stringify(block);
  } catch (error) {
    return Promise.reject(new TypeError(`${method}: the arguments cannot be serialized: ${error.message}`));
  }
  // UTF-16 length is a lower bound of the UTF-8 size: the C decoder enforces the exact limit.
  if (text.length > MAX_BLOCK_BYTES) {
    return Promise.reject(new DOMException(`${method}: the call block of ${text.length} characters exceeds the bridge limit of ${MAX_BLOCK_BYTES} bytes`, 'QuotaExceededError'));
  }
  return new Promise((resolve, reject) => {
    post(text, bytes);
    pending.set(seq, { resolve, reject, method });
  });
}

// A call of the SDK: bytes (optional) are copied at once.
function call(method, params = undefined, target = undefined, servers = undefined, bytes = undefined) {
  return send(native.post, method, params, target, servers, bytes);
}

internal.host.deliver = function deliver(text, bytes) {
  let message;
  try {
    message = JSON.parse(text);
  } catch (error) {
    internal.reportError(new TypeError('bridge: undecodable message from the SDK: ' + error.message));
    return;
  }
  if (message.event !== undefined) {
    const listener = listeners.get(message.target);
    // Events for an object that was closed (unlistened) are dropped, never dispatched.
    if (listener) internal.callReporting(listener, undefined, message.event, message.data, bytes);
    return;
  }
  const entry = pending.get(message.seq);
  if (!entry) {
    const waiter = rawWaiters.shift();
    if (waiter) waiter(message);
    else internal.reportError(new Error('bridge: reply to an unknown call: ' + text.slice(0, 200)));
    return;
  }
  pending.delete(message.seq);
  if (message.error) {
    entry.reject(internal.makeError(message.error.name, message.error.message, message.error.constraint));
  } else {
    // A reply's attachment is its result's `bytes`.
    if (bytes !== undefined && internal.isObject(message.result)) message.result.bytes = bytes;
    entry.resolve(message.result);
  }
};

internal.bridge = {
  call,
  // A call of the view layer (a mini-program's; src/view/view.c).
  callView(method, params) { return send(native.postView, method, params); },
  // A call of what the host gives every app (src/host/methods.c: its files): bytes (optional) are
  // copied at once and travel as the block's attachment.
  callHost(method, params, bytes = undefined) { return send(native.postHost, method, params, undefined, undefined, bytes); },
  listen(id, fn) { listeners.set(id, fn); },
  unlisten(id) { listeners.delete(id); },
  get pendingCalls() { return pending.size; },
};

// The host's own methods (mprtc_app_add_method): mprtc.host.<name>(params) -> Promise.
const host = Object.create(null);
for (const name of native.hostMethods) {
  host[name] = (params = {}) => {
    if (!internal.isObject(params) || Array.isArray(params)) {
      return Promise.reject(new TypeError(`mprtc.host.${name}: params must be an object`));
    }
    return send(native.postHost, `host.${name}`, params);
  };
}

// The test surface: raw call blocks for the tests and the benchmarks, only where the app was
// made for testing.
const bridge = {
  // call(method, params?, { target, servers, bytes }?) -> Promise of the result
  call(method, params = undefined, options = {}) {
    if (typeof method !== 'string') return Promise.reject(new TypeError('mprtc.bridge.call: method must be a string'));
    return call(method, params, options?.target, options?.servers, options?.bytes);
  },
  ping() { return call('bridge.ping'); },
  echo(value) { return call('bridge.echo', value); },
  info() { return call('bridge.info'); },
  // Events of object id, as listener(eventName, data, bytes), until unlisten(id).
  listen(id, listener) {
    if (typeof listener !== 'function') throw new TypeError('mprtc.bridge.listen: listener must be a function');
    listeners.set(id, listener);
  },
  unlisten(id) { listeners.delete(id); },
  // Sends text as it is (the runtime still stamps the app), with bytes as its attachment, and
  // resolves with the reply the SDK sends back, raw: for tests of hostile blocks. Use seq values
  // no call() uses (>= 2**52).
  postRaw(text, bytes = undefined) {
    return new Promise((resolve) => {
      native.post(String(text), bytes);
      rawWaiters.push(resolve);
    });
  },
  get pendingCalls() { return pending.size; },
  // The floor of the bridge benchmark: a JS -> C call that does nothing.
  nativeNoop: native.noop,
};

internal.args = Object.freeze([]);
const mprtc = {
  version: native.version,
  app: native.app,
  // The script's arguments: what follows `--` on the `mprtc exec` command line.
  get args() { return internal.args; },
  host: Object.freeze(host),
  // Headless frame access (mediastream.js fills it in).
  media: internal.mprtcMedia = {},
};
if (native.testing) mprtc.bridge = Object.freeze(bridge);
internal.defineGlobal('mprtc', Object.freeze(mprtc));
