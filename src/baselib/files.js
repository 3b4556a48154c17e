// The app's files, as the platform gives them (docs/miniprogram.md#files): wx.env.USER_DATA_PATH,
// wx.getFileSystemManager() and wx.chooseMessageFile. The file work is native (src/app/files.h:
// the areas wxfile://usr, wxfile://tmp_... and the package, every path checked there): a Sync call
// runs it now (native.files, on this thread); any other goes as a "File.<op>" call block to the
// host's side of the bridge (src/host/methods.c), whose worker runs the app's calls one after
// another off this thread, the bytes written and read travelling as the blocks' attachments.
// As on the platform the FileSystemManager's calls take success/fail/complete and return nothing
// (no promise); wx.chooseMessageFile returns a promise when given no callbacks.

const USER_DATA_PATH = 'wxfile://usr';
const { atob, btoa, TextDecoder } = globalThis;

// ---- encodings: what a string becomes on disk, and back ----------------------------------------

const ENCODINGS = new Set(['ascii', 'base64', 'binary', 'hex', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le', 'utf-8', 'utf8', 'latin1']);

function checkEncoding(encoding) {
  if (encoding !== undefined && !ENCODINGS.has(encoding)) throw new Error(`unknown encoding: ${encoding}`);
}

function stringToBytes(text, encoding = 'utf8') {
  switch (encoding) {
    case 'utf8': case 'utf-8': return native.utf8Encode(text);
    case 'ascii': case 'binary': case 'latin1': {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xFF;
      return out;
    }
    case 'hex': {
      // As Node writes hex: pairs of digits, up to the first that is not one.
      const out = new Uint8Array(text.length >> 1);
      let n = 0;
      for (; n < out.length; n++) {
        const pair = text.slice(n * 2, n * 2 + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
        out[n] = parseInt(pair, 16);
      }
      return out.slice(0, n);
    }
    case 'base64': {
      let binary;
      try {
        binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
      } catch {
        throw new Error('base64 encode error');
      }
      return stringToBytes(binary, 'latin1');
    }
    default: { // ucs2, ucs-2, utf16le, utf-16le: little-endian code units
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        out[i * 2] = text.charCodeAt(i) & 0xFF;
        out[i * 2 + 1] = text.charCodeAt(i) >> 8;
      }
      return out;
    }
  }
}

// Bytes as a string of one char per byte (masked), in pieces: no argument list too long.
function byteString(bytes, mask) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const piece = bytes.subarray(i, i + 8192);
    out += String.fromCharCode.apply(null, mask === 0xFF ? piece : Array.from(piece, (b) => b & mask));
  }
  return out;
}

