// WebSocket (WHATWG WebSockets Standard), with MessageEvent and CloseEvent (HTML). The
// connection itself lives on the SDK thread (src/sdk/net/websocket.c, libsoup); this file keeps the
// standard's state machine and turns calls into call blocks (docs/websocket.md).
//
// URLs are parsed by the URL Standard's parser (src/baselib/url.js).

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const MAX_REASON_BYTES = 123;
// A call block is at most 1 MiB of JSON: bigger text goes as chunks with `more: true`. 128 Ki
// UTF-16 units are at most 768 KiB of JSON (6 bytes per escaped control character). Bytes travel
// beside the JSON, as the block's attachment, in chunks of 4 MiB.
const TEXT_CHUNK_UNITS = 128 * 1024;
const BINARY_CHUNK_BYTES = 4 * 1024 * 1024;

const toWellFormed = String.prototype.toWellFormed;
const usv = (value) => toWellFormed.call(String(value)); // Web IDL USVString

function missingArgument(what, n) {
  return new TypeError(`Failed to ${what}: ${n} argument required, but only 0 present.`);
}

// UTF-8 length of a well-formed string, without encoding it.
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xD800 && c <= 0xDBFF) { n += 4; i++; } // a pair (the string is well formed)
    else n += 3;
  }
  return n;
}

// RFC 2616 token: what RFC 6455 requires of each subprotocol name.
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// ---- Events ----

const toUnsignedShort = (v) => {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0;
};

