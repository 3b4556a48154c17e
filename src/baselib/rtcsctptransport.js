// RTCSctpTransport (W3C webrtc-pc §6.1): the SCTP association a connection's data channels use.

let sctpKey;

class RTCSctpTransport extends EventTarget {
  #maxMessageSize;
  #state = 'connecting';

  constructor(key, maxMessageSize) {
    if (key !== sctpKey) throw new TypeError('Illegal constructor');
    super();
    this.#maxMessageSize = maxMessageSize;
  }

  get transport() { return null; }
  get state() { return this.#state; }
  // The largest message the peer accepts (its a=max-message-size, 65536 when it gives none),
  // never more than webrtcbin itself can send.
  get maxMessageSize() { return Math.min(this.#maxMessageSize(), 65536); }
  get maxChannels() { return this.#state === 'connected' ? 65535 : null; }

  static {
    sctpKey = {};
    internal.newSctpTransport = (maxMessageSize) => new RTCSctpTransport(sctpKey, maxMessageSize);
    internal.setSctpState = (t, state) => {
      if (t.#state === state || t.#state === 'closed') return;
      t.#state = state;
      internal.fire(t, new Event('statechange'));
    };
  }
}
internal.defineEventHandler(RTCSctpTransport.prototype, 'statechange');
Object.defineProperty(RTCSctpTransport.prototype, Symbol.toStringTag, { value: 'RTCSctpTransport', configurable: true });

internal.defineGlobal('RTCSctpTransport', RTCSctpTransport);
