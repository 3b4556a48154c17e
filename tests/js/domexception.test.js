import { test, assert, run, nextTask } from './harness.js';

const legacy = [
  ['IndexSizeError', 1, 'INDEX_SIZE_ERR'],
  ['DOMStringSizeError', 2, 'DOMSTRING_SIZE_ERR'],
  ['HierarchyRequestError', 3, 'HIERARCHY_REQUEST_ERR'],
  ['WrongDocumentError', 4, 'WRONG_DOCUMENT_ERR'],
  ['InvalidCharacterError', 5, 'INVALID_CHARACTER_ERR'],
  ['NoDataAllowedError', 6, 'NO_DATA_ALLOWED_ERR'],
  ['NoModificationAllowedError', 7, 'NO_MODIFICATION_ALLOWED_ERR'],
  ['NotFoundError', 8, 'NOT_FOUND_ERR'],
  ['NotSupportedError', 9, 'NOT_SUPPORTED_ERR'],
  ['InUseAttributeError', 10, 'INUSE_ATTRIBUTE_ERR'],
  ['InvalidStateError', 11, 'INVALID_STATE_ERR'],
  ['SyntaxError', 12, 'SYNTAX_ERR'],
  ['InvalidModificationError', 13, 'INVALID_MODIFICATION_ERR'],
  ['NamespaceError', 14, 'NAMESPACE_ERR'],
  ['InvalidAccessError', 15, 'INVALID_ACCESS_ERR'],
  ['ValidationError', 16, 'VALIDATION_ERR'],
  ['TypeMismatchError', 17, 'TYPE_MISMATCH_ERR'],
  ['SecurityError', 18, 'SECURITY_ERR'],
  ['NetworkError', 19, 'NETWORK_ERR'],
  ['AbortError', 20, 'ABORT_ERR'],
  ['URLMismatchError', 21, 'URL_MISMATCH_ERR'],
  ['QuotaExceededError', 22, 'QUOTA_EXCEEDED_ERR'],
  ['TimeoutError', 23, 'TIMEOUT_ERR'],
  ['InvalidNodeTypeError', 24, 'INVALID_NODE_TYPE_ERR'],
  ['DataCloneError', 25, 'DATA_CLONE_ERR'],
];

test('DOMException is a global constructor, not enumerable', () => {
  assert.equal(typeof DOMException, 'function');
  assert.equal(DOMException.name, 'DOMException');
  assert.equal(DOMException.length, 0);
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'DOMException');
  assert.ok(desc, 'global property');
  assert.equal(desc.enumerable, false);
  assert.equal(desc.writable, true);
  assert.equal(desc.configurable, true);
});

test('calling DOMException without new throws TypeError', () => {
  assert.throws(() => DOMException('x'), TypeError);
});

test('defaults: message "" and name "Error", code 0', () => {
  const e = new DOMException();
  assert.equal(e.message, '');
  assert.equal(e.name, 'Error');
  assert.equal(e.code, 0);
});

test('message and name arguments', () => {
  const e = new DOMException('it broke', 'NotFoundError');
  assert.equal(e.message, 'it broke');
  assert.equal(e.name, 'NotFoundError');
  assert.equal(e.code, 8);
});

test('undefined arguments take the defaults; other values are stringified', () => {
  const e = new DOMException(undefined, undefined);
  assert.equal(e.message, '');
  assert.equal(e.name, 'Error');
  const f = new DOMException(42, 7);
  assert.equal(f.message, '42');
  assert.equal(f.name, '7');
  assert.equal(new DOMException(null).message, 'null');
  assert.equal(new DOMException({ toString: () => 'obj' }).message, 'obj');
});

test('a Symbol message or name throws TypeError (IDL DOMString conversion)', () => {
  assert.throws(() => new DOMException(Symbol('s')), TypeError);
  assert.throws(() => new DOMException('m', Symbol('s')), TypeError);
  assert.throws(() => new DOMException('m', { name: Symbol('s') }), TypeError);
});

