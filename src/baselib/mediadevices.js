// navigator.mediaDevices (W3C mediacapture-main §9): getUserMedia with the spec's constraint
// algorithm (SelectSettings, fitness distance) over the devices the SDK reports, and
// enumerateDevices. The SDK asks the host for permission and opens the device.

const VIDEO_DEFAULTS = { width: 640, height: 480, frameRate: 30 };
const NUMERIC = {
  video: ['width', 'height', 'frameRate', 'aspectRatio'],
  audio: ['sampleRate', 'sampleSize', 'channelCount'],
};
const STRINGS = ['deviceId', 'groupId', 'facingMode'];
const BOOLEANS = { audio: ['echoCancellation', 'autoGainControl', 'noiseSuppression'], video: [] };
const SUPPORTED = ['width', 'height', 'aspectRatio', 'frameRate', 'facingMode', 'deviceId', 'groupId',
                   'sampleRate', 'sampleSize', 'channelCount', 'echoCancellation', 'autoGainControl', 'noiseSuppression'];

// A constraint value in its full form {exact, ideal, min, max}: a bare value is ideal in the
// basic set and exact in an advanced set (§4.3.8).
function normalise(value, advanced) {
  if (internal.isObject(value) && !Array.isArray(value)) return value;
  return advanced ? { exact: value } : { ideal: value };
}

const asList = (v) => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

// Where a device's capability range and one constraint set leave a property: [lo, hi], or
// the name of the constraint that cannot be met.
function rangeFor(prop, c, cap) {
  let [lo, hi] = cap ?? [-Infinity, Infinity];
  for (const key of ['exact', 'min', 'max']) {
    if (c[key] !== undefined && (typeof c[key] !== 'number' || Number.isNaN(c[key]))) {
      throw new TypeError(`The constraint ${prop}.${key} is not a number.`);
    }
  }
  if (c.exact !== undefined) { lo = Math.max(lo, c.exact); hi = Math.min(hi, c.exact); }
  if (c.min !== undefined) lo = Math.max(lo, c.min);
  if (c.max !== undefined) hi = Math.min(hi, c.max);
  // A tolerance for rates and ratios given as decimals.
  return lo <= hi + 1e-9 ? [lo, Math.max(lo, hi)] : prop;
}

const clamp = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));
const distance = (actual, ideal) => (actual === ideal ? 0 : Math.abs(actual - ideal) / Math.max(Math.abs(actual), Math.abs(ideal)));

// One constraint set against a device: null when it cannot be met (failed gets the name), else
// the ranges it leaves and the ideals it asks for.
function applySet(kind, device, set, advanced, ranges, failed) {
  const out = { ranges: { ...ranges }, ideals: {}, strings: {} };
  for (const prop of Object.keys(set)) {
    if (prop === 'advanced') continue;
    const c = normalise(set[prop], advanced);
    if (NUMERIC[kind].includes(prop)) {
      const r = rangeFor(prop, c, out.ranges[prop]);
      if (typeof r === 'string') { failed.name = r; return null; }
      out.ranges[prop] = r;
      if (c.ideal !== undefined) out.ideals[prop] = Number(c.ideal);
    } else if (STRINGS.includes(prop)) {
      const have = prop === 'deviceId' ? [device.deviceId] : prop === 'groupId' ? [device.groupId]
        : (device.capabilities.facingMode ?? []).filter((x) => x !== null);
      const exact = asList(c.exact);
      if (exact && !exact.some((v) => have.includes(v))) { failed.name = prop; return null; }
      const ideal = asList(c.ideal);
      if (ideal) out.strings[prop] = ideal.some((v) => have.includes(v)) ? 0 : 1;
    } else if (BOOLEANS[kind].includes(prop)) {
      // No echo cancellation, gain control or noise suppression here: only false holds.
      const exact = c.exact;
      if (exact === true) { failed.name = prop; return null; }
    }
  }
  return out;
}

// SelectSettings (§3.3) for one kind: the best device and its settings, or throws
// OverconstrainedError / NotFoundError. current: the settings of a running track
// (applyConstraints), kept where the constraints leave room; null for getUserMedia.
function selectSettings(kind, constraints, devices, current = null) {
  const input = kind === 'video' ? 'videoinput' : 'audioinput';
  const candidates = devices.filter((d) => d.kind === input);
  if (candidates.length === 0) throw new DOMException(`Requested device not found: no ${kind} input device.`, 'NotFoundError');
  const basic = constraints === true ? {} : constraints;
  for (const key of Object.keys(basic)) {
    const c = basic[key];
    if (internal.isObject(c) && c.min !== undefined && c.max !== undefined && c.min > c.max) {
      throw new OverconstrainedError(key, `Constraint ${key} has min greater than max.`);
    }
  }
  let best = null;
  const failed = { name: '' };
  for (const device of candidates) {
    const ranges0 = {};
    for (const prop of NUMERIC[kind]) {
      const cap = device.capabilities[prop];
      if (cap) ranges0[prop] = [cap.min, cap.max];
    }
    const base = applySet(kind, device, basic, false, ranges0, failed);
    if (!base) continue;
    let ranges = base.ranges;
    for (const set of Array.isArray(basic.advanced) ? basic.advanced : []) {
      const narrowed = internal.isObject(set) ? applySet(kind, device, set, true, ranges, { name: '' }) : null;
      if (narrowed) ranges = narrowed.ranges; // sets that cannot be met are skipped
    }
    const settings = settle(kind, device, ranges, base.ideals, current);
    let fitness = Object.values(base.strings).reduce((a, b) => a + b, 0);
    for (const [prop, ideal] of Object.entries(base.ideals)) {
      const actual = settings[prop];
      if (typeof actual === 'number') fitness += distance(actual, ideal);
    }
    if (!best || fitness < best.fitness) best = { device, settings, fitness };
  }
  if (!best) throw new OverconstrainedError(failed.name, `Cannot satisfy constraint '${failed.name}'.`);
  return best;
}

