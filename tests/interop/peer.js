// The peer of the interop test, in standard W3C WebRTC and WebSocket only: the same file runs in
// mprtc (mprtc-peer.js) and in Chromium (browser-peer.js), which is what mprtc promises.
//
// Two peers meet in a room of the signaling relay (tests/support/ws_server.py /relay/ROOM) and
// exchange JSON messages: offer, answer, candidate, and the steps below. One is the offerer, the
// other the answerer; each reports its checks through report({check, ok, detail}). The names
// each side reports are listed by checksFor(), so the runner can count one missing as failed.
//
//   1. The offerer creates channel "chat" and offers on negotiationneeded; the answerer answers.
//   2. Both wait for connectionState 'connected' and for "chat" to be open.
//   3. The answerer creates channel "reverse" on the connection already negotiated.
//   4. Each side sends, on "chat": a text, a multi-byte UTF-8 text, 256 bytes (from a view) and
//      60 KiB; on "reverse": a text and 1 KiB. Each checks what it received, byte for byte.
//   5. Both send "received" (with the stream IDs they see) and wait for the other's.
//   6. The offerer restarts ICE (restartIce, a new offer/answer): both sides' ICE credentials
//      change, ICE connects again, and a text goes each way on "chat" after it.
//   7. The offerer closes "chat", the answerer closes "reverse": each sees close on both.
//   8. Both send "done", wait for the other's, and close.
// Any wait is bounded; a side that cannot go on sends "abort" so that the other stops at once.

export const STEP_TIMEOUT_MS = 20000;

export const CHECKS = {
  signaling: 'the signaling WebSocket opens',
  negotiationNeeded: 'negotiationneeded fires for the first data channel',
  negotiated: "offer/answer exchanged: signalingState 'stable' with both descriptions",
  connected: "connectionState reaches 'connected'",
  iceConnected: "iceConnectionState is 'connected' or 'completed'",
  chatOpen: 'channel "chat" (created by the offerer) is open here with its properties',
  chatText: '"chat": ASCII text from the peer arrives intact',
  chatUtf8: '"chat": multi-byte UTF-8 text from the peer arrives intact',
  chatBinary: '"chat": 256-byte binary from the peer arrives intact',
  chatBig: '"chat": 60 KiB binary from the peer arrives intact',
  reverseOpen: 'channel "reverse" (created by the answerer) is open here with its properties',
  reverseText: '"reverse": text from the peer arrives intact',
  reverseBinary: '"reverse": 1 KiB binary from the peer arrives intact',
  candidates: 'every remote ICE candidate and the end of candidates are accepted by addIceCandidate',
  streamIds: 'both sides see the same stream IDs for "chat" and "reverse"',
  stats: 'getStats has a data-channel stat for "chat" with messagesReceived > 0',
  iceRestart: 'ICE restart by the offerer: new credentials on both sides, connected again, text both ways after it',
  closeOwn: 'close() here fires close here',
  closeByPeer: 'close() by the peer fires close here',
};

// The checks a side reports, in order.
export function checksFor(role, impl) {
  const c = CHECKS;
  const own = role === 'offerer' ? 'chat' : 'reverse';
  const peers = role === 'offerer' ? 'reverse' : 'chat';
  return [
    c.signaling,
    ...(role === 'offerer' ? [c.negotiationNeeded] : []),
    c.negotiated, c.connected, c.iceConnected,
    c.chatOpen, c.reverseOpen,
    c.chatText, c.chatUtf8, c.chatBinary, c.chatBig, c.reverseText, c.reverseBinary,
    c.candidates,
    c.stats,
    c.streamIds,
    c.iceRestart,
    `${c.closeOwn} ("${own}")`,
    `${c.closeByPeer} ("${peers}")`,
  ];
}

// ---- what each side sends, so that the other can check it ----

function pattern(n, seed) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed + (i >> 8) * 7) & 255;
  return bytes;
}

