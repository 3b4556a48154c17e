// wx.connectSocket: the platform's SocketTask over this runtime's WebSocket (websocket.js), with
// the platform's callbacks and errMsgs (docs/miniprogram.md). Binary messages are ArrayBuffers,
// as on the platform. At most 5 sockets are open at once, as on the platform.

const MAX_SOCKETS = 5;
const open = new Set();

function socketFail(name, message) {
  return { errMsg: `${name}:fail ${message}` };
}

// Calls fn(res) of options (success/fail/complete), as the platform's callbacks; throws nothing.
function settle(options, name, ok, res) {
  if (!internal.isObject(options)) return;
  const call = (key) => {
    if (typeof options[key] !== 'function') return;
    try { options[key](res); } catch (error) { internal.reportError(error); }
  };
  call(ok ? 'success' : 'fail');
  call('complete');
}

class SocketTask {
  #ws;
  #listeners = { open: [], message: [], error: [], close: [] };

  constructor(ws) {
    this.#ws = ws;
    internal.lifetime.holds(this, ws);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.#emit('open', { header: {}, profile: {} });
    ws.onmessage = (e) => this.#emit('message', { data: e.data });
    ws.onerror = () => this.#emit('error', { errMsg: 'connectSocket:fail' });
    ws.onclose = (e) => {
      open.delete(this);
      this.#emit('close', { code: e.code, reason: e.reason });
    };
  }

  #emit(kind, res) {
    for (const fn of this.#listeners[kind].slice()) {
      try { fn(res); } catch (error) { internal.reportError(error); }
    }
  }

  #on(kind, fn) {
    if (typeof fn !== 'function') throw new TypeError(`SocketTask.on${kind[0].toUpperCase()}${kind.slice(1)}: the listener must be a function`);
    this.#listeners[kind].push(fn);
  }

  get readyState() { return this.#ws.readyState; }
  onOpen(fn) { this.#on('open', fn); }
  onMessage(fn) { this.#on('message', fn); }
  onError(fn) { this.#on('error', fn); }
  onClose(fn) { this.#on('close', fn); }

  send(options = {}) {
    const data = options?.data;
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer)) {
      settle(options, 'sendSocketMessage', false, socketFail('sendSocketMessage', 'parameter error: parameter.data should be String or ArrayBuffer'));
      return;
    }
    if (this.#ws.readyState !== WebSocket.OPEN) {
      settle(options, 'sendSocketMessage', false, socketFail('sendSocketMessage', 'WebSocket is not connected'));
      return;
    }
    this.#ws.send(data);
    settle(options, 'sendSocketMessage', true, { errMsg: 'sendSocketMessage:ok' });
  }

  close(options = {}) {
    try {
      this.#ws.close(options?.code ?? 1000, options?.reason ?? '');
      settle(options, 'closeSocket', true, { errMsg: 'closeSocket:ok' });
    } catch (error) {
      settle(options, 'closeSocket', false, socketFail('closeSocket', error.message));
    }
  }
}

Object.assign(internal.wx, {
  connectSocket(options) {
    const fail = (message) => {
      settle(options, 'connectSocket', false, socketFail('connectSocket', message));
      return undefined;
    };
    if (!internal.isObject(options) || typeof options.url !== 'string') return fail('parameter error: parameter.url should be String');
    if (!/^wss?:\/\//i.test(options.url)) return fail(`invalid url "${options.url}"`);
    if (options.protocols !== undefined && !Array.isArray(options.protocols)) return fail('parameter error: parameter.protocols should be Array');
    if (open.size >= MAX_SOCKETS) return fail(`exceed max task count ${MAX_SOCKETS}`);
    let ws;
    try {
      ws = new WebSocket(options.url, options.protocols ?? []);
    } catch (error) {
      return fail(error.message);
    }
    const task = new SocketTask(ws);
    open.add(task);
    settle(options, 'connectSocket', true, { errMsg: 'connectSocket:ok' });
    return task;
  },
});
