// TextEncoder and TextDecoder (Encoding Standard), UTF-8 only: the conversions are C's
// (src/base/utf8.c), with the standard's replacement and fatal behaviour.

const utf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8',
                            'utf8', 'x-unicode20utf8']);

function toBytes(input, method) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
    return new Uint8Array(input);
  }
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`Failed to execute '${method}' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.`);
}

class TextEncoder {
  get encoding() { return 'utf-8'; }

  encode(input = '') {
    return native.utf8Encode(String(input));
  }

  encodeInto(source, destination) {
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    }
    const s = String(source);
    let read = 0, written = 0;
    const room = destination.length;
    for (let i = 0; i < s.length;) {
      let cp = s.charCodeAt(i);
      let units = 1;
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < s.length) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xDC00 && lo <= 0xDFFF) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); units = 2; }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + size > room) break;
      if (size === 1) {
        destination[written] = cp;
      } else if (size === 2) {
        destination[written] = 0xC0 | (cp >> 6);
        destination[written + 1] = 0x80 | (cp & 0x3F);
      } else if (size === 3) {
        destination[written] = 0xE0 | (cp >> 12);
        destination[written + 1] = 0x80 | ((cp >> 6) & 0x3F);
        destination[written + 2] = 0x80 | (cp & 0x3F);
      } else {
        destination[written] = 0xF0 | (cp >> 18);
        destination[written + 1] = 0x80 | ((cp >> 12) & 0x3F);
        destination[written + 2] = 0x80 | ((cp >> 6) & 0x3F);
        destination[written + 3] = 0x80 | (cp & 0x3F);
      }
      written += size;
      read += units;
      i += units;
    }
    return { read, written };
  }
}

class TextDecoder {
  #fatal;
  #ignoreBOM;
  #pending = new Uint8Array(0); // an incomplete sequence kept by a streaming decode
  #bomSeen = false;

  constructor(label = 'utf-8', options = {}) {
    // The standard strips ASCII whitespace only and lowercases ASCII only (String#trim would
    // also accept labels padded with U+00A0, U+2028, U+000B, ...).
    const name = String(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '')
      .replace(/[A-Z]+/g, (c) => c.toLowerCase());
    if (!utf8Labels.has(name)) {
      throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${label}') is invalid or not supported here (utf-8 only).`);
    }
    this.#fatal = !!(options && options.fatal);
    this.#ignoreBOM = !!(options && options.ignoreBOM);
  }

  get encoding() { return 'utf-8'; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }

  decode(input = undefined, options = {}) {
    let bytes = toBytes(input, 'decode');
    const stream = !!(options && options.stream);
    if (this.#pending.length) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
    }
    let text, consumed;
    try {
      [text, consumed] = native.utf8Decode(bytes, this.#fatal, stream);
    } catch (error) {
      this.#pending = new Uint8Array(0);
      this.#bomSeen = false;
      throw error;
    }
    this.#pending = bytes.slice(consumed);
    if (!this.#ignoreBOM && !this.#bomSeen && text.length) {
      if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
      this.#bomSeen = true;
    }
    if (!stream) {
      this.#bomSeen = false;
      this.#pending = new Uint8Array(0);
    }
    return text;
  }
}

internal.defineGlobal('TextEncoder', TextEncoder);
internal.defineGlobal('TextDecoder', TextDecoder);