test('options object: name', () => {
  const e = new DOMException('m', { name: 'AbortError' });
  assert.equal(e.name, 'AbortError');
  assert.equal(e.code, 20);
  assert.equal(e.message, 'm');
});

test('options object without name: name is "Error"', () => {
  assert.equal(new DOMException('m', {}).name, 'Error');
  assert.equal(new DOMException('m', { name: undefined }).name, 'Error');
});

test('options object: cause', () => {
  const cause = new Error('root');
  const e = new DOMException('m', { name: 'DataError', cause });
  assert.equal(e.cause, cause);
  assert.equal(e.name, 'DataError');
  const desc = Object.getOwnPropertyDescriptor(e, 'cause');
  assert.ok(desc, 'cause is an own property');
  assert.equal(desc.enumerable, false);
  // A cause that is present but undefined is still recorded.
  assert.ok('cause' in new DOMException('m', { cause: undefined }));
  assert.ok(!('cause' in new DOMException('m', { name: 'X' })), 'no cause when not given');
  assert.ok(!('cause' in new DOMException('m', 'X')), 'no cause for a string name');
});

test('instanceof Error and DOMException; prototype chain', () => {
  const e = new DOMException('m', 'SyntaxError');
  assert.ok(e instanceof DOMException);
  assert.ok(e instanceof Error);
  assert.ok(!(e instanceof SyntaxError), 'a DOMException named SyntaxError is not a JS SyntaxError');
  assert.equal(Object.getPrototypeOf(e), DOMException.prototype);
  assert.equal(Object.getPrototypeOf(DOMException.prototype), Error.prototype);
  assert.equal(DOMException.prototype.constructor, DOMException);
});

test('name, message and code are prototype accessors, not own properties', () => {
  const e = new DOMException('m', 'AbortError');
  for (const key of ['name', 'message', 'code']) {
    assert.ok(!Object.hasOwn(e, key), `${key} is not own`);
    const desc = Object.getOwnPropertyDescriptor(DOMException.prototype, key);
    assert.ok(desc && typeof desc.get === 'function', `${key} getter on the prototype`);
    assert.equal(desc.set, undefined, `${key} has no setter`);
    assert.equal(desc.enumerable, true, `${key} enumerable`);
  }
  assert.deepEqual(Object.keys(e), []);
});

test('the accessors are read-only on instances (modules are strict: assignment throws)', () => {
  const e = new DOMException('m', 'AbortError');
  assert.throws(() => { e.name = 'Other'; }, TypeError);
  assert.throws(() => { e.code = 99; }, TypeError);
  assert.throws(() => { e.message = 'x'; }, TypeError);
  assert.equal(e.name, 'AbortError');
  assert.equal(e.code, 20);
  assert.equal(e.message, 'm');
});

test('the accessors throw TypeError on a non-DOMException receiver', () => {
  for (const key of ['name', 'message', 'code']) {
    const get = Object.getOwnPropertyDescriptor(DOMException.prototype, key).get;
    assert.throws(() => get.call({}), TypeError, `${key} on a plain object`);
    assert.throws(() => get.call(new Error('x')), TypeError, `${key} on an Error`);
  }
  assert.throws(() => DOMException.prototype.name, TypeError);
});

test('every legacy name maps to its code', () => {
  for (const [name, code] of legacy) {
    assert.equal(new DOMException('m', name).code, code, name);
  }
});

test('legacy constants on the constructor and the prototype', () => {
  for (const [, code, constant] of legacy) {
    assert.equal(DOMException[constant], code, constant);
    assert.equal(DOMException.prototype[constant], code, 'prototype.' + constant);
    assert.equal(new DOMException()[constant], code, 'instance.' + constant);
  }
  assert.equal(DOMException.INVALID_STATE_ERR, 11);
  assert.equal(DOMException.ABORT_ERR, 20);
  assert.equal(DOMException.prototype.TIMEOUT_ERR, 23);
});

