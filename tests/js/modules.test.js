// ES modules under `mprtc exec`: static and dynamic import, every export form, top-level await.
import { test, assert, run } from './harness.js';
import greet, { answer, second, mutable, setMutable, later, Shape, renamed, tricky, meta, thisAtTop } from './fixtures/lib.js';
import * as lib from './fixtures/lib.js';
import tla, { theAnswer, greet as greet2, counter, answer as answer2 } from './fixtures/reexport.js';
import { evaluations } from './fixtures/counter.js';

test('named and default imports', async () => {
  assert.equal(answer, 42);
  assert.equal(second, 'two');
  assert.equal(greet('you'), 'hello you');
  assert.equal(await later(21), 42);
  assert.equal(new Shape().area(), 0);
  assert.equal(renamed, 'local');
});

test('keywords inside strings, templates and regexes are left alone', () => {
  assert.deepEqual(tricky, ['import x from "y"', 'export { a }', 'export \\/ import', '1']);
});

test('a namespace object has live exports', () => {
  assert.equal(lib.mutable, 1);
  assert.equal(mutable, 1);
  setMutable(5);
  assert.equal(lib.mutable, 5, 'the namespace reads the binding now');
  assert.equal(Object.prototype.toString.call(lib), '[object Module]');
  assert.ok(Object.keys(lib).includes('answer') && Object.keys(lib).includes('default'));
});

test('re-exports, export * as, and a module with top-level await', () => {
  assert.equal(theAnswer, 42);
  assert.equal(answer2, 42);
  assert.equal(greet2('x'), 'hello x');
  assert.equal(typeof counter.bump, 'function');
  assert.equal(tla, 'tla');
});

test('each module is evaluated once', () => {
  assert.equal(evaluations, 1);
});

test('import.meta and module-level this', () => {
  assert.match(meta.url, /^file:\/\/\/.*\/tests\/js\/fixtures\/lib\.js$/);
  assert.match(meta.filename, /\/tests\/js\/fixtures\/lib\.js$/);
  assert.match(meta.dirname, /\/tests\/js\/fixtures$/);
  assert.equal(thisAtTop, undefined);
  assert.match(import.meta.url, /modules\.test\.js$/);
});

test('modules are strict', () => {
  assert.throws(() => { undeclaredVariable = 1; }, ReferenceError); // eslint-disable-line no-undef
});

test('dynamic import resolves relative to the importing module', async () => {
  const again = await import('./fixtures/lib.js');
  assert.equal(again, lib, 'the same namespace object');
  const { evaluations: n } = await import('./fixtures/counter.js');
  assert.equal(n, 1);
});

test('an import cycle resolves with the exports evaluated so far', async () => {
  const a = await import('./fixtures/cycle-a.js');
  const b = await import('./fixtures/cycle-b.js');
  assert.equal(a.seenByA, 'b');
  assert.equal(b.readA(), 'a');
});

test('a missing file, a bare specifier, a syntax error and a throwing module reject', async () => {
  await assert.rejects(import('./fixtures/does-not-exist.js'), { name: 'TypeError', message: /does-not-exist/ });
  await assert.rejects(import('left-pad'), { name: 'TypeError', message: /Failed to resolve module specifier 'left-pad'/ });
  const e = await assert.rejects(import('./fixtures/syntax-error.js'), SyntaxError);
  assert.match(e.sourceURL, /syntax-error\.js$/);
  assert.equal(e.line, 3);
  await assert.rejects(import('./fixtures/throws.js'), { name: 'RangeError', message: 'module body failed' });
  // A failed module stays failed.
  await assert.rejects(import('./fixtures/throws.js'), RangeError);
});

await run();
