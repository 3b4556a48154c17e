// RTCPeerConnection (W3C webrtc-pc §4) over the SDK's "RTCPeerConnection" objects, one
// webrtcbin each. The signaling state, the descriptions, the operations chain and
// negotiationneeded are kept here, per the spec; webrtcbin does the SDP, ICE, DTLS and SCTP.
// What webrtcbin 1.22 lacks and how it is worked around: docs/webrtc.md.

const policies = {
  iceTransportPolicy: ['all', 'relay'],
  bundlePolicy: ['balanced', 'max-compat', 'max-bundle'],
  rtcpMuxPolicy: ['require'],
};
const DEFAULT_MAX_MESSAGE_SIZE = 65536;

function enumMember(config, key, fallback) {
  if (config[key] === undefined) return fallback;
  const v = String(config[key]);
  if (!policies[key].includes(v)) {
    throw new TypeError(`Failed to construct 'RTCPeerConnection': The provided value '${v}' is not a valid enum value of type RTC${key[0].toUpperCase()}${key.slice(1)}.`);
  }
  return v;
}

// Validates and normalises RTCConfiguration.iceServers (webrtc-pc §4.4.1.4 "validate the ICE
// server list"): SyntaxError for a URL that does not parse or has another scheme,
// InvalidAccessError for a TURN URL without username and credential.
function validateIceServers(servers, method) {
  if (servers === undefined || servers === null) return [];
  if (typeof servers[Symbol.iterator] !== 'function' || typeof servers === 'string') {
    throw new TypeError(`Failed to execute '${method}': iceServers is not a sequence.`);
  }
  const out = [];
  for (const server of servers) {
    if (!internal.isObject(server) || server.urls === undefined) {
      throw new TypeError(`Failed to execute '${method}': required member urls is undefined.`);
    }
    const urls = typeof server.urls === 'string' ? [server.urls] : Array.from(server.urls, String);
    if (urls.length === 0) throw new DOMException(`Failed to execute '${method}': urls is empty.`, 'SyntaxError');
    for (const url of urls) {
      const m = /^(stuns?|turns?):([^?]+)(\?(.*))?$/i.exec(url);
      if (!m) {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
        throw new DOMException(`Failed to execute '${method}': ${scheme ? `'${scheme[1]}' is not a STUN or TURN scheme in` : 'cannot parse'} the ICE server URL '${url}'.`, 'SyntaxError');
      }
      const scheme = m[1].toLowerCase();
      const hostport = m[2];
      if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(hostport) || hostport.startsWith('//')) {
        throw new DOMException(`Failed to execute '${method}': bad host or port in the ICE server URL '${url}'.`, 'SyntaxError');
      }
      const port = /:(\d+)$/.exec(hostport);
      if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) {
        throw new DOMException(`Failed to execute '${method}': bad port in the ICE server URL '${url}'.`, 'SyntaxError');
      }
      if (scheme.startsWith('stun') && m[3] !== undefined) {
        throw new DOMException(`Failed to execute '${method}': a STUN URL takes no query: '${url}'.`, 'SyntaxError');
      }
      if (scheme.startsWith('turn')) {
        if (m[3] !== undefined && !/^transport=(udp|tcp)$/i.test(m[4])) {
          throw new DOMException(`Failed to execute '${method}': bad query in the TURN URL '${url}'.`, 'SyntaxError');
        }
        if (server.username === undefined || server.credential === undefined) {
          throw new DOMException(`Failed to execute '${method}': both username and credential are required when the URL scheme is "turn" or "turns".`, 'InvalidAccessError');
        }
      }
    }
    const entry = { urls: typeof server.urls === 'string' ? server.urls : urls };
    if (server.username !== undefined) entry.username = String(server.username);
    if (server.credential !== undefined) entry.credential = String(server.credential);
    out.push(entry);
  }
  return out;
}

function normaliseConfiguration(config, method) {
  if (config === undefined || config === null) config = {};
  if (!internal.isObject(config)) throw new TypeError(`Failed to execute '${method}': the configuration is not an object.`);
  const size = config.iceCandidatePoolSize === undefined ? 0 : Number(config.iceCandidatePoolSize);
  if (!Number.isFinite(size) || size < 0 || size > 255) {
    throw new TypeError(`Failed to execute '${method}': iceCandidatePoolSize is outside the 'octet' value range.`);
  }
  const certificates = config.certificates === undefined ? [] : Array.from(config.certificates);
  for (const cert of certificates) {
    if (internal.certificates.idOf(cert) === undefined) {
      throw new TypeError(`Failed to execute '${method}': an element of certificates is not an RTCCertificate.`);
    }
    if (internal.certificates.expired(cert)) {
      throw new DOMException(`Failed to execute '${method}': a certificate has expired.`, 'InvalidAccessError');
    }
  }
  return {
    certificates,
    iceServers: validateIceServers(config.iceServers, method),
    iceTransportPolicy: enumMember(config, 'iceTransportPolicy', 'all'),
    bundlePolicy: enumMember(config, 'bundlePolicy', 'balanced'),
    rtcpMuxPolicy: enumMember(config, 'rtcpMuxPolicy', 'require'),
    iceCandidatePoolSize: Math.trunc(size),
  };
}

// What the SDK read of each description set (src/sdk/rtc/sdp.c): {eol, iceUfrags, trickle,
// application, maxMessageSize, media: [{kind, mid, direction, iceUfrag, start, end}]}. SDP is
// parsed there, once, not here.
const factsOf = new WeakMap();
const NO_FACTS = Object.freeze({ iceUfrags: [], trickle: false, application: false, maxMessageSize: null, media: [] });
const facts = (desc) => (desc && factsOf.get(desc)) || NO_FACTS;

