// DOMException (WebIDL): an Error subclass with a name, a legacy code and a message.

const legacyCodes = {
  IndexSizeError: [1, 'INDEX_SIZE_ERR'],
  DOMStringSizeError: [2, 'DOMSTRING_SIZE_ERR'],
  HierarchyRequestError: [3, 'HIERARCHY_REQUEST_ERR'],
  WrongDocumentError: [4, 'WRONG_DOCUMENT_ERR'],
  InvalidCharacterError: [5, 'INVALID_CHARACTER_ERR'],
  NoDataAllowedError: [6, 'NO_DATA_ALLOWED_ERR'],
  NoModificationAllowedError: [7, 'NO_MODIFICATION_ALLOWED_ERR'],
  NotFoundError: [8, 'NOT_FOUND_ERR'],
  NotSupportedError: [9, 'NOT_SUPPORTED_ERR'],
  InUseAttributeError: [10, 'INUSE_ATTRIBUTE_ERR'],
  InvalidStateError: [11, 'INVALID_STATE_ERR'],
  SyntaxError: [12, 'SYNTAX_ERR'],
  InvalidModificationError: [13, 'INVALID_MODIFICATION_ERR'],
  NamespaceError: [14, 'NAMESPACE_ERR'],
  InvalidAccessError: [15, 'INVALID_ACCESS_ERR'],
  ValidationError: [16, 'VALIDATION_ERR'],
  TypeMismatchError: [17, 'TYPE_MISMATCH_ERR'],
  SecurityError: [18, 'SECURITY_ERR'],
  NetworkError: [19, 'NETWORK_ERR'],
  AbortError: [20, 'ABORT_ERR'],
  URLMismatchError: [21, 'URL_MISMATCH_ERR'],
  QuotaExceededError: [22, 'QUOTA_EXCEEDED_ERR'],
  TimeoutError: [23, 'TIMEOUT_ERR'],
  InvalidNodeTypeError: [24, 'INVALID_NODE_TYPE_ERR'],
  DataCloneError: [25, 'DATA_CLONE_ERR'],
};

class DOMException extends Error {
  #name;
  #message;

  constructor(message = '', options = 'Error') {
    super();
    this.#message = `${message}`; // IDL DOMString: a Symbol throws
    if (internal.isObject(options)) {
      this.#name = options.name === undefined ? 'Error' : `${options.name}`;
      if ('cause' in options) {
        Object.defineProperty(this, 'cause', {
          value: options.cause, writable: true, configurable: true, enumerable: false,
        });
      }
    } else {
      this.#name = `${options}`;
    }
    // JSC records where the Error was created: here, in the base library. Start the stack at
    // the caller instead, as for a platform exception, and drop the line/column/sourceURL that
    // would point a report at this file.
    if (typeof this.stack === 'string') {
      const frames = this.stack.split('\n');
      let i = 0;
      while (i < frames.length && frames[i].includes('mprtc:baselib/')) i++;
      if (i > 0 && i < frames.length) {
        this.stack = frames.slice(i).join('\n');
        delete this.line;
        delete this.column;
        delete this.sourceURL;
      }
    }
  }

  get name() { return this.#name; }
  get message() { return this.#message; }
  get code() { return Object.hasOwn(legacyCodes, this.#name) ? legacyCodes[this.#name][0] : 0; }
}

// Web IDL attributes are enumerable (class accessors are not).
for (const key of ['name', 'message', 'code']) {
  Object.defineProperty(DOMException.prototype, key, { enumerable: true });
}
for (const [code, constant] of Object.values(legacyCodes)) {
  for (const target of [DOMException, DOMException.prototype]) {
    Object.defineProperty(target, constant, { value: code, enumerable: true });
  }
}
Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
  value: 'DOMException', configurable: true,
});

internal.defineGlobal('DOMException', DOMException);

// new DOMException(message, name), or a TypeError/RangeError when the spec names one of those.
// The error a reply's {name, message, constraint} stands for: the JS error of that name, the
// OverconstrainedError class (with its constraint), or a DOMException.
internal.makeError = function makeError(name, message, constraint = '') {
  if (name === 'TypeError') return new TypeError(message);
  if (name === 'RangeError') return new RangeError(message);
  if (name === 'OverconstrainedError' && internal.OverconstrainedError) return new internal.OverconstrainedError(constraint, message);
  return new DOMException(message, name);
};
