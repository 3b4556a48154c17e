// The logic layer's half of automation (docs/automation.md): the requests of the protocol that
// WeChat DevTools serves to miniprogram-automator which concern the app and its pages' data
// come here from the view (an "automation" event) and are answered with View.automationReply;
// the app's console lines, uncaught errors and exposed functions go out as events
// (View.automationEvent). What concerns elements and pixels the view answers itself
// (src/view/automation.c).

const mocks = new Map();     // wx method name -> function standing in for it
const originals = new Map(); // wx method name -> the real one (a mock's this.origin)
let logging = false;         // App.enableLog was asked for

function send(method, params) {
  internal.bridge.callView('View.automationEvent', { method, params }).catch(() => {});
}

// A value as the client gets it: JSON, with what JSON lacks written as console.log writes it.
function plain(value) {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? internal.formatArgs([value]) : JSON.parse(text);
  } catch {
    return internal.formatArgs([value]);
  }
}

function describePage(page) {
  return { pageId: internal.pages.idOf(page), path: page.route, query: { ...page.options } };
}

function pageOf(params) {
  const page = internal.pages.byId(params.pageId);
  if (!page) throw new Error(`no page ${params.pageId} is open`);
  return page;
}

// The platform's async wx calls settle by success/fail; the Sync ones (and the few that return
// an object, such as connectSocket or getFileSystemManager) return.
const RETURNING = ['connectSocket', 'request', 'getFileSystemManager'];
const returns = (name) => name.endsWith('Sync') || RETURNING.includes(name);

function callWx(name, args) {
  const fn = internal.wx[name];
  if (typeof fn !== 'function') throw new Error(`wx.${name} is not a function`);
  if (returns(name)) return fn(...args);
  return new Promise((resolve, reject) => {
    const options = internal.isObject(args[0]) ? args[0] : {};
    fn({ ...options, success: resolve, fail: (res) => reject(new Error(res?.errMsg ?? String(res))) }, ...args.slice(1));
  });
}

function evaluateDeclaration(source) {
  if (typeof source !== 'string') throw new TypeError('functionDeclaration must be a string');
  const fn = native.compile(`(${source}\n)`, 'automation://evaluate');
  if (typeof fn !== 'function') throw new TypeError('functionDeclaration is not a function');
  return fn;
}

function mock(params) {
  const { method } = params;
  if (typeof method !== 'string' || typeof internal.wx[method] !== 'function') throw new Error(`wx.${method} is not a function`);
  if (!('result' in params) && !('functionDeclaration' in params)) {
    mocks.delete(method);
    return;
  }
  const origin = originals.get(method);
  const answer = 'functionDeclaration' in params
    ? ((fn, extra) => (options) => fn.call({ origin }, options, ...extra))(evaluateDeclaration(params.functionDeclaration),
                                                                            Array.isArray(params.args) ? params.args : [])
    : () => params.result;
  // A mocked Sync call returns the answer; any other settles with it, as the platform's calls do.
  mocks.set(method, returns(method) ? answer : (options) => {
    const result = Promise.resolve().then(() => answer(options));
    const callbacks = internal.isObject(options) && ['success', 'fail', 'complete'].some((k) => typeof options[k] === 'function');
    if (!callbacks) return result;
    result.then((res) => internal.wxSettle(method, options, true, res),
                (error) => internal.wxSettle(method, options, false, { errMsg: `${method}:fail ${error?.message ?? error}` }));
    return undefined;
  });
}

// Every wx call consults the mocks first: wx is frozen at the launch, so the stand-ins live here.
for (const [name, fn] of Object.entries(internal.wx)) {
  if (typeof fn !== 'function') continue;
  originals.set(name, fn);
  internal.wx[name] = {
    [name](...args) {
      const stand_in = mocks.get(name);
      return stand_in ? stand_in(...args) : fn.apply(this, args);
    },
  }[name];
}

const LEVELS = ['debug', 'log', 'warn', 'error'];
internal.onConsole = (level, args) => {
  if (logging) send('App.logAdded', { type: LEVELS[level] ?? 'log', args: args.map(plain) });
};
internal.onUncaught = (error) => {
  const message = internal.isObject(error) && 'message' in error ? String(error.message) : String(error);
  // The stack as DevTools gives it: the error's name and message, then its frames.
  send('App.exceptionThrown', { message, stack: internal.formatError(error) });
};

function getData(page, path) {
  if (!path) return page.data;
  let value = page.data;
  for (const segment of internal.pages.parsePath(path)) value = value?.[segment];
  return value;
}

const handlers = {
  'App.getCurrentPage': () => {
    const stack = internal.pages.stack;
    return stack.length ? describePage(stack[stack.length - 1]) : {};
  },
  'App.getPageStack': () => ({ pageStack: internal.pages.stack.map(describePage) }),
  'App.callWxMethod': async ({ method, args }) => ({ result: plain(await callWx(method, Array.isArray(args) ? args : [])) }),
  'App.callFunction': async ({ functionDeclaration, args }) =>
    ({ result: plain(await evaluateDeclaration(functionDeclaration)(...(Array.isArray(args) ? args : []))) }),
  'App.mockWxMethod': (params) => { mock(params); return {}; },
  'App.enableLog': () => { logging = true; return {}; },
  'App.addBinding': ({ name }) => {
    if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name)) throw new TypeError('a binding is named as a JS identifier');
    internal.defineGlobal(name, (...args) => send('App.bindingCalled', { name, args: args.map(plain) }));
    return {};
  },
  'App.exit': () => ({}),
  // The user's back and home buttons (Tool.native navigateLeft, goHome).
  'App.navigateLeft': async () => {
    if (internal.pages.stack.length > 1) await callWx('navigateBack', []);
    return {};
  },
  'App.goHome': async () => {
    await callWx('reLaunch', [{ url: `/${internal.pages.entry()}` }]);
    return {};
  },
  'Page.getData': (params) => ({ data: plain(getData(pageOf(params), params.path)) }),
  'Page.setData': (params) => {
    const page = pageOf(params);
    if (!internal.isObject(params.data)) throw new TypeError('setData takes an object');
    return new Promise((resolve) => page.setData(params.data, () => resolve({})));
  },
  'Page.callMethod': async (params) => {
    const page = pageOf(params);
    const fn = page[params.method];
    if (typeof fn !== 'function') throw new Error(`${page.route} has no method '${params.method}'`);
    return { result: plain(await fn.apply(page, Array.isArray(params.args) ? params.args : [])) };
  },
};

internal.automation = {
  async handle({ id, method, params }) {
    let reply;
    try {
      const handler = handlers[method];
      if (!handler) throw new Error(`unknown method '${method}'`);
      reply = { id, result: await handler(internal.isObject(params) ? params : {}) };
    } catch (error) {
      reply = { id, error: String(error?.message ?? error) };
    }
    internal.bridge.callView('View.automationReply', reply).catch(() => {});
  },
};
