// Blob (W3C File API): immutable bytes with a MIME type. Data channels and WebSockets receive
// binary messages as Blobs when binaryType is 'blob' (the standards' default) and send Blobs as
// binary messages (internal.blobBytes). A received message becomes a Blob without a copy.
// stream() is not here: this runtime has no ReadableStream.

const utf8 = (s) => native.utf8Encode(s);

// The type, as the standard keeps it: lower-case printable ASCII, or '' for anything else.
function normaliseType(type) {
  const t = String(type);
  return /^[\x20-\x7E]*$/.test(t) ? t.toLowerCase() : '';
}

function partBytes(part, endings) {
  const blob = contents.get(part);
  if (blob) return blob.bytes;
  if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  let text = String.prototype.toWellFormed.call(String(part));
  if (endings === 'native') text = text.replace(/\r\n|\r|\n/g, '\n');
  return utf8(text);
}

// A relative offset of slice(), clamped into [0, size].
function clampOffset(value, size, fallback) {
  if (value === undefined) return fallback;
  const n = Math.trunc(Number(value)) || 0;
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

// Each Blob's bytes and type, where page code cannot reach them.
const contents = new WeakMap(); // Blob -> { bytes: Uint8Array, type }

function contentsOf(blob) {
  const c = contents.get(blob);
  if (!c) throw new TypeError('Illegal invocation: not a Blob');
  return c;
}

// A Blob over bytes (a Uint8Array, taken as it is: nobody else may change it).
function makeBlob(bytes, type) {
  const blob = Object.create(Blob.prototype);
  contents.set(blob, { bytes, type });
  return blob;
}

class Blob {
  constructor(blobParts = undefined, options = undefined) {
    const parts = [];
    if (blobParts !== undefined) {
      if (blobParts === null || typeof blobParts !== 'object' || typeof blobParts[Symbol.iterator] !== 'function')
        throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
      const endings = options?.endings === undefined ? 'transparent' : String(options.endings);
      if (endings !== 'transparent' && endings !== 'native')
        throw new TypeError(`Failed to construct 'Blob': The provided value '${endings}' is not a valid enum value of type EndingType.`);
      for (const part of blobParts) parts.push(partBytes(part, endings));
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    contents.set(this, { bytes, type: options?.type === undefined ? '' : normaliseType(options.type) });
  }

  get size() { return contentsOf(this).bytes.byteLength; }
  get type() { return contentsOf(this).type; }

  slice(start = undefined, end = undefined, contentType = undefined) {
    const { bytes } = contentsOf(this);
    const from = clampOffset(start, bytes.byteLength, 0), to = clampOffset(end, bytes.byteLength, bytes.byteLength);
    return makeBlob(bytes.subarray(from, Math.max(from, to)), contentType === undefined ? '' : normaliseType(contentType));
  }

  arrayBuffer() { return Promise.resolve(contentsOf(this).bytes.slice().buffer); }
  bytes() { return Promise.resolve(contentsOf(this).bytes.slice()); }
  text() { return Promise.resolve(native.utf8Decode(contentsOf(this).bytes, false, false)[0]); }
  get [Symbol.toStringTag]() { return 'Blob'; }
}

internal.makeBlob = (bytes, type = '') => makeBlob(bytes, type);
// The bytes of a Blob (borrowed: never changed), or null for anything else.
internal.blobBytes = (value) => contents.get(value)?.bytes ?? null;
internal.defineGlobal('Blob', Blob);
