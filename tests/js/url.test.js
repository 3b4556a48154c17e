import { test, assert, run } from './harness.js';

// URL and URLSearchParams against the WHATWG URL Standard (expected values as the standard and
// its web-platform tests give them).

const parts = (u) => [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];

test('an absolute special URL: normalised, percent-encoded, its parts', () => {
  const u = new URL('HTTPS://user:p%40ss@Example.COM:443/a/./b/../c d?x=1 2&y=\'#frag ment');
  assert.equal(u.href, "https://user:p%40ss@example.com/a/c%20d?x=1%202&y=%27#frag%20ment");
  assert.deepEqual(parts(u), ['https:', 'user', 'p%40ss', 'example.com', 'example.com', '', '/a/c%20d', "?x=1%202&y=%27", '#frag%20ment']);
  assert.equal(u.origin, 'https://example.com');
  assert.equal(String(u), u.href);
  assert.equal(JSON.stringify({ u }), `{"u":"${u.href}"}`);
  assert.equal(Object.prototype.toString.call(u), '[object URL]');
});

test('relative references against a base', () => {
  const base = 'http://h/a/b/c?q#f';
  const cases = [
    ['../d?q2', 'http://h/a/d?q2'], ['//other/x', 'http://other/x'], ['/root', 'http://h/root'],
    ['?q2', 'http://h/a/b/c?q2'], ['#f2', 'http://h/a/b/c?q#f2'], ['', 'http://h/a/b/c?q'],
    ['x', 'http://h/a/b/x'], ['./', 'http://h/a/b/'], ['..', 'http://h/a/'], ['../../../../up', 'http://h/up'],
    ['\\\\bs\\path', 'http://bs/path'], ['http:rel', 'http://h/a/b/rel'], ['https:abs', 'https://abs/'],
  ];
  for (const [input, want] of cases) assert.equal(new URL(input, base).href, want, JSON.stringify(input));
  assert.equal(new URL('x', new URL('https://h/dir/')).href, 'https://h/dir/x', 'a URL object as base');
});

test('other schemes: opaque paths and hierarchical ones', () => {
  const mail = new URL('mailto:Joe@Example.com?subject=hi there');
  assert.deepEqual(parts(mail), ['mailto:', '', '', '', '', '', 'Joe@Example.com', '?subject=hi%20there', '']);
  assert.equal(mail.origin, 'null');
  assert.equal(new URL('data:text/plain,hello world').href, 'data:text/plain,hello world');
  const foo = new URL('foo://Host:21/p/../q?x#y');
  assert.deepEqual(parts(foo), ['foo:', '', '', 'Host:21', 'Host', '21', '/q', '?x', '#y']);
  assert.equal(new URL('foo:/a/b').href, 'foo:/a/b');
  assert.equal(new URL('blob:https://h:8443/uuid').origin, 'https://h:8443');
  assert.throws(() => new URL('y', 'mailto:x'), TypeError, 'nothing is relative to an opaque path');
  assert.equal(new URL('#z', 'mailto:x').href, 'mailto:x#z', 'but a fragment is');
});

test('hosts: IPv4 in every form, IPv6, international names, ports', () => {
  assert.equal(new URL('http://0x7f.1/').host, '127.0.0.1');
  assert.equal(new URL('http://2130706433/').host, '127.0.0.1');
  assert.equal(new URL('http://[0:0::1]:8080/').host, '[::1]:8080');
  assert.equal(new URL('http://[2001:db8::ff00:42:8329]/').hostname, '[2001:db8::ff00:42:8329]');
  assert.equal(new URL('http://例子.测试/').host, 'xn--fsqu00a.xn--0zwm56d');
  assert.equal(new URL('ws://h:80/').port, '', 'the default port is not kept');
  assert.equal(new URL('ws://h:81/').port, '81');
  assert.equal(new URL('file://localhost/etc/x y').href, 'file:///etc/x%20y');
  assert.equal(new URL('file:///tmp/a').host, '');
});

test('what is not a URL is a TypeError; canParse and parse say so without throwing', () => {
  for (const bad of ['http://', 'foo', 'http://a:99999', 'http://a b/', 'http://[::1/', 'https://h:x/', '//x']) {
    assert.throws(() => new URL(bad), TypeError, bad);
    assert.equal(URL.canParse(bad), false, bad);
    assert.equal(URL.parse(bad), null, bad);
  }
  assert.throws(() => new URL('x', 'not a base'), TypeError);
  assert.throws(() => new URL(), TypeError);
  assert.equal(URL.canParse('x', 'http://h'), true);
  assert.equal(URL.parse('x', 'http://h').href, 'http://h/x');
});

