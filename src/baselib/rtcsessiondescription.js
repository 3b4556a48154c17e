// RTCSessionDescription (W3C webrtc-pc §4.8).

const sdpTypes = ['offer', 'pranswer', 'answer', 'rollback'];

class RTCSessionDescription {
  #type;
  #sdp;

  constructor(descriptionInitDict) {
    if (!internal.isObject(descriptionInitDict) || descriptionInitDict.type === undefined) {
      throw new TypeError("Failed to construct 'RTCSessionDescription': required member type is undefined.");
    }
    const type = String(descriptionInitDict.type);
    if (!sdpTypes.includes(type)) {
      throw new TypeError(`Failed to construct 'RTCSessionDescription': The provided value '${type}' is not a valid enum value of type RTCSdpType.`);
    }
    this.#type = type;
    this.#sdp = descriptionInitDict.sdp === undefined ? '' : String(descriptionInitDict.sdp);
  }

  get type() { return this.#type; }
  get sdp() { return this.#sdp; }
  toJSON() { return { type: this.#type, sdp: this.#sdp }; }
}
Object.defineProperty(RTCSessionDescription.prototype, Symbol.toStringTag, { value: 'RTCSessionDescription', configurable: true });

internal.sdpTypes = sdpTypes;
internal.defineGlobal('RTCSessionDescription', RTCSessionDescription);