test('legacy constants are read-only, enumerable, non-configurable', () => {
  for (const target of [DOMException, DOMException.prototype]) {
    const desc = Object.getOwnPropertyDescriptor(target, 'INVALID_STATE_ERR');
    assert.equal(desc.value, 11);
    assert.equal(desc.writable, false);
    assert.equal(desc.enumerable, true);
    assert.equal(desc.configurable, false);
  }
  assert.throws(() => { DOMException.ABORT_ERR = 1; }, TypeError);
  assert.equal(DOMException.ABORT_ERR, 20);
});

test('names without a legacy code have code 0', () => {
  for (const name of ['EncodingError', 'NotAllowedError', 'OperationError', 'DataError',
                      'Error', '', 'abortError', 'ABORT_ERR']) {
    assert.equal(new DOMException('m', name).code, 0, name);
  }
});

test('names that are Object.prototype members have code 0', () => {
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    assert.equal(new DOMException('m', name).code, 0, name);
  }
});

test('String(e) is "Name: message" (Error.prototype.toString)', () => {
  assert.equal(String(new DOMException('bad state', 'InvalidStateError')), 'InvalidStateError: bad state');
  assert.equal(String(new DOMException('m')), 'Error: m');
  assert.equal(String(new DOMException('', 'AbortError')), 'AbortError');
  assert.equal(new DOMException('x', 'NotFoundError').toString(), 'NotFoundError: x');
});

test('stack exists and starts at the caller, not inside the base library', () => {
  function makeIt() { return new DOMException('m', 'AbortError'); }
  const e = makeIt();
  assert.equal(typeof e.stack, 'string');
  assert.ok(e.stack.length > 0, 'non-empty stack');
  const first = e.stack.split('\n')[0];
  assert.ok(!first.includes('mprtc:baselib/'), `first frame is the caller: ${first}`);
  assert.match(e.stack, /makeIt/);
  assert.equal(Object.getOwnPropertyDescriptor(e, 'stack').enumerable, false);
});

test('a DOMException thrown by the platform has a stack from the calling code', () => {
  const target = new EventTarget();
  const event = new Event('x');
  let error;
  target.addEventListener('x', function inner() {
    try { target.dispatchEvent(event); } catch (e) { error = e; }
  });
  target.dispatchEvent(event);
  assert.ok(error instanceof DOMException);
  assert.equal(error.name, 'InvalidStateError');
  assert.match(error.stack, /inner/);
});

test('Object.prototype.toString tag is DOMException', () => {
  assert.equal(Object.prototype.toString.call(new DOMException('m')), '[object DOMException]');
  assert.equal(Object.prototype.toString.call(DOMException.prototype), '[object DOMException]');
  const desc = Object.getOwnPropertyDescriptor(DOMException.prototype, Symbol.toStringTag);
  assert.equal(desc.value, 'DOMException');
  assert.equal(desc.writable, false);
  assert.equal(desc.enumerable, false);
  assert.equal(desc.configurable, true);
});

test('subclassing DOMException keeps name, message and code', () => {
  class MyError extends DOMException {
    constructor(message) { super(message, 'NotSupportedError'); }
  }
  const e = new MyError('nope');
  assert.ok(e instanceof MyError);
  assert.ok(e instanceof DOMException);
  assert.equal(e.name, 'NotSupportedError');
  assert.equal(e.code, 9);
  assert.equal(e.message, 'nope');
});

test('can be thrown and caught, and rejects promises', async () => {
  assert.throws(() => { throw new DOMException('x', 'SecurityError'); }, { name: 'SecurityError', code: 18 });
  await assert.rejects(Promise.reject(new DOMException('late', 'TimeoutError')),
                       { name: 'TimeoutError', message: 'late', code: 23 });
  await nextTask();
});

await run();