// Concrete settings inside the ranges, nearest the ideals, then the current settings (or the
// defaults).
function settle(kind, device, ranges, ideals, current) {
  if (kind === 'audio') {
    return { deviceId: device.deviceId, groupId: device.groupId,
             sampleRate: clamp(ideals.sampleRate ?? 48000, ranges.sampleRate),
             sampleSize: 16,
             channelCount: Math.round(clamp(ideals.channelCount ?? current?.channelCount ?? 1, ranges.channelCount)),
             echoCancellation: false, autoGainControl: false, noiseSuppression: false, latency: 0.01 };
  }
  const ratio = ideals.aspectRatio;
  const base = current ?? VIDEO_DEFAULTS;
  let width = ideals.width, height = ideals.height;
  if (width === undefined && height === undefined) {
    height = base.height;
    width = ratio !== undefined ? height * ratio : base.width;
  } else if (width === undefined) width = ratio !== undefined ? height * ratio : height * base.width / base.height;
  else if (height === undefined) height = ratio !== undefined ? width / ratio : width * base.height / base.width;
  width = Math.round(clamp(width, ranges.width));
  height = Math.round(clamp(height, ranges.height));
  // An exact or bounded aspect ratio: move the free side into the range.
  const ar = ranges.aspectRatio;
  if (ar && (width / height < ar[0] - 1e-6 || width / height > ar[1] + 1e-6)) {
    const target = clamp(width / height, ar);
    const w2 = Math.round(clamp(height * target, ranges.width));
    if (Math.abs(w2 / height - target) < 0.01) width = w2;
    else height = Math.round(clamp(width / target, ranges.height));
  }
  // Even sizes: I420 and every encoder want them.
  width -= width % 2; height -= height % 2;
  width = Math.max(width, ranges.width[0]); height = Math.max(height, ranges.height[0]);
  const frameRate = clamp(ideals.frameRate ?? base.frameRate, ranges.frameRate);
  const settings = { deviceId: device.deviceId, groupId: device.groupId, width, height, frameRate,
                     aspectRatio: Math.round(width / height * 1e4) / 1e4, resizeMode: 'crop-and-scale' };
  const facing = (device.capabilities.facingMode ?? []).filter((x) => x !== null);
  if (facing.length) settings.facingMode = facing[0];
  return settings;
}

// applyConstraints on a device's track: SelectSettings over that device alone (capabilities
// as the track reports them), keeping the current settings where the constraints allow.
internal.selectTrackSettings = (kind, constraints, capabilities, current) => {
  if (!internal.isObject(constraints)) throw new TypeError("Failed to execute 'applyConstraints' on 'MediaStreamTrack': constraints is not an object.");
  const { deviceId, groupId, ...caps } = capabilities;
  const device = { kind: kind === 'video' ? 'videoinput' : 'audioinput', deviceId, groupId, capabilities: caps };
  return selectSettings(kind, constraints, [device], current).settings;
};

// The first constraint of a set that the given settings do not meet, or null (applyConstraints
// on a peer's track, whose settings are the peer's).
internal.unsatisfiedConstraint = (kind, constraints, settings, capabilities) => {
  if (!internal.isObject(constraints)) throw new TypeError("Failed to execute 'applyConstraints' on 'MediaStreamTrack': constraints is not an object.");
  const device = { deviceId: settings.deviceId, groupId: settings.groupId, capabilities };
  const point = {};
  for (const prop of NUMERIC[kind]) if (typeof settings[prop] === 'number') point[prop] = [settings[prop], settings[prop]];
  const failed = { name: '' };
  const set = applySet(kind, device, constraints, false, point, failed);
  if (!set) return failed.name;
  for (const [prop, ideal] of Object.entries(set.ideals)) {
    if (typeof settings[prop] === 'number' && distance(settings[prop], ideal) > 0.01) return prop;
  }
  return null;
};

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
    const { devices } = await internal.bridge.call('MediaDevices.enumerate', {});
    const chosen = {};
    for (const kind of ['audio', 'video']) if (wanted[kind]) chosen[kind] = selectSettings(kind, wanted[kind], devices);
    await internal.bridge.call('MediaDevices.request', { audio: !!wanted.audio, video: !!wanted.video });
    const tracks = [];
    try {
      for (const kind of ['audio', 'video']) {
        if (!chosen[kind]) continue;
        const { device, settings } = chosen[kind];
        const params = { deviceId: device.deviceId, settings };
        if (kind === 'video') Object.assign(params, { width: settings.width, height: settings.height, frameRate: settings.frameRate });
        else params.channelCount = settings.channelCount;
        const desc = await internal.bridge.call('MediaDevices.open', params);
        tracks.push(internal.newTrack({
          kind, label: desc.label, settings, capabilities: capabilitiesOf(device),
          constraints: wanted[kind] === true ? {} : structuredClone(wanted[kind]),
        }, desc.id));
      }
    } catch (e) {
      for (const t of tracks) t.stop();
      throw e;
    }
    return new MediaStream(tracks);
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
