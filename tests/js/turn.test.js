// TURN through a real coturn on 127.0.0.1, started by tests/support/turn_server.py, which passes
// its URL and account: build/mprtc exec tests/js/turn.test.js -- TURN_URL TURN_USER TURN_PASS
// Relay-only peers must gather nothing but relay candidates on the TURN server, connect through
// it and carry data; a wrong password or an unreachable server must give icecandidateerror, no
// candidate, and a connection that ends in "failed". Every wait is on an event; the outer bound
// is `mprtc exec --timeout`.
import { test, assert, run } from './harness.js';
import { once, until, negotiate, collect } from './lib/rtc.js';

const [TURN_URL, TURN_USER, TURN_PASS] = mprtc.args;
if (!TURN_URL || !TURN_USER || !TURN_PASS) {
  throw new Error('usage: turn.test.js -- TURN_URL TURN_USER TURN_PASS (see tests/support/turn_server.py)');
}
// The server's host; coturn relays on it too (--relay-ip), so every relay address is this one.
const TURN_HOST = /^turn:([^:?]+)/.exec(TURN_URL)[1];
// A port with no TURN server behind it (port 1, tcpmux, is closed on test machines; were it
// open, it would still give no relay candidate).
const CLOSED_URL = `turn:${TURN_HOST}:1`;

// What a peer reports: its candidates, the end of them, candidate errors, connection states.
function watch(pc) {
  const w = { candidates: [], ended: false, errors: [], states: [] };
  pc.addEventListener('icecandidate', (e) => {
    if (e.candidate) w.candidates.push(e.candidate);
    else w.ended = true;
  });
  pc.addEventListener('icecandidateerror', (e) => w.errors.push(e));
  pc.addEventListener('connectionstatechange', () => w.states.push(pc.connectionState));
  return w;
}

// Forwards each peer's candidates to the other, end-of-candidates included (as a signaling
// server would), holding them until the other has a remote description.
function signalCandidates(a, b) {
  const forward = (from, to) => {
    const held = [];
    const flush = () => {
      while (held.length && to.remoteDescription && to.signalingState !== 'closed') {
        const c = held.shift();
        (c ? to.addIceCandidate(c) : to.addIceCandidate()).catch(() => {});
      }
    };
    to.addEventListener('signalingstatechange', flush);
    from.addEventListener('icecandidate', (e) => {
      held.push(e.candidate);
      flush();
    });
  };
  forward(a, b);
  forward(b, a);
}

