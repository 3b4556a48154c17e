// fetch, with Headers, Request and Response (WHATWG Fetch Standard), over the SDK's HTTP requests
// (src/sdk/net/http.c, libsoup). What a mini-program has no use for is left out: CORS and
// modes (there is no origin: every response is "basic"), credentials and cookies, caches,
// streaming bodies (no ReadableStream: a body is read whole), and Request bodies read back.
// internal.http(...) is the one request path, for wx.request too.

const usvText = (value) => String.prototype.toWellFormed.call(String(value));
const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const badValueRe = /[\0\r\n]/;
const trimHTTP = (s) => s.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');

// ---- the SDK's side ----

// One request: {method, url, headers: [[name, value]], body: Uint8Array | null, signal, timeout}
// -> Promise of {status, statusText, url, redirected, headers, body: ArrayBuffer}; rejects with a
// TypeError (network), the signal's reason (aborted) or {timedOut: true, message}.
internal.http = function http({ method, url, headers, body, signal, timeout }) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let id = 0, done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      if (id) internal.bridge.unlisten(id);
      signal?.removeEventListener('abort', onAbort);
      fn(value);
    };
    const onAbort = () => {
      if (id) internal.bridge.call('HttpRequest.abort', undefined, id).catch(() => {});
      finish(reject, signal.reason);
    };
    signal?.addEventListener('abort', onAbort);
    const params = { method, url, headers };
    if (timeout) params.timeout = timeout;
    internal.bridge.call('HttpRequest.constructor', params, undefined, undefined, body ?? undefined).then(({ id: made }) => {
      id = made;
      if (done) {
        internal.bridge.call('HttpRequest.abort', undefined, id).catch(() => {});
        return;
      }
      internal.bridge.listen(id, (event, data, bytes) => {
        if (event === 'response') finish(resolve, { ...data, body: bytes ?? new ArrayBuffer(0) });
        else if (event === 'error') finish(reject, data.timedOut ? { timedOut: true, message: data.message } : new TypeError(`Failed to fetch: ${data.message}`));
      });
    }, (error) => finish(reject, new TypeError(`Failed to fetch: ${error.message}`)));
  });
};

// ---- Headers ----

const headersList = Symbol('headersList');

class Headers {
  #list = []; // [lower-case name, value], in the order added

