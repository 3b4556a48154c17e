// RTCPeerConnection over webrtcbin: configuration, offer/answer, states and events, errors.
import { test, assert, run } from './harness.js';
import { once, until, exchangeCandidates, negotiate, connectedPair } from './lib/rtc.js';

test('constructor defaults and getConfiguration', () => {
  const pc = new RTCPeerConnection();
  const c = pc.getConfiguration();
  assert.deepEqual(c.iceServers, []);
  assert.equal(c.iceTransportPolicy, 'all');
  assert.equal(c.bundlePolicy, 'balanced');
  assert.equal(c.rtcpMuxPolicy, 'require');
  assert.equal(c.iceCandidatePoolSize, 0);
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.iceGatheringState, 'new');
  assert.equal(pc.iceConnectionState, 'new');
  assert.equal(pc.connectionState, 'new');
  assert.equal(pc.localDescription, null);
  assert.equal(pc.remoteDescription, null);
  assert.equal(pc.canTrickleIceCandidates, null);
  assert.equal(pc.sctp, null);
  assert.ok(pc instanceof EventTarget);
  pc.close();
});

test('iceServers are validated as the spec says', () => {
  const bad = (iceServers) => () => new RTCPeerConnection({ iceServers });
  assert.throws(bad([{ urls: 'http://example.com' }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'stun://127.0.0.1' }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'stun:' }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'stun:127.0.0.1:99999' }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'stun:127.0.0.1?transport=udp' }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'turn:127.0.0.1?transport=sctp', username: 'u', credential: 'p' }]), 'SyntaxError');
  assert.throws(bad([{ urls: [] }]), 'SyntaxError');
  assert.throws(bad([{ urls: 'turn:127.0.0.1:3478' }]), 'InvalidAccessError');
  assert.throws(bad([{ urls: 'turns:127.0.0.1', username: 'u' }]), 'InvalidAccessError');
  assert.throws(bad([{}]), TypeError);
  assert.throws(bad('stun:127.0.0.1'), TypeError);
  const ok = new RTCPeerConnection({ iceServers: [
    { urls: 'stun:127.0.0.1:3478' },
    { urls: ['turn:127.0.0.1:3478?transport=udp', 'turn:[::1]:3478'], username: 'us:er', credential: 'p@ss/w+rd=' },
  ] });
  const servers = ok.getConfiguration().iceServers;
  assert.equal(servers.length, 2);
  assert.equal(servers[1].username, 'us:er');
  ok.close();
});

test('enum and range members are validated', () => {
  assert.throws(() => new RTCPeerConnection({ iceTransportPolicy: 'none' }), TypeError);
  assert.throws(() => new RTCPeerConnection({ bundlePolicy: 'max' }), TypeError);
  assert.throws(() => new RTCPeerConnection({ rtcpMuxPolicy: 'negotiate' }), TypeError);
  assert.throws(() => new RTCPeerConnection({ iceCandidatePoolSize: 256 }), TypeError);
  for (const bundlePolicy of ['balanced', 'max-compat', 'max-bundle']) {
    const pc = new RTCPeerConnection({ bundlePolicy, iceTransportPolicy: 'relay' });
    assert.equal(pc.getConfiguration().bundlePolicy, bundlePolicy);
    pc.close();
  }
});

