// WebSocket (WHATWG WebSockets Standard), with MessageEvent and CloseEvent (HTML). The
// connection itself lives on the SDK thread (src/sdk/net/websocket.c, libsoup); this file keeps the
// standard's state machine and turns calls into call blocks (docs/websocket.md).
//
// There is no Blob in this runtime: binaryType is 'arraybuffer' and cannot be set to 'blob'.
// There is no URL class either: the WHATWG URL parser for the schemes a WebSocket accepts
// (ws, wss, http, https) is below.

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const DEFAULT_PORTS = { ws: 80, wss: 443, http: 80, https: 443 };
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

// ---- The URL parser (WHATWG URL Standard), for special schemes without a base URL ----

const hex2 = (b) => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();

// The percent-encode sets, as predicates over a code point.
const c0Set = (c) => c < 0x20 || c > 0x7E;
const querySet = (c) => c0Set(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3C || c === 0x3E;
const specialQuerySet = (c) => querySet(c) || c === 0x27;
const pathSet = (c) => querySet(c) || c === 0x3F || c === 0x5E || c === 0x60 || c === 0x7B || c === 0x7D;
const userinfoSet = (c) => pathSet(c) || c === 0x2F || c === 0x3A || c === 0x3B || c === 0x3D ||
                           c === 0x40 || (c >= 0x5B && c <= 0x5E) || c === 0x7C;

function percentEncode(s, inSet) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (!inSet(c)) { out += ch; continue; }
    for (const b of native.utf8Encode(ch)) out += hex2(b);
  }
  return out;
}

// The bytes of s's UTF-8 with each %XX decoded, read back as UTF-8 (bad bytes become U+FFFD).
function percentDecode(s) {
  const bytes = native.utf8Encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  const isHex = (b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
      i += 2;
    } else {
      out[n++] = bytes[i];
    }
  }
  return native.utf8Decode(out.subarray(0, n), false, false)[0];
}

// RFC 3492 Punycode, for the non-ASCII labels of a domain.
function punycode(label) {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const input = Array.from(label, (ch) => ch.codePointAt(0));
  const adapt = (delta, points, first) => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / points);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) { delta = Math.floor(delta / (base - tMin)); k += base; }
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  const digit = (d) => String.fromCharCode(d + 22 + 75 * (d < 26));
  let output = input.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const basic = output.length;
  let handled = basic;
  if (basic) output += '-';
  let n = 128, delta = 0, bias = 72;
  while (handled < input.length) {
    const m = Math.min(...input.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of input) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base; ; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

// UTS #46 "ToASCII", approximated: NFKC and lower case for the mapping, Punycode for labels
// that are not ASCII. Exact for ASCII hosts, which is what signaling servers use.
function domainToASCII(domain) {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7F]*$/.test(domain)) return domain.toLowerCase();
  const mapped = domain.normalize('NFKC').toLowerCase().replace(/[\u3002\uFF0E\uFF61]/g, '.');
  return mapped.split('.').map((label) =>
    // eslint-disable-next-line no-control-regex
    /^[\x00-\x7F]*$/.test(label) ? label : 'xn--' + punycode(label)).join('.');
}

function parseIPv4Number(s) {
  if (s === '') return NaN;
  let radix = 10;
  if (/^0[xX]/.test(s)) { s = s.slice(2); radix = 16; } else if (s.length > 1 && s[0] === '0') { s = s.slice(1); radix = 8; }
  if (s === '') return 0;
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(s) ? parseInt(s, radix) : NaN;
}

function endsInANumber(host) {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  return /^[0-9]+$/.test(last) || !Number.isNaN(parseIPv4Number(last));
}

// A dotted IPv4 address, or null.
function parseIPv4(host) {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return null;
  const numbers = parts.map(parseIPv4Number);
  if (numbers.some(Number.isNaN)) return null;
  const last = numbers.pop();
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  let address = last;
  numbers.forEach((n, i) => { address += n * 256 ** (3 - i); });
  const octets = [];
  for (let i = 3; i >= 0; i--) octets.push(Math.floor(address / 256 ** i) % 256);
  return octets.join('.');
}

// The eight 16-bit pieces of an IPv6 address (URL Standard's IPv6 parser), or null.
function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  const isHex = (ch) => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
  const isDigit = (ch) => ch !== undefined && ch >= '0' && ch <= '9';
  let piece = 0, compress = null, p = 0;
  if (input[0] === ':') {
    if (input[1] !== ':') return null;
    p = 2;
    compress = ++piece;
  }
  while (p < input.length) {
    if (piece === 8) return null;
    if (input[p] === ':') {
      if (compress !== null) return null;
      p++;
      compress = ++piece;
      continue;
    }
    let value = 0, length = 0;
    while (length < 4 && isHex(input[p])) { value = value * 16 + parseInt(input[p], 16); p++; length++; }
    if (input[p] === '.') {
      if (length === 0 || piece > 6) return null;
      p -= length;
      let seen = 0;
      while (p < input.length) {
        let v4 = null;
        if (seen > 0) {
          if (input[p] !== '.' || seen >= 4) return null;
          p++;
        }
        if (!isDigit(input[p])) return null;
        while (isDigit(input[p])) {
          const d = input.charCodeAt(p) - 48;
          if (v4 === null) v4 = d; else if (v4 === 0) return null; else v4 = v4 * 10 + d;
          if (v4 > 255) return null;
          p++;
        }
        address[piece] = address[piece] * 0x100 + v4;
        seen++;
        if (seen === 2 || seen === 4) piece++;
      }
      if (seen !== 4) return null;
      break;
    } else if (input[p] === ':') {
      p++;
      if (p >= input.length) return null;
    } else if (p < input.length) {
      return null;
    }
    address[piece++] = value;
  }
  if (compress !== null) {
    let swaps = piece - compress;
    piece = 7;
    while (piece !== 0 && swaps > 0) {
      const i = compress + swaps - 1;
      [address[piece], address[i]] = [address[i], address[piece]];
      piece--;
      swaps--;
    }
  } else if (piece !== 8) {
    return null;
  }
  return address;
}

