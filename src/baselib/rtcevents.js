// The WebRTC event and error classes: RTCPeerConnectionIceEvent, RTCPeerConnectionIceErrorEvent,
// RTCDataChannelEvent, RTCError and RTCErrorEvent (W3C webrtc-pc §4.8, §6.2, §11.1).

function tag(cls, name) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
}

class RTCPeerConnectionIceEvent extends Event {
  #candidate;
  #url;
  constructor(type, init = {}) {
    super(type, init);
    this.#candidate = init && init.candidate !== undefined ? init.candidate : null;
    this.#url = init && init.url !== undefined ? init.url : null;
  }
  get candidate() { return this.#candidate; }
  get url() { return this.#url; }
}
tag(RTCPeerConnectionIceEvent, 'RTCPeerConnectionIceEvent');

class RTCPeerConnectionIceErrorEvent extends Event {
  #init;
  constructor(type, init) {
    super(type, init);
    if (!internal.isObject(init) || init.errorCode === undefined) {
      throw new TypeError("Failed to construct 'RTCPeerConnectionIceErrorEvent': required member errorCode is undefined.");
    }
    this.#init = { address: null, port: null, url: '', errorText: '', ...init };
  }
  get address() { return this.#init.address; }
  get port() { return this.#init.port; }
  get url() { return String(this.#init.url); }
  get errorCode() { return Number(this.#init.errorCode) & 0xFFFF; }
  get errorText() { return String(this.#init.errorText); }
}
tag(RTCPeerConnectionIceErrorEvent, 'RTCPeerConnectionIceErrorEvent');

class RTCDataChannelEvent extends Event {
  #channel;
  constructor(type, init) {
    super(type, init);
    if (!internal.isObject(init) || !(init.channel instanceof RTCDataChannel)) {
      throw new TypeError("Failed to construct 'RTCDataChannelEvent': required member channel is not an RTCDataChannel.");
    }
    this.#channel = init.channel;
  }
  get channel() { return this.#channel; }
}
tag(RTCDataChannelEvent, 'RTCDataChannelEvent');

const errorDetails = ['data-channel-failure', 'dtls-failure', 'fingerprint-failure',
                      'sctp-failure', 'sdp-syntax-error', 'hardware-encoder-not-available',
                      'hardware-encoder-error'];

class RTCError extends DOMException {
  #init;
  constructor(init, message = '') {
    super(message, 'OperationError');
    if (!internal.isObject(init) || !errorDetails.includes(init.errorDetail)) {
      throw new TypeError("Failed to construct 'RTCError': errorDetail is not a valid RTCErrorDetailType.");
    }
    this.#init = init;
  }
  get errorDetail() { return this.#init.errorDetail; }
  get sdpLineNumber() { return this.#init.sdpLineNumber ?? null; }
  get sctpCauseCode() { return this.#init.sctpCauseCode ?? null; }
  get receivedAlert() { return this.#init.receivedAlert ?? null; }
  get sentAlert() { return this.#init.sentAlert ?? null; }
  get httpRequestStatusCode() { return this.#init.httpRequestStatusCode ?? null; }
}
tag(RTCError, 'RTCError');

class RTCErrorEvent extends Event {
  #error;
  constructor(type, init) {
    super(type, init);
    if (!internal.isObject(init) || !(init.error instanceof RTCError)) {
      throw new TypeError("Failed to construct 'RTCErrorEvent': required member error is not an RTCError.");
    }
    this.#error = init.error;
  }
  get error() { return this.#error; }
}
tag(RTCErrorEvent, 'RTCErrorEvent');

internal.defineGlobal('RTCPeerConnectionIceEvent', RTCPeerConnectionIceEvent);
internal.defineGlobal('RTCPeerConnectionIceErrorEvent', RTCPeerConnectionIceErrorEvent);
internal.defineGlobal('RTCDataChannelEvent', RTCDataChannelEvent);
internal.defineGlobal('RTCError', RTCError);
internal.defineGlobal('RTCErrorEvent', RTCErrorEvent);
