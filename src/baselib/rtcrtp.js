// RTCRtpSender, RTCRtpReceiver and RTCRtpTransceiver (W3C webrtc-pc §5) over the SDK's
// transceivers of a connection (src/sdk/rtc/rtp.c). A transceiver is created by the connection
// (addTrack, addTransceiver, or a remote offer); `hooks` are the connection's internals:
//   call(method, params) -> Promise   a call on the connection's SDK object, in order (params: an
//                                     object, or an async function giving it when the call goes)
//   negotiationNeeded()               re-evaluates the negotiation-needed flag
//   closed()                          whether the connection is closed

let rtpKey;

const CODECS = {
  audio: [{ mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' }],
  video: [
    { mimeType: 'video/VP8', clockRate: 90000 },
    { mimeType: 'video/VP9', clockRate: 90000 },
    { mimeType: 'video/H264', clockRate: 90000, sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f' },
  ],
};
// What the SDK encodes (src/sdk/rtc/rtp.c): every codec it decodes.
const SEND_CODECS = CODECS;
const mimeOf = (kind, name) => CODECS[kind].find((c) => c.mimeType.split('/')[1].toLowerCase() === String(name).toLowerCase());

// Header extensions: received packets' transport-wide sequence numbers are fed back to the
// sender (transport-cc, src/sdk/rtc/twcc.c); the SDK's own senders write none.
const RECEIVE_EXTENSIONS = [{ uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01' }];

function capabilities(kind, codecs, headerExtensions) {
  kind = String(kind);
  if (!codecs[kind]) return null;
  return { codecs: structuredClone(codecs[kind]), headerExtensions: structuredClone(headerExtensions) };
}

function checkKind(track, kind, method) {
  if (track !== null && !internal.isTrack(track)) throw new TypeError(`Failed to execute '${method}': parameter 1 is not of type 'MediaStreamTrack'.`);
  if (track && track.kind !== kind) throw new TypeError(`Failed to execute '${method}': the track's kind '${track.kind}' is not the sender's '${kind}'.`);
}

class RTCRtpSender {
  #transceiver;
  #kind;
  #track = null;
  #streams = [];
  #parameters;
  #transactionId = null;

  constructor(key, transceiver, kind) {
    if (key !== rtpKey) throw new TypeError('Illegal constructor');
    this.#transceiver = transceiver;
    this.#kind = kind;
    this.#parameters = { encodings: [{ active: true }] };
  }

  get track() { return this.#track; }
  get transport() { return null; }
  get dtmf() { return null; }

  // Swaps what is sent without renegotiation (webrtc-pc §5.2 replaceTrack).
  replaceTrack(track) {
    try {
      checkKind(track, this.#kind, 'replaceTrack');
    } catch (e) {
      return Promise.reject(e);
    }
    const t = this.#transceiver;
    if (internal.rtp.closed(t)) return Promise.reject(new DOMException("Failed to execute 'replaceTrack' on 'RTCRtpSender': The peer connection is closed.", 'InvalidStateError'));
    if (t.currentDirection === 'stopped' || internal.rtp.stopping(t)) {
      return Promise.reject(new DOMException("Failed to execute 'replaceTrack' on 'RTCRtpSender': The transceiver is stopped.", 'InvalidStateError'));
    }
    return internal.rtp.setSenderTrack(t, track).then(() => { this.#track = track; });
  }

  setStreams(...streams) {
    if (internal.rtp.closed(this.#transceiver)) throw new DOMException("Failed to execute 'setStreams' on 'RTCRtpSender': The peer connection is closed.", 'InvalidStateError');
    for (const s of streams) if (!(s instanceof MediaStream)) throw new TypeError("Failed to execute 'setStreams' on 'RTCRtpSender': parameter is not a MediaStream.");
    this.#streams = [...new Set(streams.map((s) => s.id))];
    internal.rtp.send(this.#transceiver, { streams: this.#streams });
    internal.rtp.negotiationNeeded(this.#transceiver);
  }

  getParameters() {
    this.#transactionId = crypto.randomUUID();
    return {
      transactionId: this.#transactionId,
      encodings: structuredClone(this.#parameters.encodings),
      codecs: internal.rtp.sendCodec(this.#transceiver),
      headerExtensions: [],
      rtcp: { cname: '', reducedSize: false },
      degradationPreference: this.#parameters.degradationPreference,
    };
  }

  // webrtc-pc §5.2 setParameters: only the encodings' active, maxBitrate,
  // scaleResolutionDownBy and maxFramerate may change, with the transaction ID of the last
  // getParameters. Applying them to the encoder comes with the media controls (docs/media.md).
  async setParameters(parameters) {
    if (!internal.isObject(parameters)) throw new TypeError("Failed to execute 'setParameters' on 'RTCRtpSender': parameters is not an object.");
    if (internal.rtp.closed(this.#transceiver)) throw new DOMException("Failed to execute 'setParameters' on 'RTCRtpSender': The peer connection is closed.", 'InvalidStateError');
    if (this.#transactionId === null || parameters.transactionId !== this.#transactionId) {
      throw new DOMException("Failed to execute 'setParameters' on 'RTCRtpSender': Read-only field modified in setParameters(): transactionId (call getParameters() first).", 'InvalidStateError');
    }
    const encodings = parameters.encodings;
    if (!Array.isArray(encodings) || encodings.length !== this.#parameters.encodings.length) {
      throw new DOMException("Failed to execute 'setParameters' on 'RTCRtpSender': the number of encodings cannot change.", 'InvalidModificationError');
    }
    const next = encodings.map((e) => {
      const out = { active: e.active === undefined ? true : !!e.active };
      if (e.rid !== undefined) throw new DOMException("Failed to execute 'setParameters' on 'RTCRtpSender': rid cannot be modified.", 'InvalidModificationError');
      if (e.maxBitrate !== undefined) {
        if (!(Number(e.maxBitrate) >= 0)) throw new RangeError("Failed to execute 'setParameters' on 'RTCRtpSender': maxBitrate must be a positive number.");
        out.maxBitrate = Math.trunc(Number(e.maxBitrate));
      }
      if (e.scaleResolutionDownBy !== undefined) {
        if (this.#kind !== 'video') throw new DOMException("Failed to execute 'setParameters' on 'RTCRtpSender': scaleResolutionDownBy is for video.", 'InvalidModificationError');
        if (!(Number(e.scaleResolutionDownBy) >= 1)) throw new RangeError("Failed to execute 'setParameters' on 'RTCRtpSender': scaleResolutionDownBy must be at least 1.");
        out.scaleResolutionDownBy = Number(e.scaleResolutionDownBy);
      }
      if (e.maxFramerate !== undefined) {
        if (!(Number(e.maxFramerate) >= 0)) throw new RangeError("Failed to execute 'setParameters' on 'RTCRtpSender': maxFramerate must be a positive number.");
        out.maxFramerate = Number(e.maxFramerate);
      }
      return out;
    });
    this.#transactionId = null;
    this.#parameters = { encodings: next, degradationPreference: parameters.degradationPreference };
    await internal.rtp.send(this.#transceiver, { encoding: this.#resolvedEncoding() });
  }

  // The first encoding as the SDK applies it: scaling turned into a size from the track's.
  #resolvedEncoding() {
    const e = this.#parameters.encodings[0];
    const out = { active: e.active };
    if (e.maxBitrate !== undefined) out.maxBitrate = e.maxBitrate;
    if (e.maxFramerate !== undefined) out.maxFramerate = Math.max(1, Math.round(e.maxFramerate));
    const settings = this.#track?.getSettings();
    if (e.scaleResolutionDownBy !== undefined && settings?.width) {
      out.width = Math.max(2, Math.round(settings.width / e.scaleResolutionDownBy));
      out.height = Math.max(2, Math.round(settings.height / e.scaleResolutionDownBy));
    }
    return out;
  }

  getStats() { return internal.rtp.stats(this.#transceiver, 'sender'); }

  static getCapabilities(kind) { return capabilities(kind, SEND_CODECS, []); }

  static {
    internal.rtp = internal.rtp ?? {};
    internal.rtp.setSenderState = (sender, track, streams) => {
      sender.#track = track;
      if (streams) sender.#streams = streams;
    };
  }
}

class RTCRtpReceiver {
  #track;
  #transceiver;
  constructor(key, transceiver, track) {
    if (key !== rtpKey) throw new TypeError('Illegal constructor');
    this.#transceiver = transceiver;
    this.#track = track;
  }
  get track() { return this.#track; }
  get transport() { return null; }
  // webrtc-pc §5.3.1: the sources of the last 10 s. The SDK sends them while packets arrive,
  // from the first call on (src/sdk/rtc/rtp-sources.c): the lists are synchronous.
  getContributingSources() { return internal.rtp.sources(this.#transceiver, 'csrc'); }
  getSynchronizationSources() { return internal.rtp.sources(this.#transceiver, 'ssrc'); }
  getStats() { return internal.rtp.stats(this.#transceiver, 'receiver'); }
  static getCapabilities(kind) { return capabilities(kind, CODECS, RECEIVE_EXTENSIONS); }
}

const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

class RTCRtpTransceiver {
  #hooks;
  #index = null;   // the SDK's handle
  #ready;          // resolves once the SDK transceiver exists
  #kind;
  #mid = null;
  #direction;
  #currentDirection = null;
  #sender;
  #receiver;
  #stopping = false;
  #stopped = false;
  #usedToSend = false;
  #receiving = false; // the remote description sends on it (for track events)
  #sendCodec = null;  // {name, payloadType, clockRate}: what the SDK sends
  #sources = [];      // the SDK's latest list of the receiver's sources, once watched
  #watchingSources = false;

  constructor(key, hooks, kind, direction, receiverTrack, ready) {
    if (key !== rtpKey) throw new TypeError('Illegal constructor');
    this.#hooks = hooks;
    this.#kind = kind;
    this.#direction = direction;
    this.#sender = new RTCRtpSender(rtpKey, this, kind);
    this.#receiver = new RTCRtpReceiver(rtpKey, this, receiverTrack);
    this.#ready = ready;
  }

  get mid() { return this.#mid; }
  get sender() { return this.#sender; }
  get receiver() { return this.#receiver; }
  get direction() { return this.#stopping ? 'stopped' : this.#direction; }
  set direction(value) {
    value = String(value);
    if (!DIRECTIONS.includes(value)) throw new TypeError(`Failed to set the 'direction' property on 'RTCRtpTransceiver': The provided value '${value}' is not a valid enum value of type RTCRtpTransceiverDirection.`);
    if (this.#hooks.closed()) throw new DOMException("Failed to set the 'direction' property on 'RTCRtpTransceiver': The peer connection is closed.", 'InvalidStateError');
    if (this.#stopping) throw new DOMException("Failed to set the 'direction' property on 'RTCRtpTransceiver': The transceiver is stopped.", 'InvalidStateError');
    if (value === this.#direction) return;
    this.#direction = value;
    internal.rtp.send(this, { direction: value });
    this.#hooks.negotiationNeeded();
  }
  get currentDirection() { return this.#stopped ? 'stopped' : this.#currentDirection; }

  // webrtcbin 1.22 cannot stop a transceiver: it goes inactive and its receiver's track ends
  // (docs/media.md).
  stop() {
    if (this.#hooks.closed()) throw new DOMException("Failed to execute 'stop' on 'RTCRtpTransceiver': The peer connection is closed.", 'InvalidStateError');
    if (this.#stopping) return;
    this.#stopping = true;
    internal.rtp.send(this, { direction: 'inactive', track: null });
    internal.rtp.setSenderState(this.#sender, null);
    this.#receiver.track.stop();
    this.#hooks.negotiationNeeded();
  }

  setCodecPreferences(codecs) {
    if (typeof codecs?.[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'setCodecPreferences' on 'RTCRtpTransceiver': codecs is not a sequence.");
    const list = Array.from(codecs);
    const known = CODECS[this.#kind];
    for (const c of list) {
      if (!internal.isObject(c) || !known.some((k) => k.mimeType.toLowerCase() === String(c.mimeType).toLowerCase())) {
        throw new DOMException(`Failed to execute 'setCodecPreferences' on 'RTCRtpTransceiver': Invalid codec ${internal.isObject(c) ? c.mimeType : c}.`, 'InvalidModificationError');
      }
    }
    // The SDK offers them in this order from the next negotiation on (before the first, the
    // sender switches to the first at once); an empty list restores the default.
    const names = list.map((c) => c.mimeType.split('/')[1].toUpperCase());
    internal.rtp.send(this, { codecs: names });
  }

  static {
    rtpKey = {};
    const rtp = internal.rtp;
    rtp.newTransceiver = (hooks, kind, direction, receiverTrack, ready) =>
      new RTCRtpTransceiver(rtpKey, hooks, kind, direction, receiverTrack, ready);
    rtp.closed = (t) => t.#hooks.closed();
    rtp.stats = (t, side) => t.#hooks.stats({ transceiver: t, side });
    // RTCRtpSender.getParameters().codecs: the codec sent, once the SDK has said.
    rtp.sendCodec = (t) => {
      const c = t.#sendCodec && mimeOf(t.#kind, t.#sendCodec.name);
      return c ? [{ ...structuredClone(c), payloadType: t.#sendCodec.payloadType }] : [];
    };
    rtp.stopping = (t) => t.#stopping;
    rtp.index = (t) => t.#index;
    rtp.kind = (t) => t.#kind;
    rtp.usedToSend = (t) => t.#usedToSend;
    rtp.negotiationNeeded = (t) => t.#hooks.negotiationNeeded();
    // Sends params to the SDK transceiver, in call order.
    rtp.send = (t, params) => {
      // Queued now, among the connection's media calls (an offer created next sees it); the
      // index is known by the time the call goes (the creating call is earlier in the queue).
      const p = t.#hooks.call('RTCPeerConnection.setTransceiver', async () => {
        if (t.#index === null) await t.#ready;
        return { index: t.#index, ...params };
      }).then((d) => { if (d) rtp.update(t, d); return d; });
      p.catch(() => {});
      return p;
    };
    rtp.setSenderTrack = async (t, track) => {
      const trackId = track ? await internal.trackObjectId(track) : null;
      if (track) t.#usedToSend = true;
      await rtp.send(t, { track: trackId });
    };
    // The SDK's description of the transceiver (index, mid, directions) after an operation.
    rtp.update = (t, d) => {
      t.#index = d.index;
      if (d.sendCodec) t.#sendCodec = d.sendCodec;
      t.#mid = d.mid ?? null;
      if (d.currentDirection && !t.#stopped) t.#currentDirection = d.currentDirection;
    };
    rtp.markUsed = (t) => { t.#usedToSend = true; };
    rtp.sources = (t, type) => {
      if (!t.#watchingSources && !t.#hooks.closed()) {
        t.#watchingSources = true;
        const p = t.#hooks.call('RTCPeerConnection.watchSources', async () => {
          if (t.#index === null) await t.#ready;
          return { index: t.#index };
        });
        p.catch(() => {});
      }
      const now = performance.now();
      const list = [];
      for (const s of t.#sources) {
        const timestamp = s.timestamp - native.monotonicOrigin;
        if (s.type !== type || now - timestamp > 10000) continue;
        const entry = { timestamp, source: s.source, rtpTimestamp: s.rtpTimestamp };
        if (s.audioLevel !== undefined) entry.audioLevel = s.audioLevel;
        list.push(entry);
      }
      return list;
    };
    rtp.setSources = (t, list) => { t.#sources = list; };
    rtp.receiving = (t) => t.#receiving;
    rtp.setReceiving = (t, v) => { t.#receiving = v; };
    rtp.directionOf = (t) => t.#direction;
    rtp.setDirectionQuietly = (t, d) => { t.#direction = d; };
    rtp.stopAll = (t) => {
      t.#stopping = t.#stopped = true;
      t.#currentDirection = null;
    };
  }
}

for (const [cls, name] of [[RTCRtpSender, 'RTCRtpSender'], [RTCRtpReceiver, 'RTCRtpReceiver'], [RTCRtpTransceiver, 'RTCRtpTransceiver']]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  internal.defineGlobal(name, cls);
}

class RTCTrackEvent extends Event {
  #receiver; #track; #streams; #transceiver;
  constructor(type, init) {
    if (arguments.length < 2) throw new TypeError("Failed to construct 'RTCTrackEvent': 2 arguments required.");
    if (!internal.isObject(init) || !(init.receiver instanceof RTCRtpReceiver) || !internal.isTrack(init.track) ||
        !(init.transceiver instanceof RTCRtpTransceiver)) {
      throw new TypeError("Failed to construct 'RTCTrackEvent': receiver, track and transceiver are required.");
    }
    super(type, init);
    this.#receiver = init.receiver;
    this.#track = init.track;
    this.#streams = Object.freeze(Array.from(init.streams ?? []));
    this.#transceiver = init.transceiver;
  }
  get receiver() { return this.#receiver; }
  get track() { return this.#track; }
  get streams() { return this.#streams; }
  get transceiver() { return this.#transceiver; }
}
internal.defineGlobal('RTCTrackEvent', RTCTrackEvent);
