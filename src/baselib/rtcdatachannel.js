// RTCDataChannel (W3C webrtc-pc §6.2) over the SDK's "RTCDataChannel" objects. Binary data
// crosses the bridge as bytes beside the call block or event (docs/webrtc.md).

let channelKey;

function byteLengthOf(data) {
  if (typeof data === 'string') return native.utf8Encode(data).length;
  return data.byteLength ?? data.size;
}

class RTCDataChannel extends EventTarget {
  #pc;          // the owning connection's internals (see rtcpeerconnection.js)
  #id = null;   // the SDK object ID, once known
  #ready;       // resolves with the SDK object ID
  #label;
  #ordered;
  #maxPacketLifeTime;
  #maxRetransmits;
  #protocol;
  #negotiated;
  #streamId;
  #readyState = 'connecting';
  #createParams; // what created it, to create it again on a fresh webrtcbin (rollback)
  #binaryType = 'blob';         // the W3C default
  #threshold = 0;
  #queued = 0;      // bytes handed to send() whose call block the SDK has not answered yet
  #sdkBuffered = 0; // what webrtcbin last reported still buffered
  #counts = { messagesSent: 0, bytesSent: 0, messagesReceived: 0, bytesReceived: 0 }; // for getStats

  constructor(key, pc, desc, idOrPromise) {
    if (key !== channelKey) throw new TypeError('Illegal constructor');
    super();
    this.#pc = pc;
    this.#label = desc.label;
    this.#ordered = desc.ordered;
    this.#maxPacketLifeTime = desc.maxPacketLifeTime ?? null;
    this.#maxRetransmits = desc.maxRetransmits ?? null;
    this.#protocol = desc.protocol;
    this.#negotiated = desc.negotiated;
    this.#streamId = desc.streamId ?? null;
    this.#createParams = desc.createParams;
    if (typeof idOrPromise === 'number') {
      this.#bind(idOrPromise, desc);
      this.#ready = Promise.resolve(idOrPromise);
    } else {
      this.#ready = idOrPromise.then((d) => { this.#bind(d.id, d); return d.id; });
      this.#ready.catch(() => {});
    }
  }

