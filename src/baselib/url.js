// URL and URLSearchParams (WHATWG URL Standard), and the parser WebSocket uses too
// (internal.url). Special schemes (http, https, ws, wss, ftp, file) and the others (opaque paths
// such as mailto: or data:, and hierarchical ones such as foo://host/path), relative references
// against a base, IPv4 and IPv6 hosts, IDNA by NFKC and Punycode (exact for ASCII hosts).
//
// A record: {scheme, username, password, host (null: none), port (null: the default), path (an
// array of segments, or a string for an opaque path), query (null: none), fragment (null: none)}.

const toWellFormedURL = String.prototype.toWellFormed;
const usvString = (value) => toWellFormedURL.call(String(value)); // Web IDL USVString
const SPECIAL = { ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };
const isSpecial = (scheme) => Object.hasOwn(SPECIAL, scheme);


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


const fragmentSet = (c) => c0Set(c) || c === 0x20 || c === 0x22 || c === 0x3C || c === 0x3E || c === 0x60;
// A non-special URL's host: percent-encoded, and none of these.
// eslint-disable-next-line no-control-regex
const forbiddenHost = /[\x00\t\n\r #/:<>?@[\\\]^|]/;

// A host of scheme (serialized), or null when it is not a valid one.
function parseAnyHost(input, special) {
  if (special) return parseHost(input);
  if (input.startsWith('[')) return parseHost(input);
  if (forbiddenHost.test(input)) return null;
  return percentEncode(input, c0Set);
}

// Path segments of input (after the authority), dot segments resolved; onto: the segments to
// start from (a relative path's base directory).
function parsePath(input, special, onto = []) {
  const path = onto.slice();
  const segments = input.split(special ? /[/\\]/ : '/');
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

// Splits off ?query and #fragment, encoded.
function splitQueryFragment(text, special) {
  let fragment = null, query = null;
  const hash = text.indexOf('#');
  if (hash >= 0) { fragment = percentEncode(text.slice(hash + 1), fragmentSet); text = text.slice(0, hash); }
  const question = text.indexOf('?');
  if (question >= 0) {
    query = percentEncode(text.slice(question + 1), special ? specialQuerySet : querySet);
    text = text.slice(0, question);
  }
  return { rest: text, query, fragment };
}

// "user:pass@host:port" of scheme into record; false when it is not valid.
function parseAuthority(authority, record) {
  const special = isSpecial(record.scheme);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const credentials = authority.slice(0, at);
    const colon = credentials.indexOf(':');
    record.username = percentEncode(colon >= 0 ? credentials.slice(0, colon) : credentials, userinfoSet);
    record.password = colon >= 0 ? percentEncode(credentials.slice(colon + 1), userinfoSet) : '';
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
  if (hostText === '') {
    if (special && record.scheme !== 'file') return false;
    if (at >= 0 || portText !== '') return false;
    record.host = '';
    return true;
  }
  const host = parseAnyHost(hostText, special);
  if (host === null || !/^[0-9]*$/.test(portText)) return false;
  let port = portText === '' ? null : Number(portText);
  if (port !== null && port > 65535) return false;
  if (port !== null && port === SPECIAL[record.scheme]) port = null;
  record.host = record.scheme === 'file' && host === 'localhost' ? '' : host;
  record.port = port;
  return true;
}

function emptyRecord(scheme) {
  return { scheme, username: '', password: '', host: null, port: null, path: [], query: null, fragment: null };
}

// After the authority: "/a/b?q#f".
function withPath(record, text, onto) {
  const special = isSpecial(record.scheme);
  const { rest, query, fragment } = splitQueryFragment(text, special);
  const pathText = rest.replace(special ? /^[/\\]/ : /^\//, '');
  record.path = rest === '' && !onto ? (special ? [''] : []) : parsePath(pathText, special, onto || []);
  record.query = query;
  record.fragment = fragment;
  return record;
}

// "//authority/path?q#f" (the slashes taken off already) for scheme.
function fromAuthority(scheme, text) {
  const special = isSpecial(scheme);
  const end = text.search(special ? /[/\\?#]/ : /[/?#]/);
  const record = emptyRecord(scheme);
  if (!parseAuthority(end >= 0 ? text.slice(0, end) : text, record)) return null;
  return withPath(record, end >= 0 ? text.slice(end) : '');
}

// A reference relative to base (a hierarchical URL).
function relative(input, base) {
  const special = isSpecial(base.scheme);
  const slash = special ? /^[/\\]/ : /^\//;
  if ((special ? /^[/\\]{2}/ : /^\/\//).test(input)) return fromAuthority(base.scheme, input.slice(2));
  const record = { ...base, path: base.path.slice(), query: base.query, fragment: null };
  if (slash.test(input)) return withPath(record, input);
  if (input === '') return record;
  if (input.startsWith('?')) {
    const { query, fragment } = splitQueryFragment(input, special);
    record.query = query;
    record.fragment = fragment;
    return record;
  }
  if (input.startsWith('#')) {
    record.fragment = percentEncode(input.slice(1), fragmentSet);
    return record;
  }
  return withPath(record, '/' + input, base.path.slice(0, -1));
}

// Parses input against base (a record, or null). Returns the record, or null when input is not a
// valid URL.
function parse(input, base = null) {
  // eslint-disable-next-line no-control-regex
  input = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(input);
  if (schemeMatch) {
    const scheme = schemeMatch[1].toLowerCase();
    const rest = input.slice(schemeMatch[0].length);
    if (isSpecial(scheme)) {
      // "http:path" against an http base is relative to it, as the standard says.
      if (base && base.scheme === scheme && scheme !== 'file' && !/^[/\\]/.test(rest)) return relative(rest, base);
      if (scheme === 'file') {
        if (/^[/\\]{2}/.test(rest)) return fromAuthority('file', rest.slice(2));
        const record = emptyRecord('file');
        record.host = '';
        if (/^[/\\]/.test(rest)) return withPath(record, rest);
        return base && base.scheme === 'file' ? relative(rest, base) : withPath(record, '/' + rest);
      }
      return fromAuthority(scheme, rest.replace(/^[/\\]*/, ''));
    }
    if (rest.startsWith('//')) return fromAuthority(scheme, rest.slice(2));
    if (rest.startsWith('/')) return withPath(emptyRecord(scheme), rest);
    // An opaque path: "mailto:a@b", "data:text/plain,x".
    const record = emptyRecord(scheme);
    const { rest: opaque, query, fragment } = splitQueryFragment(rest, false);
    record.path = percentEncode(opaque, c0Set);
    record.query = query;
    record.fragment = fragment;
    return record;
  }
  if (!base) return null;
  if (typeof base.path === 'string') {
    if (!input.startsWith('#')) return null;
    return { ...base, fragment: percentEncode(input.slice(1), fragmentSet) };
  }
  return relative(input, base);
}

function serializePath(u) {
  if (typeof u.path === 'string') return u.path;
  // A path that would read as an authority ("//x") keeps its meaning behind "/.".
  const guard = u.host === null && u.path.length > 1 && u.path[0] === '' ? '/.' : '';
  return guard + '/' + u.path.join('/');
}

function serializeHost(u) {
  return u.host + (u.port === null ? '' : ':' + u.port);
}

function serialize(u, excludeFragment = false) {
  let out = u.scheme + ':';
  if (u.host !== null) {
    out += '//';
    if (u.username || u.password) out += u.username + (u.password ? ':' + u.password : '') + '@';
    out += serializeHost(u);
  }
  out += serializePath(u);
  if (u.query !== null) out += '?' + u.query;
  if (!excludeFragment && u.fragment !== null) out += '#' + u.fragment;
  return out;
}

function origin(u) {
  if (u.scheme === 'blob' && typeof u.path === 'string') {
    const inner = parse(u.path);
    return inner && (inner.scheme === 'http' || inner.scheme === 'https') ? origin(inner) : 'null';
  }
  if (!isSpecial(u.scheme) || u.scheme === 'file') return 'null';
  return `${u.scheme}://${serializeHost(u)}`;
}

internal.url = { parse, serialize, origin };

// ---- application/x-www-form-urlencoded ----

function formDecode(text) {
  const list = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq >= 0 ? piece.slice(0, eq) : piece, value = eq >= 0 ? piece.slice(eq + 1) : '';
    list.push([percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' '))]);
  }
  return list;
}

function formEncodeOne(s) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c === 0x2A || c === 0x2D ||
        c === 0x2E || c === 0x5F) out += ch;
    else if (c === 0x20) out += '+';
    else for (const b of native.utf8Encode(ch)) out += hex2(b);
  }
  return out;
}

const formEncode = (list) => list.map(([n, v]) => formEncodeOne(n) + '=' + formEncodeOne(v)).join('&');

// ---- URLSearchParams ----

function missing(what, n, given) {
  return new TypeError(`Failed to execute '${what}' on 'URLSearchParams': ${n} argument${n > 1 ? 's' : ''} required, but only ${given} present.`);
}

const attach = Symbol('attach');
const replaceList = Symbol('replaceList');

class URLSearchParams {
  #list = [];
  #url = null; // the URL it belongs to: changes go into its query

  constructor(init = '') {
    if (init !== null && typeof init === 'object') {
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          const p = [...pair];
          if (p.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
          this.#list.push([usvString(p[0]), usvString(p[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key !== 'string' || !Object.prototype.propertyIsEnumerable.call(init, key)) continue;
          this.#list.push([usvString(key), usvString(init[key])]);
        }
      }
    } else {
      const text = usvString(init);
      this.#list = formDecode(text.startsWith('?') ? text.slice(1) : text);
    }
  }

  [attach](url) { this.#url = url; }
  [replaceList](query) { this.#list = query === null ? [] : formDecode(query); }

  #update() {
    if (!this.#url) return;
    const text = formEncode(this.#list);
    this.#url[replaceList](text === '' ? null : text);
  }

  get size() { return this.#list.length; }

  append(name, value) {
    if (arguments.length < 2) throw missing('append', 2, arguments.length);
    this.#list.push([usvString(name), usvString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    if (arguments.length < 1) throw missing('delete', 1, 0);
    name = usvString(name);
    const v = value === undefined ? undefined : usvString(value);
    this.#list = this.#list.filter(([n, x]) => n !== name || (v !== undefined && x !== v));
    this.#update();
  }

  get(name) {
    if (arguments.length < 1) throw missing('get', 1, 0);
    name = usvString(name);
    const found = this.#list.find(([n]) => n === name);
    return found ? found[1] : null;
  }

  getAll(name) {
    if (arguments.length < 1) throw missing('getAll', 1, 0);
    name = usvString(name);
    return this.#list.filter(([n]) => n === name).map(([, v]) => v);
  }

  has(name, value = undefined) {
    if (arguments.length < 1) throw missing('has', 1, 0);
    name = usvString(name);
    const v = value === undefined ? undefined : usvString(value);
    return this.#list.some(([n, x]) => n === name && (v === undefined || x === v));
  }

  set(name, value) {
    if (arguments.length < 2) throw missing('set', 2, arguments.length);
    name = usvString(name);
    value = usvString(value);
    const i = this.#list.findIndex(([n]) => n === name);
    if (i < 0) {
      this.#list.push([name, value]);
    } else {
      this.#list[i][1] = value;
      this.#list = this.#list.filter(([n], k) => k <= i || n !== name);
    }
    this.#update();
  }

  // Stable, by the names' UTF-16 code units.
  sort() {
    this.#list = this.#list.map((p, i) => [p, i]).sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
      .map(([p]) => p);
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': The callback provided as parameter 1 is not a function.");
    for (let i = 0; i < this.#list.length; i++) callback.call(thisArg, this.#list[i][1], this.#list[i][0], this);
  }

  *entries() { for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]]; }
  *keys() { for (const [n] of this.entries()) yield n; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }

  toString() { return formEncode(this.#list); }
  get [Symbol.toStringTag]() { return 'URLSearchParams'; }
}

// ---- URL ----

function invalid(input) {
  return new TypeError(`Failed to construct 'URL': Invalid URL${input === undefined ? '' : ` '${input}'`}`);
}

class URL {
  #record;
  #params;

  constructor(url, base = undefined) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    url = usvString(url);
    let baseRecord = null;
    if (base !== undefined) {
      baseRecord = parse(usvString(base));
      if (!baseRecord) throw invalid(usvString(base));
    }
    const record = parse(url, baseRecord);
    if (!record) throw invalid(url);
    this.#record = record;
    this.#params = new URLSearchParams(record.query ?? '');
    this.#params[attach](this);
  }

  static canParse(url, base = undefined) {
    let baseRecord = null;
    if (base !== undefined && !(baseRecord = parse(usvString(base)))) return false;
    return parse(usvString(url), baseRecord) !== null;
  }

  static parse(url, base = undefined) {
    try { return new URL(url, base); } catch { return null; }
  }

  [replaceList](query) { this.#record.query = query; }

  get href() { return serialize(this.#record); }
  set href(value) {
    const record = parse(usvString(value));
    if (!record) throw invalid(usvString(value));
    this.#record = record;
    this.#params[replaceList](record.query);
  }

  get origin() { return origin(this.#record); }

  get protocol() { return this.#record.scheme + ':'; }
  set protocol(value) {
    const m = /^([A-Za-z][A-Za-z0-9+\-.]*)/.exec(usvString(value));
    if (!m) return;
    const scheme = m[1].toLowerCase();
    // Special and not-special schemes do not trade places; file keeps no credentials or port.
    if (isSpecial(scheme) !== isSpecial(this.#record.scheme)) return;
    if (scheme === 'file' && (this.#record.username || this.#record.password || this.#record.port !== null)) return;
    if (this.#record.scheme === 'file' && this.#record.host === '') return;
    this.#record.scheme = scheme;
    if (this.#record.port === SPECIAL[scheme]) this.#record.port = null;
  }

  get username() { return this.#record.username; }
  set username(value) {
    if (this.#noCredentials()) return;
    this.#record.username = percentEncode(usvString(value), userinfoSet);
  }

  get password() { return this.#record.password; }
  set password(value) {
    if (this.#noCredentials()) return;
    this.#record.password = percentEncode(usvString(value), userinfoSet);
  }

  #noCredentials() {
    const r = this.#record;
    return r.host === null || r.host === '' || r.scheme === 'file';
  }

  get host() { return this.#record.host === null ? '' : serializeHost(this.#record); }
  set host(value) {
    if (typeof this.#record.path === 'string') return;
    const probe = { ...this.#record };
    const text = usvString(value).split(/[/?#\\]/)[0];
    if (text === '' && isSpecial(probe.scheme)) return;
    if (parseAuthority(text.replace(/^.*@/, ''), probe)) {
      this.#record.host = probe.host;
      if (/:/.test(text.replace(/\[.*\]/, ''))) this.#record.port = probe.port;
    }
  }

  get hostname() { return this.#record.host ?? ''; }
  set hostname(value) {
    if (typeof this.#record.path === 'string') return;
    const text = usvString(value).split(/[/?#\\]/)[0].replace(/:.*$/, '');
    if (text === '' && isSpecial(this.#record.scheme)) return;
    const host = text === '' ? '' : parseAnyHost(text, isSpecial(this.#record.scheme));
    if (host !== null) this.#record.host = host;
  }

  get port() { return this.#record.port === null ? '' : String(this.#record.port); }
  set port(value) {
    if (this.#record.host === null || this.#record.host === '' || this.#record.scheme === 'file') return;
    const text = usvString(value);
    if (text === '') {
      this.#record.port = null;
      return;
    }
    const digits = /^[0-9]+/.exec(text);
    if (!digits || Number(digits[0]) > 65535) return;
    const port = Number(digits[0]);
    this.#record.port = port === SPECIAL[this.#record.scheme] ? null : port;
  }

  get pathname() { return serializePath(this.#record).replace(/^\/\./, ''); }
  set pathname(value) {
    if (typeof this.#record.path === 'string') return;
    const special = isSpecial(this.#record.scheme);
    const text = usvString(value);
    this.#record.path = parsePath(text.replace(special ? /^[/\\]/ : /^\//, ''), special);
  }

  get search() { return this.#record.query ? '?' + this.#record.query : ''; }
  set search(value) {
    const text = usvString(value).replace(/^\?/, '');
    this.#record.query = text === '' ? null : percentEncode(text, isSpecial(this.#record.scheme) ? specialQuerySet : querySet);
    this.#params[replaceList](this.#record.query);
  }

  get searchParams() { return this.#params; }

  get hash() { return this.#record.fragment ? '#' + this.#record.fragment : ''; }
  set hash(value) {
    const text = usvString(value).replace(/^#/, '');
    this.#record.fragment = text === '' ? null : percentEncode(text, fragmentSet);
  }

  toString() { return this.href; }
  toJSON() { return this.href; }
  get [Symbol.toStringTag]() { return 'URL'; }
}

internal.defineGlobal('URL', URL);
internal.defineGlobal('URLSearchParams', URLSearchParams);
