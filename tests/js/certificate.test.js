// RTCCertificate and generateCertificate (webrtc-pc §4.9, §4.10): ECDSA and RSA certificates made
// by the SDK, their fingerprints in the descriptions, one identity across connections, and the
// configuration's rules; connections given none use the process's ECDSA certificate.
import { test, assert, run } from './harness.js';
import { connectedPair, collect } from './lib/rtc.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
const DAY_MS = 24 * 3600 * 1000;
const fingerprintsIn = (sdp) => [...new Set(sdp.match(/^a=fingerprint:.*$/gm))];
const sdpValue = (cert) => `a=fingerprint:sha-256 ${cert.getFingerprints()[0].value.toUpperCase()}`;

test('generateCertificate makes ECDSA P-256 and RSA certificates, valid for 30 days', async () => {
  for (const algorithm of [ECDSA, { ...ECDSA, name: 'ecdsa' }, RSA]) {
    const before = Date.now();
    const cert = await RTCPeerConnection.generateCertificate(algorithm);
    assert.ok(cert instanceof RTCCertificate, 'an RTCCertificate');
    assert.equal(Object.prototype.toString.call(cert), '[object RTCCertificate]');
    assert.ok(cert.expires >= before + 30 * DAY_MS && cert.expires <= Date.now() + 30 * DAY_MS, `expires in 30 days: ${cert.expires}`);
    const prints = cert.getFingerprints();
    assert.equal(prints.length, 1);
    assert.equal(prints[0].algorithm, 'sha-256');
    assert.match(prints[0].value, /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/, 'lowercase hex pairs');
    prints[0].value = 'changed';
    assert.notEqual(cert.getFingerprints()[0].value, 'changed', 'a copy each time');
  }
  const a = await RTCPeerConnection.generateCertificate(ECDSA), b = await RTCPeerConnection.generateCertificate(ECDSA);
  assert.notEqual(a.getFingerprints()[0].value, b.getFingerprints()[0].value, 'a new key each time');
  const short = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 3600 * 1000 });
  assert.ok(Math.abs(short.expires - (Date.now() + 3600 * 1000)) < 5000, 'expires as asked');
  const long = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 10 * 365 * DAY_MS });
  assert.ok(long.expires <= Date.now() + 366 * DAY_MS, 'at most a year');
});

test('what cannot be made is refused', async () => {
  await assert.rejects(RTCPeerConnection.generateCertificate('HMAC'), 'NotSupportedError');
  await assert.rejects(RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-384' }), 'NotSupportedError');
  await assert.rejects(RTCPeerConnection.generateCertificate({ ...RSA, publicExponent: new Uint8Array([7]) }), 'NotSupportedError');
  await assert.rejects(RTCPeerConnection.generateCertificate({ ...RSA, hash: 'SHA-1' }), 'NotSupportedError');
  await assert.rejects(RTCPeerConnection.generateCertificate({ ...RSA, modulusLength: 512 }), 'NotSupportedError');
  await assert.rejects(RTCPeerConnection.generateCertificate(42), TypeError);
  await assert.rejects(RTCPeerConnection.generateCertificate({}), TypeError);
  await assert.rejects(RTCPeerConnection.generateCertificate({ ...ECDSA, expires: -1 }), TypeError);
  assert.throws(() => new RTCCertificate(), TypeError, 'not constructible');
});

test('a connection with a certificate: its fingerprint in every description, and it connects', async () => {
  const cert = await RTCPeerConnection.generateCertificate(ECDSA);
  const { a, b, dcA, dcB, close } = await connectedPair({ certificates: [cert] });
  assert.deepEqual(fingerprintsIn(a.localDescription.sdp), [sdpValue(cert)], 'the offer');
  assert.deepEqual(fingerprintsIn(b.localDescription.sdp), [sdpValue(cert)], 'the answer: the same identity on both sides');
  assert.equal(a.getConfiguration().certificates[0], cert, 'getConfiguration gives it back');
  const got = collect(dcB, 1);
  dcA.send('over a DTLS handshake with our certificate');
  assert.deepEqual(await got, ['over a DTLS handshake with our certificate']);
  close();
});

test('one identity across connections; without one, the process\'s', async () => {
  const cert = await RTCPeerConnection.generateCertificate(RSA);
  const first = await connectedPair({ certificates: [cert] });
  const second = await connectedPair({ certificates: [cert] });
  assert.deepEqual(fingerprintsIn(second.a.localDescription.sdp), fingerprintsIn(first.a.localDescription.sdp), 'the same fingerprint');
  first.close();
  second.close();
  const plain = await connectedPair();
  const other = await connectedPair();
  const [pa, pb, oa] = [plain.a, plain.b, other.a].map((pc) => fingerprintsIn(pc.localDescription.sdp));
  assert.equal(pa.length, 1);
  assert.deepEqual([pb, oa], [pa, pa], 'the process\'s certificate for every connection given none');
  assert.notEqual(pa[0], fingerprintsIn(first.a.localDescription.sdp)[0], 'not the app\'s');
  assert.deepEqual(plain.a.getConfiguration().certificates, []);
  plain.close();
  other.close();
});

test('the configuration\'s rules: RTCCertificates only, not expired, never changed', async () => {
  const cert = await RTCPeerConnection.generateCertificate(ECDSA);
  assert.throws(() => new RTCPeerConnection({ certificates: [{}] }), TypeError);
  assert.throws(() => new RTCPeerConnection({ certificates: ['x'] }), TypeError);
  const expired = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 0 });
  assert.throws(() => new RTCPeerConnection({ certificates: [expired] }), 'InvalidAccessError');
  const pc = new RTCPeerConnection({ certificates: [cert] });
  pc.setConfiguration({});
  pc.setConfiguration({ certificates: [cert] });
  assert.equal(pc.getConfiguration().certificates[0], cert, 'kept when not given');
  const other = await RTCPeerConnection.generateCertificate(ECDSA);
  assert.throws(() => pc.setConfiguration({ certificates: [other] }), 'InvalidModificationError');
  assert.throws(() => pc.setConfiguration({ certificates: [] }), 'InvalidModificationError');
  pc.close();
});

test('the SDK refuses a certificate that is not one of the app\'s', async () => {
  const block = await mprtc.bridge.call('RTCPeerConnection.constructor', { certificate: 999999 }).catch((e) => e);
  assert.equal(block.name, 'TypeError');
  assert.match(block.message, /'certificate' is not an open RTCCertificate of this app/);
  const bad = await mprtc.bridge.call('RTCCertificate.generate', { name: 'ECDSA', namedCurve: 'P-256', modulusLength: 'x' }).catch((e) => e);
  assert.equal(bad.name, 'TypeError');
});

await run();