  #bind(id, desc) {
    this.#id = id;
    if (desc.streamId !== null && desc.streamId !== undefined) this.#streamId = desc.streamId;
    internal.bridge.listen(id, (event, data, bytes) => this.#onEvent(event, data, bytes));
    if (desc.announced) {
      // A channel the peer created is "open" from the start; its open event follows the
      // datachannel event (webrtc-pc "announce the data channel as open").
      this.#readyState = 'open';
      internal.setTimer(() => {
        if (this.#readyState === 'open') internal.fire(this, new Event('open'));
      }, 0);
    }
  }

  #onEvent(event, data, bytes) {
    switch (event) {
      case 'open':
        if (this.#readyState !== 'connecting') return;
        if (data && data.streamId !== undefined) this.#streamId = data.streamId;
        this.#readyState = 'open';
        internal.fire(this, new Event('open'));
        break;
      case 'message': {
        if (this.#readyState !== 'open') return;
        const payload = data.text !== undefined ? data.text
          : this.#binaryType === 'blob' ? internal.makeBlob(new Uint8Array(bytes)) : bytes;
        this.#counts.messagesReceived++;
        this.#counts.bytesReceived += byteLengthOf(payload);
        internal.fire(this, new MessageEvent('message', { data: payload, origin: '' }));
        break;
      }
      case 'bufferedamountlow':
        this.#setSdkBuffered(data.bufferedAmount);
        break;
      case 'error':
        internal.fire(this, new RTCErrorEvent('error', {
          error: new RTCError({ errorDetail: 'data-channel-failure' }, data.message || 'data channel failure'),
        }));
        break;
      case 'closing':
        if (this.#readyState === 'closed' || this.#readyState === 'closing') return;
        this.#readyState = 'closing';
        internal.fire(this, new Event('closing'));
        break;
      case 'close':
        this.#finish(true);
        break;
    }
  }

  #finish(fireClose) {
    if (this.#readyState === 'closed') return;
    this.#readyState = 'closed';
    if (this.#id !== null) internal.bridge.unlisten(this.#id);
    this.#queued = 0;
    this.#sdkBuffered = 0;
    if (fireClose) internal.fire(this, new Event('close'));
  }

  #setSdkBuffered(amount) {
    const before = this.bufferedAmount;
    this.#sdkBuffered = Number(amount) || 0;
    this.#maybeLow(before);
  }

  #maybeLow(before) {
    const now = this.bufferedAmount;
    if (before > this.#threshold && now <= this.#threshold && this.#readyState === 'open') {
      internal.fire(this, new Event('bufferedamountlow'));
    }
  }

  get label() { return this.#label; }
  get ordered() { return this.#ordered; }
  get maxPacketLifeTime() { return this.#maxPacketLifeTime; }
  get maxRetransmits() { return this.#maxRetransmits; }
  get protocol() { return this.#protocol; }
  get negotiated() { return this.#negotiated; }
  get id() { return this.#streamId; }
  get readyState() { return this.#readyState; }
  get bufferedAmount() { return this.#queued + this.#sdkBuffered; }
  get bufferedAmountLowThreshold() { return this.#threshold; }
  set bufferedAmountLowThreshold(value) {
    this.#threshold = Number(value) >>> 0;
    const threshold = this.#threshold;
    this.#ready.then((id) => internal.bridge.call('RTCDataChannel.setBufferedAmountLowThreshold',
                                                   { threshold }, id)).catch(() => {});
  }
  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    const v = String(value);
    if (v === 'arraybuffer' || v === 'blob') {
      this.#binaryType = v;
    } else {
      throw new DOMException(`Failed to set 'binaryType': '${v}' is not a valid binary type.`, 'SyntaxError');
    }
  }

  send(data) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'send' on 'RTCDataChannel': 1 argument required, but only 0 present.");
    if (this.#readyState !== 'open') {
      throw new DOMException(`Failed to execute 'send' on 'RTCDataChannel': RTCDataChannel.readyState is not 'open'`, 'InvalidStateError');
    }
    let params, bytes;
    const blob = internal.blobBytes(data);
    if (blob) {
      // A Blob's bytes are read now (they never change), and sent as a binary message.
      bytes = blob;
      data = blob;
      params = { binary: true };
    } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      // Any view (a DataView too) as the bytes it covers, copied as the block leaves.
      bytes = data;
      params = { binary: true };
    } else {
      data = String(data);
      params = { text: data };
    }
    const size = byteLengthOf(data);
    if (size === 0) {
      // webrtcbin 1.22 fails the whole channel ("Internal data stream error") on an empty
      // message: refuse it here rather than lose the channel (docs/webrtc.md).
      throw new DOMException("Failed to execute 'send' on 'RTCDataChannel': empty messages are not supported by GStreamer webrtcbin 1.22.", 'NotSupportedError');
    }
    const max = this.#pc.maxMessageSize();
    if (size > max) {
      throw new TypeError(`Failed to execute 'send' on 'RTCDataChannel': the message of ${size} bytes exceeds the peer's maxMessageSize of ${max} bytes.`);
    }
    this.#queued += size;
    this.#counts.messagesSent++;
    this.#counts.bytesSent += size;
    internal.bridge.call('RTCDataChannel.send', params, this.#id, undefined, bytes).then((reply) => {
      if (this.#readyState === 'closed') return;
      const before = this.bufferedAmount;
      this.#queued -= size;
      this.#sdkBuffered = reply.bufferedAmount;
      this.#maybeLow(before);
    }, (error) => {
      this.#queued -= size;
      if (this.#readyState === 'open') {
        internal.fire(this, new RTCErrorEvent('error', {
          error: new RTCError({ errorDetail: 'data-channel-failure' }, error.message),
        }));
      }
    });
  }

  close() {
    if (this.#readyState === 'closing' || this.#readyState === 'closed') return;
    this.#readyState = 'closing';
    this.#ready.then((id) => internal.bridge.call('RTCDataChannel.close', undefined, id)).catch(() => {
      // The SDK object is already gone (the connection closed): closed without an event.
      this.#finish(false);
    });
  }

  static {
    channelKey = {};
    internal.newDataChannel = (pc, desc, idOrPromise) => new RTCDataChannel(channelKey, pc, desc, idOrPromise);
    // The connection closed: the channel is closed at once, without events (webrtc-pc close()).
    internal.abortDataChannel = (channel) => channel.#finish(false);
    // The RTCDataChannelStats members (webrtc-stats §7.10) but type, id and timestamp.
    internal.dataChannelStats = (channel) => ({
      label: channel.#label, protocol: channel.#protocol, dataChannelIdentifier: channel.#streamId ?? undefined,
      state: channel.#readyState, ...channel.#counts,
    });
    // The connection's webrtcbin was replaced (rollback): the same channel on the new one.
    internal.recreateDataChannel = (channel, create) => {
      if (channel.#readyState !== 'connecting' || !channel.#createParams) {
        channel.#finish(true);
        return;
      }
      if (channel.#id !== null) internal.bridge.unlisten(channel.#id);
      channel.#id = null;
      channel.#ready = create(channel.#createParams).then((d) => { channel.#bind(d.id, d); return d.id; });
      channel.#ready.catch((error) => internal.reportError(error));
    };
  }
}
for (const name of ['open', 'bufferedamountlow', 'error', 'closing', 'close', 'message']) {
  internal.defineEventHandler(RTCDataChannel.prototype, name);
}
Object.defineProperty(RTCDataChannel.prototype, Symbol.toStringTag, { value: 'RTCDataChannel', configurable: true });

internal.defineGlobal('RTCDataChannel', RTCDataChannel);