const UTF8_UNIT = 'héllo wörld ✓ — 日本語のテキスト — Ελληνικά — 🎉👩‍💻🇫🇷 — ';

export function messagesFrom(role) {
  const seed = role === 'offerer' ? 11 : 97;
  // 256 bytes out of a larger buffer: only the bytes the view covers are sent.
  const backing = new Uint8Array(300);
  backing.set(pattern(256, seed), 20);
  return {
    chat: {
      text: `plain text from the ${role}`,
      utf8: `${role}: ` + UTF8_UNIT.repeat(100),
      binary: backing.subarray(20, 276),
      big: pattern(60 * 1024, seed + 1).buffer,
    },
    reverse: {
      text: `reverse text from the ${role}`,
      binary: pattern(1024, seed + 2).buffer,
    },
  };
}

// ---- small tools ----

export class Abort extends Error {}

function describe(value) {
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
  if (typeof value === 'string') {
    return value.length > 60 ? `string(${value.length}) ${JSON.stringify(value.slice(0, 60))}...` : JSON.stringify(value);
  }
  return `${typeof value} ${String(value)}`;
}

function sameText(got, want) {
  if (typeof got !== 'string') throw new Error(`expected a string, got ${describe(got)}`);
  if (got === want) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  throw new Error(`text differs at UTF-16 index ${i} (got ${got.length} units, expected ${want.length}): ` +
                  `got ${JSON.stringify(got.slice(i, i + 20))}, expected ${JSON.stringify(want.slice(i, i + 20))}`);
}

function sameBytes(got, want) {
  if (!(got instanceof ArrayBuffer)) throw new Error(`expected an ArrayBuffer, got ${describe(got)}`);
  const a = new Uint8Array(got);
  const b = ArrayBuffer.isView(want) ? new Uint8Array(want.buffer, want.byteOffset, want.byteLength) : new Uint8Array(want);
  if (a.length !== b.length) throw new Error(`got ${a.length} bytes, expected ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`byte ${i} is ${a[i]}, expected ${b[i]}`);
  }
}

// The signaling channel: JSON messages over the relay. next(type) resolves with the next message
// of that type (messages are kept until asked for); an "abort" from the peer rejects every wait.
export class Signaling {
  #ws;
  #inbox = [];
  #waiters = [];
  #listeners = new Map();
  peerAbort;

  constructor(url) {
    this.#ws = new WebSocket(url);
    this.#ws.binaryType = 'arraybuffer';
    let abort;
    this.peerAbort = new Promise((_, reject) => { abort = reject; });
    this.peerAbort.catch(() => {});
    this.#ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.type === 'abort') { abort(new Abort(`the peer aborted: ${msg.reason}`)); return; }
      const listener = this.#listeners.get(msg.type);
      if (listener) { listener(msg); return; }
      const i = this.#waiters.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.#waiters.splice(i, 1)[0].resolve(msg);
      else this.#inbox.push(msg);
    };
  }

  open() {
    return new Promise((resolve, reject) => {
      this.#ws.onopen = resolve;
      this.#ws.onerror = () => reject(new Error('the WebSocket failed'));
    });
  }

  send(msg) { this.#ws.send(JSON.stringify(msg)); }

  // Every message of type goes to fn, from now on (the ones already kept, first).
  on(type, fn) {
    this.#listeners.set(type, fn);
    const kept = this.#inbox.filter((m) => m.type === type);
    this.#inbox = this.#inbox.filter((m) => m.type !== type);
    kept.forEach(fn);
  }

  next(type) {
    const i = this.#inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.#inbox.splice(i, 1)[0]);
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  close() { this.#ws.close(); }
}

// How a peer runs its steps (peer.js and media-peer.js):
//   bounded(promise, what, ms)  promise's value, or a rejection after ms or when the peer aborts
//   check(name, fn)             a check the rest does not depend on: reported, the run goes on
//   must(name, fn)              a check the rest depends on: a failure ends the run (Abort)
//   fail(name, error)           reports a failed check
export function stepTools(signaling, report) {
  const bounded = (promise, what, ms = STEP_TIMEOUT_MS) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout, signaling.peerAbort]).finally(() => clearTimeout(timer));
  };
  const fail = (check, error) => report({ check, ok: false, detail: error && error.message ? error.message : String(error) });
  const check = async (name, fn) => {
    try {
      const detail = await fn();
      report({ check: name, ok: true, detail: typeof detail === 'string' ? detail : '' });
      return true;
    } catch (e) {
      fail(name, e);
      return false;
    }
  };
  const must = async (name, fn) => {
    if (!(await check(name, fn))) throw new Abort(`${name}: failed`);
  };
  return { bounded, fail, check, must };
}

// One offer/answer round over signaling for an established role; beforeAnswer runs on the
// answerer between the remote offer and its answer (what tracks it adds, say).
export async function offerAnswer(pc, signaling, role, bounded, what, beforeAnswer = () => {}) {
  if (role === 'offerer') {
    await pc.setLocalDescription(await pc.createOffer());
    signaling.send({ type: 'offer', sdp: pc.localDescription.sdp });
    const answer = await bounded(signaling.next('answer'), `the answer${what}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  } else {
    const offer = await bounded(signaling.next('offer'), `the offer${what}`);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    beforeAnswer();
    await pc.setLocalDescription(await pc.createAnswer());
    signaling.send({ type: 'answer', sdp: pc.localDescription.sdp });
  }
}

