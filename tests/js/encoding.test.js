import { test, assert, run } from './harness.js';

// TextEncoder / TextDecoder against the WHATWG Encoding Standard (UTF-8 only here).

const bytes = (...b) => new Uint8Array(b);
const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, '0')).join(' ');
const codeUnits = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16)).join(' ');
const decode = (...b) => new TextDecoder().decode(new Uint8Array(b));
const fffd = (n) => '\uFFFD'.repeat(n);

// ---------------------------------------------------------------- TextEncoder

test('TextEncoder: encoding is utf-8, encode returns a fresh Uint8Array', () => {
  const enc = new TextEncoder();
  assert.equal(enc.encoding, 'utf-8');
  const a = enc.encode('hi');
  assert.ok(a instanceof Uint8Array, 'encode returns a Uint8Array');
  assert.equal(a.byteOffset, 0);
  assert.equal(a.buffer.byteLength, 2, 'the buffer holds just the bytes');
  assert.notEqual(enc.encode('hi'), a, 'each call returns a new array');
});

test('TextEncoder: encode of ASCII, 2-byte, 3-byte (BMP) and 4-byte (astral) characters', () => {
  const enc = new TextEncoder();
  assert.equal(hex(enc.encode('Az~\0')), '41 7a 7e 00');
  assert.equal(hex(enc.encode('\u007F\u0080')), '7f c2 80');
  assert.equal(hex(enc.encode('é\u07FF')), 'c3 a9 df bf');
  assert.equal(hex(enc.encode('\u0800€\uFFFF')), 'e0 a0 80 e2 82 ac ef bf bf');
  assert.equal(hex(enc.encode('\uFEFF')), 'ef bb bf', 'a BOM is encoded like any character');
  assert.equal(hex(enc.encode('😀')), 'f0 9f 98 80');
  assert.equal(hex(enc.encode('\u{10000}\u{10FFFF}')), 'f0 90 80 80 f4 8f bf bf');
});

test('TextEncoder: lone surrogates encode as U+FFFD (EF BF BD)', () => {
  const enc = new TextEncoder();
  assert.equal(hex(enc.encode('\uD800')), 'ef bf bd', 'lone high surrogate');
  assert.equal(hex(enc.encode('\uDC00')), 'ef bf bd', 'lone low surrogate');
  assert.equal(hex(enc.encode('a\uD83Db')), '61 ef bf bd 62', 'high surrogate followed by a non-surrogate');
  assert.equal(hex(enc.encode('\uDE00\uD83D')), 'ef bf bd ef bf bd', 'low then high is two lone surrogates');
  assert.equal(hex(enc.encode('\uD83D\uD83D\uDE00')), 'ef bf bd f0 9f 98 80', 'a lone high surrogate before a pair');
});

test('TextEncoder: encode() with no argument or undefined is empty; other values are stringified', () => {
  const enc = new TextEncoder();
  assert.equal(enc.encode().length, 0);
  assert.equal(enc.encode(undefined).length, 0);
  assert.equal(enc.encode('').length, 0);
  assert.equal(hex(enc.encode(null)), '6e 75 6c 6c', 'null is "null"');
  assert.equal(hex(enc.encode(12)), '31 32');
  assert.equal(hex(enc.encode({ toString: () => 'é' })), 'c3 a9');
});

test('TextEncoder: encodeInto with enough room', () => {
  const enc = new TextEncoder();
  const dest = new Uint8Array(16).fill(0xAA);
  const r = enc.encodeInto('aé€😀', dest);
  assert.deepEqual(r, { read: 5, written: 10 }, 'read counts UTF-16 code units, written bytes');
  assert.equal(hex(dest.subarray(0, 10)), '61 c3 a9 e2 82 ac f0 9f 98 80');
  assert.equal(hex(dest.subarray(10)), 'aa aa aa aa aa aa', 'bytes past written are untouched');
  assert.deepEqual(enc.encodeInto('', dest), { read: 0, written: 0 });
});

