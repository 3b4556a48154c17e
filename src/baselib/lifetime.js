// What a mini-program page opened and still holds when it unloads: its peer connections, tracks
// and sockets are closed then, as a page's resources go with it on the platform, unless the code
// handed them on (to getApp(), or to a page still open). The framework (miniprogram.js) says
// which page owns what is created now, and releases a page when it unloads. Outside a
// mini-program nothing is owned and nothing is closed.

// page -> Set of { ref: WeakRef to the object, close(obj) }
const owned = new Map();
// What objects hold in private fields, which the walk cannot see: holder -> [held objects].
const holders = new WeakMap();
// The most objects one reachability walk looks at: a graph bigger than this keeps the rest.
const WALK_LIMIT = 200000;

// Where an object's reachable parts hide behind methods rather than properties.
function hiddenParts(value) {
  if (value instanceof internal.lifetime.MediaStream) return value.getTracks();
  if (value instanceof internal.lifetime.RTCPeerConnection) {
    return [...value.getSenders().map((s) => s.track), ...value.getReceivers().map((r) => r.track)];
  }
  if (value instanceof Map) return [...value.keys(), ...value.values()];
  if (value instanceof Set) return [...value];
  return holders.get(value) ?? [];
}

// Every object reachable from roots through data properties (getters are not run), collection
// entries and the parts above. WeakRefs do not hold on to anything.
function reachable(roots) {
  const seen = new Set();
  const todo = roots.filter((r) => r !== null && (typeof r === 'object' || typeof r === 'function'));
  while (todo.length && seen.size < WALK_LIMIT) {
    const value = todo.pop();
    if (seen.has(value) || value instanceof WeakRef) continue;
    seen.add(value);
    const next = [];
    try {
      next.push(...hiddenParts(value));
      for (const key of Reflect.ownKeys(value)) {
        const d = Reflect.getOwnPropertyDescriptor(value, key);
        if (d && 'value' in d) next.push(d.value);
      }
    } catch {
      // A proxy that refuses to be looked at: what it holds is not seen.
    }
    for (const v of next) if (v !== null && (typeof v === 'object' || typeof v === 'function') && !seen.has(v)) todo.push(v);
  }
  return seen;
}

internal.lifetime = {
  // Set by miniprogram.js: the page that owns what is created now (the top of the stack), or
  // null (the app owns it: before the first page, or outside a mini-program).
  currentOwner: () => null,
  // Set by the files that define them, for the walk.
  MediaStream: null,
  RTCPeerConnection: null,

  // holder (a wrapper such as a SocketTask) keeps held in a private field: whoever keeps holder
  // keeps held.
  holds(holder, held) { holders.set(holder, [held]); },

  // obj was just created: its owner (if any) closes it with close(obj) when it unloads.
  adopt(obj, close) {
    const page = internal.lifetime.currentOwner();
    if (!page) return;
    if (!owned.has(page)) owned.set(page, new Set());
    owned.get(page).add({ ref: new WeakRef(obj), close });
  },

  // page unloaded: what it owns goes to the app or to an open page that can reach it, and the
  // rest is closed. Returns how many objects were closed.
  release(page, app, openPages) {
    const entries = owned.get(page);
    owned.delete(page);
    if (!entries) return 0;
    const kept = reachable([app]);
    const byPage = openPages.filter((p) => p !== page).map((p) => [p, reachable([p])]);
    let closed = 0;
    for (const entry of entries) {
      const obj = entry.ref.deref();
      if (!obj || kept.has(obj)) continue;
      const heir = byPage.find(([, seen]) => seen.has(obj));
      if (heir) {
        if (!owned.has(heir[0])) owned.set(heir[0], new Set());
        owned.get(heir[0]).add(entry);
        continue;
      }
      try {
        entry.close(obj);
        closed++;
      } catch (error) {
        internal.reportError(error);
      }
    }
    return closed;
  },
};
