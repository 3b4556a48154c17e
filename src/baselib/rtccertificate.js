// RTCCertificate (W3C webrtc-pc §4.9) and RTCPeerConnection.generateCertificate (§4.10): a DTLS
// identity the SDK made (src/sdk/rtc/certificate.c) and keeps as an object of the app's, which a
// connection uses when its configuration names it: one identity across connections. The private
// key never leaves the SDK.

let certificateKey;
// When the app lets go of a certificate, the SDK's copy goes too (connections keep their own).
const certificateFinalizer = new FinalizationRegistry((id) => {
  internal.bridge.call('RTCCertificate.close', undefined, id).catch(() => {});
});
const YEAR_MS = 365 * 24 * 3600 * 1000;

class RTCCertificate {
  #id;
  #expires;
  #fingerprints;

  constructor(key, id, expires, fingerprints) {
    if (key !== certificateKey) throw new TypeError('Illegal constructor');
    this.#id = id;
    this.#expires = expires;
    this.#fingerprints = fingerprints;
  }

  get expires() { return this.#expires; }

  getFingerprints() {
    return this.#fingerprints.map((f) => ({ algorithm: f.algorithm, value: f.value.toLowerCase() }));
  }

  static {
    certificateKey = {};
    internal.certificates = {
      // The SDK object of cert, or undefined when cert is no RTCCertificate.
      idOf: (cert) => (cert !== null && typeof cert === 'object' && #id in cert ? cert.#id : undefined),
      expired: (cert) => cert.#expires <= Date.now(),
    };
  }
}
Object.defineProperty(RTCCertificate.prototype, Symbol.toStringTag, { value: 'RTCCertificate', configurable: true });

// The WebCrypto algorithm normalisation, for the two algorithms browsers make: the SDK's params,
// or a NotSupportedError (a TypeError for what is not an algorithm at all).
function keygenParams(algorithm) {
  if (typeof algorithm === 'string') algorithm = { name: algorithm };
  if (!internal.isObject(algorithm)) {
    throw new TypeError("Failed to execute 'generateCertificate' on 'RTCPeerConnection': the algorithm is neither a string nor an object.");
  }
  if (typeof algorithm.name !== 'string') {
    throw new TypeError("Failed to execute 'generateCertificate' on 'RTCPeerConnection': the algorithm has no name.");
  }
  const name = algorithm.name.toUpperCase();
  const params = {};
  if (name === 'ECDSA') {
    if (algorithm.namedCurve !== 'P-256') {
      throw new DOMException(`Failed to execute 'generateCertificate' on 'RTCPeerConnection': the curve '${algorithm.namedCurve}' is not supported (P-256 is).`, 'NotSupportedError');
    }
    Object.assign(params, { name: 'ECDSA', namedCurve: 'P-256' });
  } else if (name === 'RSASSA-PKCS1-V1_5') {
    const exponent = algorithm.publicExponent;
    const e = ArrayBuffer.isView(exponent) ? Array.from(new Uint8Array(exponent.buffer, exponent.byteOffset, exponent.byteLength)) : null;
    const value = e ? e.reduce((n, b) => n * 256 + b, 0) : NaN;
    const hash = typeof algorithm.hash === 'string' ? algorithm.hash : algorithm.hash?.name;
    if (!Number.isInteger(algorithm.modulusLength) || algorithm.modulusLength < 1024 || algorithm.modulusLength > 8192 ||
        (value !== 65537 && value !== 3) || String(hash).toUpperCase() !== 'SHA-256') {
      throw new DOMException("Failed to execute 'generateCertificate' on 'RTCPeerConnection': RSASSA-PKCS1-v1_5 is supported with a modulusLength of 1024 to 8192, a publicExponent of 65537 (or 3) and hash SHA-256.", 'NotSupportedError');
    }
    Object.assign(params, { name: 'RSASSA-PKCS1-v1_5', modulusLength: algorithm.modulusLength, publicExponent: value });
  } else {
    throw new DOMException(`Failed to execute 'generateCertificate' on 'RTCPeerConnection': the algorithm '${algorithm.name}' is not supported (ECDSA P-256 and RSASSA-PKCS1-v1_5 are).`, 'NotSupportedError');
  }
  if (algorithm.expires !== undefined) {
    const expires = Number(algorithm.expires);
    if (!Number.isFinite(expires) || expires < 0) {
      throw new TypeError("Failed to execute 'generateCertificate' on 'RTCPeerConnection': expires is not a number of milliseconds.");
    }
    // Browsers cap a certificate's life at a year.
    params.expires = Math.min(Math.trunc(expires), YEAR_MS);
  }
  return params;
}

internal.generateCertificate = async (algorithm) => {
  const params = keygenParams(algorithm);
  const { id, expires, fingerprints } = await internal.bridge.call('RTCCertificate.generate', params);
  const cert = new RTCCertificate(certificateKey, id, expires, fingerprints);
  certificateFinalizer.register(cert, id);
  return cert;
};

internal.defineGlobal('RTCCertificate', RTCCertificate);
