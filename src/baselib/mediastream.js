// MediaStreamTrack and MediaStream (W3C mediacapture-main §4) over the SDK's
// "MediaStreamTrack" and "MediaStream" objects. A track is a view of a source (a device or a
// peer's media); a stream is a set of tracks with an ID the view layer binds renderers to.

let trackKey;
const streamFinalizer = new FinalizationRegistry((ready) => {
  ready.then((id) => internal.bridge.call('MediaStream.close', undefined, id)).catch(() => {});
});

class MediaStreamTrack extends EventTarget {
  #id = crypto.randomUUID();
  #ready;        // resolves with the SDK object ID
  #objectId = null; // the same, once known: calls then go out at once, in program order
  #kind;
  #label;
  #enabled = true;
  #muted = false;
  #readyState = 'live';
  #contentHint = '';
  #settings;
  #constraints;
  #capabilities;
  #constraintsApplied = Promise.resolve(); // the last applyConstraints, settled

  // desc: {kind, label, settings, constraints, capabilities, muted}; ready: the SDK object ID
  // or a promise of {id}.
  constructor(key, desc, ready) {
    if (key !== trackKey) throw new TypeError('Illegal constructor');
    super();
    this.#kind = desc.kind;
    this.#label = desc.label ?? '';
    this.#settings = desc.settings ?? {};
    this.#constraints = desc.constraints ?? {};
    this.#capabilities = desc.capabilities ?? {};
    this.#muted = !!desc.muted;
    const bind = (id) => {
      this.#objectId = id;
      internal.bridge.listen(id, (event, data) => this.#onEvent(event, data));
      return id;
    };
    this.#ready = typeof ready === 'number' ? Promise.resolve(bind(ready)) : ready.then((d) => bind(d.id));
    this.#ready.catch(() => {});
    internal.lifetime.adopt(this, (track) => track.stop());
  }

  get id() { return this.#id; }
  get kind() { return this.#kind; }
  get label() { return this.#label; }
  get enabled() { return this.#enabled; }
  set enabled(value) {
    value = !!value;
    if (value === this.#enabled) return;
    this.#enabled = value;
    if (this.#readyState === 'ended') return;
    this.#callSdk('MediaStreamTrack.setEnabled', { enabled: value });
  }

  // A fire-and-forget call on the SDK object: at once when its ID is known, else once it is.
  #callSdk(method, params) {
    const send = (id) => internal.bridge.call(method, params, id).catch(() => {});
    if (this.#objectId !== null) send(this.#objectId);
    else this.#ready.then(send, () => {});
  }
  get muted() { return this.#muted; }
  get readyState() { return this.#readyState; }
  get contentHint() { return this.#contentHint; }
  set contentHint(v) {
    v = String(v);
    const allowed = this.#kind === 'audio' ? ['', 'speech', 'speech-recognition', 'music'] : ['', 'motion', 'detail', 'text'];
    if (allowed.includes(v)) this.#contentHint = v;
  }

  getSettings() { return structuredClone(this.#settings); }
  getConstraints() { return structuredClone(this.#constraints); }
  getCapabilities() { return structuredClone(this.#capabilities); }

  // mediacapture-main §4.3.8 applyConstraints: the SDK runs SelectSettings over the track's
  // device with the new constraints, the current settings kept where they allow; when the
  // settings change, the device's format changes (a track that shares its device with clones gets
  // a capture of its own). A peer's track cannot change: constraints its settings already meet
  // are taken. Calls settle in order; a failed one changes nothing.
  applyConstraints(constraints = {}) {
    const run = async () => {
      if (this.#readyState === 'ended') return;
      if (!internal.isObject(constraints)) throw new TypeError("Failed to execute 'applyConstraints' on 'MediaStreamTrack': constraints is not an object.");
      const id = await this.#ready;
      const { settings } = await internal.bridge.call('MediaStreamTrack.applyConstraints', { constraints }, id);
      if (this.#readyState === 'ended') return;
      if (settings) this.#settings = settings;
      this.#constraints = structuredClone(constraints);
    };
    const result = this.#constraintsApplied.then(run, run);
    this.#constraintsApplied = result.catch(() => {});
    return result;
  }

  clone() {
    const desc = { kind: this.#kind, label: this.#label, settings: this.#settings,
                   constraints: this.#constraints, capabilities: this.#capabilities, muted: this.#muted };
    if (this.#readyState === 'ended') {
      const copy = new MediaStreamTrack(trackKey, desc, Promise.reject(new DOMException('ended', 'InvalidStateError')));
      copy.#readyState = 'ended';
      return copy;
    }
    const clone = (id) => internal.bridge.call('MediaStreamTrack.clone', undefined, id);
    const copy = new MediaStreamTrack(trackKey, desc,
      this.#objectId !== null ? clone(this.#objectId) : this.#ready.then(clone));
    // A clone starts with the original's enabled state.
    if (!this.#enabled) copy.enabled = false;
    return copy;
  }

  // Releases the source (the device stops with its last track). No ended event: that is for
  // ends the app did not ask for.
  stop() {
    if (this.#readyState === 'ended') return;
    this.#end();
  }

  #end() {
    this.#readyState = 'ended';
    if (this.#objectId !== null) internal.bridge.unlisten(this.#objectId);
    else this.#ready.then((id) => internal.bridge.unlisten(id), () => {});
    this.#callSdk('MediaStreamTrack.stop', undefined);
  }

  #onEvent(event, data) {
    if (this.#readyState === 'ended') return;
    switch (event) {
      case 'ended':
        this.#end();
        internal.fire(this, new Event('ended'));
        break;
      case 'mute':
      case 'unmute':
        if (this.#muted === (event === 'mute')) return;
        this.#muted = event === 'mute';
        internal.fire(this, new Event(event));
        break;
    }
  }

  static {
    trackKey = {};
    internal.newTrack = (desc, ready) => new MediaStreamTrack(trackKey, desc, ready);
    internal.trackObjectId = (track) => track.#ready;
    internal.isTrack = (v) => internal.isObject(v) && #ready in v;
    internal.remoteTrackEvent = (track, event) => track.#onEvent(event, {});
  }
}
for (const name of ['ended', 'mute', 'unmute']) internal.defineEventHandler(MediaStreamTrack.prototype, name);
Object.defineProperty(MediaStreamTrack.prototype, Symbol.toStringTag, { value: 'MediaStreamTrack', configurable: true });

class MediaStream extends EventTarget {
  #id;
  #tracks = new Set();
  #ready; // resolves with the SDK object ID

  constructor(arg = undefined, key = undefined, made = undefined) {
    super();
    let tracks = [];
    if (arg instanceof MediaStream) tracks = arg.getTracks();
    else if (arg !== undefined) {
      if (typeof arg?.[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'MediaStream': The provided value cannot be converted to a sequence.");
      tracks = Array.from(arg);
      for (const t of tracks) if (!internal.isTrack(t)) throw new TypeError("Failed to construct 'MediaStream': Failed to convert value to 'MediaStreamTrack'.");
    }
    for (const t of tracks) this.#tracks.add(t);
    if (key === trackKey) {
      // A stream the SDK made: its ID is the SDK's.
      this.#id = made.streamId;
      this.#ready = Promise.resolve(made.id);
    } else {
      this.#id = crypto.randomUUID();
      this.#ready = Promise.all(tracks.map((t) => internal.trackObjectId(t).catch(() => null)))
        .then((ids) => internal.bridge.call('MediaStream.constructor',
          { streamId: this.#id, tracks: ids.filter((id) => id !== null) }))
        .then((r) => r.id);
      this.#ready.catch(() => {});
    }
    streamFinalizer.register(this, this.#ready);
  }

  get id() { return this.#id; }
  get active() { for (const t of this.#tracks) if (t.readyState === 'live') return true; return false; }

  getTracks() { return [...this.#tracks]; }
  getAudioTracks() { return this.getTracks().filter((t) => t.kind === 'audio'); }
  getVideoTracks() { return this.getTracks().filter((t) => t.kind === 'video'); }
  getTrackById(id) {
    id = String(id);
    for (const t of this.#tracks) if (t.id === id) return t;
    return null;
  }

  addTrack(track) {
    if (!internal.isTrack(track)) throw new TypeError("Failed to execute 'addTrack' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.");
    if (this.#tracks.has(track)) return;
    this.#tracks.add(track);
    this.#sync('MediaStream.addTrack', track);
  }

  removeTrack(track) {
    if (!internal.isTrack(track)) throw new TypeError("Failed to execute 'removeTrack' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.");
    if (!this.#tracks.delete(track)) return;
    this.#sync('MediaStream.removeTrack', track);
  }

  #sync(method, track) {
    Promise.all([this.#ready, internal.trackObjectId(track)])
      .then(([id, trackId]) => internal.bridge.call(method, { track: trackId }, id)).catch(() => {});
  }

  clone() { return new MediaStream(this.getTracks().map((t) => t.clone())); }

  static {
    // A stream the SDK made (getUserMedia's, or a peer's): {id, streamId} of the SDK's object.
    internal.newSdkStream = (made, tracks) => new MediaStream(tracks, trackKey, made);
    // A peer added or removed a track of a remote stream: the change and its event.
    internal.remoteStreamChange = (stream, track, added) => {
      if (added === stream.#tracks.has(track)) return;
      if (added) stream.#tracks.add(track); else stream.#tracks.delete(track);
      internal.fire(stream, new MediaStreamTrackEvent(added ? 'addtrack' : 'removetrack', { track }));
    };
  }
}
for (const name of ['addtrack', 'removetrack']) internal.defineEventHandler(MediaStream.prototype, name);
Object.defineProperty(MediaStream.prototype, Symbol.toStringTag, { value: 'MediaStream', configurable: true });

class MediaStreamTrackEvent extends Event {
  #track;
  constructor(type, init) {
    if (arguments.length < 2) throw new TypeError("Failed to construct 'MediaStreamTrackEvent': 2 arguments required.");
    if (!internal.isObject(init) || !internal.isTrack(init.track)) throw new TypeError("Failed to construct 'MediaStreamTrackEvent': required member track is not a MediaStreamTrack.");
    super(type, init);
    this.#track = init.track;
  }
  get track() { return this.#track; }
}

class OverconstrainedError extends DOMException {
  #constraint;
  constructor(constraint, message = '') {
    super(message, 'OverconstrainedError');
    this.#constraint = String(constraint);
  }
  get constraint() { return this.#constraint; }
}

internal.defineGlobal('MediaStreamTrack', MediaStreamTrack);
internal.defineGlobal('MediaStream', MediaStream);
internal.lifetime.MediaStream = MediaStream;
internal.defineGlobal('MediaStreamTrackEvent', MediaStreamTrackEvent);
internal.defineGlobal('OverconstrainedError', OverconstrainedError);
internal.OverconstrainedError = OverconstrainedError;

// Non-standard, for tests and headless apps: the latest frame a track delivered.
//   mprtc.media.snapshot(track, {withData}) -> {frames, receivedTime, width, height, format,
//     meanLuma, stamp: {counter, captureTime}, latency: {p50, p95, samples}, audioLevel, data}
// stamp is the fake camera's frame stamp read back from the picture (docs/media.md).
internal.mprtcMedia.snapshot = async function snapshot(track, options = {}) {
  if (!internal.isTrack(track)) throw new TypeError('mprtc.media.snapshot: not a MediaStreamTrack');
  if (track.readyState === 'ended') throw new DOMException('mprtc.media.snapshot: the track has ended', 'InvalidStateError');
  const id = await internal.trackObjectId(track);
  const result = await internal.bridge.call('MediaStreamTrack.snapshot', options?.withData ? { withData: true } : {}, id);
  if (result.bytes) {
    result.data = result.bytes;
    delete result.bytes;
  }
  return result;
};
Object.freeze(internal.mprtcMedia);
