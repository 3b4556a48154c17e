// wx.connectSocket: the platform's SocketTask over this runtime's WebSocket (websocket.js), with
// the platform's callbacks and errMsgs (docs/miniprogram.md). Binary messages are ArrayBuffers,
// as on the platform. At most 5 sockets are open at once, as on the platform.

const MAX_SOCKETS = 5;
const open = new Set();

function socketFail(name, message) {
  return { errMsg: `${name}:fail ${message}` };
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
      internal.wxSettle('sendSocketMessage', options, false, socketFail('sendSocketMessage', 'parameter error: parameter.data should be String or ArrayBuffer'));
      return;
    }
    if (this.#ws.readyState !== WebSocket.OPEN) {
      internal.wxSettle('sendSocketMessage', options, false, socketFail('sendSocketMessage', 'WebSocket is not connected'));
      return;
    }
    this.#ws.send(data);
    internal.wxSettle('sendSocketMessage', options, true, { errMsg: 'sendSocketMessage:ok' });
  }

  close(options = {}) {
    try {
      this.#ws.close(options?.code ?? 1000, options?.reason ?? '');
      internal.wxSettle('closeSocket', options, true, { errMsg: 'closeSocket:ok' });
    } catch (error) {
      internal.wxSettle('closeSocket', options, false, socketFail('closeSocket', error.message));
    }
  }
}

Object.assign(internal.wx, {
  connectSocket(options) {
    const fail = (message) => {
      internal.wxSettle('connectSocket', options, false, socketFail('connectSocket', message));
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
    internal.wxSettle('connectSocket', options, true, { errMsg: 'connectSocket:ok' });
    return task;
  },
});