test('setConfiguration keeps what may not change', () => {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  assert.throws(() => pc.setConfiguration({ bundlePolicy: 'max-compat' }), 'InvalidModificationError');
  pc.setConfiguration({ bundlePolicy: 'max-bundle', iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
  assert.equal(pc.getConfiguration().iceServers[0].urls, 'stun:127.0.0.1:3478');
  pc.close();
  assert.throws(() => pc.setConfiguration({}), 'InvalidStateError');
});

test('a full negotiation moves the states and descriptions as the spec says', async () => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const aStates = [];
  const bStates = [];
  a.onsignalingstatechange = () => aStates.push(a.signalingState);
  b.onsignalingstatechange = () => bStates.push(b.signalingState);
  a.createDataChannel('x');
  const offer = await a.createOffer();
  assert.equal(offer.type, 'offer');
  assert.match(offer.sdp, /m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/);
  assert.equal(a.signalingState, 'stable', 'createOffer does not change the state');
  await a.setLocalDescription(offer);
  assert.equal(a.signalingState, 'have-local-offer');
  assert.equal(a.pendingLocalDescription.type, 'offer');
  assert.equal(a.currentLocalDescription, null);
  assert.equal(a.localDescription, a.pendingLocalDescription);
  await b.setRemoteDescription(offer);
  assert.equal(b.signalingState, 'have-remote-offer');
  assert.equal(b.pendingRemoteDescription.sdp, offer.sdp);
  const answer = await b.createAnswer();
  assert.equal(answer.type, 'answer');
  await b.setLocalDescription(answer);
  assert.equal(b.signalingState, 'stable');
  assert.equal(b.currentLocalDescription.type, 'answer');
  assert.equal(b.currentRemoteDescription.type, 'offer');
  assert.equal(b.pendingRemoteDescription, null);
  await a.setRemoteDescription(answer);
  assert.equal(a.currentRemoteDescription.type, 'answer');
  assert.equal(a.currentLocalDescription.type, 'offer');
  assert.equal(a.pendingLocalDescription, null);
  assert.deepEqual(aStates, ['have-local-offer', 'stable']);
  assert.deepEqual(bStates, ['have-remote-offer', 'stable']);
  assert.equal(a.canTrickleIceCandidates, true);
  await until(a, 'connectionstatechange', () => a.connectionState === 'connected');
  await until(b, 'connectionstatechange', () => b.connectionState === 'connected');
  assert.ok(['connected', 'completed'].includes(a.iceConnectionState));
  assert.ok(a.sctp instanceof RTCSctpTransport);
  assert.equal(a.sctp.maxMessageSize, 65536);
  a.close();
  b.close();
});

test('candidates trickle, end with a null candidate, and join the local description', async () => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.createDataChannel('x');
  const candidates = [];
  const gathering = [];
  a.onicegatheringstatechange = () => gathering.push(a.iceGatheringState);
  const done = new Promise((resolve) => {
    a.onicecandidate = (e) => {
      candidates.push(e.candidate);
      if (e.candidate === null) resolve();
    };
  });
  await a.setLocalDescription(await a.createOffer());
  await done;
  assert.deepEqual(gathering, ['gathering', 'complete']);
  assert.equal(a.iceGatheringState, 'complete');
  assert.ok(candidates.length >= 2, 'at least one real candidate and the null one');
  assert.equal(candidates[candidates.length - 1], null);
  for (const c of candidates.slice(0, -1)) {
    assert.ok(c instanceof RTCIceCandidate);
    assert.equal(c.sdpMLineIndex, 0);
    assert.equal(c.sdpMid, 'application0');
    assert.match(c.candidate, /^candidate:/);
    assert.ok(['udp', 'tcp'].includes(c.protocol));
    assert.ok(c.port >= 0 && c.address);
    assert.ok(a.localDescription.sdp.includes('a=' + c.candidate), 'the local description carries it');
  }
  // The candidates let the other side connect without trickle: all in the description.
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await new Promise((resolve) => { b.onicecandidate = (e) => { if (!e.candidate) resolve(); }; });
  await a.setRemoteDescription(b.localDescription);
  await until(a, 'connectionstatechange', () => a.connectionState === 'connected');
  a.close();
  b.close();
});

test('negotiationneeded fires once for the first data channel, not after it is negotiated', async () => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  let count = 0;
  a.onnegotiationneeded = () => count++;
  a.createDataChannel('one');
  a.createDataChannel('two');
  await once(a, 'negotiationneeded');
  assert.equal(count, 1);
  await negotiate(a, b);
  a.createDataChannel('three');
  // A round trip over the bridge: a queued negotiationneeded would have fired by then.
  await a.createOffer();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(count, 1);
  a.close();
  b.close();
});