function bytesToString(buffer, encoding) {
  const bytes = new Uint8Array(buffer);
  switch (encoding) {
    case 'utf8': case 'utf-8': return new TextDecoder().decode(bytes);
    case 'ascii': return byteString(bytes, 0x7F);
    case 'binary': case 'latin1': return byteString(bytes, 0xFF);
    case 'hex': return Array.from(bytes, (b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
    case 'base64': return btoa(byteString(bytes, 0xFF));
    default: {
      let out = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return out;
    }
  }
}

// ---- errors: the platform's words --------------------------------------------------------------

const REASONS = {
  ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory', EEXIST: 'file already exists', ENOTEMPTY: 'directory not empty',
  ENOSPC: 'the maximum size of the file storage limit is exceeded', EINVAL: 'Invalid argument',
  ENAMETOOLONG: 'File name too long', EIO: 'Input/output error',
  position: 'the value of "position" is out of range', length: 'the value of "length" is out of range',
};
// The platform's error codes (res.errno).
const ERRNOS = {
  EACCES: 1300013, ENOENT: 1300002, EIO: 1300005, ENOTDIR: 1300020, EINVAL: 1300022, ENAMETOOLONG: 1300036,
  ENOTEMPTY: 1300066, ESYS: 1300201, ENOSPC: 1300202, EISDIR: 1301003, EEXIST: 1301005, position: 1300022, length: 1300022,
};

// The reason a failed operation gives, in the form the platform gives it for that call: paths are
// the ones the app passed.
function failureText(op, code, detail, paths) {
  const [path, other] = paths;
  const reason = REASONS[code] ?? `system error: ${detail}`;
  if (code === 'ENOSPC' || code === 'ENOTEMPTY' || code === 'position' || code === 'length' || !REASONS[code]) return reason;
  switch (op) {
    case 'readFile': case 'writeFile': case 'appendFile':
      return `${reason}, open ${path}`;
    case 'copyFile': case 'rename':
      return `${reason}, ${op} ${path} -> ${other}`;
    case 'unlink':
      if (code === 'EISDIR') return `operation not permitted, unlink ${path}`;
      break;
    case 'getFileInfo':
      if (code === 'ENOENT') return 'file not exist';
      break;
  }
  return code === 'EACCES' || code === 'EISDIR' ? `${reason}, open ${path}` : `${reason} ${path}`;
}

class FileError extends Error {
  constructor(message, errno) {
    super(message);
    if (errno !== undefined) this.errno = errno;
  }
}

function failure(op, result, paths) {
  return new FileError(failureText(op, result.fail, result.detail, paths), ERRNOS[result.fail] ?? ERRNOS.ESYS);
}

function checkPath(name, value) {
  if (typeof value !== 'string') throw internal.wxParameterError(name, 'String', value);
  return value;
}

// position and length: numbers, and whole ones (a fraction is out of range).
function checkPosition(name, value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw internal.wxParameterError(name, 'Number', value);
  if (!Number.isInteger(value)) throw new FileError(REASONS[name], ERRNOS[name]);
  return value;
}

// ---- the operations: what each sends, and what its result becomes -----------------------------

class Stats {
  #directory;
  constructor(s) {
    this.mode = s.mode;
    this.size = s.size;
    this.lastAccessedTime = s.lastAccessedTime;
    this.lastModifiedTime = s.lastModifiedTime;
    this.#directory = s.directory;
  }
  isDirectory() { return this.#directory; }
  isFile() { return !this.#directory; }
}

function dataBytes(data, encoding) {
  checkEncoding(encoding);
  if (typeof data === 'string') return stringToBytes(data, encoding);
  if (data instanceof ArrayBuffer) return data;
  throw internal.wxParameterError('data', 'String/ArrayBuffer', data);
}

// Each takes the call's options and gives {op, params, paths, data?, result(r, bytes)}.
const OPERATIONS = {
  access: (o) => ({ op: 'access', params: { path: checkPath('path', o.path) }, paths: [o.path], result: () => ({}) }),
  stat: (o) => ({
    op: 'stat', params: { path: checkPath('path', o.path), recursive: Boolean(o.recursive) }, paths: [o.path],
    result: (r) => ({ stats: Array.isArray(r.stats) ? r.stats.map((e) => ({ path: e.path, stats: new Stats(e.stats) })) : new Stats(r.stats) }),
  }),
  readFile: (o) => {
    checkEncoding(o.encoding);
    const params = { filePath: checkPath('filePath', o.filePath) };
    const position = checkPosition('position', o.position), length = checkPosition('length', o.length);
    if (position !== undefined) params.position = position;
    if (length !== undefined) params.length = length;
    return {
      op: 'readFile', params, paths: [o.filePath],
      result: (r, bytes) => ({ data: o.encoding === undefined ? bytes : bytesToString(bytes, o.encoding) }),
    };
  },
  writeFile: (o) => ({
    op: 'writeFile', params: { filePath: checkPath('filePath', o.filePath), append: false }, paths: [o.filePath],
    data: dataBytes(o.data, o.encoding), result: () => ({}),
  }),
  appendFile: (o) => ({
    op: 'writeFile', name: 'appendFile', params: { filePath: checkPath('filePath', o.filePath), append: true }, paths: [o.filePath],
    data: dataBytes(o.data, o.encoding), result: () => ({}),
  }),
  unlink: (o) => ({ op: 'unlink', params: { filePath: checkPath('filePath', o.filePath) }, paths: [o.filePath], result: () => ({}) }),
  mkdir: (o) => ({
    op: 'mkdir', params: { dirPath: checkPath('dirPath', o.dirPath), recursive: Boolean(o.recursive) }, paths: [o.dirPath],
    result: () => ({}),
  }),
  rmdir: (o) => ({
    op: 'rmdir', params: { dirPath: checkPath('dirPath', o.dirPath), recursive: Boolean(o.recursive) }, paths: [o.dirPath],
    result: () => ({}),
  }),
  readdir: (o) => ({ op: 'readdir', params: { dirPath: checkPath('dirPath', o.dirPath) }, paths: [o.dirPath], result: (r) => ({ files: r.files }) }),
  copyFile: (o) => ({
    op: 'copyFile', params: { srcPath: checkPath('srcPath', o.srcPath), destPath: checkPath('destPath', o.destPath) },
    paths: [o.srcPath, o.destPath], result: () => ({}),
  }),
  rename: (o) => ({
    op: 'rename', params: { oldPath: checkPath('oldPath', o.oldPath), newPath: checkPath('newPath', o.newPath) },
    paths: [o.oldPath, o.newPath], result: () => ({}),
  }),
  getFileInfo: (o) => {
    const algorithm = o.digestAlgorithm === undefined ? 'md5' : o.digestAlgorithm;
    if (!['md5', 'sha1', 'sha256'].includes(algorithm)) throw new Error(`invalid digestAlgorithm "${algorithm}"`);
    return {
      op: 'getFileInfo', params: { filePath: checkPath('filePath', o.filePath), digestAlgorithm: algorithm }, paths: [o.filePath],
      result: (r) => ({ size: r.size, digest: r.digest }),
    };
  },
};

// The call's block; a path with a NUL in it names no file (the native side would refuse it too).
function prepare(name, options) {
  const call = OPERATIONS[name](options);
  if (call.paths.some((p) => p.includes('\0'))) throw failure(name, { fail: 'EINVAL' }, call.paths);
  return call;
}

// The call that does not return: callbacks only, settled a task later at the earliest.
function callAsync(name, options) {
  const opts = internal.isObject(options) ? options : {};
  (async () => {
    const call = prepare(name, opts);
    const result = await internal.bridge.callHost(`File.${call.op}`, call.params, call.data);
    if (result.fail) throw failure(name, result, call.paths);
    return call.result(result, result.bytes);
  })().then(
    (res) => internal.wxSettle(name, opts, true, { errMsg: `${name}:ok`, ...res }),
    (error) => {
      const res = { errMsg: `${name}:fail ${error?.message ?? error}` };
      if (error?.errno !== undefined) res.errno = error.errno;
      internal.wxSettle(name, opts, false, res);
    });
}

// The Sync call: its result now, or an Error of the platform's message (and its errno).
function callSync(name, options, pick) {
  try {
    const call = prepare(name, options);
    const [text, bytes] = native.files(call.op, JSON.stringify(call.params), call.data);
    const result = JSON.parse(text);
    if (result.fail) throw failure(name, result, call.paths);
    return pick(call.result(result, bytes));
  } catch (error) {
    throw new FileError(`${name}Sync:fail ${error?.message ?? error}`, error?.errno);
  }
}

const manager = Object.freeze({
  access(options) { callAsync('access', options); },
  accessSync(path) { callSync('access', { path }, () => undefined); },
  stat(options) { callAsync('stat', options); },
  statSync(path, recursive = false) { return callSync('stat', { path, recursive }, (r) => r.stats); },
  readFile(options) { callAsync('readFile', options); },
  readFileSync(filePath, encoding, position, length) {
    return callSync('readFile', { filePath, encoding, position, length }, (r) => r.data);
  },
  writeFile(options) { callAsync('writeFile', options); },
  writeFileSync(filePath, data, encoding) { callSync('writeFile', { filePath, data, encoding }, () => undefined); },
  appendFile(options) { callAsync('appendFile', options); },
  appendFileSync(filePath, data, encoding) { callSync('appendFile', { filePath, data, encoding }, () => undefined); },
  unlink(options) { callAsync('unlink', options); },
  unlinkSync(filePath) { callSync('unlink', { filePath }, () => undefined); },
  mkdir(options) { callAsync('mkdir', options); },
  mkdirSync(dirPath, recursive = false) { callSync('mkdir', { dirPath, recursive }, () => undefined); },
  rmdir(options) { callAsync('rmdir', options); },
  rmdirSync(dirPath, recursive = false) { callSync('rmdir', { dirPath, recursive }, () => undefined); },
  readdir(options) { callAsync('readdir', options); },
  readdirSync(dirPath) { return callSync('readdir', { dirPath }, (r) => r.files); },
  copyFile(options) { callAsync('copyFile', options); },
  copyFileSync(srcPath, destPath) { callSync('copyFile', { srcPath, destPath }, () => undefined); },
  rename(options) { callAsync('rename', options); },
  renameSync(oldPath, newPath) { callSync('rename', { oldPath, newPath }, () => undefined); },
  getFileInfo(options) { callAsync('getFileInfo', options); },
});

// ---- wx.chooseMessageFile: the host's user picks ----------------------------------------------

const CHOOSE_TYPES = ['all', 'video', 'image', 'file'];

async function chooseMessageFile(opts) {
  if (typeof opts.count !== 'number' || Number.isNaN(opts.count)) throw internal.wxParameterError('count', 'Number', opts.count);
  const type = opts.type === undefined ? 'all' : opts.type;
  if (!CHOOSE_TYPES.includes(type)) throw new Error(`parameter error: parameter.type should be one of ${CHOOSE_TYPES.join(', ')};`);
  const params = { count: Math.min(100, Math.max(1, Math.floor(opts.count))), type };
  if (opts.extension !== undefined) {
    if (!Array.isArray(opts.extension) || !opts.extension.every((e) => typeof e === 'string' && e !== '')) {
      throw internal.wxParameterError('extension', 'Array of non-empty strings', opts.extension);
    }
    params.extension = [...opts.extension];
  }
  const result = await internal.bridge.callHost('File.choose', params);
  if (result.cancel) throw new Error('cancel');
  if (result.fail) throw new Error(result.fail);
  return { tempFiles: result.tempFiles };
}

Object.assign(internal.wx, {
  getFileSystemManager() { return manager; },
  chooseMessageFile(options) { return internal.wxCall('chooseMessageFile', options, chooseMessageFile); },
});
internal.wx.env = Object.freeze({ USER_DATA_PATH });
