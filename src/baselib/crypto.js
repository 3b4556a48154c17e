// crypto.getRandomValues and crypto.randomUUID (Web Crypto), from the kernel's CSPRNG.

const integerArrays = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
                       'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];
// The typed array's kind from its internal slot (undefined for a DataView), which neither a
// subclass nor an overwritten constructor property changes.
const typedArrayName = Function.prototype.call.bind(
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag).get);

let cryptoKey;
class Crypto {
  constructor(key) { if (key !== cryptoKey) throw new TypeError('Illegal constructor'); }

  getRandomValues(array) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.");
    if (!ArrayBuffer.isView(array)) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
    }
    // A DataView is an ArrayBufferView too: like a float array, it is a TypeMismatchError.
    const type = typedArrayName(array) ?? 'DataView';
    if (!integerArrays.includes(type)) {
      throw new DOMException("Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is of type '" + type + "', which is not an integer array type.", 'TypeMismatchError');
    }
    if (array.byteLength > 65536) {
      throw new DOMException(`Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536).`, 'QuotaExceededError');
    }
    native.randomFill(array);
    return array;
  }

  randomUUID() {
    const b = native.randomFill(new Uint8Array(16));
    b[6] = (b[6] & 0x0F) | 0x40; // version 4
    b[8] = (b[8] & 0x3F) | 0x80; // variant 10
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  static { cryptoKey = {}; }
}

internal.defineGlobal('Crypto', Crypto);
internal.defineGlobal('crypto', new Crypto(cryptoKey));
