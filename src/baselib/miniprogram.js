// The mini-program framework of the logic layer (docs/miniprogram.md): CommonJS modules of the
// package, App/getApp, Page/getCurrentPages with the platform's lifecycle, setData across the
// bridge to the view layer, and the wx calls of navigation and authorization. It is installed
// when the host launches a package (internal.host.launch, from mprtc_app_launch); an app that
// only runs scripts never sees it.

const VIEW_TARGET = -1;            // the view layer's events (src/view/view.h)
const MAX_PAGES = 10;              // the platform's page stack limit
const MAX_SETDATA_BYTES = 1024 * 1024;

let manifest = null;
let appInstance = null;
let appCalled = false;
const pageDefinitions = new Map(); // page path -> the object given to Page()
let loadingPage = null;            // the page whose file is being evaluated
const stack = [];                  // the open pages, the current one last
const pagesById = new Map();
let nextPageId = 1;

// ---- CommonJS ----------------------------------------------------------------------------------

const cjsModules = new Map(); // absolute path -> module

function normalize(path) {
  const out = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Climbing above the package stays at its root: native.readFile refuses what is outside.
      if (out.length === 0) throw new TypeError(`'${path}' climbs out of the package`);
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

// A require() specifier from the file at `from` (a package path): relative ('./x', '../x',
// and, as on the platform, 'x'), or from the package root ('/utils/x'). '.js' is added when the
// name has no extension.
function resolveRequire(specifier, from) {
  if (typeof specifier !== 'string' || specifier === '') throw new TypeError('require() takes a path');
  const base = specifier.startsWith('/') ? '' : from.slice(0, from.lastIndexOf('/') + 1);
  let path = normalize(base + specifier);
  if (!/\.[A-Za-z0-9]+$/.test(path.slice(path.lastIndexOf('/') + 1))) path += '.js';
  return path;
}

function loadModule(path) {
  const cached = cjsModules.get(path);
  if (cached) return cached.exports; // a cycle gets the exports as they are now
  const source = native.readFile(native.root + '/' + path);
  const module = { id: path, filename: path, exports: {}, loaded: false };
  cjsModules.set(path, module);
  try {
    if (path.endsWith('.json')) {
      try {
        module.exports = JSON.parse(source);
      } catch (error) {
        throw new SyntaxError(`${path}: ${error.message}`);
      }
    } else {
      // The wrapper shares the file's first line, so that line numbers stay the file's.
      const fn = native.compile(`(function (require, module, exports, __filename, __dirname) {${source}\n})`, path);
      const require = (specifier) => loadModule(resolveRequire(specifier, path));
      fn.call(module.exports, require, module, module.exports, path, path.slice(0, path.lastIndexOf('/')));
    }
  } catch (error) {
    cjsModules.delete(path);
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

// ---- errors in the app's code ----------------------------------------------------------------

// A throw in the app's code is reported, with its stack, and App.onError hears of it; the app
// goes on, as on the platform.
function reportAppError(where, error) {
  internal.printError(`Uncaught (in ${where}) `, error);
  const onError = appInstance?.onError;
  if (typeof onError === 'function') {
    try {
      onError.call(appInstance, internal.formatError(error));
    } catch (inner) {
      internal.printError('Uncaught (in App.onError) ', inner);
    }
  }
}

function callReported(fn, thisArg, where, ...args) {
  try {
    return fn.apply(thisArg, args);
  } catch (error) {
    reportAppError(where, error);
    return undefined;
  }
}

function callHook(owner, name, where, ...args) {
  const fn = owner?.[name];
  return typeof fn === 'function' ? callReported(fn, owner, where, ...args) : undefined;
}

// ---- App ----------------------------------------------------------------------------------------

function App(options) {
  if (appCalled) throw new Error('App() can only be called once, in app.js');
  if (!internal.isObject(options)) throw new TypeError('App() takes an object');
  appCalled = true;
  appInstance = Object.assign({}, options);
  if (appInstance.globalData === undefined) appInstance.globalData = {};
}

function getApp() {
  return appInstance ?? undefined;
}

// ---- setData paths (the platform's: 'a.b', 'list[2].name', 'a\.b' for a key with a dot) ----

function parsePath(path) {
  const segments = [];
  let name = '';
  let afterIndex = false;
  for (let i = 0; i < path.length;) {
    const c = path[i];
    if (c === '\\' && (path[i + 1] === '.' || path[i + 1] === '[' || path[i + 1] === ']' || path[i + 1] === '\\')) {
      name += path[i + 1];
      i += 2;
    } else if (c === '.') {
      if (!afterIndex) segments.push(name);
      name = '';
      afterIndex = false;
      i++;
    } else if (c === '[') {
      if (!afterIndex) segments.push(name);
      name = '';
      const end = path.indexOf(']', i);
      const digits = end < 0 ? '' : path.slice(i + 1, end);
      if (!/^[0-9]+$/.test(digits)) throw new SyntaxError(`an index is digits between '[' and ']'`);
      segments.push(Number(digits));
      afterIndex = true;
      i = end + 1;
    } else {
      if (afterIndex) throw new SyntaxError(`'.' or '[' was expected after ']'`);
      name += c;
      i++;
    }
  }
  if (!afterIndex && (name !== '' || segments.length === 0)) segments.push(name);
  if (typeof segments[0] !== 'string') throw new SyntaxError('a path starts with a key');
  return segments;
}

function assignPath(data, segments, value) {
  let target = data;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    const wantArray = typeof segments[i + 1] === 'number';
    let next = target[key];
    if (!internal.isObject(next) || Array.isArray(next) !== wantArray) {
      next = wantArray ? [] : {};
      target[key] = next;
    }
    target = next;
  }
  const last = segments[segments.length - 1];
  if (Array.isArray(target) && typeof last === 'number') {
    while (target.length < last) target.push(null);
  }
  target[last] = value;
}

// What crosses to the view: JSON's values (functions and undefined members dropped, as the
// platform drops them). The text is returned too, to measure the change.
function jsonCopy(value) {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function utf8Length(text) {
  return text.length * 3 <= MAX_SETDATA_BYTES ? text.length : native.utf8Encode(text).byteLength;
}

// ---- Page -----------------------------------------------------------------------------------------

const pageState = new WeakMap(); // page -> { id, state: 'created' | 'loaded' | 'unloaded' }

const pagePrototype = {
  setData(changes, callback) {
    const me = pageState.get(this);
    if (!me) throw new TypeError('setData must be called on a page');
    if (!internal.isObject(changes) || Array.isArray(changes)) throw new TypeError('setData takes an object of changes');
    if (callback !== undefined && typeof callback !== 'function') throw new TypeError('setData: the callback must be a function');
    if (me.state === 'unloaded') {
      console.warn(`setData on ${this.route} after its onUnload: ignored`);
      return;
    }
    if (me.state === 'created') console.warn(`setData on ${this.route} before its onLoad`);
    const updates = [];
    for (const key of Object.keys(changes)) {
      let segments;
      try {
        segments = parsePath(key);
      } catch (error) {
        console.warn(`setData: the path '${key}' is ignored: ${error.message}`);
        continue;
      }
      const value = jsonCopy(changes[key]);
      if (value === undefined) {
        console.warn(`setData: '${key}' is set to undefined (or a function): ignored`);
        continue;
      }
      updates.push([segments, value]);
    }
    const size = utf8Length(JSON.stringify(updates));
    if (size > MAX_SETDATA_BYTES) {
      throw new DOMException(`setData: the change is ${size} bytes, over the limit of ${MAX_SETDATA_BYTES} bytes (1 MiB); nothing was set`,
                             'QuotaExceededError');
    }
    for (const [segments, value] of updates) assignPath(this.data, segments, jsonCopy(value));
    internal.bridge.callView('View.setData', { pageId: me.id, updates }).then(() => {
      if (callback) callReported(callback, this, `the setData callback of ${this.route}`);
    }, (error) => reportAppError(`setData of ${this.route}`, error));
  },
};

function Page(options) {
  if (!loadingPage) throw new Error('Page() must be called in the file of a page, as it loads');
  if (!internal.isObject(options)) throw new TypeError('Page() takes an object');
  if (pageDefinitions.has(loadingPage)) throw new Error(`Page() was called twice in ${loadingPage}.js`);
  pageDefinitions.set(loadingPage, options);
}

function getCurrentPages() {
  return stack.slice();
}

function loadPage(path) {
  if (!pageDefinitions.has(path)) {
    loadingPage = path;
    try {
      loadModule(path + '.js');
    } finally {
      loadingPage = null;
    }
    if (!pageDefinitions.has(path)) throw new Error(`${path}.js did not call Page()`);
  }
  return pageDefinitions.get(path);
}

function makePage(path, query) {
  const definition = loadPage(path);
  const page = Object.create(pagePrototype);
  for (const key of Object.keys(definition)) {
    if (key === 'data') continue;
    page[key] = definition[key];
  }
  page.data = jsonCopy(definition.data ?? {}) ?? {};
  if (!internal.isObject(page.data) || Array.isArray(page.data)) throw new TypeError(`${path}.js: Page's data must be an object`);
  Object.defineProperty(page, 'route', { value: path, enumerable: true });
  Object.defineProperty(page, 'options', { value: Object.freeze({ ...query }), enumerable: true });
  const id = nextPageId++;
  Object.defineProperty(page, '__pageId', { value: id });
  pageState.set(page, { id, state: 'created' });
  return page;
}

// Opens a page on top of the stack: the view renders it, then onLoad, onShow, and once what
// they set is on screen, onReady.
async function openPage(path, query) {
  const page = makePage(path, query);
  const me = pageState.get(page);
  await internal.bridge.callView('View.createPage', { pageId: me.id, path, query, data: page.data });
  stack.push(page);
  pagesById.set(me.id, page);
  me.state = 'loaded';
  callHook(page, 'onLoad', `onLoad of ${path}`, { ...query });
  callHook(page, 'onShow', `onShow of ${path}`);
  await internal.bridge.callView('View.showPage', { pageId: me.id });
  if (me.state === 'loaded') callHook(page, 'onReady', `onReady of ${path}`);
  return page;
}

async function closeTop() {
  const page = stack.pop();
  const me = pageState.get(page);
  callHook(page, 'onUnload', `onUnload of ${page.route}`);
  me.state = 'unloaded';
  pagesById.delete(me.id);
  await internal.bridge.callView('View.destroyPage', { pageId: me.id });
  // What it opened and nobody else holds is closed (src/baselib/lifetime.js), once its elements
  // have let go of their streams.
  internal.lifetime.release(page, appInstance, stack);
}

async function showTop() {
  const page = stack[stack.length - 1];
  await internal.bridge.callView('View.showPage', { pageId: pageState.get(page).id });
  callHook(page, 'onShow', `onShow of ${page.route}`);
}

// ---- events from the view ---------------------------------------------------------------------

function onViewEvent(event, data) {
  if (event === 'automation') return internal.automation.handle(data);
  if (event !== 'event' || !internal.isObject(data)) return;
  const page = pagesById.get(data.pageId);
  let value;
  if (page) {
    const handler = page[data.handler];
    if (typeof handler === 'function') {
      const e = { ...data.event, mark: {}, touches: [], changedTouches: [] };
      try {
        value = handler.call(page, e);
      } catch (error) {
        reportAppError(`${data.handler} of ${page.route}`, error);
      }
    } else {
      console.warn(`Component "${page.route}" does not have a method "${data.handler}" to handle event "${data.event?.type}".`);
    }
  }
  // The view hears that the handler finished after the setData calls it made.
  const done = { eventId: data.eventId };
  if (typeof value === 'string') done.value = value;
  internal.bridge.callView('View.eventDone', done).catch(() => {});
}

// ---- wx: navigation and authorization -----------------------------------------------------------

// The platform's calling convention: success/fail/complete callbacks, or a promise when none is
// given. A failure's errMsg is "<name>:fail <why>".
function wxCall(name, options, body) {
  const opts = internal.isObject(options) ? options : {};
  const callbacks = typeof opts.success === 'function' || typeof opts.fail === 'function' || typeof opts.complete === 'function';
  const result = (async () => body(opts))().then(
    (res) => ({ errMsg: `${name}:ok`, ...res }),
    (error) => { throw { errMsg: `${name}:fail ${error?.message ?? error}` }; });
  if (!callbacks) return result;
  result.then((res) => wxSettle(name, opts, true, res), (res) => wxSettle(name, opts, false, res));
  return undefined;
}

// Calls options' success (or fail), then complete, with res, as the platform does; a throw in
// one is reported like any error of the app's code. For the calls that settle by callbacks only.
function wxSettle(name, options, ok, res) {
  if (!internal.isObject(options)) return;
  callHook(options, ok ? 'success' : 'fail', `${name} ${ok ? 'success' : 'fail'}`, res);
  callHook(options, 'complete', `${name} complete`, res);
}

// The platform's words for an argument of the wrong type:
// "parameter error: parameter.key should be String instead of Number;".
function wxParameterError(name, wanted, value) {
  const type = value === null ? 'Null' : Array.isArray(value) ? 'Array'
    : (typeof value).charAt(0).toUpperCase() + (typeof value).slice(1);
  return new Error(`parameter error: parameter.${name} should be ${wanted} instead of ${type};`);
}

// "/pages/a/a?x=1" or, relative to the current page, "b?x=1": the page path and its query.
function parseUrl(url, from) {
  if (typeof url !== 'string' || url === '') throw new Error('url is required');
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  const query = {};
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      query[eq < 0 ? pair : pair.slice(0, eq)] = eq < 0 ? '' : pair.slice(eq + 1);
    }
  }
  const base = pathPart.startsWith('/') || !from ? '' : from.slice(0, from.lastIndexOf('/') + 1);
  const path = normalize(base + pathPart);
  if (!manifest.pages.includes(path)) throw new Error(`page "${path}" is not found`);
  return { path, query };
}

// Navigations run one after another; the next starts a task later, once the callbacks and the
// awaiting code of the one before have run.
const nextTask = globalThis.setTimeout;
let navigating = Promise.resolve();
function navigation(fn) {
  const next = navigating.then(fn);
  navigating = next.catch(() => {}).then(() => new Promise((resolve) => nextTask(resolve, 0)));
  return next;
}

const currentRoute = () => stack[stack.length - 1]?.route;

const wx = {
  navigateTo(options) {
    return wxCall('navigateTo', options, (opts) => navigation(async () => {
      const { path, query } = parseUrl(opts.url, currentRoute());
      if (stack.length >= MAX_PAGES) throw new Error('webview count limit exceed');
      const top = stack[stack.length - 1];
      if (top) callHook(top, 'onHide', `onHide of ${top.route}`);
      await openPage(path, query);
      return {};
    }));
  },
  redirectTo(options) {
    return wxCall('redirectTo', options, (opts) => navigation(async () => {
      const { path, query } = parseUrl(opts.url, currentRoute());
      if (stack.length) await closeTop();
      await openPage(path, query);
      return {};
    }));
  },
  reLaunch(options) {
    return wxCall('reLaunch', options, (opts) => navigation(async () => {
      const { path, query } = parseUrl(opts.url, currentRoute());
      while (stack.length) await closeTop();
      await openPage(path, query);
      return {};
    }));
  },
  navigateBack(options) {
    return wxCall('navigateBack', options, (opts) => navigation(async () => {
      const delta = opts.delta === undefined ? 1 : Math.floor(Number(opts.delta));
      if (!(delta >= 1)) throw new Error('delta must be a positive number');
      if (stack.length <= 1) throw new Error('cannot navigate back at first page.');
      for (let i = Math.min(delta, stack.length - 1); i > 0; i--) await closeTop();
      await showTop();
      return {};
    }));
  },
  // The host closes the mini-program (mprtc_app_set_exit_handler). success and complete (or the
  // promise's handlers) run first, as on the platform: the host hears of it a task later.
  exitMiniProgram(options) {
    const result = wxCall('exitMiniProgram', options, () => ({}));
    setTimeout(() => internal.bridge.callView('View.exit', {}).catch(() => {}), 0);
    return result;
  },
  // The scopes that map to the devices getUserMedia asks for: the same answers.
  authorize(options) {
    return wxCall('authorize', options, async (opts) => {
      const permission = SCOPES[opts.scope];
      if (!permission) throw new Error(`invalid scope '${opts.scope}' (supported: ${Object.keys(SCOPES).join(', ')})`);
      const { denied } = await internal.bridge.call('Permission.request', { permissions: [permission] });
      if (denied) throw new Error('auth deny');
      return {};
    });
  },
  getSetting(options) {
    return wxCall('getSetting', options, authSetting);
  },
  // The settings page: mprtc has none to show, and a host's answers hold for the app's life, so
  // the user changes nothing there: the answers as they are.
  openSetting(options) {
    return wxCall('openSetting', options, authSetting);
  },
};

async function authSetting() {
  const states = await internal.bridge.call('Permission.states', {});
  const setting = {};
  for (const [scope, permission] of Object.entries(SCOPES)) {
    if (states[permission] !== 'prompt') setting[scope] = states[permission] === 'granted';
  }
  return { authSetting: setting };
}
const SCOPES = { 'scope.camera': 'camera', 'scope.record': 'microphone' };

// The wx object grows in the files after this one (storage.js) until the launch freezes it.
// wx.getSystemInfoSync and its callback form: the window the view lays pages out in (the host's
// mprtc_app_set_window), and what mprtc is. The screen is the window: there is no status bar or
// navigation bar drawn.
function systemInfo() {
  const { width, height, pixelRatio } = manifest.windowSize;
  return {
    brand: 'mprtc', model: 'mprtc', platform: 'mprtc', system: 'Linux', language: 'en', version: native.version,
    SDKVersion: native.version, pixelRatio, screenWidth: width, screenHeight: height, windowWidth: width,
    windowHeight: height, statusBarHeight: 0, safeArea: { left: 0, right: width, top: 0, bottom: height, width, height },
    fontSizeSetting: 16,
  };
}
wx.getSystemInfoSync = systemInfo;
wx.getSystemInfo = (options) => wxCall('getSystemInfo', options, systemInfo);

internal.wx = wx;
// The open pages, for automation (src/baselib/automation.js).
internal.pages = {
  stack,
  idOf: (page) => pageState.get(page).id,
  byId: (id) => pagesById.get(id),
  parsePath,
  entry: () => manifest.entry,
};
internal.wxCall = wxCall;
internal.wxSettle = wxSettle;
internal.wxParameterError = wxParameterError;

// ---- the launch ------------------------------------------------------------------------------------

// manifestText: src/app/manifest.h's JSON; url: the page to open ('' for the entry page); run:
// the run number, settled once the page is ready (or the launch failed).
internal.host.launch = function launch(manifestText, url, run) {
  manifest = JSON.parse(manifestText);
  // What is created while a page is on top is that page's.
  internal.lifetime.currentOwner = () => stack[stack.length - 1] ?? null;
  internal.defineGlobal('App', App);
  internal.defineGlobal('getApp', getApp);
  internal.defineGlobal('Page', Page);
  internal.defineGlobal('getCurrentPages', getCurrentPages);
  internal.defineGlobal('wx', Object.freeze(wx));
  internal.bridge.listen(VIEW_TARGET, onViewEvent);
  (async () => {
    loadModule('app.js');
    if (!appCalled) throw new Error('app.js did not call App()');
    const { path, query } = parseUrl(url || manifest.entry);
    const options = { path, query, scene: 1001, referrerInfo: {} };
    callHook(appInstance, 'onLaunch', 'App.onLaunch', options);
    callHook(appInstance, 'onShow', 'App.onShow', options);
    await navigation(() => openPage(path, query));
    // Automation requests wait for this (src/view/automation.c).
    await internal.bridge.callView('View.launched', {});
  })().then(() => native.mainSettled(false, run), (error) => {
    // The view's refusal (a WXML file's file:line:column) has no stack of the app's to show.
    const appFrames = String(error?.stack ?? '').split('\n').some((l) => l.trim() && !l.includes('mprtc:baselib/'));
    if (error instanceof DOMException && !appFrames) native.print(3, `The mini-program could not start: ${error.name}: ${error.message}`);
    else internal.printError('The mini-program could not start: ', error);
    native.mainSettled(true, run);
  });
};