const gathered = (pc) => until(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete');
// Resolves once the connection is connected or can no longer connect.
const settled = (pc) => until(pc, 'connectionstatechange',
  () => ['connected', 'failed', 'closed'].includes(pc.connectionState));

// Two relay-only peers on the given TURN URLs, negotiated, with a data channel from a to b.
async function relayPair(urls, credential = TURN_PASS) {
  const config = {
    iceServers: [{ urls, username: TURN_USER, credential }],
    iceTransportPolicy: 'relay',
  };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const wa = watch(a), wb = watch(b);
  signalCandidates(a, b);
  const dcA = a.createDataChannel('turn');
  const remoteChannel = once(b, 'datachannel');
  await negotiate(a, b);
  return { a, b, wa, wb, dcA, remoteChannel, close() { a.close(); b.close(); } };
}

const sdpCandidates = (desc) => desc.sdp.match(/^a=candidate:[^\r\n]*/gm) ?? [];

// Every candidate a peer emitted, and every candidate line of its local description, is a relay
// candidate on the TURN server.
function assertRelayOnly(name, pc, w) {
  assert.ok(w.candidates.length > 0, `${name} gathered a candidate`);
  for (const c of w.candidates) {
    assert.equal(c.type, 'relay', `${name}: type of ${c.candidate}`);
    assert.equal(c.address, TURN_HOST, `${name}: relay address of ${c.candidate}`);
    assert.equal(c.protocol, 'udp', `${name}: protocol of ${c.candidate}`);
    assert.ok(c.port > 0, `${name}: relay port of ${c.candidate}`);
  }
  const lines = sdpCandidates(pc.localDescription);
  assert.deepEqual(lines.slice().sort(), w.candidates.map((c) => 'a=' + c.candidate).sort(),
                   `${name}: the local description's candidate lines`);
  for (const line of lines) assert.match(line, / typ relay( |$)/, `${name}: SDP candidate line`);
}

// The pair connects through the TURN server, carries data both ways, and only ever used relay
// candidates.
async function assertConnectedThroughTurn(p) {
  await Promise.all([settled(p.a), settled(p.b)]);
  assert.equal(p.a.connectionState, 'connected', 'the offerer connects');
  assert.equal(p.b.connectionState, 'connected', 'the answerer connects');
  assert.ok(['connected', 'completed'].includes(p.a.iceConnectionState), `offerer ICE ${p.a.iceConnectionState}`);
  assert.ok(['connected', 'completed'].includes(p.b.iceConnectionState), `answerer ICE ${p.b.iceConnectionState}`);

  const dcB = (await p.remoteChannel).channel;
  await until(p.dcA, 'open', () => p.dcA.readyState === 'open');
  await until(dcB, 'open', () => dcB.readyState === 'open');
  const atB = collect(dcB, 3);
  for (const m of ['one', 'two', 'three']) p.dcA.send(m);
  assert.deepEqual(await atB, ['one', 'two', 'three'], 'a -> b through the relay');
  const atA = collect(p.dcA, 2);
  dcB.send('back');
  dcB.send('é'.repeat(1000));
  assert.deepEqual(await atA, ['back', 'é'.repeat(1000)], 'b -> a through the relay');

  // Relay-only on both sides: whichever pair ICE selected is relay to relay.
  await Promise.all([gathered(p.a), gathered(p.b)]);
  assertRelayOnly('offerer', p.a, p.wa);
  assertRelayOnly('answerer', p.b, p.wb);
  const ports = new Set([...p.wa.candidates, ...p.wb.candidates].map((c) => c.port));
  assert.equal(ports.size, p.wa.candidates.length + p.wb.candidates.length, 'each allocation has its own relay port');
  assert.deepEqual(p.wa.errors.map((e) => e.url), [], 'offerer: no icecandidateerror');
  assert.deepEqual(p.wb.errors.map((e) => e.url), [], 'answerer: no icecandidateerror');
}

async function connectsThroughTurn(url) {
  const p = await relayPair(url);
  try {
    await assertConnectedThroughTurn(p);
  } finally {
    p.close();
  }
}

// Both peers' TURN servers failed: each URL got an icecandidateerror, nothing was gathered, and
// both connections end in "failed" without ever being connected.
async function assertFailedWithoutRelay(p, list) {
  await Promise.all([gathered(p.a), gathered(p.b)]);
  await Promise.all([settled(p.a), settled(p.b)]);
  for (const [name, pc, w] of [['offerer', p.a, p.wa], ['answerer', p.b, p.wb]]) {
    assert.equal(w.candidates.length, 0, `${name}: candidates gathered`);
    assert.ok(w.ended, `${name}: the null candidate ends gathering`);
    assert.deepEqual(sdpCandidates(pc.localDescription), [], `${name}: SDP candidate lines`);
    assert.deepEqual(w.errors.map((e) => e.url).sort(), list.slice().sort(), `${name}: icecandidateerror URLs`);
    for (const e of w.errors) {
      assert.ok(e instanceof RTCPeerConnectionIceErrorEvent, `${name}: the event's interface`);
      assert.equal(e.type, 'icecandidateerror');
      // 701 is what the SDK reports for a TURN server that gave no relay candidate: libnice does
      // not expose the server's STUN error (a 401 here), which webrtc-pc would put in errorCode.
      assert.ok(e.errorCode === 701 || (e.errorCode >= 300 && e.errorCode <= 699), `${name}: errorCode ${e.errorCode}`);
      assert.equal(typeof e.errorText, 'string');
    }
    assert.equal(pc.connectionState, 'failed', `${name}: connectionState`);
    assert.equal(pc.iceConnectionState, 'failed', `${name}: iceConnectionState`);
    assert.ok(!w.states.includes('connected'), `${name} was never connected (states ${w.states})`);
  }
  assert.notEqual(p.dcA.readyState, 'open', 'the data channel did not open');
}

async function failsWithoutRelay(urls, credential) {
  const p = await relayPair(urls, credential);
  try {
    await assertFailedWithoutRelay(p, Array.isArray(urls) ? urls : [urls]);
  } finally {
    p.close();
  }
}

test('the account needs percent-encoding in a turn:// URL', () => {
  // Otherwise the tests below would not exercise the SDK's encoding of user and password.
  assert.match(TURN_USER, /[:@/+=%]/, 'user');
  assert.match(TURN_PASS, /[:@/+=%]/, 'password');
  assert.match(TURN_URL, /^turn:[^?]+:\d+$/, 'the URL from turn_server.py');
});

test('relay-only peers connect through coturn; every candidate is relay; data goes both ways', () =>
  connectsThroughTurn(TURN_URL));

// libnice (0.1.21) ignores the loopback interface when the machine has another one, and pins
// its UDP sockets to that interface (IP_UNICAST_IF): its datagrams to 127.0.0.1 leave by that
// interface and never reach coturn. TURN over TCP is not affected. So on such a machine a
// loopback TURN server is unreachable over UDP, and the W3C outcome of that is checked instead.
test('turn:...?transport=udp: relays through coturn, or reports the server unreachable', async () => {
  const url = `${TURN_URL}?transport=udp`;
  const p = await relayPair(url);
  try {
    await Promise.all([gathered(p.a), gathered(p.b)]);
    if (p.wa.candidates.length || p.wb.candidates.length) {
      await assertConnectedThroughTurn(p);
    } else {
      console.log('# TURN over UDP did not reach coturn on 127.0.0.1 (libnice sends UDP by a ' +
                  'non-loopback interface): checking the failure path instead');
      await assertFailedWithoutRelay(p, [url]);
    }
  } finally {
    p.close();
  }
});

test('turn:...?transport=tcp', () => connectsThroughTurn(`${TURN_URL}?transport=tcp`));

// Over TCP, which reaches coturn (the test above): the password is the only reason to fail.
test('a wrong password: icecandidateerror, no candidate, the connection fails', () =>
  failsWithoutRelay(`${TURN_URL}?transport=tcp`, `${TURN_PASS}wrong`));

test('a wrong user name over TCP: icecandidateerror and no candidate', async () => {
  const url = `${TURN_URL}?transport=tcp`;
  const a = new RTCPeerConnection({
    iceServers: [{ urls: url, username: `${TURN_USER}x`, credential: TURN_PASS }],
    iceTransportPolicy: 'relay',
  });
  const w = watch(a);
  a.createDataChannel('x');
  await a.setLocalDescription(await a.createOffer());
  await gathered(a);
  assert.equal(w.candidates.length, 0, 'candidates gathered');
  assert.deepEqual(w.errors.map((e) => e.url), [url], 'icecandidateerror URLs');
  // No remote description yet: nothing says the connection cannot succeed.
  assert.equal(a.connectionState, 'new');
  a.close();
});

test('an unreachable TURN server (closed port, UDP and TCP): icecandidateerror, the connection fails', () =>
  failsWithoutRelay([CLOSED_URL, `${CLOSED_URL}?transport=tcp`], TURN_PASS));

test('the process is still fine: a fresh relay pair connects after the failures', () =>
  connectsThroughTurn(TURN_URL));

await run();
