// The wx storage calls (docs/miniprogram.md): an app's key-value store, persisted across runs in
// a folder of its own (src/app/storage.h: a file per key, replaced atomically), at most 1 MiB of
// JSON a key and 10 MiB in all, as on the platform. The whole store is read once, at the first
// call, so that the Sync calls answer from memory; a write goes to disk before the call returns.
// Values are JSON: what JSON.stringify keeps (a Date comes back as its ISO string).

const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 10 * 1024 * 1024;

let store = null; // key -> { dataText, bytes }
let totalBytes = 0;

function utf8Bytes(text) { return native.utf8Encode(text).byteLength; }

function entries() {
  if (store) return store;
  store = new Map();
  for (const text of native.storageLoad()) {
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      continue; // not one of ours
    }
    if (!internal.isObject(entry) || typeof entry.key !== 'string' || !('data' in entry)) continue;
    const dataText = JSON.stringify(entry.data);
    const bytes = utf8Bytes(entry.key) + utf8Bytes(dataText);
    store.set(entry.key, { dataText, bytes });
    totalBytes += bytes;
  }
  return store;
}

function checkKey(key) {
  if (typeof key !== 'string') throw internal.wxParameterError('key', 'String', key);
}

function set(key, data) {
  checkKey(key);
  const dataText = JSON.stringify(data);
  if (dataText === undefined) throw internal.wxParameterError('data', 'a value JSON can hold', data);
  const bytes = utf8Bytes(key) + utf8Bytes(dataText);
  if (bytes > MAX_ENTRY_BYTES) throw new Error('exceed storage item max length');
  const old = entries().get(key);
  if (totalBytes - (old ? old.bytes : 0) + bytes > MAX_TOTAL_BYTES) throw new Error('exceed storage max size 10Mb');
  // On disk first: a failed write changes nothing.
  native.storageWrite(key, `{"key":${JSON.stringify(key)},"data":${dataText}}`);
  totalBytes += bytes - (old ? old.bytes : 0);
  store.set(key, { dataText, bytes });
}

function get(key) {
  checkKey(key);
  const entry = entries().get(key);
  return entry ? JSON.parse(entry.dataText) : undefined;
}

function remove(key) {
  checkKey(key);
  const entry = entries().get(key);
  if (!entry) return;
  native.storageRemove(key);
  totalBytes -= entry.bytes;
  store.delete(key);
}

function clear() {
  entries();
  native.storageClear();
  store.clear();
  totalBytes = 0;
}

function info() {
  return { keys: [...entries().keys()], currentSize: Math.ceil(totalBytes / 1024), limitSize: MAX_TOTAL_BYTES / 1024 };
}

// A Sync call: its result, or an Error whose message is the platform's errMsg.
function sync(name, fn) {
  try {
    return fn();
  } catch (error) {
    throw new Error(`${name}:fail ${error.message}`);
  }
}

const call = internal.wxCall;

Object.assign(internal.wx, {
  setStorageSync(key, data) { sync('setStorageSync', () => set(key, data)); },
  // A key never stored reads as '', as on the platform.
  getStorageSync(key) { return sync('getStorageSync', () => get(key) ?? ''); },
  removeStorageSync(key) { sync('removeStorageSync', () => remove(key)); },
  clearStorageSync() { sync('clearStorageSync', clear); },
  getStorageInfoSync() { return sync('getStorageInfoSync', info); },
  setStorage(options) { return call('setStorage', options, (o) => { set(o.key, o.data); return {}; }); },
  getStorage(options) {
    return call('getStorage', options, (o) => {
      const data = get(o.key);
      if (data === undefined) throw new Error('data not found');
      return { data };
    });
  },
  removeStorage(options) { return call('removeStorage', options, (o) => { remove(o.key); return {}; }); },
  clearStorage(options) { return call('clearStorage', options, () => { clear(); return {}; }); },
  getStorageInfo(options) { return call('getStorageInfo', options, info); },
});
