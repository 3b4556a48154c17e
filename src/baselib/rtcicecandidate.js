// RTCIceCandidate (W3C webrtc-pc §4.8.2): the candidate line parsed into its fields.

// candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type>
//   [raddr <a> rport <p>] [tcptype <t>] [ufrag <u>] ...
function parseCandidate(line) {
  const fields = {
    foundation: null, component: null, priority: null, address: null, protocol: null, port: null,
    type: null, tcpType: null, relatedAddress: null, relatedPort: null, usernameFragment: null,
  };
  const text = line.startsWith('a=') ? line.slice(2) : line;
  if (!text.startsWith('candidate:')) return fields;
  const parts = text.slice('candidate:'.length).trim().split(/\s+/);
  if (parts.length < 8 || parts[6] !== 'typ') return fields;
  fields.foundation = parts[0];
  fields.component = parts[1] === '1' ? 'rtp' : parts[1] === '2' ? 'rtcp' : null;
  fields.protocol = /^(udp|tcp)$/i.test(parts[2]) ? parts[2].toLowerCase() : null;
  fields.priority = Number.isInteger(Number(parts[3])) ? Number(parts[3]) >>> 0 : null;
  fields.address = parts[4];
  fields.port = Number.isInteger(Number(parts[5])) ? Number(parts[5]) : null;
  fields.type = ['host', 'srflx', 'prflx', 'relay'].includes(parts[7]) ? parts[7] : null;
  for (let i = 8; i + 1 < parts.length; i += 2) {
    const [key, value] = [parts[i], parts[i + 1]];
    if (key === 'raddr') fields.relatedAddress = value;
    else if (key === 'rport') fields.relatedPort = Number(value);
    else if (key === 'tcptype' && ['active', 'passive', 'so'].includes(value)) fields.tcpType = value;
    else if (key === 'ufrag') fields.usernameFragment = value;
  }
  return fields;
}

class RTCIceCandidate {
  #candidate;
  #sdpMid;
  #sdpMLineIndex;
  #usernameFragment;
  #fields;

  constructor(candidateInitDict = {}) {
    const init = candidateInitDict === null ? {} : candidateInitDict;
    if (!internal.isObject(init)) {
      throw new TypeError("Failed to construct 'RTCIceCandidate': The provided value is not of type 'RTCIceCandidateInit'.");
    }
    const sdpMid = init.sdpMid === undefined || init.sdpMid === null ? null : String(init.sdpMid);
    const index = init.sdpMLineIndex === undefined || init.sdpMLineIndex === null ? null
      : Number(init.sdpMLineIndex);
    if (sdpMid === null && index === null) {
      throw new TypeError("Failed to construct 'RTCIceCandidate': sdpMid and sdpMLineIndex are both null.");
    }
    if (index !== null && (!Number.isInteger(index) || index < 0 || index > 65535)) {
      throw new TypeError("Failed to construct 'RTCIceCandidate': sdpMLineIndex is outside the 'unsigned short' value range.");
    }
    this.#candidate = init.candidate === undefined ? '' : String(init.candidate);
    this.#sdpMid = sdpMid;
    this.#sdpMLineIndex = index;
    const fields = parseCandidate(this.#candidate);
    this.#usernameFragment = init.usernameFragment === undefined || init.usernameFragment === null
      ? fields.usernameFragment : String(init.usernameFragment);
    this.#fields = fields;
  }

  get candidate() { return this.#candidate; }
  get sdpMid() { return this.#sdpMid; }
  get sdpMLineIndex() { return this.#sdpMLineIndex; }
  get foundation() { return this.#fields.foundation; }
  get component() { return this.#fields.component; }
  get priority() { return this.#fields.priority; }
  get address() { return this.#fields.address; }
  get protocol() { return this.#fields.protocol; }
  get port() { return this.#fields.port; }
  get type() { return this.#fields.type; }
  get tcpType() { return this.#fields.tcpType; }
  get relatedAddress() { return this.#fields.relatedAddress; }
  get relatedPort() { return this.#fields.relatedPort; }
  get usernameFragment() { return this.#usernameFragment; }
  get relayProtocol() { return null; }
  get url() { return null; }

  toJSON() {
    return {
      candidate: this.#candidate, sdpMid: this.#sdpMid, sdpMLineIndex: this.#sdpMLineIndex,
      usernameFragment: this.#usernameFragment,
    };
  }
}
Object.defineProperty(RTCIceCandidate.prototype, Symbol.toStringTag, { value: 'RTCIceCandidate', configurable: true });

internal.defineGlobal('RTCIceCandidate', RTCIceCandidate);
