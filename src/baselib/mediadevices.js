// navigator.mediaDevices (W3C mediacapture-main §9): getUserMedia and enumerateDevices. The SDK
// runs the spec's constraint algorithm (SelectSettings, fitness distance) over its devices, asks
// the host for permission, opens the devices and registers their stream, all in one call block
// (src/sdk/media/mediadevices.c): the stream exists in the SDK, under its ID, when the promise
// resolves.

const SUPPORTED = ['width', 'height', 'aspectRatio', 'frameRate', 'facingMode', 'deviceId', 'groupId',
                   'sampleRate', 'sampleSize', 'channelCount', 'echoCancellation', 'autoGainControl', 'noiseSuppression'];

function capabilitiesOf(device) {
  return { deviceId: device.deviceId, groupId: device.groupId, ...structuredClone(device.capabilities) };
}

class MediaDeviceInfo {
  #info;
  constructor(key, info) {
    if (key !== deviceKey) throw new TypeError('Illegal constructor');
    this.#info = info;
  }
  get deviceId() { return this.#info.deviceId; }
  get kind() { return this.#info.kind; }
  get label() { return this.#info.label; }
  get groupId() { return this.#info.groupId; }
  toJSON() { return { deviceId: this.deviceId, kind: this.kind, label: this.label, groupId: this.groupId }; }
  static {
    internal.deviceCapabilities = (d) => capabilitiesOf(d.#info);
  }
}
class InputDeviceInfo extends MediaDeviceInfo {
  getCapabilities() { return internal.deviceCapabilities(this); }
}
let deviceKey = {};

// Validates MediaStreamConstraints: TypeError when nothing is asked (§9.2 getUserMedia step 3)
// or a member is neither a boolean nor a dictionary.
function requested(constraints, kind) {
  const v = constraints[kind];
  if (v === undefined || v === false) return null;
  if (v === true) return true;
  if (!internal.isObject(v) || Array.isArray(v)) throw new TypeError(`Failed to execute 'getUserMedia' on 'MediaDevices': ${kind} must be a boolean or a MediaTrackConstraints dictionary.`);
  return v;
}

class MediaDevices extends EventTarget {
  #watching = false;

  constructor(key) {
    if (key !== deviceKey) throw new TypeError('Illegal constructor');
    super();
  }

  // devicechange (§9.4) needs the SDK to watch the devices: it does from the first listener on
  // (a device monitor costs a connection to PulseAudio and a udev socket).
  #watch() {
    if (this.#watching) return;
    this.#watching = true;
    internal.bridge.call('MediaDevices.watch', {}).then(({ id }) => {
      internal.bridge.listen(id, (event) => {
        if (event === 'devicechange') internal.fire(this, new Event('devicechange'));
      });
    }, (e) => internal.reportError(e));
  }

  addEventListener(type, listener, options) {
    if (String(type) === 'devicechange' && listener) this.#watch();
    return super.addEventListener(type, listener, options);
  }

  static {
    internal.watchDevices = (devices) => devices.#watch();
  }

  async enumerateDevices() {
    const { devices } = await internal.bridge.call('MediaDevices.enumerate', {});
    return devices.map((d) => new (d.kind === 'audiooutput' ? MediaDeviceInfo : InputDeviceInfo)(deviceKey, d));
  }

  getSupportedConstraints() {
    return Object.fromEntries(SUPPORTED.map((k) => [k, true]));
  }

  async getUserMedia(constraints = {}) {
    if (!internal.isObject(constraints)) throw new TypeError("Failed to execute 'getUserMedia' on 'MediaDevices': The provided value is not of type 'MediaStreamConstraints'.");
    const wanted = { audio: requested(constraints, 'audio'), video: requested(constraints, 'video') };
    if (!wanted.audio && !wanted.video) {
      throw new TypeError("Failed to execute 'getUserMedia' on 'MediaDevices': At least one of audio and video must be requested");
    }
    const params = {};
    for (const kind of ['audio', 'video']) if (wanted[kind]) params[kind] = wanted[kind];
    const { stream, tracks } = await internal.bridge.call('MediaDevices.getUserMedia', params);
    return internal.newSdkStream(stream, tracks.map((desc) => internal.newTrack({
      kind: desc.kind, label: desc.label, settings: desc.settings, capabilities: desc.capabilities,
      constraints: wanted[desc.kind] === true ? {} : structuredClone(wanted[desc.kind]),
    }, desc.id)));
  }
}
internal.defineEventHandler(MediaDevices.prototype, 'devicechange');
{
  const handler = Object.getOwnPropertyDescriptor(MediaDevices.prototype, 'ondevicechange');
  Object.defineProperty(MediaDevices.prototype, 'ondevicechange', {
    ...handler,
    set(value) {
      if (value) internal.watchDevices(this);
      handler.set.call(this, value);
    },
  });
}
for (const [cls, name] of [[MediaDevices, 'MediaDevices'], [MediaDeviceInfo, 'MediaDeviceInfo'], [InputDeviceInfo, 'InputDeviceInfo']]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  internal.defineGlobal(name, cls);
}

const mediaDevices = new MediaDevices(deviceKey);
class Navigator {
  get mediaDevices() { return mediaDevices; }
  get userAgent() { return `mprtc/${native.version}`; }
}
Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: 'Navigator', configurable: true });
internal.defineGlobal('Navigator', Navigator);
internal.defineGlobal('navigator', new Navigator());
