// Helpers for WebRTC tests that connect two peers in one mprtc process.

// Resolves with the first event of type on target (and its payload through map).
export function once(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

// Resolves when pred() holds, re-checked after each event of type on target.
export function until(target, type, pred) {
  if (pred()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pred()) {
        target.removeEventListener(type, check);
        resolve();
      }
    };
    target.addEventListener(type, check);
  });
}

// Trickles each peer's candidates to the other, holding them back until the other has a remote
// description (as a signaling server would), so none is lost to an InvalidStateError.
export function exchangeCandidates(a, b) {
  const forward = (from, to) => {
    const held = [];
    const flush = () => {
      while (held.length && to.remoteDescription) to.addIceCandidate(held.shift()).catch(() => {});
    };
    to.addEventListener('signalingstatechange', flush);
    from.addEventListener('icecandidate', (e) => {
      if (!e.candidate) return;
      held.push(e.candidate);
      flush();
    });
  };
  forward(a, b);
  forward(b, a);
}

// One offer/answer round from a to b.
export async function negotiate(a, b) {
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
}

// Two connected peers with a data channel from a to b, both ends open.
export async function connectedPair(config = {}, channelOptions = {}, label = 'test') {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  exchangeCandidates(a, b);
  const dcA = a.createDataChannel(label, channelOptions);
  const remote = once(b, 'datachannel');
  await negotiate(a, b);
  const dcB = (await remote).channel;
  await until(dcA, 'open', () => dcA.readyState === 'open');
  await until(dcB, 'open', () => dcB.readyState === 'open');
  return { a, b, dcA, dcB, close() { a.close(); b.close(); } };
}

// Collects count messages from channel.
export function collect(channel, count) {
  return new Promise((resolve) => {
    const got = [];
    const onMessage = (e) => {
      got.push(e.data);
      if (got.length === count) {
        channel.removeEventListener('message', onMessage);
        resolve(got);
      }
    };
    channel.addEventListener('message', onMessage);
  });
}
