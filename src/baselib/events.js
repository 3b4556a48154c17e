// Event, CustomEvent, EventTarget (DOM Standard) without a tree: every dispatch is at the
// target. Also ErrorEvent and PromiseRejectionEvent, the global object as an EventTarget
// ("error" and "unhandledrejection", cancelable, as in a worker), and `on<event>` attributes.

let eventAccess;

const missingType = (name) =>
  new TypeError(`Failed to construct '${name}': 1 argument required, but only 0 present.`); // private-field access for EventTarget, set by Event's static block

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #timeStamp;
  #target = null;
  #currentTarget = null;
  #phase = 0;
  #canceled = false;
  #stopPropagation = false;
  #stopImmediate = false;
  #dispatching = false;
  #inPassiveListener = false;
  #isTrusted = false;

  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    }
    if (eventInitDict !== undefined && eventInitDict !== null &&
        typeof eventInitDict !== 'object') {
      throw new TypeError("Failed to construct 'Event': The provided value is not of type 'EventInit'.");
    }
    const init = eventInitDict || {};
    this.#type = String(type);
    this.#bubbles = !!init.bubbles;
    this.#cancelable = !!init.cancelable;
    this.#composed = !!init.composed;
    this.#timeStamp = native.now();
  }

  get type() { return this.#type; }
  get target() { return this.#target; }
  get srcElement() { return this.#target; }
  get currentTarget() { return this.#currentTarget; }
  get eventPhase() { return this.#phase; }
  get bubbles() { return this.#bubbles; }
  get cancelable() { return this.#cancelable; }
  get composed() { return this.#composed; }
  get defaultPrevented() { return this.#canceled; }
  get returnValue() { return !this.#canceled; }
  set returnValue(v) { if (!v) this.preventDefault(); }
  get cancelBubble() { return this.#stopPropagation; }
  set cancelBubble(v) { if (v) this.#stopPropagation = true; }
  get timeStamp() { return this.#timeStamp; }
  get isTrusted() { return this.#isTrusted; }

  composedPath() { return this.#dispatching && this.#currentTarget ? [this.#currentTarget] : []; }
  stopPropagation() { this.#stopPropagation = true; }
  stopImmediatePropagation() { this.#stopPropagation = true; this.#stopImmediate = true; }
  preventDefault() {
    if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
  }

  static {
    eventAccess = {
      isEvent: (e) => #type in e,
      begin(e, target, trusted) {
        if (e.#dispatching) {
          throw new DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", 'InvalidStateError');
        }
        e.#dispatching = true;
        e.#target = target;
        e.#currentTarget = target;
        e.#phase = 2;
        if (trusted) e.#isTrusted = true;
      },
      end(e) {
        e.#dispatching = false;
        e.#currentTarget = null;
        e.#phase = 0;
        e.#stopPropagation = false;
        e.#stopImmediate = false;
      },
      stopped: (e) => e.#stopPropagation,
      stoppedImmediately: (e) => e.#stopImmediate,
      setPassive(e, passive) { e.#inPassiveListener = passive; },
      canceled: (e) => e.#canceled,
    };
  }
}
for (const [name, value] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2],
                             ['BUBBLING_PHASE', 3]]) {
  Object.defineProperty(Event, name, { value, enumerable: true });
  Object.defineProperty(Event.prototype, name, { value, enumerable: true });
}

class CustomEvent extends Event {
  #detail;
  constructor(type, eventInitDict = undefined) {
    if (arguments.length === 0) throw missingType('CustomEvent');
    super(type, eventInitDict);
    this.#detail = eventInitDict && eventInitDict.detail !== undefined ? eventInitDict.detail : null;
  }
  get detail() { return this.#detail; }
}

class ErrorEvent extends Event {
  #init;
  constructor(type, init = {}) {
    if (arguments.length === 0) throw missingType('ErrorEvent');
    super(type, init);
    this.#init = init || {};
  }
  get message() { return this.#init.message === undefined ? '' : String(this.#init.message); }
  get filename() { return this.#init.filename === undefined ? '' : String(this.#init.filename); }
  get lineno() { return this.#init.lineno >>> 0; }
  get colno() { return this.#init.colno >>> 0; }
  get error() { return this.#init.error; }
}

class PromiseRejectionEvent extends Event {
  #promise;
  #reason;
  constructor(type, init) {
    if (arguments.length === 0) throw missingType('PromiseRejectionEvent');
    super(type, init);
    if (!init || !('promise' in init)) {
      throw new TypeError("Failed to construct 'PromiseRejectionEvent': required member promise is undefined.");
    }
    this.#promise = init.promise;
    this.#reason = init.reason;
  }
  get promise() { return this.#promise; }
  get reason() { return this.#reason; }
}

function flattenOptions(options) {
  if (typeof options === 'boolean') return { capture: options };
  if (!internal.isObject(options)) return { capture: false };
  return options;
}

class EventTarget {
  #listeners = new Map(); // type -> array of listener records, in registration order

  constructor() {}

  addEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
    }
    if (callback === null || callback === undefined) return;
    if (!internal.isObject(callback)) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'Object'.");
    }
    const o = flattenOptions(options);
    const capture = !!o.capture;
    const once = !!o.once;
    const passive = !!o.passive;
    const signal = o.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type 'AbortSignal'.");
    }
    if (signal && signal.aborted) return;
    type = String(type);
    let list = this.#listeners.get(type);
    if (!list) this.#listeners.set(type, list = []);
    if (list.some((l) => l.callback === callback && l.capture === capture)) return;
    const record = { callback, capture, once, passive, removed: false };
    list.push(record);
    // DOM: an abort algorithm, which runs before the signal's "abort" listeners.
    if (signal) internal.addAbortAlgorithm(signal, () => this.#remove(type, record));
  }

  removeEventListener(type, callback, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError(`Failed to execute 'removeEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
    }
    const capture = !!flattenOptions(options).capture;
    const list = this.#listeners.get(String(type));
    if (!list) return;
    const record = list.find((l) => l.callback === callback && l.capture === capture);
    if (record) this.#remove(String(type), record);
  }

  #remove(type, record) {
    record.removed = true;
    const list = this.#listeners.get(type);
    if (!list) return;
    const i = list.indexOf(record);
    if (i >= 0) list.splice(i, 1);
  }

  dispatchEvent(event) {
    if (!(event instanceof Event)) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    }
    return this.#dispatch(event, false);
  }

  #dispatch(event, trusted) {
    // The object listeners see as target, currentTarget and `this` (the global object for the
    // global target).
    const self = this === globalTarget ? globalThis : this;
    eventAccess.begin(event, self, trusted);
    try {
      // DOM "invoke" at the target: the capture listeners (capturing pass), then the others
      // (bubbling pass), each pass over a clone of the list taken when it starts; a stop
      // propagation flag set before a pass (even before dispatch) skips it.
      for (const capture of [true, false]) {
        if (eventAccess.stopped(event)) break;
        const list = this.#listeners.get(event.type);
        if (!list || !list.length) continue;
        for (const record of list.slice()) {
          if (record.removed || record.capture !== capture) continue;
          if (record.once) this.#remove(event.type, record);
          eventAccess.setPassive(event, record.passive);
          invokeListener(self, record.callback, event);
          eventAccess.setPassive(event, false);
          if (eventAccess.stoppedImmediately(event)) break;
        }
      }
    } finally {
      eventAccess.end(event);
    }
    return !eventAccess.canceled(event);
  }

  static {
    // Dispatch of an event the platform fires (isTrusted = true), for the base library.
    internal.fire = (target, event) => target.#dispatch(event, true);
  }
}

function invokeListener(target, callback, event) {
  try {
    if (typeof callback === 'function') {
      callback.call(target, event);
    } else {
      const handleEvent = callback.handleEvent;
      if (typeof handleEvent !== 'function') {
        throw new TypeError("The provided callback is not callable and has no callable 'handleEvent' member.");
      }
      handleEvent.call(callback, event);
    }
  } catch (error) {
    internal.reportError(error);
  }
}

// Defines the `on<name>` attribute of an interface. As in HTML, setting a handler adds one
// listener at that moment's position; setting null removes it.
const handlerSlots = new WeakMap(); // target -> Map(name -> {handler, listener})
// With specialError (the global object's onerror, as in HTML), an ErrorEvent "error" calls the
// handler with (message, filename, lineno, colno, error), and a return of true cancels it.
internal.defineEventHandler = function defineEventHandler(proto, name, specialError = false) {
  Object.defineProperty(proto, 'on' + name, {
    configurable: true,
    enumerable: true,
    get() {
      const slot = handlerSlots.get(this)?.get(name);
      return slot ? slot.handler : null;
    },
    set(value) {
      let slots = handlerSlots.get(this);
      if (!slots) handlerSlots.set(this, slots = new Map());
      let slot = slots.get(name);
      const handler = typeof value === 'function' || internal.isObject(value) ? value : null;
      if (handler === null) {
        if (slot) {
          EventTarget.prototype.removeEventListener.call(this, name, slot.listener);
          slots.delete(name);
        }
        return;
      }
      if (!slot) {
        slot = { handler, listener: null };
        slot.listener = function (event) {
          if (typeof slot.handler !== 'function') return;
          if (specialError && event instanceof ErrorEvent && event.type === 'error') {
            const result = slot.handler.call(this, event.message, event.filename, event.lineno,
                                             event.colno, event.error);
            if (result === true) event.preventDefault();
            return;
          }
          const result = slot.handler.call(this, event);
          if (result === false) event.preventDefault();
        };
        slots.set(name, slot);
        EventTarget.prototype.addEventListener.call(this, name, slot.listener);
      }
      slot.handler = handler;
    },
  });
};

// The global object is an EventTarget, as in a worker: "error" for uncaught exceptions and
// "unhandledrejection" for unhandled rejections; preventDefault() silences the report.
const globalTarget = new EventTarget();
for (const method of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
  internal.defineGlobal(method, EventTarget.prototype[method].bind(globalTarget));
}
const globalHandlers = {};
for (const name of ['error', 'unhandledrejection', 'rejectionhandled']) {
  internal.defineEventHandler(globalHandlers, name, name === 'error');
  const desc = Object.getOwnPropertyDescriptor(globalHandlers, 'on' + name);
  Object.defineProperty(globalThis, 'on' + name, {
    configurable: true, enumerable: true,
    get() { return desc.get.call(globalTarget); },
    set(v) { desc.set.call(globalTarget, v); },
  });
}

let reporting = false;
internal.reportError = function reportError(error) {
  // An error thrown by an "error" listener itself is printed, not dispatched again.
  if (!reporting) {
    reporting = true;
    try {
      const event = new ErrorEvent('error', {
        cancelable: true, error,
        message: internal.isObject(error) && 'message' in error ? String(error.message) : String(error),
      });
      if (!internal.fire(globalTarget, event)) return;
    } finally {
      reporting = false;
    }
  }
  internal.printError('Uncaught ', error);
};

internal.host.unhandledRejection = function unhandledRejection(promise, reason) {
  const event = new PromiseRejectionEvent('unhandledrejection', { cancelable: true, promise, reason });
  if (!internal.fire(globalTarget, event)) return;
  internal.printError('Uncaught (in promise) ', reason);
};

internal.defineGlobal('reportError', function reportError(error) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present.");
  }
  internal.reportError(error);
});
// Web IDL: each interface's prototype carries its name as @@toStringTag.
for (const cls of [Event, CustomEvent, ErrorEvent, PromiseRejectionEvent, EventTarget]) {
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: cls.name, configurable: true });
}
internal.defineGlobal('Event', Event);
internal.defineGlobal('CustomEvent', CustomEvent);
internal.defineGlobal('ErrorEvent', ErrorEvent);
internal.defineGlobal('PromiseRejectionEvent', PromiseRejectionEvent);
internal.defineGlobal('EventTarget', EventTarget);
internal.isEvent = eventAccess.isEvent;