test('parameterless setLocalDescription makes the offer and the answer', async () => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  a.createDataChannel('x');
  await a.setLocalDescription();
  assert.equal(a.signalingState, 'have-local-offer');
  assert.equal(a.localDescription.type, 'offer');
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  assert.equal(b.localDescription.type, 'answer');
  await a.setRemoteDescription(b.localDescription);
  await until(a, 'connectionstatechange', () => a.connectionState === 'connected');
  a.close();
  b.close();
});

test('wrong-state calls reject with InvalidStateError', async () => {
  const pc = new RTCPeerConnection();
  await assert.rejects(pc.createAnswer(), 'InvalidStateError');
  await assert.rejects(pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' }), 'InvalidStateError');
  await assert.rejects(pc.setLocalDescription({ type: 'rollback' }), 'InvalidStateError');
  pc.createDataChannel('x');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  pc.close();
});

test('perfect negotiation: an offer in have-local-offer rolls back and is answered', async () => {
  // Both sides offer at once ("glare"); the polite one (b) takes a's offer.
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const dcA = a.createDataChannel('from-a');
  const dcB = b.createDataChannel('from-b');
  const fromA = once(b, 'datachannel');
  const fromB = once(a, 'datachannel');
  const offerA = await a.createOffer();
  await a.setLocalDescription(offerA);
  await b.setLocalDescription(await b.createOffer());
  assert.equal(b.signalingState, 'have-local-offer');
  await b.setRemoteDescription(offerA); // implicit rollback, then the offer
  assert.equal(b.signalingState, 'have-remote-offer');
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  await until(dcA, 'open', () => dcA.readyState === 'open');
  const got = (await fromA).channel;
  assert.equal(got.label, 'from-a');
  // b's own channel was created again on the new webrtcbin: the negotiated SCTP association
  // carries it too.
  await until(dcB, 'open', () => dcB.readyState === 'open');
  assert.equal((await fromB).channel.label, 'from-b');
  a.close();
  b.close();
});

test('explicit rollback of a local offer before the first negotiation', async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('x');
  const states = [];
  pc.onsignalingstatechange = () => states.push(pc.signalingState);
  await pc.setLocalDescription(await pc.createOffer());
  await pc.setLocalDescription({ type: 'rollback' });
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.localDescription, null);
  assert.deepEqual(states, ['have-local-offer', 'stable']);
  await pc.setLocalDescription(await pc.createOffer());
  assert.equal(pc.signalingState, 'have-local-offer');
  pc.close();
});

test('bad descriptions and candidates are refused with the spec names', async () => {
  const a = new RTCPeerConnection();
  await assert.rejects(a.setRemoteDescription({ type: 'offer', sdp: 'this is not sdp' }), 'OperationError');
  await assert.rejects(a.setRemoteDescription({ type: 'bogus', sdp: '' }), TypeError);
  await assert.rejects(a.setRemoteDescription({ sdp: 'v=0' }), TypeError);
  await assert.rejects(a.setRemoteDescription(), TypeError);
  const b = new RTCPeerConnection();
  b.createDataChannel('x');
  await a.setRemoteDescription(await b.createOffer());
  await assert.rejects(a.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }), TypeError);
  await assert.rejects(a.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: 'nope' }), 'OperationError');
  await assert.rejects(a.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMLineIndex: 7 }), 'OperationError');
  await assert.rejects(a.addIceCandidate({ candidate: 'garbage', sdpMLineIndex: 0 }), 'OperationError');
  // End of candidates is accepted in its three forms.
  await a.addIceCandidate({ candidate: '', sdpMLineIndex: 0 });
  await a.addIceCandidate(null);
  await a.addIceCandidate();
  a.close();
  b.close();
});

test('rollback: refused in stable, NotSupportedError after the first negotiation', async () => {
  const { a, b, close } = await connectedPair();
  await assert.rejects(a.setLocalDescription({ type: 'rollback' }), 'InvalidStateError');
  a.createDataChannel('more');
  await a.setLocalDescription(await a.createOffer());
  const e = await assert.rejects(a.setLocalDescription({ type: 'rollback' }), 'NotSupportedError');
  assert.match(e.message, /webrtcbin/);
  close();
});

