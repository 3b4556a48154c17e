import { test, assert, run } from './harness.js';

// btoa / atob (HTML, with the Infra "forgiving-base64 decode").

const allBytes = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

function assertInvalidCharacter(fn, what) {
  const e = assert.throws(fn, { name: 'InvalidCharacterError', code: 5 }, what);
  assert.ok(e instanceof DOMException, `${what}: the error is a DOMException`);
  assert.equal(e.code, DOMException.INVALID_CHARACTER_ERR, `${what}: legacy code constant`);
}

test('btoa: known vectors (RFC 4648) and padding', () => {
  const vectors = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='],
                   ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'], ['\0', 'AA=='], ['\xff\xff\xff', '////'],
                   ['\xfb\xff', '+/8='], ['Hello, World!', 'SGVsbG8sIFdvcmxkIQ==']];
  for (const [plain, encoded] of vectors) {
    assert.equal(btoa(plain), encoded, `btoa(${JSON.stringify(plain)})`);
    assert.equal(atob(encoded), plain, `atob(${JSON.stringify(encoded)})`);
  }
});

test('btoa/atob: all 256 byte values round-trip, alone and in every position of a group', () => {
  for (let i = 0; i < 256; i++) {
    const c = String.fromCharCode(i);
    for (const s of [c, 'a' + c, 'ab' + c, c + 'xy']) {
      const encoded = btoa(s);
      assert.match(encoded, /^[A-Za-z0-9+/]*={0,2}$/, `btoa of byte ${i}`);
      assert.equal(encoded.length % 4, 0, `btoa output length of byte ${i}`);
      assert.equal(atob(encoded), s, `round trip of byte ${i}`);
    }
  }
  const encoded = btoa(allBytes);
  assert.equal(encoded.length, 344);
  assert.equal(encoded.slice(0, 24), 'AAECAwQFBgcICQoLDA0ODxAR');
  assert.equal(encoded.slice(-8), '/P3+/w==');
  assert.equal(atob(encoded), allBytes);
});

test('btoa: the argument is converted to a string', () => {
  assert.equal(btoa(undefined), 'dW5kZWZpbmVk');
  assert.equal(btoa(null), 'bnVsbA==');
  assert.equal(btoa(123), 'MTIz');
  assert.equal(btoa({ toString: () => 'ab' }), 'YWI=');
});

test('btoa: characters above U+00FF throw InvalidCharacterError (DOMException code 5)', () => {
  for (const s of ['\u0100', 'abc\u0100', 'ab\u20AC', '€', '😀', '\uD800', 'aaaa\uFFFF']) {
    assertInvalidCharacter(() => btoa(s), `btoa(${JSON.stringify(s)})`);
  }
  assert.equal(btoa('\u00FF'), '/w==', 'U+00FF is the last Latin-1 character');
});

test('atob: padding is optional but must be right when present', () => {
  assert.equal(atob('Zg'), 'f');
  assert.equal(atob('Zg=='), 'f');
  assert.equal(atob('Zm8'), 'fo');
  assert.equal(atob('Zm8='), 'fo');
  assert.equal(atob('YQ'), 'a');
  assert.equal(atob('YR'), 'a', 'leftover bits need not be zero');
  for (const s of ['Zg=', 'Zg===', 'Zm8==', 'Zm9v=', 'Zm9v====', '=', '==', '===', '====', 'Z===', '=Zm8']) {
    assertInvalidCharacter(() => atob(s), `atob(${JSON.stringify(s)})`);
  }
});

test('atob: ASCII whitespace (tab, LF, FF, CR, space) anywhere is ignored', () => {
  assert.equal(atob(' Zm9v YmFy '), 'foobar');
  assert.equal(atob('\tZ\nm\f9\rv'), 'foo');
  assert.equal(atob('Zg = ='), 'f', 'whitespace inside the padding');
  assert.equal(atob('Z g\n'), 'f');
  assert.equal(atob('  \n\t'), '', 'only whitespace');
  for (const s of ['Zm9v\v', 'Zm9v\u00A0', '\u2028Zm9v', 'Zm9v\0', '\uFEFFZm9v']) {
    assertInvalidCharacter(() => atob(s), `atob(${JSON.stringify(s)}) (not ASCII whitespace)`);
  }
});

test('atob: malformed input throws InvalidCharacterError', () => {
  for (const s of ['a', 'ab=c', '****', 'abcde', 'abcdefghi', 'ab=', 'a=bc', 'ab-_', 'Zm9v!', 'Zm9v.', 'Zm\u00E99v',
                   'Zm9\u0100', 'YQ==YQ==', 'YQ==\0']) {
    assertInvalidCharacter(() => atob(s), `atob(${JSON.stringify(s)})`);
  }
});

test('atob: any length with length % 4 == 1 (after whitespace removal) is invalid', () => {
  for (let n = 1; n <= 21; n += 4) assertInvalidCharacter(() => atob('A'.repeat(n)), `atob of ${n} characters`);
  assertInvalidCharacter(() => atob('AAAA A'), '5 characters once whitespace is removed');
  assert.equal(atob('AAA A'), '\0\0\0', '4 characters once whitespace is removed');
});

test('atob: the empty string decodes to the empty string; arguments are stringified', () => {
  assert.equal(atob(''), '');
  assert.equal(atob(null), '\x9e\xe9e', 'atob(null) decodes "null"');
  assertInvalidCharacter(() => atob(undefined), 'atob(undefined): "undefined" has 9 characters');
  assert.equal(atob(1234), '\xd7\x6d\xf8');
});

test('btoa/atob: a missing argument throws TypeError', () => {
  assert.throws(() => btoa(), TypeError, 'btoa()');
  assert.throws(() => atob(), TypeError, 'atob()');
});

test('btoa/atob: globals are non-enumerable, writable and configurable functions', () => {
  for (const name of ['btoa', 'atob']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    assert.equal(typeof d.value, 'function', name);
    assert.equal(d.enumerable, false, `${name} enumerable`);
    assert.equal(d.writable, true, `${name} writable`);
    assert.equal(d.configurable, true, `${name} configurable`);
    assert.equal(d.value.length, 1, `${name}.length`);
  }
});

await run();