  constructor(init = undefined) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [n, v] of init[headersList]) this.append(n, v);
    } else if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = [...pair];
        if (p.length !== 2) throw new TypeError("Failed to construct 'Headers': Invalid value");
        this.append(p[0], p[1]);
      }
    } else if (typeof init === 'object') {
      for (const key of Object.keys(init)) this.append(key, init[key]);
    } else {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
  }

  static #check(name, value) {
    name = usvText(name);
    if (!tokenRe.test(name)) throw new TypeError(`Invalid header name: '${name}'`);
    if (value === undefined) return [name.toLowerCase()];
    value = trimHTTP(usvText(value));
    if (badValueRe.test(value)) throw new TypeError(`Invalid value of header '${name}'`);
    return [name.toLowerCase(), value];
  }

  get [headersList]() { return this.#list; }

  append(name, value) {
    const [n, v] = Headers.#check(name, value);
    this.#list.push([n, v]);
  }
  delete(name) {
    const [n] = Headers.#check(name);
    this.#list = this.#list.filter(([k]) => k !== n);
  }
  get(name) {
    const [n] = Headers.#check(name);
    const values = this.#list.filter(([k]) => k === n).map(([, v]) => v);
    return values.length ? values.join(', ') : null;
  }
  getSetCookie() { return this.#list.filter(([k]) => k === 'set-cookie').map(([, v]) => v); }
  has(name) {
    const [n] = Headers.#check(name);
    return this.#list.some(([k]) => k === n);
  }
  set(name, value) {
    const [n, v] = Headers.#check(name, value);
    const i = this.#list.findIndex(([k]) => k === n);
    if (i < 0) this.#list.push([n, v]);
    else this.#list = this.#list.filter(([k], j) => k !== n || j === i).map((p, j) => (p[0] === n ? [n, v] : p));
  }
  // Sorted by name, values of one name combined (set-cookie kept apart), as the standard says.
  *entries() {
    const names = [...new Set(this.#list.map(([k]) => k))].sort();
    for (const n of names) {
      if (n === 'set-cookie') for (const v of this.getSetCookie()) yield [n, v];
      else yield [n, this.get(n)];
    }
  }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  forEach(callback, thisArg = undefined) {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
  get [Symbol.toStringTag]() { return 'Headers'; }
}

// ---- bodies ----

// The bytes and the content type a body init gives.
function extractBody(body) {
  if (body === null || body === undefined) return { bytes: null, type: null };
  const blob = internal.blobBytes(body);
  if (blob) return { bytes: blob, type: body.type || null };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body.slice(0)), type: null };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), type: null };
  if (body instanceof URLSearchParams) return { bytes: native.utf8Encode(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  return { bytes: native.utf8Encode(usvText(body)), type: 'text/plain;charset=UTF-8' };
}

const bodyKey = Symbol('body');

// What Request and Response share: a body read once.
class BodyMixin {
  #bytes;
  #used = false;

  constructor(bytes) { this.#bytes = bytes; }
  get bodyUsed() { return this.#used; }
  get body() { return null; } // no ReadableStream in this runtime

  #consume(name) {
    if (this.#used) return Promise.reject(new TypeError(`Failed to execute '${name}': body stream already read`));
    this.#used = true;
    return Promise.resolve(this.#bytes ?? new Uint8Array(0));
  }

  arrayBuffer() { return this.#consume('arrayBuffer').then((b) => b.slice().buffer); }
  bytes() { return this.#consume('bytes').then((b) => b.slice()); }
  text() { return this.#consume('text').then((b) => native.utf8Decode(b, false, false)[0]); }
  json() { return this.text().then((t) => JSON.parse(t)); }
  blob() {
    return this.#consume('blob').then((b) => internal.makeBlob(b.slice(), (this.headers.get('content-type') ?? '').toLowerCase()));
  }
  get [bodyKey]() { return this.#bytes; }
}

const bodyBytes = (r) => r[bodyKey];

// ---- Request ----

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];

class Request extends BodyMixin {
  #url;
  #method;
  #headers;
  #signal;

  constructor(input, init = {}) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
    const from = input instanceof Request ? input : null;
    let url = from ? from.url : usvText(input);
    if (!from) {
      let parsed;
      try {
        parsed = new URL(url);
      } catch {
        throw new TypeError(`Failed to construct 'Request': Failed to parse URL from ${url}`);
      }
      if (parsed.username || parsed.password) throw new TypeError(`Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials: ${url}`);
      parsed.hash = '';
      url = parsed.href;
    }
    let method = init.method !== undefined ? usvText(init.method) : from ? from.method : 'GET';
    if (!tokenRe.test(method)) throw new TypeError(`Failed to construct 'Request': '${method}' is not a valid HTTP method.`);
    if (/^(connect|trace|track)$/i.test(method)) throw new TypeError(`Failed to construct 'Request': '${method}' HTTP method is unsupported.`);
    if (METHODS.includes(method.toUpperCase())) method = method.toUpperCase();
    const headers = new Headers(init.headers !== undefined ? init.headers : from ? from.headers : undefined);
    let bytes = from ? bodyBytes(from) : null;
    if (init.body !== undefined && init.body !== null) {
      if (method === 'GET' || method === 'HEAD') throw new TypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
      const extracted = extractBody(init.body);
      bytes = extracted.bytes;
      if (extracted.type && !headers.has('content-type')) headers.set('content-type', extracted.type);
    }
    super(bytes);
    this.#url = url;
    this.#method = method;
    this.#headers = headers;
    this.#signal = init.signal !== undefined ? init.signal : from ? from.signal : null;
    if (this.#signal !== null && !(this.#signal instanceof AbortSignal)) {
      throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
    }
  }

  get url() { return this.#url; }
  get method() { return this.#method; }
  get headers() { return this.#headers; }
  get signal() { return this.#signal ?? (this.#signal = new AbortController().signal); }
  get redirect() { return 'follow'; }
  get mode() { return 'cors'; }
  get credentials() { return 'same-origin'; }
  clone() { return new Request(this); }
  get [Symbol.toStringTag]() { return 'Request'; }
}

// ---- Response ----

const responseInit = Symbol('responseInit');
const NULL_BODY_STATUS = [101, 103, 204, 205, 304];

class Response extends BodyMixin {
  #status;
  #statusText;
  #headers;
  #url;
  #redirected;
  #type;

  constructor(body = null, init = {}) {
    const internalInit = init?.[responseInit];
    const status = internalInit ? internalInit.status : init.status === undefined ? 200 : Number(init.status);
    if (!internalInit && (!Number.isInteger(status) || status < 200 || status > 599)) {
      throw new RangeError(`Failed to construct 'Response': The status provided (${init.status}) is outside the range [200, 599].`);
    }
    const headers = new Headers(internalInit ? internalInit.headers : init.headers);
    let bytes = internalInit ? internalInit.bytes : null;
    if (!internalInit && body !== null && body !== undefined) {
      if (NULL_BODY_STATUS.includes(status)) throw new TypeError("Failed to construct 'Response': Response with null body status cannot have body");
      const extracted = extractBody(body);
      bytes = extracted.bytes;
      if (extracted.type && !headers.has('content-type')) headers.set('content-type', extracted.type);
    }
    super(bytes);
    this.#status = status;
    this.#statusText = internalInit ? internalInit.statusText : init.statusText === undefined ? '' : usvText(init.statusText);
    this.#headers = headers;
    this.#url = internalInit ? internalInit.url : '';
    this.#redirected = internalInit ? internalInit.redirected : false;
    this.#type = internalInit?.type ?? 'default';
  }

  static error() { return new Response(null, { [responseInit]: { status: 0, statusText: '', headers: [], bytes: null, url: '', redirected: false, type: 'error' } }); }
  static json(data, init = {}) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': The data provided cannot be serialized to JSON.");
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(text, { ...init, headers });
  }
  static redirect(url, status = 302) {
    if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Failed to execute 'redirect' on 'Response': Invalid status code`);
    return new Response(null, { [responseInit]: { status, statusText: '', headers: [['location', new URL(usvText(url)).href]], bytes: null, url: '', redirected: false } });
  }

  get status() { return this.#status; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get statusText() { return this.#statusText; }
  get headers() { return this.#headers; }
  get url() { return this.#url; }
  get redirected() { return this.#redirected; }
  get type() { return this.#type; }
  clone() {
    if (this.bodyUsed) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
    return new Response(null, { [responseInit]: { status: this.#status, statusText: this.#statusText, headers: this.#headers, bytes: bodyBytes(this), url: this.#url, redirected: this.#redirected, type: this.#type } });
  }
  get [Symbol.toStringTag]() { return 'Response'; }
}

// ---- fetch ----

function fetch(input, init = undefined) {
  let request;
  try {
    request = new Request(input, init ?? {});
  } catch (error) {
    return Promise.reject(error);
  }
  const headers = [...request.headers[headersList]];
  return internal.http({
    method: request.method, url: request.url, headers, body: bodyBytes(request), signal: request.signal,
  }).then((r) => new Response(null, {
    [responseInit]: {
      status: r.status, statusText: r.statusText, headers: r.headers, url: r.url, redirected: r.redirected, type: 'basic',
      bytes: request.method === 'HEAD' || NULL_BODY_STATUS.includes(r.status) ? null : new Uint8Array(r.body),
    },
  }), (error) => {
    throw error?.timedOut ? new TypeError(`Failed to fetch: ${error.message}`) : error;
  });
}

internal.defineGlobal('Headers', Headers);
internal.defineGlobal('Request', Request);
internal.defineGlobal('Response', Response);
internal.defineGlobal('fetch', fetch);