test('TextEncoder: encodeInto with too little room never splits a character', () => {
  const enc = new TextEncoder();
  const cases = [
    // [source, room, read, written, bytes]
    ['abc', 2, 2, 2, '61 62'],
    ['aé', 2, 1, 1, '61'],               // é needs 2, only 1 left
    ['a€', 3, 1, 1, '61'],               // € needs 3, only 2 left
    ['a€', 4, 2, 4, '61 e2 82 ac'],
    ['😀', 3, 0, 0, ''],                 // a pair needs 4 bytes: nothing read
    ['a😀b', 4, 1, 1, '61'],             // never half a surrogate pair (read stays 1, not 2)
    ['a😀b', 5, 3, 5, '61 f0 9f 98 80'], // the pair counts as 2 read
    ['\uD800x', 2, 0, 0, ''],            // a lone surrogate takes 3 bytes (U+FFFD)
    ['\uD800x', 4, 2, 4, 'ef bf bd 78'],
    ['xyz', 0, 0, 0, ''],
  ];
  for (const [src, room, read, written, expected] of cases) {
    const dest = new Uint8Array(room + 2).fill(0xAA).subarray(0, room);
    const r = enc.encodeInto(src, dest);
    assert.deepEqual(r, { read, written }, `encodeInto(${JSON.stringify(src)}) into ${room} bytes`);
    assert.equal(hex(dest.subarray(0, written)), expected, `bytes of ${JSON.stringify(src)}`);
    assert.equal(hex(new Uint8Array(dest.buffer, room, 2)), 'aa aa', 'nothing written past the view');
  }
});

test('TextEncoder: encodeInto writes at a subarray view\'s offset', () => {
  const backing = new Uint8Array(8);
  const r = new TextEncoder().encodeInto('é!', backing.subarray(3, 6));
  assert.deepEqual(r, { read: 2, written: 3 });
  assert.equal(hex(backing), '00 00 00 c3 a9 21 00 00');
});

test('TextEncoder: encodeInto needs a Uint8Array destination', () => {
  const enc = new TextEncoder();
  for (const dest of [new Uint8ClampedArray(4), new Int8Array(4), new Uint16Array(4), new ArrayBuffer(4),
                      new DataView(new ArrayBuffer(4)), [0, 0, 0, 0], null, undefined]) {
    assert.throws(() => enc.encodeInto('a', dest), TypeError,
                  `encodeInto into ${Object.prototype.toString.call(dest)}`);
  }
  assert.throws(() => enc.encodeInto('a'), TypeError, 'missing destination');
});

// ---------------------------------------------------------------- TextDecoder construction

test('TextDecoder: default label and attributes', () => {
  const d = new TextDecoder();
  assert.equal(d.encoding, 'utf-8');
  assert.equal(d.fatal, false);
  assert.equal(d.ignoreBOM, false);
  const f = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  assert.equal(f.fatal, true);
  assert.equal(f.ignoreBOM, true);
  assert.equal(new TextDecoder(undefined).encoding, 'utf-8', 'undefined label is the default');
});

test('TextDecoder: UTF-8 labels are case-insensitive and trimmed of ASCII whitespace', () => {
  for (const label of ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'UTF-8', 'Utf8', 'UNICODE-1-1-UTF-8',
                       'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8',
                       ' utf-8', 'utf-8 ', '\t\n\f\r utf-8 \r\n\f\t']) {
    assert.equal(new TextDecoder(label).encoding, 'utf-8', `label ${JSON.stringify(label)}`);
  }
});

test('TextDecoder: unsupported or invalid labels throw RangeError', () => {
  for (const label of ['latin1', 'iso-8859-1', 'windows-1252', 'utf-16le', 'utf-16', 'ascii', 'utf-7',
                       'utf_8', 'utf-8x', 'u tf-8', '', 'foo', null, 'replacement']) {
    assert.throws(() => new TextDecoder(label), RangeError, `label ${JSON.stringify(label)}`);
  }
});

test('TextDecoder: only ASCII whitespace is trimmed (U+000B, U+00A0, U+2028, U+2029, NUL are not)', () => {
  // WPT encoding/api-invalid-label.any.js
  for (const ws of ['\u0000', '\u000b', '\u00a0', '\u2028', '\u2029', '\uFEFF']) {
    for (const label of [ws + 'utf-8', 'utf-8' + ws, ws + 'utf8' + ws]) {
      assert.throws(() => new TextDecoder(label), RangeError, `label ${JSON.stringify(label)}`);
    }
  }
});