function serializeIPv6(address) {
  let compress = null, best = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > best) { best = j - i; compress = i; }
    i = j === i ? i + 1 : j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === compress) {
      out += i === 0 ? '::' : ':';
      i += best - 1;
      continue;
    }
    out += address[i].toString(16) + (i < 7 ? ':' : '');
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const forbiddenDomain = /[\x00-\x20#%/:<>?@[\\\]^|\x7F]/;

// A special URL's host, serialized, or null.
function parseHost(input) {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return null;
    const address = parseIPv6(input.slice(1, -1));
    return address && '[' + serializeIPv6(address) + ']';
  }
  const ascii = domainToASCII(percentDecode(input));
  if (ascii === '' || forbiddenDomain.test(ascii)) return null;
  return endsInANumber(ascii) ? parseIPv4(ascii) : ascii;
}

// A special URL's path segments, with dot segments resolved.
function parsePath(input) {
  const path = [];
  const segments = input.split(/[/\\]/);
  segments.forEach((raw, i) => {
    const segment = percentEncode(raw, pathSet);
    const last = i === segments.length - 1;
    const lower = segment.toLowerCase();
    if (lower === '..' || lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e') {
      path.pop();
      if (last) path.push('');
    } else if (lower === '.' || lower === '%2e') {
      if (last) path.push('');
    } else {
      path.push(segment);
    }
  });
  return path;
}

// Parses an absolute URL. Returns null on failure, {scheme} alone for a scheme that is not
// special (no WebSocket takes one), or the record of a special URL.
function parseURL(input) {
  // eslint-disable-next-line no-control-regex
  input = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(input);
  if (!schemeMatch) return null;
  const scheme = schemeMatch[1].toLowerCase();
  if (!Object.hasOwn(DEFAULT_PORTS, scheme)) return { scheme };
  let rest = input.slice(schemeMatch[0].length).replace(/^[/\\]*/, '');
  let fragment = null, query = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) { fragment = rest.slice(hash + 1); rest = rest.slice(0, hash); }
  const question = rest.indexOf('?');
  if (question >= 0) { query = percentEncode(rest.slice(question + 1), specialQuerySet); rest = rest.slice(0, question); }
  const slash = rest.search(/[/\\]/);
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const pathText = slash >= 0 ? rest.slice(slash + 1) : '';
  let username = '', password = '';
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const credentials = authority.slice(0, at);
    const colon = credentials.indexOf(':');
    username = percentEncode(colon >= 0 ? credentials.slice(0, colon) : credentials, userinfoSet);
    password = colon >= 0 ? percentEncode(credentials.slice(colon + 1), userinfoSet) : '';
    authority = authority.slice(at + 1);
  }
  // The port starts at the first ':' outside brackets.
  let split = -1;
  for (let i = 0, inside = false; i < authority.length && split < 0; i++) {
    if (authority[i] === '[') inside = true;
    else if (authority[i] === ']') inside = false;
    else if (authority[i] === ':' && !inside) split = i;
  }
  const hostText = split >= 0 ? authority.slice(0, split) : authority;
  const portText = split >= 0 ? authority.slice(split + 1) : '';
  if (hostText === '') return null;
  const host = parseHost(hostText);
  if (host === null || !/^[0-9]*$/.test(portText)) return null;
  let port = portText === '' ? null : Number(portText);
  if (port !== null && port > 65535) return null;
  if (port === DEFAULT_PORTS[scheme]) port = null;
  return { scheme, username, password, host, port, path: parsePath(pathText), query, fragment };
}

function serializeOrigin(u) {
  return `${u.scheme}://${u.host}${u.port === null ? '' : ':' + u.port}`;
}

function serializeURL(u) {
  const credentials = u.username || u.password
    ? u.username + (u.password ? ':' + u.password : '') + '@' : '';
  return `${u.scheme}://${credentials}${u.host}${u.port === null ? '' : ':' + u.port}` +
         '/' + u.path.join('/') + (u.query === null ? '' : '?' + u.query);
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
  const record = parseURL(url);
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
  #binaryType = 'arraybuffer';
  #id = 0;           // the SDK object, once the constructor's reply is in
  #queued = [];      // [method, params, size] of calls made before that
  #failed = false;   // the SDK reported an error: "error" fires before "close"
  #abandoned = false; // close() while CONNECTING: the standard's "fail the connection"

  constructor(url, protocols = undefined) {
    if (arguments.length === 0) throw missingArgument("construct 'WebSocket'", 1);
    super();
    const record = toURLRecord(usv(url));
    const list = toProtocols(protocols);
    this.#url = serializeURL(record);
    this.#origin = serializeOrigin(record);
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
    if (type === 'arraybuffer') {
      this.#binaryType = type;
    } else if (type === 'blob') {
      throw new DOMException("Failed to set the 'binaryType' property on 'WebSocket': 'blob' is not supported in this runtime, which has no Blob; use 'arraybuffer'.", 'NotSupportedError');
    }
    // Any other value is not a BinaryType: ignored, as Web IDL does for enumerations.
  }

  send(data) {
    if (arguments.length === 0) throw missingArgument("execute 'send' on 'WebSocket'", 1);
    if (this.#readyState === CONNECTING) {
      throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    }
    let bytes = null, text = null;
    if (data instanceof ArrayBuffer) {
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
    const payload = typeof data.text === 'string' ? data.text : bytes;
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