test('setters', () => {
  const u = new URL('https://h/p?a=1#f');
  u.search = 'b=2 3';
  assert.equal(u.href, 'https://h/p?b=2%203#f');
  assert.equal(u.searchParams.get('b'), '2 3', 'searchParams follows search');
  u.hash = '';
  assert.equal(u.href, 'https://h/p?b=2%203');
  u.port = '8443';
  assert.equal(u.host, 'h:8443');
  u.port = '443';
  assert.equal(u.port, '', 'the default port');
  u.port = 'x';
  assert.equal(u.port, '', 'not a number: unchanged');
  u.pathname = 'x y/../z';
  assert.equal(u.pathname, '/z');
  u.hostname = 'Other.ORG';
  assert.equal(u.host, 'other.org');
  u.protocol = 'wss:';
  assert.equal(u.protocol, 'wss:');
  u.protocol = 'foo';
  assert.equal(u.protocol, 'wss:', 'a special URL stays special');
  u.username = 'a b';
  u.password = 'c';
  assert.equal(u.href, 'wss://a%20b:c@other.org/z?b=2%203');
  u.host = 'n.example:81';
  assert.equal(u.host, 'n.example:81');
  u.href = 'http://fresh/?k=v';
  assert.equal(u.searchParams.get('k'), 'v');
  assert.throws(() => { u.href = 'nope'; }, TypeError);
  assert.equal(u.href, 'http://fresh/?k=v', 'a bad href changes nothing');
});

test('URLSearchParams: parsing, serialising, the list operations', () => {
  const p = new URLSearchParams('?a=1&a=2&b=%20x+y&c&=e&é=%E2%82%AC');
  assert.deepEqual([...p], [['a', '1'], ['a', '2'], ['b', ' x y'], ['c', ''], ['', 'e'], ['é', '€']]);
  assert.deepEqual(p.getAll('a'), ['1', '2']);
  assert.equal(p.get('zz'), null);
  assert.equal(p.size, 6);
  assert.equal(p.toString(), 'a=1&a=2&b=+x+y&c=&=e&%C3%A9=%E2%82%AC');
  p.delete('a', '2');
  assert.deepEqual(p.getAll('a'), ['1']);
  p.set('a', 'x');
  p.append('a', 'y');
  p.set('a', 'z');
  assert.deepEqual(p.getAll('a'), ['z'], 'set keeps the first, drops the rest');
  assert.ok(p.has('b', ' x y') && !p.has('b', 'other'));
  const s = new URLSearchParams('z=1&a=2&z=0&b=9');
  s.sort();
  assert.equal(s.toString(), 'a=2&b=9&z=1&z=0', 'sorted by name, stable');
  assert.equal(new URLSearchParams({ x: '1', y: 'a&b' }).toString(), 'x=1&y=a%26b');
  assert.equal(new URLSearchParams([['k', 'v'], ['k', 'w']]).toString(), 'k=v&k=w');
  assert.equal(new URLSearchParams(new Map([['m', '1']])).get('m'), '1');
  assert.throws(() => new URLSearchParams([['only one']]), TypeError);
  assert.throws(() => p.append('x'), TypeError);
  const seen = [];
  new URLSearchParams('q=1&r=2').forEach((value, name) => seen.push(name + value));
  assert.deepEqual(seen, ['q1', 'r2']);
  assert.deepEqual([...new URLSearchParams('q=1&r=2').keys()], ['q', 'r']);
});

test('a URL and its searchParams stay in step', () => {
  const u = new URL('https://h/?a=1');
  const params = u.searchParams;
  params.append('b', 'x y');
  assert.equal(u.search, '?a=1&b=x+y');
  params.delete('a');
  params.delete('b');
  assert.equal(u.href, 'https://h/', 'an empty list leaves no "?"');
  u.search = '?c=3';
  assert.equal(params.get('c'), '3');
  assert.equal(u.searchParams, params, 'the same object');
});

test('WebSocket URLs use the same parser', () => {
  assert.throws(() => new WebSocket('ftp://h/'), 'SyntaxError');
  assert.throws(() => new WebSocket('ws://h/#f'), 'SyntaxError');
  assert.throws(() => new WebSocket('relative'), 'SyntaxError');
  const ws = new WebSocket('HTTP://Example.com:80/x y?q');
  assert.equal(ws.url, 'ws://example.com/x%20y?q');
  ws.close();
});

await run();