// The a=ice-ufrag values of a description.
const ufrags = (desc) => [...new Set([...desc.sdp.matchAll(/a=ice-ufrag:(\S+)/g)].map((m) => m[1]))];

// Events of pc of the given types, as "type:state" (candidates as "candidate"/"null"), in order.
function record(pc) {
  const seen = [];
  pc.addEventListener('iceconnectionstatechange', () => seen.push(`ice:${pc.iceConnectionState}`));
  pc.addEventListener('icegatheringstatechange', () => seen.push(`gathering:${pc.iceGatheringState}`));
  pc.addEventListener('connectionstatechange', () => seen.push(`connection:${pc.connectionState}`));
  pc.addEventListener('icecandidate', (e) => {
    if (seen.at(-1) !== 'candidate' || !e.candidate) seen.push(e.candidate ? 'candidate' : 'null');
  });
  return seen;
}

test('restartIce: new credentials both ways, checks again, the connection and its data carry on', async () => {
  const p = await connectedPair();
  await until(p.a, 'iceconnectionstatechange', () => p.a.iceConnectionState === 'completed');
  await until(p.b, 'iceconnectionstatechange', () => p.b.iceConnectionState === 'completed');
  const before = { a: ufrags(p.a.localDescription), b: ufrags(p.b.localDescription) };
  const atA = record(p.a), atB = record(p.b);
  const needed = once(p.a, 'negotiationneeded');
  p.a.restartIce();
  await needed;
  const offer = await p.a.createOffer();
  assert.ok(!before.a.includes(ufrags(offer)[0]), 'the offer has new credentials');
  assert.equal(ufrags(offer).length, 1, 'one pair for the bundle');
  await p.a.setLocalDescription(offer);
  await p.b.setRemoteDescription(offer);
  const answer = await p.b.createAnswer();
  assert.ok(!before.b.includes(ufrags(answer)[0]), 'the answer to a restart has new credentials too');
  await p.b.setLocalDescription(answer);
  await p.a.setRemoteDescription(answer);
  // Checks run again to completion; the selected pair carried the data meanwhile.
  await until(p.a, 'iceconnectionstatechange', () => p.a.iceConnectionState === 'completed');
  await until(p.b, 'iceconnectionstatechange', () => p.b.iceConnectionState === 'completed');
  for (const seen of [atA, atB]) {
    // completed -> connected (new checks) -> completed; gathering again with the candidates and
    // the null candidate; the connection stays connected.
    assert.deepEqual(seen.filter((e) => e.startsWith('ice:')), ['ice:connected', 'ice:completed'], seen.join(' '));
    assert.deepEqual(seen.filter((e) => !e.startsWith('ice:')),
                     ['gathering:gathering', 'candidate', 'gathering:complete', 'null'], seen.join(' '));
  }
  assert.equal(p.a.connectionState, 'connected');
  // A candidate of the replaced credentials is refused; one of the new ones is taken.
  const line = 'candidate:1 1 UDP 2015363327 192.0.2.2 9999 typ host';
  await assert.rejects(p.a.addIceCandidate({ candidate: line, sdpMLineIndex: 0, usernameFragment: before.b[0] }), 'OperationError');
  await p.a.addIceCandidate({ candidate: line, sdpMLineIndex: 0, usernameFragment: ufrags(answer)[0] });
  // Nothing left to negotiate; a later offer keeps the new credentials.
  assert.deepEqual(ufrags(await p.a.createOffer()), ufrags(offer));
  const got = once(p.dcB, 'message');
  p.dcA.send('after the restart');
  assert.equal((await got).data, 'after the restart');
  // The other side may restart too, with createOffer's iceRestart option.
  const again = await p.b.createOffer({ iceRestart: true });
  assert.ok(ufrags(again)[0] !== ufrags(answer)[0]);
  await p.b.setLocalDescription(again);
  await p.a.setRemoteDescription(again);
  await p.a.setLocalDescription(await p.a.createAnswer());
  await p.b.setRemoteDescription(p.a.localDescription);
  await until(p.b, 'iceconnectionstatechange', () => p.b.iceConnectionState === 'completed');
  const back = once(p.dcA, 'message');
  p.dcB.send('and back');
  assert.equal((await back).data, 'and back');
  p.close();
  // Before any negotiation there is nothing to restart.
  const fresh = new RTCPeerConnection();
  let fired = false;
  fresh.onnegotiationneeded = () => { fired = true; };
  fresh.restartIce();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(fired, false);
  fresh.close();
  fresh.restartIce(); // closed: nothing
});