// ---- the peer ----

export async function runPeer({ url, role, impl, report, log = () => {} }) {
  if (role !== 'offerer' && role !== 'answerer') throw new Error(`bad role '${role}'`);
  const peerRole = role === 'offerer' ? 'answerer' : 'offerer';
  const mine = messagesFrom(role);
  const theirs = messagesFrom(peerRole);
  const signaling = new Signaling(url);
  let pc = null;

  const { bounded, fail, check, must } = stepTools(signaling, report);

  try {
    await must(CHECKS.signaling, () => bounded(signaling.open(), 'the WebSocket to open'));
    log(`signaling open (${role})`);

    pc = new RTCPeerConnection();

    // Channels by label, each with its received messages, collected from the moment it exists.
    const channels = new Map();
    const track = (channel) => {
      channel.binaryType = 'arraybuffer';
      const entry = { channel, received: [], waiters: [] };
      entry.closed = new Promise((resolve) => channel.addEventListener('close', resolve, { once: true }));
      entry.opened = channel.readyState === 'open' ? Promise.resolve()
        : new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
      channel.addEventListener('message', (e) => {
        entry.received.push(e.data);
        entry.waiters = entry.waiters.filter((w) => (entry.received.length >= w.n ? (w.resolve(), false) : true));
      });
      entry.receive = (n) => (entry.received.length >= n ? Promise.resolve()
        : new Promise((resolve) => entry.waiters.push({ n, resolve })));
      channels.set(channel.label, entry);
      return entry;
    };
    const announced = new Map(); // label -> resolve, for datachannel events
    const channelNamed = (label) => (channels.has(label) ? Promise.resolve(channels.get(label))
      : new Promise((resolve) => announced.set(label, resolve)));
    pc.addEventListener('datachannel', (e) => {
      const entry = track(e.channel);
      entry.announced = true;
      const resolve = announced.get(e.channel.label);
      if (resolve) resolve(entry);
    });

    // Candidates: trickled both ways, held until the remote description is set.
    let remoteSet = false;
    const held = [];
    const candidateErrors = [];
    let candidatesAdded = 0;
    const adding = [];
    let endOfCandidates;
    const remoteEnd = new Promise((resolve) => { endOfCandidates = resolve; });
    const addCandidate = (c) => {
      adding.push((c === null ? pc.addIceCandidate() : pc.addIceCandidate(c)).then(
        () => { if (c !== null) candidatesAdded++; },
        (e) => candidateErrors.push(`${c === null ? 'end of candidates' : c.candidate}: ${e.name}: ${e.message}`)));
      // The peer's candidates may come after the connection is up (it can be reached through
      // a peer-reflexive candidate first): the check waits for the end of them.
      if (c === null) endOfCandidates();
    };
    signaling.on('candidate', (msg) => (remoteSet ? addCandidate(msg.candidate) : held.push(msg.candidate)));
    const remoteDescriptionSet = () => {
      remoteSet = true;
      held.splice(0).forEach(addCandidate);
    };
    pc.addEventListener('icecandidate', (e) => {
      signaling.send({ type: 'candidate', candidate: e.candidate ? e.candidate.toJSON() : null });
    });

    const connected = new Promise((resolve, reject) => {
      const look = () => {
        if (pc.connectionState === 'connected') resolve();
        else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
          reject(new Error(`connectionState became '${pc.connectionState}'`));
        }
      };
      pc.addEventListener('connectionstatechange', look);
      look();
    });
    connected.catch(() => {});

    if (role === 'offerer') {
      const negotiationNeeded = new Promise((resolve) => pc.addEventListener('negotiationneeded', resolve, { once: true }));
      track(pc.createDataChannel('chat'));
      await must(CHECKS.negotiationNeeded, () => bounded(negotiationNeeded, 'negotiationneeded'));
      await must(CHECKS.negotiated, async () => {
        const offer = await pc.createOffer();
        if (offer.type !== 'offer' || !/\r\nm=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/.test(offer.sdp)) {
          throw new Error(`the offer has no data channel m-section:\n${offer.sdp}`);
        }
        await pc.setLocalDescription(offer);
        signaling.send({ type: 'offer', sdp: pc.localDescription.sdp });
        const answer = await bounded(signaling.next('answer'), 'the answer');
        await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
        remoteDescriptionSet();
        if (pc.signalingState !== 'stable') throw new Error(`signalingState is '${pc.signalingState}'`);
        if (!pc.currentLocalDescription || !pc.currentRemoteDescription) throw new Error('a current description is missing');
        return `answer: ${answer.sdp.split(/\r?\n/).filter((l) => /^a=(setup|max-message-size|sctp-port)/.test(l)).join(' ')}`;
      });
    } else {
      await must(CHECKS.negotiated, async () => {
        const offer = await bounded(signaling.next('offer'), 'the offer');
        await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
        remoteDescriptionSet();
        if (pc.signalingState !== 'have-remote-offer') throw new Error(`after the offer, signalingState is '${pc.signalingState}'`);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        signaling.send({ type: 'answer', sdp: pc.localDescription.sdp });
        if (pc.signalingState !== 'stable') throw new Error(`signalingState is '${pc.signalingState}'`);
        if (!pc.currentLocalDescription || !pc.currentRemoteDescription) throw new Error('a current description is missing');
        return `offer: ${offer.sdp.split(/\r?\n/).filter((l) => /^a=(setup|max-message-size|sctp-port)/.test(l)).join(' ')}`;
      });
    }

    await must(CHECKS.connected, () => bounded(connected, "connectionState 'connected'"));
    log(`connected (${role})`);
    await check(CHECKS.iceConnected, () => {
      if (pc.iceConnectionState !== 'connected' && pc.iceConnectionState !== 'completed') {
        throw new Error(`iceConnectionState is '${pc.iceConnectionState}'`);
      }
    });

    const checkOpen = async (label, creator) => {
      const entry = await bounded(channelNamed(label), `channel "${label}"`);
      await bounded(entry.opened, `channel "${label}" to open`);
      const ch = entry.channel;
      const problems = [];
      if (ch.readyState !== 'open') problems.push(`readyState '${ch.readyState}'`);
      if (ch.label !== label) problems.push(`label '${ch.label}'`);
      if (ch.ordered !== true) problems.push(`ordered ${ch.ordered}`);
      if (ch.protocol !== '') problems.push(`protocol '${ch.protocol}'`);
      if (ch.negotiated !== false) problems.push(`negotiated ${ch.negotiated}`);
      if (ch.maxPacketLifeTime !== null || ch.maxRetransmits !== null) problems.push('not reliable');
      if (typeof ch.id !== 'number') problems.push(`id ${ch.id}`);
      if (!!entry.announced !== (creator !== role)) problems.push(entry.announced ? 'announced, but created here' : 'created by the peer, but no datachannel event');
      if (problems.length) throw new Error(problems.join(', '));
      return `id ${ch.id}`;
    };
    await must(CHECKS.chatOpen, () => checkOpen('chat', 'offerer'));
    const chat = channels.get('chat');
    // The answerer's channel, on the connection negotiated already: no new offer is needed.
    if (role === 'answerer') track(pc.createDataChannel('reverse'));
    await must(CHECKS.reverseOpen, () => checkOpen('reverse', 'answerer'));
    const reverse = channels.get('reverse');

    chat.channel.send(mine.chat.text);
    chat.channel.send(mine.chat.utf8);
    chat.channel.send(mine.chat.binary);
    chat.channel.send(mine.chat.big);
    reverse.channel.send(mine.reverse.text);
    reverse.channel.send(mine.reverse.binary);

    const expected = { chat: 4, reverse: 2 };
    const gotChat = chat.receive(expected.chat);
    const gotReverse = reverse.receive(expected.reverse);
    const arrived = async (entry, got, i) => {
      const label = entry.channel.label;
      await bounded(got, `${expected[label]} messages on "${label}" (got ${entry.received.length})`);
      return entry.received[i];
    };
    await check(CHECKS.chatText, async () => sameText(await arrived(chat, gotChat, 0), theirs.chat.text));
    await check(CHECKS.chatUtf8, async () => {
      sameText(await arrived(chat, gotChat, 1), theirs.chat.utf8);
      return `${theirs.chat.utf8.length} UTF-16 units`;
    });
    await check(CHECKS.chatBinary, async () => sameBytes(await arrived(chat, gotChat, 2), theirs.chat.binary));
    await check(CHECKS.chatBig, async () => {
      sameBytes(await arrived(chat, gotChat, 3), theirs.chat.big);
      return `${theirs.chat.big.byteLength} bytes`;
    });
    await check(CHECKS.reverseText, async () => sameText(await arrived(reverse, gotReverse, 0), theirs.reverse.text));
    await check(CHECKS.reverseBinary, async () => sameBytes(await arrived(reverse, gotReverse, 1), theirs.reverse.binary));
    const extra = chat.received.length - expected.chat + reverse.received.length - expected.reverse;
    if (extra > 0) log(`unexpected: ${extra} more message(s) than sent`);

    await check(CHECKS.candidates, async () => {
      await bounded(remoteEnd, 'the end of the remote candidates');
      await bounded(Promise.all(adding), 'addIceCandidate to settle');
      if (candidateErrors.length) throw new Error(candidateErrors.join('; '));
      if (candidatesAdded === 0) throw new Error('no remote candidate arrived');
      return `${candidatesAdded} added`;
    });

    {
      await check(CHECKS.stats, async () => {
        const stats = await bounded(pc.getStats(), 'getStats');
        const all = [...stats.values()].filter((s) => s.type === 'data-channel');
        const s = all.find((x) => x.label === 'chat');
        if (!s) throw new Error(`no data-channel stat for "chat" among ${all.length}`);
        if (!(s.messagesReceived > 0)) throw new Error(`messagesReceived is ${s.messagesReceived}`);
        if (s.messagesReceived !== chat.received.length) {
          throw new Error(`messagesReceived ${s.messagesReceived}, but ${chat.received.length} message events`);
        }
        if (s.messagesSent !== 4) throw new Error(`messagesSent ${s.messagesSent}, expected 4`);
        return `messagesReceived ${s.messagesReceived}, bytesReceived ${s.bytesReceived}, messagesSent ${s.messagesSent}`;
      });
    }

    const ids = { chat: chat.channel.id, reverse: reverse.channel.id };
    signaling.send({ type: 'received', ids });
    const peerIds = (await bounded(signaling.next('received'), 'the peer to receive its messages')).ids;
    await check(CHECKS.streamIds, () => {
      if (ids.chat !== peerIds.chat || ids.reverse !== peerIds.reverse || ids.chat === ids.reverse) {
        throw new Error(`here ${JSON.stringify(ids)}, at the peer ${JSON.stringify(peerIds)}`);
      }
      return JSON.stringify(ids);
    });

    await check(CHECKS.iceRestart, async () => {
      const ufragOf = (desc) => (/a=ice-ufrag:(\S+)/.exec(desc.sdp) || [])[1];
      const before = { local: ufragOf(pc.currentLocalDescription), remote: ufragOf(pc.currentRemoteDescription) };
      const errorsBefore = candidateErrors.length;
      if (role === 'offerer') {
        const needed = new Promise((resolve) => pc.addEventListener('negotiationneeded', resolve, { once: true }));
        pc.restartIce();
        await bounded(needed, 'negotiationneeded after restartIce');
      }
      await offerAnswer(pc, signaling, role, bounded, ' of the restart');
      const after = { local: ufragOf(pc.currentLocalDescription), remote: ufragOf(pc.currentRemoteDescription) };
      if (after.local === before.local || after.remote === before.remote) {
        throw new Error(`ICE credentials did not change: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      }
      const reached = () => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
      await bounded(new Promise((resolve) => {
        const look = () => { if (reached()) { pc.removeEventListener('iceconnectionstatechange', look); resolve(); } };
        pc.addEventListener('iceconnectionstatechange', look);
        look();
      }), 'ICE to connect again');
      const got = chat.receive(expected.chat + 1);
      chat.channel.send(`after the restart, from the ${role}`);
      await bounded(got, 'a text after the restart');
      const text = chat.received[expected.chat];
      if (text !== `after the restart, from the ${role === 'offerer' ? 'answerer' : 'offerer'}`) throw new Error(`got ${JSON.stringify(text)}`);
      if (candidateErrors.length > errorsBefore) throw new Error(candidateErrors.slice(errorsBefore).join('; '));
      // The peer's copy may still be on its way (SCTP resends what the restart's switch lost):
      // neither side closes "chat" before both have theirs.
      signaling.send({ type: 'restarted' });
      await bounded(signaling.next('restarted'), 'the peer to get its text after the restart');
      return `ufrag ${before.local} -> ${after.local} here, ${before.remote} -> ${after.remote} there; ${pc.iceConnectionState}`;
    });

    // Each side closes the channel its role created; the other must see it close too.
    const own = role === 'offerer' ? chat : reverse;
    const peers = role === 'offerer' ? reverse : chat;
    own.channel.close();
    await check(`${CHECKS.closeOwn} ("${own.channel.label}")`, async () => {
      await bounded(own.closed, `close on "${own.channel.label}"`);
      if (own.channel.readyState !== 'closed') throw new Error(`readyState '${own.channel.readyState}'`);
    });
    await check(`${CHECKS.closeByPeer} ("${peers.channel.label}")`, async () => {
      await bounded(peers.closed, `close on "${peers.channel.label}"`);
      if (peers.channel.readyState !== 'closed') throw new Error(`readyState '${peers.channel.readyState}'`);
    });

    signaling.send({ type: 'done' });
    await bounded(signaling.next('done'), 'the peer to finish');
    log(`done (${role})`);
  } catch (e) {
    if (!(e instanceof Abort)) fail('the run goes on without an exception', e);
    log(`aborted (${role}): ${e && e.message}`);
    try { signaling.send({ type: 'abort', reason: `${impl} (${role}): ${e && e.message}` }); } catch {}
  } finally {
    if (pc) pc.close();
    signaling.close();
  }
}