// Web IDL [Clamp] unsigned short: clamped, then rounded half to even.
function clampUnsignedShort(value) {
  const n = Number(value);
  if (Number.isNaN(n)) return 0;
  const x = Math.min(65535, Math.max(0, n));
  const floor = Math.floor(x);
  if (x - floor !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

class MessageEvent extends Event {
  #data;
  #origin;
  #lastEventId;
  #source;
  #ports;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) throw missingArgument("construct 'MessageEvent'", 1);
    super(type, eventInitDict);
    const init = eventInitDict || {};
    this.#data = init.data === undefined ? null : init.data;
    this.#origin = init.origin === undefined ? '' : usv(init.origin);
    this.#lastEventId = init.lastEventId === undefined ? '' : String(init.lastEventId);
    this.#source = init.source === undefined ? null : init.source;
    this.#ports = Object.freeze(init.ports === undefined ? [] : Array.from(init.ports));
  }
  get data() { return this.#data; }
  get origin() { return this.#origin; }
  get lastEventId() { return this.#lastEventId; }
  get source() { return this.#source; }
  get ports() { return this.#ports; }
}

class CloseEvent extends Event {
  #wasClean;
  #code;
  #reason;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) throw missingArgument("construct 'CloseEvent'", 1);
    super(type, eventInitDict);
    const init = eventInitDict || {};
    this.#wasClean = !!init.wasClean;
    this.#code = init.code === undefined ? 0 : toUnsignedShort(init.code);
    this.#reason = init.reason === undefined ? '' : usv(init.reason);
  }
  get wasClean() { return this.#wasClean; }
  get code() { return this.#code; }
  get reason() { return this.#reason; }
}

// ---- WebSocket ----

// Web IDL (DOMString or sequence<DOMString>), then the standard's checks.
function toProtocols(protocols) {
  let list;
  if (protocols === undefined) {
    list = [];
  } else if (internal.isObject(protocols)) {
    if (typeof protocols[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to construct 'WebSocket': The provided value cannot be converted to a sequence.");
    }
    list = Array.from(protocols, (p) => String(p));
  } else {
    list = [String(protocols)];
  }
  const seen = new Set();
  for (const p of list) {
    if (!tokenPattern.test(p)) {
      throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is invalid.`, 'SyntaxError');
    }
    if (seen.has(p)) {
      throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is duplicated.`, 'SyntaxError');
    }
    seen.add(p);
  }
  return list;
}

function toURLRecord(url) {
  const record = internal.url.parse(url);
  if (record === null) {
    throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, 'SyntaxError');
  }
  if (record.scheme === 'http') record.scheme = 'ws';
  if (record.scheme === 'https') record.scheme = 'wss';
  if (record.scheme !== 'ws' && record.scheme !== 'wss') {
    throw new DOMException(`Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${record.scheme}' is not allowed.`, 'SyntaxError');
  }
  if (record.fragment !== null) {
    throw new DOMException(`Failed to construct 'WebSocket': The URL contains a fragment identifier ('${record.fragment}'). Fragment identifiers are not allowed in WebSocket URLs.`, 'SyntaxError');
  }
  return record;
}

// An error of a call the object outlived is expected: the SDK closes its half after "close".
function quietUnlessUnexpected(error) {
  if (error && (error.name === 'NotFoundError' || error.name === 'InvalidStateError')) return;
  internal.reportError(error);
}

class WebSocket extends EventTarget {
  #url;
  #origin;
  #readyState = CONNECTING;
  #protocol = '';
  #extensions = '';
  #bufferedAmount = 0;
  #binaryType = 'blob';       // the standard's default
  #id = 0;           // the SDK object, once the constructor's reply is in
  #queued = [];      // [method, params, size] of calls made before that
  #failed = false;   // the SDK reported an error: "error" fires before "close"
  #abandoned = false; // close() while CONNECTING: the standard's "fail the connection"

  constructor(url, protocols = undefined) {
    if (arguments.length === 0) throw missingArgument("construct 'WebSocket'", 1);
    super();
    const record = toURLRecord(usv(url));
    const list = toProtocols(protocols);
    this.#url = internal.url.serialize(record);
    this.#origin = internal.url.origin(record);
    const params = { url: this.#url };
    if (list.length) params.protocols = list;
    internal.bridge.call('WebSocket.constructor', params).then(
      (result) => this.#attach(result.id),
      // Refused by the SDK (which should not happen after the checks above): a failed connection.
      () => { this.#failed = true; this.#closed({ code: 1006, reason: '', wasClean: false }); });
    internal.lifetime.adopt(this, (ws) => ws.close());
  }

  get url() { return this.#url; }
  get readyState() { return this.#readyState; }
  get bufferedAmount() { return this.#bufferedAmount; }
  get extensions() { return this.#extensions; }
  get protocol() { return this.#protocol; }
  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    const type = String(value);
    if (type === 'arraybuffer' || type === 'blob') this.#binaryType = type;
    // Any other value is not a BinaryType: ignored, as Web IDL does for enumerations.
  }

  send(data) {
    if (arguments.length === 0) throw missingArgument("execute 'send' on 'WebSocket'", 1);
    if (this.#readyState === CONNECTING) {
      throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    }
    let bytes = null, text = null;
    const blob = internal.blobBytes(data);
    if (blob) {
      bytes = blob;
    } else if (data instanceof ArrayBuffer) {
      bytes = new Uint8Array(data);
    } else if (ArrayBuffer.isView(data)) {
      if (typeof SharedArrayBuffer === 'function' && data.buffer instanceof SharedArrayBuffer) {
        throw new TypeError("Failed to execute 'send' on 'WebSocket': The provided ArrayBufferView value must not be shared.");
      }
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else {
      text = usv(data);
    }
    const size = bytes ? bytes.byteLength : utf8Length(text);
    // The standard: data sent once closing is counted, never sent.
    this.#bufferedAmount += size;
    if (this.#readyState !== OPEN) return;
    if (bytes) this.#sendBinary(bytes);
    else this.#sendText(text);
  }

  close(code = undefined, reason = undefined) {
    if (code !== undefined) {
      code = clampUnsignedShort(code);
      if (code !== 1000 && !(code >= 3000 && code <= 4999)) {
        throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError');
      }
    }
    if (reason !== undefined) {
      reason = usv(reason);
      if (utf8Length(reason) > MAX_REASON_BYTES) {
        throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close reason must not be greater than ${MAX_REASON_BYTES} UTF-8 bytes.`, 'SyntaxError');
      }
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;
    if (this.#readyState === CONNECTING) {
      this.#abandoned = true;
      this.#readyState = CLOSING;
      this.#call('WebSocket.close', {});
      return;
    }
    this.#readyState = CLOSING;
    const params = {};
    if (code !== undefined) params.code = code;
    // libsoup sends the reason as a C string: it ends at a U+0000 (docs/websocket.md).
    if (reason) params.reason = reason.split('\0', 1)[0];
    this.#call('WebSocket.close', params);
  }

  // ---- the SDK side ----

  #call(method, params, size = 0, bytes = undefined) {
    if (!this.#id) {
      // Copied now: the caller may change its buffer once send() returns.
      this.#queued.push([method, params, size, bytes && bytes.slice()]);
      return;
    }
    internal.bridge.call(method, params, this.#id, undefined, bytes).then(
      () => { this.#bufferedAmount -= size; },
      quietUnlessUnexpected);
  }

  #attach(id) {
    this.#id = id;
    internal.bridge.listen(id, (event, data, bytes) => this.#onEvent(event, data, bytes));
    const queued = this.#queued;
    this.#queued = [];
    for (const [method, params, size, bytes] of queued) this.#call(method, params, size, bytes);
  }

  #sendText(text) {
    let start = 0;
    do {
      let end = Math.min(text.length, start + TEXT_CHUNK_UNITS);
      const unit = text.charCodeAt(end - 1);
      if (end < text.length && unit >= 0xD800 && unit <= 0xDBFF) end--; // keep a pair whole
      const chunk = text.slice(start, end);
      // JSON in a call block cannot carry U+0000: such text goes as its UTF-8, attached.
      const nul = chunk.includes('\0');
      const params = nul ? { utf8: true } : { text: chunk };
      if (end < text.length) params.more = true;
      this.#call('WebSocket.send', params, utf8Length(chunk), nul ? native.utf8Encode(chunk) : undefined);
      start = end;
    } while (start < text.length);
  }

  #sendBinary(bytes) {
    let start = 0;
    do {
      const end = Math.min(bytes.length, start + BINARY_CHUNK_BYTES);
      const params = { binary: true };
      if (end < bytes.length) params.more = true;
      this.#call('WebSocket.send', params, end - start, bytes.subarray(start, end));
      start = end;
    } while (start < bytes.length);
  }

  #onEvent(event, data, bytes) {
    if (event === 'open') this.#opened(data);
    else if (event === 'message') this.#received(data, bytes);
    else if (event === 'closing') this.#closing();
    else if (event === 'error') this.#failed = true; // fired with "close", as the standard orders it
    else if (event === 'close') this.#closed(data);
  }

  #opened(data) {
    if (this.#readyState !== CONNECTING) return; // close() came first: the SDK is closing it
    this.#readyState = OPEN;
    this.#protocol = String(data.protocol);
    this.#extensions = String(data.extensions);
    internal.fire(this, new Event('open'));
  }

  // The closing handshake started (the server's close frame, most often).
  #closing() {
    if (this.#readyState === OPEN) this.#readyState = CLOSING;
  }

  #received(data, bytes) {
    if (this.#readyState !== OPEN) return; // the standard drops what arrives once closing
    const payload = typeof data.text === 'string' ? data.text
      : this.#binaryType === 'blob' ? internal.makeBlob(new Uint8Array(bytes)) : bytes;
    internal.fire(this, new MessageEventClass('message', { data: payload, origin: this.#origin }));
  }

  #closed(data) {
    if (this.#readyState === CLOSED) return;
    if (this.#id) internal.bridge.unlisten(this.#id);
    this.#readyState = CLOSED;
    let { code, reason, wasClean } = data;
    if (this.#abandoned) {
      code = 1006;
      reason = '';
      wasClean = false;
    }
    if (this.#abandoned || this.#failed || !wasClean) internal.fire(this, new Event('error'));
    internal.fire(this, new CloseEventClass('close', { wasClean, code, reason }));
  }
}

for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING],
                             ['CLOSED', CLOSED]]) {
  Object.defineProperty(WebSocket, name, { value, enumerable: true });
  Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
}
for (const name of ['open', 'message', 'error', 'close']) {
  internal.defineEventHandler(WebSocket.prototype, name);
}

// Another base-library file may have defined the event classes already: share them.
const MessageEventClass = internal.MessageEvent || (internal.MessageEvent = MessageEvent);
const CloseEventClass = internal.CloseEvent || (internal.CloseEvent = CloseEvent);
for (const cls of [MessageEventClass, CloseEventClass, WebSocket]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: cls.name, configurable: true });
  if (typeof globalThis[cls.name] !== 'function') internal.defineGlobal(cls.name, cls);
}