test('operations are chained: they settle in call order', async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('x');
  const order = [];
  const p1 = pc.createOffer().then(() => order.push('offer'));
  const p2 = pc.setLocalDescription().then(() => order.push('setLocal'));
  const p3 = pc.createOffer().then(() => order.push('offer2'));
  await Promise.all([p1, p2, p3]);
  assert.deepEqual(order, ['offer', 'setLocal', 'offer2']);
  pc.close();
});

test('close: states closed, no more events, operations refused', async () => {
  const { a, b, dcA } = await connectedPair();
  const events = [];
  for (const type of ['signalingstatechange', 'connectionstatechange', 'iceconnectionstatechange', 'icecandidate']) {
    a.addEventListener(type, () => events.push(type));
  }
  let closeEvents = 0;
  dcA.onclose = () => closeEvents++;
  a.close();
  a.close();
  assert.equal(a.signalingState, 'closed');
  assert.equal(a.connectionState, 'closed');
  assert.equal(a.iceConnectionState, 'closed');
  assert.equal(dcA.readyState, 'closed');
  await assert.rejects(a.createOffer(), 'InvalidStateError');
  await assert.rejects(a.setRemoteDescription({ type: 'offer', sdp: 'v=0' }), 'InvalidStateError');
  assert.throws(() => a.createDataChannel('late'), 'InvalidStateError');
  // Round trips over the bridge and a task later, nothing has fired on the closed one.
  await b.createOffer();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(events, []);
  assert.equal(closeEvents, 0);
  b.close();
});

test('a DTLS certificate that does not match the fingerprint fails the connection', async () => {
  // A man in the middle would present another certificate than the one the description names:
  // here the answer's fingerprint is altered on its way to a.
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const dcA = a.createDataChannel('x');
  let opened = false;
  dcA.onopen = () => { opened = true; };
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  const forged = answer.sdp.replace(/(a=fingerprint:sha-256 )([0-9A-F]{2})/i,
    (m, head, byte) => head + (byte.toUpperCase() === '00' ? '01' : '00'));
  assert.notEqual(forged, answer.sdp);
  await a.setRemoteDescription({ type: 'answer', sdp: forged });
  await until(a, 'connectionstatechange', () => a.connectionState === 'failed');
  assert.equal(opened, false, 'no data channel opened over the unverified connection');
  assert.ok(['connecting', 'closed'].includes(dcA.readyState));
  await assert.rejects(a.createOffer(), 'InvalidStateError');
  a.close();
  b.close();
});

test('legacy offerToReceiveAudio/Video add recvonly m-sections, once', async () => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  exchangeCandidates(a, b);
  const dc = a.createDataChannel('x');
  const offer = await a.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
  const media = offer.sdp.split(/\r?\n/).filter((l) => l.startsWith('m='));
  assert.equal(media.filter((l) => l.startsWith('m=audio')).length, 1);
  assert.equal(media.filter((l) => l.startsWith('m=video')).length, 1);
  assert.equal((offer.sdp.match(/a=recvonly/g) || []).length, 2);
  const again = await a.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: false });
  assert.equal(again.sdp.split(/\r?\n/).filter((l) => l.startsWith('m=')).length, media.length, 'no second audio');
  // The connection with those m-sections still carries the data channel.
  await a.setLocalDescription(again);
  await b.setRemoteDescription(again);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await until(dc, 'open', () => dc.readyState === 'open');
  a.close();
  b.close();
});