// ---------------------------------------------------------------- TextDecoder input types

test('TextDecoder: decode() and decode(undefined) return the empty string', () => {
  const d = new TextDecoder();
  assert.equal(d.decode(), '');
  assert.equal(d.decode(undefined), '');
  assert.equal(d.decode(new Uint8Array(0)), '');
  assert.equal(d.decode(new ArrayBuffer(0)), '');
});

test('TextDecoder: decodes an ArrayBuffer, Uint8Array, other typed arrays and a DataView', () => {
  const d = new TextDecoder();
  const u8 = bytes(0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80);
  const expected = 'hé€😀';
  assert.equal(d.decode(u8), expected, 'Uint8Array');
  assert.equal(d.decode(u8.buffer), expected, 'ArrayBuffer');
  assert.equal(d.decode(new DataView(u8.buffer)), expected, 'DataView');
  assert.equal(d.decode(new Int8Array(u8.buffer)), expected, 'Int8Array');
  assert.equal(d.decode(new Uint16Array(bytes(0x61, 0x62, 0x63, 0x64).buffer)), 'abcd', 'Uint16Array bytes');
});

test('TextDecoder: decodes only the bytes a view covers, from its byteOffset', () => {
  const d = new TextDecoder();
  const u8 = new TextEncoder().encode('ABCDEFGH');
  assert.equal(d.decode(u8.subarray(2, 5)), 'CDE', 'subarray');
  assert.equal(d.decode(u8.subarray(0, 3)), 'ABC', 'subarray at offset 0');
  assert.equal(d.decode(u8.subarray(6)), 'GH', 'subarray to the end');
  assert.equal(d.decode(new Uint8Array(u8.buffer, 1, 2)), 'BC', 'Uint8Array with an offset');
  assert.equal(d.decode(new DataView(u8.buffer, 3, 4)), 'DEFG', 'DataView with an offset');
  assert.equal(d.decode(new Uint16Array(u8.buffer, 4, 2)), 'EFGH', 'Uint16Array with an offset');
  const euro = bytes(0x78, 0xE2, 0x82, 0xAC, 0x79);
  assert.equal(d.decode(euro.subarray(1, 4)), '€', 'multibyte character in an offset view');
});

test('TextDecoder: an offset view streams correctly into a pending sequence', () => {
  const d = new TextDecoder();
  const data = bytes(0x00, 0x00, 0xF0, 0x9F, 0x98, 0x80, 0x21);
  assert.equal(d.decode(data.subarray(2, 4), { stream: true }), '');
  assert.equal(d.decode(data.subarray(4, 7)), '😀!');
});

test('TextDecoder: decode of a non-buffer throws TypeError', () => {
  const d = new TextDecoder();
  for (const input of ['string', 'abc', 42, null, {}, [0x61], { length: 1, 0: 0x61 }]) {
    assert.throws(() => d.decode(input), TypeError, `decode(${JSON.stringify(input)})`);
  }
});

// ---------------------------------------------------------------- TextDecoder replacement

test('TextDecoder: valid sequences at the boundaries decode exactly', () => {
  assert.equal(codeUnits(decode(0x7F)), '7f');
  assert.equal(codeUnits(decode(0xC2, 0x80)), '80');
  assert.equal(codeUnits(decode(0xDF, 0xBF)), '7ff');
  assert.equal(codeUnits(decode(0xE0, 0xA0, 0x80)), '800');
  assert.equal(codeUnits(decode(0xED, 0x9F, 0xBF)), 'd7ff');
  assert.equal(codeUnits(decode(0xEE, 0x80, 0x80)), 'e000');
  assert.equal(codeUnits(decode(0xEF, 0xBF, 0xBF)), 'ffff');
  assert.equal(codeUnits(decode(0xF0, 0x90, 0x80, 0x80)), 'd800 dc00');
  assert.equal(codeUnits(decode(0xF4, 0x8F, 0xBF, 0xBF)), 'dbff dfff');
  assert.equal(decode(0x00, 0x61, 0x00), '\0a\0', 'NUL bytes are kept');
});