const hasApplication = (desc) => facts(desc).application;
function remoteMaxMessageSize(desc) {
  const n = facts(desc).maxMessageSize;
  if (n === null || n === undefined) return DEFAULT_MAX_MESSAGE_SIZE;
  return n === 0 ? Infinity : n;
}
// The direction of the m-section with mid in desc, or null when it has none.
const directionOfMid = (desc, mid) => facts(desc).media.find((m) => m.mid === mid)?.direction ?? null;

class RTCPeerConnection extends EventTarget {
  #config;
  #ready;                  // resolves with the SDK object ID
  #id = null;
  #closed = false;
  #ops = Promise.resolve(); // the operations chain
  #signalingState = 'stable';
  #iceGatheringState = 'new';
  #iceConnectionState = 'new';
  #connectionState = 'new';
  #currentLocal = null;
  #pendingLocal = null;
  #currentRemote = null;
  #pendingRemote = null;
  #lastOffer = null;
  #lastAnswer = null;
  #iceUfragsToReplace = null; // restartIce(): the local ICE usernames the next offer replaces
  #channels = new Set();
  #negotiationNeeded = false;
  #negotiationQueued = false;
  #sctp = null;
  #transceivers = [];
  #remoteStreams = new Map(); // SDK stream object ID -> MediaStream
  #mediaPending = Promise.resolve(); // media calls the next operation must follow
  #hooks = {
    call: (method, params) => this.#mediaCall(typeof params === 'function' ? params : () => params, method),
    negotiationNeeded: () => this.#updateNegotiationNeeded(),
    closed: () => this.#closed,
    stats: (select) => this.#stats(select),
  };

  constructor(configuration = undefined) {
    super();
    this.#config = normaliseConfiguration(configuration, "construct 'RTCPeerConnection'");
    this.#ready = this.#createUnderlying();
    // A failure to create the SDK side surfaces on the first operation.
    this.#ready.catch(() => {});
    internal.lifetime.adopt(this, (pc) => pc.close());
  }

  // Creates the SDK's connection (a webrtcbin) for the current configuration.
  #createUnderlying() {
    const params = {
      iceTransportPolicy: this.#config.iceTransportPolicy,
      bundlePolicy: this.#config.bundlePolicy,
    };
    // One DTLS transport, one identity: the first certificate given (without one, the SDK makes
    // an ECDSA P-256 certificate for the connection, as browsers do).
    if (this.#config.certificates.length) params.certificate = internal.certificates.idOf(this.#config.certificates[0]);
    return internal.bridge.call('RTCPeerConnection.constructor', params, undefined,
                                this.#config.iceServers)
      .then(({ id }) => {
        this.#id = id;
        if (this.#closed) {
          internal.bridge.call('RTCPeerConnection.close', undefined, id).catch(() => {});
        } else {
          internal.bridge.listen(id, (event, data) => this.#onEvent(event, data));
        }
        return id;
      });
  }

  // ---- attributes ----
  get localDescription() { return this.#pendingLocal ?? this.#currentLocal; }
  get currentLocalDescription() { return this.#currentLocal; }
  get pendingLocalDescription() { return this.#pendingLocal; }
  get remoteDescription() { return this.#pendingRemote ?? this.#currentRemote; }
  get currentRemoteDescription() { return this.#currentRemote; }
  get pendingRemoteDescription() { return this.#pendingRemote; }
  get signalingState() { return this.#signalingState; }
  get iceGatheringState() { return this.#iceGatheringState; }
  get iceConnectionState() { return this.#iceConnectionState; }
  get connectionState() { return this.#connectionState; }
  get canTrickleIceCandidates() {
    const remote = this.remoteDescription;
    return remote ? facts(remote).trickle : null;
  }
  get sctp() { return this.#sctp; }

  getConfiguration() {
    const { certificates, ...rest } = this.#config;
    return { ...structuredClone(rest), certificates: [...certificates] };
  }

  setConfiguration(configuration) {
    this.#throwIfClosed('setConfiguration');
    const next = normaliseConfiguration(configuration, "execute 'setConfiguration' on 'RTCPeerConnection'");
    const sameCertificates = configuration?.certificates === undefined ||
      (next.certificates.length === this.#config.certificates.length &&
       next.certificates.every((c, i) => c === this.#config.certificates[i]));
    if (!sameCertificates) {
      throw new DOMException("Failed to execute 'setConfiguration' on 'RTCPeerConnection': certificates cannot change.", 'InvalidModificationError');
    }
    if (configuration?.certificates === undefined) next.certificates = this.#config.certificates;
    if (next.bundlePolicy !== this.#config.bundlePolicy || next.rtcpMuxPolicy !== this.#config.rtcpMuxPolicy) {
      throw new DOMException("Failed to execute 'setConfiguration' on 'RTCPeerConnection': bundlePolicy and rtcpMuxPolicy cannot change.", 'InvalidModificationError');
    }
    if (next.iceCandidatePoolSize !== this.#config.iceCandidatePoolSize && this.#currentLocal) {
      throw new DOMException("Failed to execute 'setConfiguration' on 'RTCPeerConnection': iceCandidatePoolSize cannot change after setLocalDescription.", 'InvalidModificationError');
    }
    this.#config = next;
    this.#ready.then((id) => {
      if (this.#closed) return undefined;
      return internal.bridge.call('RTCPeerConnection.setConfiguration',
                                  { iceTransportPolicy: next.iceTransportPolicy }, id, next.iceServers);
    }).catch((e) => { if (!this.#closed) internal.reportError(e); });
  }

  #throwIfClosed(method) {
    if (this.#closed) {
      throw new DOMException(`Failed to execute '${method}' on 'RTCPeerConnection': The RTCPeerConnection's signalingState is 'closed'.`, 'InvalidStateError');
    }
  }

  // Runs op after every earlier operation settled (the operations chain); rejects at once
  // with InvalidStateError once closed.
  #chain(method, op) {
    if (this.#closed) {
      return Promise.reject(new DOMException(`Failed to execute '${method}' on 'RTCPeerConnection': The RTCPeerConnection's signalingState is 'closed'.`, 'InvalidStateError'));
    }
    const result = this.#ops.then(async () => {
      if (this.#closed) throw new DOMException(`Failed to execute '${method}' on 'RTCPeerConnection': The RTCPeerConnection is closed.`, 'InvalidStateError');
      const id = await this.#ready;
      await this.#mediaPending;
      return op(id);
    });
    this.#ops = result.then(() => {}, () => {});
    return result.then((v) => {
      // A connection closed while the operation ran settles it never (webrtc-pc).
      if (this.#closed) return new Promise(() => {});
      return v;
    });
  }

  // ---- offer/answer ----
  createOffer(options = undefined, ...legacy) {
    if (typeof options === 'function') {
      const [failure] = legacy;
      this.createOffer(legacy[1]).then(options, failure);
      return Promise.resolve();
    }
    const params = {};
    // Legacy RTCOfferOptions (webrtc-pc §11.2): a recvonly transceiver of the kind, if none receives.
    if (internal.isObject(options)) {
      if (options.offerToReceiveAudio !== undefined) params.offerToReceiveAudio = !!options.offerToReceiveAudio;
      if (options.offerToReceiveVideo !== undefined) params.offerToReceiveVideo = !!options.offerToReceiveVideo;
    }
    const iceRestart = internal.isObject(options) && !!options.iceRestart;
    return this.#chain('createOffer', async (id) => {
      // New ICE credentials (webrtc-pc §4.4.1.5): asked for, or restartIce() was called.
      if ((iceRestart || this.#iceUfragsToReplace) && this.#currentLocal) params.iceRestart = true;
      const desc = await internal.bridge.call('RTCPeerConnection.createOffer', params, id);
      this.#lastOffer = desc.sdp;
      return new RTCSessionDescription(desc);
    });
  }

  createAnswer(options = undefined, ...legacy) {
    if (typeof options === 'function') {
      const [failure] = legacy;
      this.createAnswer().then(options, failure);
      return Promise.resolve();
    }
    return this.#chain('createAnswer', async (id) => {
      if (this.#signalingState !== 'have-remote-offer' && this.#signalingState !== 'have-local-pranswer') {
        throw new DOMException(`Failed to execute 'createAnswer' on 'RTCPeerConnection': The RTCPeerConnection's signalingState is '${this.#signalingState}'.`, 'InvalidStateError');
      }
      const desc = await internal.bridge.call('RTCPeerConnection.createAnswer', {}, id);
      this.#lastAnswer = desc.sdp;
      return new RTCSessionDescription(desc);
    });
  }

  setLocalDescription(description = undefined, ...legacy) {
    if (typeof legacy[0] === 'function') {
      this.setLocalDescription(description).then(legacy[0], legacy[1]);
      return Promise.resolve();
    }
    const init = description === undefined || description === null ? {} : description;
    return this.#chain('setLocalDescription', async (id) => {
      let type = init.type;
      let sdp = init.sdp === undefined ? '' : String(init.sdp);
      if (type === undefined) {
        type = ['stable', 'have-local-offer', 'have-remote-pranswer'].includes(this.#signalingState) ? 'offer' : 'answer';
      }
      if (type === 'rollback') return this.#rollback('local');
      if (!sdp) {
        // Parameterless: the last offer/answer made, or a new one.
        const last = type === 'offer' ? this.#lastOffer : this.#lastAnswer;
        sdp = last ?? (await internal.bridge.call(
          type === 'offer' ? 'RTCPeerConnection.createOffer' : 'RTCPeerConnection.createAnswer', {}, id)).sdp;
      }
      const desc = new RTCSessionDescription({ type, sdp });
      const reply = await internal.bridge.call('RTCPeerConnection.setLocalDescription', desc.toJSON(), id);
      factsOf.set(desc, reply.facts);
      this.#syncTransceivers(reply.transceivers);
      // The credentials restartIce() asked to replace are gone once a description without them is set.
      if (this.#iceUfragsToReplace && !facts(desc).iceUfrags.some((u) => this.#iceUfragsToReplace.includes(u))) {
        this.#iceUfragsToReplace = null;
      }
      this.#applyDescription('local', desc, reply.signalingState);
    });
  }

  setRemoteDescription(description, ...legacy) {
    if (typeof legacy[0] === 'function') {
      this.setRemoteDescription(description).then(legacy[0], legacy[1]);
      return Promise.resolve();
    }
    if (!internal.isObject(description) || description.type === undefined) {
      return Promise.reject(new TypeError("Failed to execute 'setRemoteDescription' on 'RTCPeerConnection': required member type is undefined."));
    }
    let desc;
    try {
      desc = new RTCSessionDescription(description);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#chain('setRemoteDescription', async (id) => {
      if (desc.type === 'rollback') return this.#rollback('remote');
      if (desc.type === 'offer' && this.#signalingState === 'have-local-offer') {
        // Perfect negotiation: an implicit rollback (to a fresh webrtcbin), then the offer.
        await this.#rollback('local');
        id = this.#id;
      }
      const reply = await internal.bridge.call('RTCPeerConnection.setRemoteDescription', desc.toJSON(), id);
      factsOf.set(desc, reply.facts);
      this.#syncTransceivers(reply.transceivers);
      this.#applyDescription('remote', desc, reply.signalingState);
      this.#processRemoteTracks(reply.transceivers);
    });
  }

  // webrtcbin 1.22 has no rollback. Before the first negotiation completes there is nothing to
  // keep, so a rollback is a fresh webrtcbin with the same configuration and data channels (what
  // perfect negotiation needs); later it would drop the connection, so it is refused.
  async #rollback(side) {
    const method = `set${side === 'local' ? 'Local' : 'Remote'}Description`;
    if (this.#signalingState === 'stable') {
      throw new DOMException(`Failed to execute '${method}' on 'RTCPeerConnection': Called in wrong state: stable`, 'InvalidStateError');
    }
    if (this.#currentLocal || this.#currentRemote) {
      throw new DOMException(`Failed to execute '${method}' on 'RTCPeerConnection': rollback after the first completed negotiation is not supported: GStreamer webrtcbin 1.22 cannot return to a previous description (docs/webrtc.md).`, 'NotSupportedError');
    }
    const old = this.#id;
    internal.bridge.unlisten(old);
    internal.bridge.call('RTCPeerConnection.close', undefined, old).catch(() => {});
    this.#ready = this.#createUnderlying();
    const id = await this.#ready;
    for (const channel of this.#channels) {
      internal.recreateDataChannel(channel, (params) => internal.bridge.call('RTCPeerConnection.createDataChannel', params, id));
    }
    this.#pendingLocal = this.#pendingRemote = null;
    this.#lastOffer = this.#lastAnswer = null;
    this.#iceGatheringState = 'new';
    this.#setSignalingState('stable');
    this.#updateNegotiationNeeded();
  }

  // Updates the descriptions and the signaling state after a successful set (webrtc-pc
  // §4.4.1.6 "set the RTCSessionDescription"), then fires signalingstatechange.
  #applyDescription(side, desc, sdkState) {
    if (side === 'local') {
      if (desc.type === 'offer') this.#pendingLocal = desc;
      else if (desc.type === 'pranswer') this.#pendingLocal = desc;
      else {
        this.#currentLocal = desc;
        this.#currentRemote = this.#pendingRemote ?? this.#currentRemote;
        this.#pendingLocal = this.#pendingRemote = null;
      }
      this.#lastOffer = this.#lastAnswer = null;
      } else {
      if (desc.type === 'offer' || desc.type === 'pranswer') this.#pendingRemote = desc;
      else {
        this.#currentRemote = desc;
        this.#currentLocal = this.#pendingLocal ?? this.#currentLocal;
        this.#pendingLocal = this.#pendingRemote = null;
      }
    }
    if (!this.#sctp && hasApplication(this.remoteDescription) && hasApplication(this.localDescription ?? this.remoteDescription)) {
      this.#sctp = internal.newSctpTransport(() => remoteMaxMessageSize(this.remoteDescription));
    }
    this.#setSignalingState(sdkState);
    if (this.#signalingState === 'stable') this.#updateNegotiationNeeded();
  }

  #setSignalingState(state) {
    if (state === this.#signalingState) return;
    this.#signalingState = state;
    internal.fire(this, new Event('signalingstatechange'));
  }

  // ---- ICE ----
  addIceCandidate(candidate = undefined, ...legacy) {
    if (typeof legacy[0] === 'function') {
      this.addIceCandidate(candidate).then(legacy[0], legacy[1]);
      return Promise.resolve();
    }
    let init = candidate;
    if (init instanceof RTCIceCandidate) init = init.toJSON();
    const end = init === undefined || init === null || init.candidate === undefined || init.candidate === '';
    if (!end && (init.sdpMid === undefined || init.sdpMid === null) &&
        (init.sdpMLineIndex === undefined || init.sdpMLineIndex === null)) {
      return Promise.reject(new TypeError("Failed to execute 'addIceCandidate' on 'RTCPeerConnection': Candidate missing values for both sdpMid and sdpMLineIndex"));
    }
    return this.#chain('addIceCandidate', async (id) => {
      if (!this.remoteDescription) {
        throw new DOMException("Failed to execute 'addIceCandidate' on 'RTCPeerConnection': The remote description was null", 'InvalidStateError');
      }
      // The SDK finds the m-section (by mid, else index), checks the candidate's ICE username
      // against the remote description's and its syntax (OperationError), and adds it; "" ends
      // the candidates of that m-section, or of all of them.
      const params = { candidate: end ? '' : String(init.candidate) };
      if (init?.sdpMid !== undefined && init?.sdpMid !== null) params.sdpMid = String(init.sdpMid);
      else if (init?.sdpMLineIndex !== undefined && init?.sdpMLineIndex !== null) {
        const index = Number(init.sdpMLineIndex);
        if (!(Number.isInteger(index) && index >= 0 && index <= 65535)) {
          throw new DOMException(`Failed to execute 'addIceCandidate' on 'RTCPeerConnection': sdpMLineIndex ${init.sdpMLineIndex} is out of range`, 'OperationError');
        }
        params.sdpMLineIndex = index;
      }
      if (!end && init.usernameFragment !== undefined && init.usernameFragment !== null) {
        params.usernameFragment = String(init.usernameFragment);
      }
      await internal.bridge.call('RTCPeerConnection.addIceCandidate', params, id);
    });
  }

  // webrtc-pc §4.4.1.5 restartIce: the next offer has new ICE credentials, and negotiation is
  // needed for it. The SDK makes webrtcbin 1.22 restart (src/sdk/rtc/ice-restart.c).
  restartIce() {
    if (this.#closed) return;
    const ufrags = [...facts(this.#currentLocal).iceUfrags, ...facts(this.#pendingLocal).iceUfrags];
    if (!ufrags.length) return;
    this.#iceUfragsToReplace = ufrags;
    this.#updateNegotiationNeeded();
  }


  // ---- media: transceivers, senders, receivers ----

  // Runs an SDK call on the connection after every earlier media call (params() may await, for
  // track IDs); operations of the chain wait for them.
  #mediaCall(params, method) {
    const p = this.#mediaPending.then(async () => {
      const id = await this.#ready;
      return internal.bridge.call(method, await params(), id);
    });
    this.#mediaPending = p.then(() => {}, () => {});
    return p;
  }

  getTransceivers() { return [...this.#transceivers]; }
  getSenders() { return this.#transceivers.filter((t) => !internal.rtp.stopping(t) || t.sender.track).map((t) => t.sender); }
  getReceivers() { return this.#transceivers.map((t) => t.receiver); }

  addTransceiver(trackOrKind, init = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': 1 argument required, but only 0 present.");
    let track = null, kind;
    if (typeof trackOrKind === 'string') {
      if (trackOrKind !== 'audio' && trackOrKind !== 'video') throw new TypeError(`Failed to execute 'addTransceiver' on 'RTCPeerConnection': The provided value '${trackOrKind}' is not a valid kind ('audio' or 'video').`);
      kind = trackOrKind;
    } else if (internal.isTrack(trackOrKind)) {
      track = trackOrKind;
      kind = track.kind;
    } else {
      throw new TypeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': parameter 1 is not a MediaStreamTrack or a kind.");
    }
    this.#throwIfClosed('addTransceiver');
    const o = init ?? {};
    const direction = o.direction === undefined ? 'sendrecv' : String(o.direction);
    if (!['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(direction)) {
      throw new TypeError(`Failed to execute 'addTransceiver' on 'RTCPeerConnection': The provided value '${direction}' is not a valid enum value of type RTCRtpTransceiverDirection.`);
    }
    const streams = o.streams === undefined ? [] : Array.from(o.streams);
    for (const s of streams) if (!(s instanceof MediaStream)) throw new TypeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': streams must hold MediaStreams.");
    const encodings = o.sendEncodings === undefined ? [] : Array.from(o.sendEncodings);
    const rids = new Set();
    for (const e of encodings) {
      if (!internal.isObject(e)) throw new TypeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': sendEncodings holds a non-object.");
      if (e.rid !== undefined) {
        if (!/^[a-zA-Z0-9]{1,16}$/.test(String(e.rid)) || rids.has(String(e.rid))) throw new TypeError(`Failed to execute 'addTransceiver' on 'RTCPeerConnection': bad or repeated rid '${e.rid}'.`);
        rids.add(String(e.rid));
      }
      if (e.scaleResolutionDownBy !== undefined && !(Number(e.scaleResolutionDownBy) >= 1)) throw new RangeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': scaleResolutionDownBy must be at least 1.");
      if (e.maxBitrate !== undefined && !(Number(e.maxBitrate) >= 0)) throw new RangeError("Failed to execute 'addTransceiver' on 'RTCPeerConnection': maxBitrate must not be negative.");
    }
    const t = this.#newTransceiver(kind, direction, track, streams.map((s) => s.id));
    // webrtcbin 1.22 has no simulcast: the first encoding is what is sent (webrtc-pc lets an
    // implementation keep fewer encodings than asked for).
    if (encodings.length) {
      const first = { ...encodings[0] };
      delete first.rid;
      const params = t.sender.getParameters();
      params.encodings = [first];
      t.sender.setParameters(params).catch((e) => { if (!this.#closed) internal.reportError(e); });
    }
    return t;
  }

  #newTransceiver(kind, direction, track, streamIds) {
    const created = this.#mediaCall(async () => {
      const params = { kind, direction, streams: streamIds };
      if (track) params.track = await internal.trackObjectId(track);
      return params;
    }, 'RTCPeerConnection.addTransceiver');
    const receiverTrack = internal.newTrack({ kind, label: `remote ${kind}`, muted: true },
                                            created.then((d) => d.receiverTrack));
    const t = internal.rtp.newTransceiver(this.#hooks, kind, direction, receiverTrack, created);
    created.then((d) => internal.rtp.update(t, d), (e) => { if (!this.#closed) internal.reportError(e); });
    internal.rtp.setSenderState(t.sender, track, streamIds);
    if (track) internal.rtp.markUsed(t);
    this.#transceivers.push(t);
    this.#updateNegotiationNeeded();
    return t;
  }

  addTrack(track, ...streams) {
    if (!internal.isTrack(track)) throw new TypeError("Failed to execute 'addTrack' on 'RTCPeerConnection': parameter 1 is not of type 'MediaStreamTrack'.");
    for (const s of streams) if (!(s instanceof MediaStream)) throw new TypeError("Failed to execute 'addTrack' on 'RTCPeerConnection': parameter is not of type 'MediaStream'.");
    this.#throwIfClosed('addTrack');
    if (this.#transceivers.some((t) => t.sender.track === track)) {
      throw new DOMException("Failed to execute 'addTrack' on 'RTCPeerConnection': A sender already exists for the track.", 'InvalidAccessError');
    }
    const streamIds = streams.map((s) => s.id);
    // webrtc-pc §4.4.1.5 addTrack: reuse a transceiver of the kind that has never sent.
    const reuse = this.#transceivers.find((t) => internal.rtp.kind(t) === track.kind && t.sender.track === null &&
      !internal.rtp.usedToSend(t) && !internal.rtp.stopping(t));
    if (!reuse) return this.#newTransceiver(track.kind, 'sendrecv', track, streamIds).sender;
    const was = internal.rtp.directionOf(reuse);
    const direction = was === 'recvonly' ? 'sendrecv' : was === 'inactive' ? 'sendonly' : was;
    internal.rtp.setDirectionQuietly(reuse, direction);
    internal.rtp.setSenderState(reuse.sender, track, streamIds);
    internal.rtp.markUsed(reuse);
    this.#mediaCall(async () => ({ index: internal.rtp.index(reuse), direction, streams: streamIds,
                                   track: await internal.trackObjectId(track) }), 'RTCPeerConnection.setTransceiver')
      .catch((e) => { if (!this.#closed) internal.reportError(e); });
    this.#updateNegotiationNeeded();
    return reuse.sender;
  }

  removeTrack(sender) {
    if (!(sender instanceof RTCRtpSender)) throw new TypeError("Failed to execute 'removeTrack' on 'RTCPeerConnection': parameter 1 is not of type 'RTCRtpSender'.");
    this.#throwIfClosed('removeTrack');
    const t = this.#transceivers.find((x) => x.sender === sender);
    if (!t) throw new DOMException("Failed to execute 'removeTrack' on 'RTCPeerConnection': The sender was not created by this peer connection.", 'InvalidAccessError');
    if (internal.rtp.stopping(t) || sender.track === null) return;
    internal.rtp.setSenderState(sender, null);
    const was = internal.rtp.directionOf(t);
    const direction = was === 'sendrecv' ? 'recvonly' : was === 'sendonly' ? 'inactive' : was;
    internal.rtp.setDirectionQuietly(t, direction);
    this.#mediaCall(() => ({ index: internal.rtp.index(t), direction, track: null }), 'RTCPeerConnection.setTransceiver')
      .catch((e) => { if (!this.#closed) internal.reportError(e); });
    this.#updateNegotiationNeeded();
  }

  // The SDK's transceivers after a description was set: new ones (from a remote offer) get
  // their JS objects, recvonly as webrtc-pc creates them; every one learns its mid.
  #syncTransceivers(list) {
    for (const d of list ?? []) {
      let t = this.#transceivers.find((x) => internal.rtp.index(x) === d.index);
      if (!t) {
        const receiverTrack = internal.newTrack({ kind: d.kind, label: `remote ${d.kind}`, muted: true }, d.receiverTrack.id);
        t = internal.rtp.newTransceiver(this.#hooks, d.kind, 'recvonly', receiverTrack, Promise.resolve(d));
        internal.rtp.update(t, d);
        this.#transceivers.push(t);
        if (d.direction !== 'recvonly') {
          this.#mediaCall(() => ({ index: d.index, direction: 'recvonly' }), 'RTCPeerConnection.setTransceiver').catch(() => {});
        }
      }
      internal.rtp.update(t, d);
    }
  }

  // webrtc-pc §4.4.1.6 "set the remote description", for tracks: a transceiver whose m-section
  // the peer now sends on gets a track event (with the peer's streams); one it stopped sending
  // on loses its track from those streams, and the track is muted.
  #processRemoteTracks(list) {
    const remote = this.remoteDescription;
    if (!remote) return;
    const media = facts(remote).media;
    const events = [];
    for (const d of list ?? []) {
      const t = this.#transceivers.find((x) => internal.rtp.index(x) === d.index);
      if (!t || d.mline === null || d.mline === undefined || !media[d.mline]) continue;
      const dir = media[d.mline].direction;
      const sends = dir === 'sendrecv' || dir === 'sendonly';
      const track = t.receiver.track;
      if (sends && !internal.rtp.receiving(t)) {
        internal.rtp.setReceiving(t, true);
        const streams = d.streams.map((s) => {
          let stream = this.#remoteStreams.get(s.id);
          if (!stream) {
            stream = internal.newSdkStream({ id: s.id, streamId: s.streamId }, []);
            this.#remoteStreams.set(s.id, stream);
          }
          return stream;
        });
        events.push({ t, track, streams });
      } else if (!sends && internal.rtp.receiving(t)) {
        internal.rtp.setReceiving(t, false);
        for (const stream of this.#remoteStreams.values()) internal.remoteStreamChange(stream, track, false);
        internal.remoteTrackEvent(track, 'mute');
      }
    }
    for (const { t, track, streams } of events) {
      for (const stream of streams) internal.remoteStreamChange(stream, track, true);
      internal.fire(this, new RTCTrackEvent('track', { receiver: t.receiver, track, streams, transceiver: t }));
    }
  }

  // webrtc-pc §4.7.3 "check if negotiation is needed", for one transceiver.
  #transceiverNeedsNegotiation(t) {
    const mid = t.mid;
    if (internal.rtp.stopping(t)) return false; // webrtcbin cannot stop a transceiver (docs/media.md)
    if (mid === null) return true;
    const local = this.#currentLocal;
    if (!local) return true;
    const localDir = directionOfMid(local, mid);
    if (localDir === null) return true;
    const want = internal.rtp.directionOf(t);
    if (local.type === 'offer') return localDir !== want;
    const offered = directionOfMid(this.#currentRemote, mid) ?? 'sendrecv';
    const canSend = (want === 'sendrecv' || want === 'sendonly') && (offered === 'sendrecv' || offered === 'recvonly');
    const canRecv = (want === 'sendrecv' || want === 'recvonly') && (offered === 'sendrecv' || offered === 'sendonly');
    const expected = canSend && canRecv ? 'sendrecv' : canSend ? 'sendonly' : canRecv ? 'recvonly' : 'inactive';
    return localDir !== expected;
  }

  // ---- data channels ----
  createDataChannel(label, options = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': 1 argument required, but only 0 present.");
    this.#throwIfClosed('createDataChannel');
    label = String(label);
    const o = options === null || options === undefined ? {} : options;
    const ordered = o.ordered === undefined ? true : !!o.ordered;
    const toShort = (v, name) => {
      if (v === undefined || v === null) return null;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 65535) throw new TypeError(`Failed to execute 'createDataChannel' on 'RTCPeerConnection': ${name} is outside the 'unsigned short' value range.`);
      return Math.trunc(n);
    };
    const maxPacketLifeTime = toShort(o.maxPacketLifeTime, 'maxPacketLifeTime');
    const maxRetransmits = toShort(o.maxRetransmits, 'maxRetransmits');
    const protocol = o.protocol === undefined ? '' : String(o.protocol);
    const negotiated = !!o.negotiated;
    const id = toShort(o.id, 'id');
    if (native.utf8Encode(label).length > 65535) throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': label is longer than 65535 bytes.");
    if (native.utf8Encode(protocol).length > 65535) throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': protocol is longer than 65535 bytes.");
    if (maxPacketLifeTime !== null && maxRetransmits !== null) {
      throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': RTCDataChannelInit.maxRetransmits and maxPacketLifeTime are mutually exclusive.");
    }
    if (negotiated && id === null) {
      throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': RTCDataChannelInit.negotiated is true but id is missing.");
    }
    if (id !== null && id > 65534) {
      throw new TypeError("Failed to execute 'createDataChannel' on 'RTCPeerConnection': RTCDataChannelInit.id is outside the range of stream IDs (0-65534).");
    }
    for (const c of this.#channels) {
      if (id !== null && c.id === id && c.readyState !== 'closed') {
        throw new DOMException(`Failed to execute 'createDataChannel' on 'RTCPeerConnection': RTCDataChannel with id ${id} already exists.`, 'OperationError');
      }
    }
    const params = { label, ordered, protocol, negotiated };
    if (maxPacketLifeTime !== null) params.maxPacketLifeTime = maxPacketLifeTime;
    if (maxRetransmits !== null) params.maxRetransmits = maxRetransmits;
    if (id !== null) params.id = id;
    const created = this.#ready.then((pcId) => {
      if (this.#closed) throw new DOMException('the connection was closed', 'InvalidStateError');
      return internal.bridge.call('RTCPeerConnection.createDataChannel', params, pcId);
    });
    const desc = { label, ordered, maxPacketLifeTime, maxRetransmits, protocol, negotiated, streamId: id, createParams: params };
    const channel = internal.newDataChannel(this.#internals(), desc, created);
    // Closing the connection meanwhile is no error; anything else is reported.
    created.catch((error) => { if (!this.#closed) internal.reportError(error); });
    this.#channels.add(channel);
    if (!negotiated || !hasApplication(this.#currentLocal)) this.#updateNegotiationNeeded();
    return channel;
  }

  #internals() {
    return { maxMessageSize: () => (this.#sctp ? this.#sctp.maxMessageSize : DEFAULT_MAX_MESSAGE_SIZE) };
  }

  // webrtc-pc §4.7.3 "update the negotiation-needed flag", for what this engine negotiates:
  // data channels need an application m-section in the negotiated description.
  #updateNegotiationNeeded() {
    if (this.#closed) return;
    const needed = (this.#channels.size > 0 && !hasApplication(this.#currentLocal)) ||
      this.#iceUfragsToReplace !== null ||
      this.#transceivers.some((t) => this.#transceiverNeedsNegotiation(t));
    if (!needed) { this.#negotiationNeeded = false; return; }
    if (this.#signalingState !== 'stable' || this.#negotiationNeeded) return;
    this.#negotiationNeeded = true;
    if (this.#negotiationQueued) return;
    this.#negotiationQueued = true;
    // Queued after the operations chain empties, as a task.
    const fire = () => {
      this.#negotiationQueued = false;
      if (this.#closed || !this.#negotiationNeeded || this.#signalingState !== 'stable') return;
      internal.fire(this, new Event('negotiationneeded'));
    };
    this.#ops.then(() => internal.setTimer(fire, 0));
  }

  // ---- events from the SDK ----
  #onEvent(event, data) {
    if (this.#closed) return;
    switch (event) {
      case 'icecandidate': {
        // With the ICE username of its m-section, as browsers give it: after a restart the peer
        // can tell the new candidates from the old.
        const candidate = new RTCIceCandidate({
          candidate: data.candidate, sdpMid: data.sdpMid ?? null, sdpMLineIndex: data.sdpMLineIndex,
          usernameFragment: data.usernameFragment ?? null,
        });
        this.#addLocalCandidate(candidate);
        internal.fire(this, new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
        break;
      }
      case 'icegatheringstatechange':
        if (data.state === this.#iceGatheringState) return;
        this.#iceGatheringState = data.state;
        internal.fire(this, new Event('icegatheringstatechange'));
        if (data.state === 'complete') {
          // webrtcbin has no end-of-candidates signal: the null candidate comes from here.
          internal.fire(this, new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
        }
        break;
      case 'iceconnectionstatechange':
        if (data.state === this.#iceConnectionState) return;
        this.#iceConnectionState = data.state;
        internal.fire(this, new Event('iceconnectionstatechange'));
        break;
      case 'connectionstatechange':
        if (data.state === this.#connectionState) return;
        this.#connectionState = data.state;
        if (this.#sctp) internal.setSctpState(this.#sctp, data.state === 'connected' ? 'connected' : data.state === 'failed' ? 'closed' : 'connecting');
        internal.fire(this, new Event('connectionstatechange'));
        break;
      case 'icecandidateerror':
        internal.fire(this, new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
          url: data.url, errorCode: data.errorCode, errorText: data.errorText,
          address: data.address ?? null, port: data.port ?? null,
        }));
        break;
      case 'datachannel': {
        const channel = internal.newDataChannel(this.#internals(), { ...data.channel, announced: true }, data.channel.id);
        this.#channels.add(channel);
        internal.fire(this, new RTCDataChannelEvent('datachannel', { channel }));
        break;
      }
      case 'sources': {
        const t = this.#transceivers.find((x) => internal.rtp.index(x) === data.index);
        if (t && Array.isArray(data.sources)) internal.rtp.setSources(t, data.sources);
        break;
      }
    }
  }

  // Keeps the local description's candidate lines in step with what was gathered, as browsers do:
  // the line goes at the end of its m-section, whose place the SDK's facts give.
  #addLocalCandidate(candidate) {
    const desc = this.#pendingLocal ?? this.#currentLocal;
    if (!desc) return;
    const f = facts(desc);
    const i = candidate.sdpMid !== null ? f.media.findIndex((m) => m.mid === candidate.sdpMid) : candidate.sdpMLineIndex;
    const section = f.media[i];
    if (!section || section.end === undefined) return;
    const line = 'a=' + candidate.candidate;
    const text = desc.sdp.slice(section.start, section.end);
    if (text.includes(line + f.eol) || text.endsWith(line)) return;
    const before = desc.sdp.slice(0, section.end);
    const added = (before.endsWith('\n') ? '' : f.eol) + line + f.eol;
    const updated = new RTCSessionDescription({ type: desc.type, sdp: before + added + desc.sdp.slice(section.end) });
    factsOf.set(updated, {
      ...f,
      media: f.media.map((m, k) => (k < i ? m : { ...m, start: k === i ? m.start : m.start + added.length, end: m.end + added.length })),
    });
    if (this.#pendingLocal === desc) this.#pendingLocal = updated;
    else this.#currentLocal = updated;
  }

  // ---- close ----
  // ---- statistics ----

  // webrtc-pc §8.2: everything, or (a track) what the one sender or receiver of it sends or gets.
  getStats(selector = null) {
    if (selector === null) return this.#stats(null);
    if (!internal.isTrack(selector)) return Promise.reject(new TypeError("Failed to execute 'getStats' on 'RTCPeerConnection': The selector is neither null nor a MediaStreamTrack."));
    const matches = [];
    for (const t of this.#transceivers) {
      if (t.sender.track === selector) matches.push({ transceiver: t, side: 'sender' });
      if (t.receiver.track === selector) matches.push({ transceiver: t, side: 'receiver' });
    }
    if (matches.length !== 1) {
      return Promise.reject(new DOMException(`Failed to execute 'getStats' on 'RTCPeerConnection': ${matches.length ? 'more than one' : 'no'} sender or receiver has the track.`, 'InvalidAccessError'));
    }
    return this.#stats(matches[0]);
  }

  async #stats(select) {
    // A closed connection has no SDK side any more: what the base library knows is left.
    let sdk = {};
    if (!this.#closed) {
      try {
        sdk = (await this.#mediaCall(() => ({}), 'RTCPeerConnection.getStats')).stats;
      } catch (e) {
        if (!this.#closed) throw e;
      }
    }
    return internal.statsReport(sdk, this.#transceivers, this.#channels, select);
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#signalingState = 'closed';
    this.#iceConnectionState = 'closed';
    this.#connectionState = 'closed';
    for (const channel of this.#channels) internal.abortDataChannel(channel);
    for (const t of this.#transceivers) {
      internal.rtp.stopAll(t);
      internal.rtp.setSenderState(t.sender, null);
      t.receiver.track.stop(); // ended, without an ended event (webrtc-pc close())
    }
    if (this.#sctp) internal.setSctpState(this.#sctp, 'closed');
    if (this.#id !== null) {
      internal.bridge.unlisten(this.#id);
      internal.bridge.call('RTCPeerConnection.close', undefined, this.#id).catch(() => {});
    }
  }

  static generateCertificate(keygenAlgorithm) {
    try {
      return internal.generateCertificate(keygenAlgorithm);
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

for (const name of ['negotiationneeded', 'icecandidate', 'icecandidateerror', 'signalingstatechange',
                    'iceconnectionstatechange', 'icegatheringstatechange', 'connectionstatechange',
                    'datachannel', 'track']) {
  internal.defineEventHandler(RTCPeerConnection.prototype, name);
}
Object.defineProperty(RTCPeerConnection.prototype, Symbol.toStringTag, { value: 'RTCPeerConnection', configurable: true });

internal.defineGlobal('RTCPeerConnection', RTCPeerConnection);
internal.lifetime.RTCPeerConnection = RTCPeerConnection;