test('the SDK refuses ill-formed WebRTC call blocks, whatever the JS side lets through', async () => {
  // Straight to the SDK, as hostile code would: the base library's own checks are bypassed.
  const call = (method, params, target) => mprtc.bridge.call(method, params, { target });
  const { id } = await call('RTCPeerConnection.constructor', {});
  const bad = [
    ['RTCPeerConnection.createDataChannel', { label: 'x', id: 70000 }],
    ['RTCPeerConnection.createDataChannel', { label: 'x', maxRetransmits: -1 }],
    ['RTCPeerConnection.createDataChannel', { label: 'x', maxRetransmits: 1, maxPacketLifeTime: 1 }],
    ['RTCPeerConnection.createDataChannel', { label: 'x', ordered: 'yes' }],
    ['RTCPeerConnection.createDataChannel', { label: 7 }],
    ['RTCPeerConnection.createDataChannel', { label: 'x', extra: 1 }],
    ['RTCPeerConnection.addIceCandidate', { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host\r\na=evil', sdpMLineIndex: 0 }],
    ['RTCPeerConnection.addIceCandidate', { candidate: 5, sdpMLineIndex: 0 }],
    ['RTCPeerConnection.addIceCandidate', { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: 0 }],
    ['RTCPeerConnection.addIceCandidate', { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', usernameFragment: [] }],
    ['RTCPeerConnection.addIceCandidate', { candidate: 'candidate:' + 'x'.repeat(2000), sdpMLineIndex: 0 }],
    ['RTCPeerConnection.addIceCandidate', { candidate: '', sdpMLineIndex: -1 }],
    ['RTCPeerConnection.setRemoteDescription', { type: 'offer' }],
    ['RTCPeerConnection.createOffer', { iceRestart: 'yes' }],
    ['RTCPeerConnection.createOffer', { offerToReceiveVideo: true, bogus: 1 }],
    ['RTCPeerConnection.watchSources', { index: -1 }],
    ['RTCPeerConnection.watchSources', { index: '0' }],
    ['RTCPeerConnection.watchSources', { index: 0, extra: true }],
  ];
  for (const [method, params] of bad) {
    await assert.rejects(call(method, params, id), TypeError, `${method} ${JSON.stringify(params).slice(0, 60)}`);
  }
  await assert.rejects(call('RTCPeerConnection.setRemoteDescription', { type: 'offer', sdp: 'v=0\r\nnonsense' }, id), 'OperationError');
  // The candidate is read against the remote description, in the spec's order: none yet.
  await assert.rejects(call('RTCPeerConnection.addIceCandidate', { candidate: 'not a candidate', sdpMLineIndex: 0 }, id), 'InvalidStateError');
  await assert.rejects(call('RTCPeerConnection.watchSources', { index: 99 }, id), 'InvalidAccessError', 'no such transceiver');
  const dc = await call('RTCPeerConnection.createDataChannel', { label: 'ok' }, id);
  for (const params of [{ binary: 'not base64!' }, { binary: true }, { text: 'a', binary: 'YQ==' }, {}, { text: 5 }]) {
    await assert.rejects(call('RTCDataChannel.send', params, dc.id), TypeError, JSON.stringify(params));
  }
  // Bytes go beside a block, and only with binary.
  await assert.rejects(mprtc.bridge.call('RTCDataChannel.send', { text: 'a' }, { target: dc.id, bytes: new Uint8Array(1) }), TypeError);
  await assert.rejects(call('RTCDataChannel.setBufferedAmountLowThreshold', { threshold: -5 }, dc.id), TypeError);
  await call('RTCPeerConnection.close', undefined, id);
});

test('legacy callback forms of createOffer and setLocalDescription', async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('x');
  const offer = await new Promise((resolve, reject) => pc.createOffer(resolve, reject));
  assert.equal(offer.type, 'offer');
  await new Promise((resolve, reject) => pc.setLocalDescription(offer, resolve, reject));
  assert.equal(pc.signalingState, 'have-local-offer');
  pc.close();
});

test('RTCSessionDescription', () => {
  const d = new RTCSessionDescription({ type: 'offer', sdp: 'v=0' });
  assert.equal(d.type, 'offer');
  assert.equal(d.sdp, 'v=0');
  assert.deepEqual(d.toJSON(), { type: 'offer', sdp: 'v=0' });
  assert.equal(new RTCSessionDescription({ type: 'rollback' }).sdp, '');
  assert.throws(() => new RTCSessionDescription({ type: 'nope' }), TypeError);
  assert.throws(() => new RTCSessionDescription({}), TypeError);
  assert.equal(JSON.stringify(d), '{"type":"offer","sdp":"v=0"}');
});

test('RTCIceCandidate parses the candidate line', () => {
  const c = new RTCIceCandidate({
    candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.2 rport 46154 generation 0 ufrag EsAw network-cost 999',
    sdpMid: '0', sdpMLineIndex: 0,
  });
  assert.equal(c.foundation, '842163049');
  assert.equal(c.component, 'rtp');
  assert.equal(c.protocol, 'udp');
  assert.equal(c.priority, 1677729535);
  assert.equal(c.address, '203.0.113.7');
  assert.equal(c.port, 46154);
  assert.equal(c.type, 'srflx');
  assert.equal(c.relatedAddress, '10.0.0.2');
  assert.equal(c.relatedPort, 46154);
  assert.equal(c.usernameFragment, 'EsAw');
  assert.deepEqual(c.toJSON(), { candidate: c.candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'EsAw' });
  const tcp = new RTCIceCandidate({ candidate: 'candidate:2 1 TCP 1015021823 192.0.2.2 9 typ host tcptype active', sdpMLineIndex: 0 });
  assert.equal(tcp.protocol, 'tcp');
  assert.equal(tcp.tcpType, 'active');
  assert.equal(tcp.sdpMid, null);
  const empty = new RTCIceCandidate({ sdpMid: '0' });
  assert.equal(empty.candidate, '');
  assert.equal(empty.type, null);
  assert.throws(() => new RTCIceCandidate({ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' }), TypeError);
  assert.throws(() => new RTCIceCandidate(), TypeError);
});

test('the event and error classes', () => {
  const e = new RTCPeerConnectionIceEvent('icecandidate');
  assert.equal(e.candidate, null);
  const err = new RTCError({ errorDetail: 'sdp-syntax-error', sdpLineNumber: 3 }, 'bad');
  assert.ok(err instanceof DOMException);
  assert.equal(err.name, 'OperationError');
  assert.equal(err.errorDetail, 'sdp-syntax-error');
  assert.equal(err.sdpLineNumber, 3);
  assert.throws(() => new RTCError({ errorDetail: 'nope' }), TypeError);
  const ev = new RTCErrorEvent('error', { error: err });
  assert.equal(ev.error, err);
  assert.throws(() => new RTCDataChannelEvent('datachannel', {}), TypeError);
  const ice = new RTCPeerConnectionIceErrorEvent('icecandidateerror', { errorCode: 701, url: 'turn:x', errorText: 't' });
  assert.equal(ice.errorCode, 701);
  assert.throws(() => new RTCSctpTransport(), TypeError);
  assert.throws(() => new RTCDataChannel(), TypeError);
});

test('candidates at .local names nobody answers for: accepted, dropped, and many of them harm nothing', async () => {
  const { a, b, dcA, dcB, close } = await connectedPair();
  const ufrag = /a=ice-ufrag:(\S+)/.exec(b.remoteDescription.sdp)[1];
  // Far more than the resolver asks for at once (64): each addIceCandidate resolves at once.
  for (let i = 0; i < 200; i++) {
    await b.addIceCandidate({ candidate: `candidate:${i} 1 udp 2113937151 nobody-${i}-${Date.now()}.local ${40000 + i} typ host`,
                              sdpMLineIndex: 0, usernameFragment: ufrag });
  }
  const got = new Promise((resolve) => { dcB.onmessage = (e) => resolve(e.data); });
  dcA.send('still connected');
  assert.equal(await got, 'still connected');
  assert.equal(b.connectionState, 'connected');
  // Closed while the lookups are still out: their answers find the connection gone.
  close();
});

await run();