test('TextDecoder: each maximal invalid subpart becomes exactly one U+FFFD', () => {
  // Counts from the Encoding Standard's UTF-8 decoder (= browsers, and Unicode's
  // "substitution of maximal subparts" practice).
  const cases = [
    [[0x80], fffd(1), 'lone continuation byte'],
    [[0xBF, 0x80], fffd(2), 'two continuation bytes'],
    [[0xC0, 0x80], fffd(2), 'overlong NUL (C0 is never a lead byte)'],
    [[0xC1, 0xBF], fffd(2), 'overlong with C1'],
    [[0xE0, 0x80, 0x80], fffd(3), 'overlong 3-byte: E0 needs A0..BF next'],
    [[0xE0, 0x9F, 0xBF], fffd(3), 'overlong 3-byte at the top'],
    [[0xED, 0xA0, 0x80], fffd(3), 'encoded surrogate D800'],
    [[0xED, 0xBF, 0xBF], fffd(3), 'encoded surrogate DFFF'],
    [[0xF0, 0x80, 0x80], fffd(3), 'overlong 4-byte: F0 needs 90..BF next'],
    [[0xF0, 0x80, 0x80, 0x80], fffd(4), 'overlong 4-byte, full length'],
    [[0xF4, 0x90, 0x80, 0x80], fffd(4), 'above U+10FFFF: F4 needs 80..8F next'],
    [[0xF5, 0x80, 0x80, 0x80], fffd(4), 'F5 is never a lead byte'],
    [[0xF8, 0x88, 0x80, 0x80, 0x80], fffd(5), '5-byte form'],
    [[0xFE], fffd(1), 'FE'],
    [[0xFF], fffd(1), 'FF'],
    [[0xE2, 0x82], fffd(1), 'truncated 3-byte sequence at the end'],
    [[0xF0, 0x9F, 0x98], fffd(1), 'truncated 4-byte sequence at the end'],
    [[0xC3], fffd(1), 'truncated 2-byte sequence at the end'],
    [[0xE2, 0x82, 0x41], fffd(1) + 'A', 'truncated sequence then ASCII: the ASCII byte is kept'],
    [[0xF0, 0x9F, 0x41, 0x42], fffd(1) + 'AB', 'truncated 4-byte sequence then ASCII'],
    [[0xE2, 0x82, 0xE2, 0x82, 0xAC], fffd(1) + '€', 'truncated sequence then a valid one'],
    [[0xC3, 0xC3, 0xA9], fffd(1) + 'é', 'lead byte followed by a lead byte'],
    [[0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64],
     'a' + fffd(3) + 'b' + fffd(1) + 'c' + fffd(2) + 'd', 'the Encoding Standard\'s own example'],
  ];
  for (const [input, expected, what] of cases) {
    assert.equal(codeUnits(decode(...input)), codeUnits(expected), `${what} (${hex(input)})`);
  }
});

test('TextDecoder: fatal mode throws TypeError on invalid input and decodes valid input', () => {
  const d = new TextDecoder('utf-8', { fatal: true });
  for (const input of [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
                       [0x61, 0xFF], [0xF0, 0x9F, 0x98]]) {
    assert.throws(() => d.decode(new Uint8Array(input)), TypeError, `fatal decode of ${hex(input)}`);
  }
  assert.equal(d.decode(bytes(0x61, 0xE2, 0x82, 0xAC)), 'a€', 'the decoder is usable after an error');
});

test('TextDecoder: fatal streaming keeps an incomplete tail and throws only when flushed', () => {
  const d = new TextDecoder('utf-8', { fatal: true });
  assert.equal(d.decode(bytes(0x61, 0xE2, 0x82), { stream: true }), 'a');
  assert.throws(() => d.decode(), TypeError, 'flushing an incomplete sequence');
  assert.equal(d.decode(bytes(0x62)), 'b', 'nothing is left over after the error');
  assert.equal(d.decode(bytes(0xE2), { stream: true }), '');
  assert.throws(() => d.decode(bytes(0x41), { stream: true }), TypeError, 'invalid continuation in a stream');
});

// ---------------------------------------------------------------- BOM

test('TextDecoder: a leading BOM is stripped once; ignoreBOM keeps it', () => {
  const bom = [0xEF, 0xBB, 0xBF];
  assert.equal(decode(...bom, 0x61), 'a');
  assert.equal(decode(...bom), '');
  assert.equal(decode(...bom, ...bom, 0x61), '\uFEFFa', 'only the first BOM is stripped');
  assert.equal(decode(0x61, ...bom), 'a\uFEFF', 'a BOM later in the input is kept');
  const keep = new TextDecoder('utf-8', { ignoreBOM: true });
  assert.equal(keep.decode(bytes(...bom, 0x61)), '\uFEFFa');
  const d = new TextDecoder();
  assert.equal(d.decode(bytes(...bom, 0x61)), 'a');
  assert.equal(d.decode(bytes(...bom, 0x62)), 'b', 'each non-streaming decode call starts a new stream');
});

test('TextDecoder: BOM handling across streamed chunks', () => {
  const d = new TextDecoder();
  assert.equal(d.decode(bytes(0xEF), { stream: true }), '');
  assert.equal(d.decode(bytes(0xBB), { stream: true }), '');
  assert.equal(d.decode(bytes(0xBF, 0x61), { stream: true }), 'a', 'a BOM split over chunks is stripped');
  assert.equal(d.decode(bytes(0xEF, 0xBB, 0xBF), { stream: true }), '\uFEFF', 'a second BOM in the stream is kept');
  assert.equal(d.decode(), '');
  assert.equal(d.decode(bytes(0xEF, 0xBB, 0xBF, 0x62)), 'b', 'a new stream strips its BOM again');
  const d2 = new TextDecoder();
  assert.equal(d2.decode(bytes(0x61), { stream: true }), 'a');
  assert.equal(d2.decode(bytes(0xEF, 0xBB, 0xBF)), '\uFEFF', 'a BOM after the first character is kept');
});

// ---------------------------------------------------------------- streaming

test('TextDecoder: stream splits inside multibyte characters', () => {
  const text = 'aé€😀z';
  const encoded = new TextEncoder().encode(text);
  // Every way of splitting into two chunks, and one byte at a time.
  for (let cut = 0; cut <= encoded.length; cut++) {
    const d = new TextDecoder();
    const out = d.decode(encoded.slice(0, cut), { stream: true }) + d.decode(encoded.slice(cut));
    assert.equal(out, text, `split at byte ${cut}`);
  }
  const d = new TextDecoder();
  let out = '';
  for (const b of encoded) out += d.decode(bytes(b), { stream: true });
  out += d.decode();
  assert.equal(out, text, 'one byte at a time');
});

test('TextDecoder: F0 9F 98 then A0 across two streamed calls is one emoji', () => {
  const d = new TextDecoder();
  assert.equal(d.decode(bytes(0xF0, 0x9F, 0x98), { stream: true }), '', 'nothing until the sequence completes');
  assert.equal(d.decode(bytes(0xA0)), '😠');
  const f = new TextDecoder('utf-8', { fatal: true });
  assert.equal(f.decode(bytes(0xF0, 0x9F), { stream: true }), '');
  assert.equal(f.decode(bytes(0x98, 0xA0), { stream: true }), '😠', 'fatal mode streams too');
});

test('TextDecoder: an incomplete sequence is replaced when the stream ends', () => {
  const d = new TextDecoder();
  assert.equal(d.decode(bytes(0x61, 0xE2, 0x82), { stream: true }), 'a');
  assert.equal(d.decode(), fffd(1), 'flush with no input');
  const d2 = new TextDecoder();
  assert.equal(d2.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assert.equal(d2.decode(bytes(0x41)), fffd(1) + 'A', 'the pending bytes and the next chunk');
  const d3 = new TextDecoder();
  assert.equal(d3.decode(bytes(0xF0), { stream: true }), '');
  assert.equal(d3.decode(bytes(0x80), { stream: true }), fffd(2), 'invalid continuation after a pending lead');
  assert.equal(d3.decode(), '');
});

test('TextDecoder: a non-streaming call resets a pending sequence', () => {
  const d = new TextDecoder();
  assert.equal(d.decode(bytes(0xE2, 0x82), { stream: true }), '');
  assert.equal(d.decode(bytes(0xAC)), '€', 'the final chunk completes the sequence');
  assert.equal(d.decode(bytes(0xAC)), fffd(1), 'and afterwards nothing is pending');
});

await run();
