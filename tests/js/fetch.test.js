import { test, assert, run } from './harness.js';

// fetch, Headers, Request and Response against a local HTTP server (tests/support/http_server.py).
const base = mprtc.args[0];

test('GET JSON: status, headers, body', async () => {
  const r = await fetch(`${base}/json`);
  assert.equal(r.status, 200);
  assert.ok(r.ok);
  assert.equal(r.statusText, 'OK');
  assert.equal(r.type, 'basic');
  assert.equal(r.url, `${base}/json`);
  assert.equal(r.redirected, false);
  assert.equal(r.headers.get('Content-Type'), 'application/json');
  assert.equal(r.headers.get('x-test'), 'a, b', 'values of one name combined');
  assert.deepEqual(await r.json(), { hello: 'world', n: 1 });
  assert.ok(r.bodyUsed);
  await assert.rejects(() => r.text(), TypeError, 'a body is read once');
});

test('POST a body of each kind, with headers; the server sees them', async () => {
  const cases = [
    ['text é', 'text/plain;charset=UTF-8', 'text é'],
    [new URLSearchParams({ a: '1 2', b: 'é' }), 'application/x-www-form-urlencoded;charset=UTF-8', 'a=1+2&b=%C3%A9'],
    [new Blob(['blob'], { type: 'x/y' }), 'x/y', 'blob'],
    [new Uint8Array([104, 105]), undefined, 'hi'],
  ];
  for (const [body, type, text] of cases) {
    const r = await fetch(`${base}/echo?q=1`, { method: 'post', body, headers: { 'X-Mine': 'v' } });
    const echo = await r.json();
    assert.equal(echo.method, 'POST', 'known methods are upper-cased');
    assert.equal(echo.query, 'q=1');
    assert.equal(echo.headers['x-mine'], 'v');
    assert.equal(echo.headers['content-type'], type);
    assert.equal(echo.body, text);
  }
});

test('statuses, redirects, bytes, HEAD', async () => {
  const missing = await fetch(`${base}/status/404`);
  assert.equal(missing.status, 404);
  assert.equal(missing.ok, false);
  assert.equal(await missing.text(), 'status 404');
  const moved = await fetch(`${base}/redirect`);
  assert.equal(moved.status, 200);
  assert.ok(moved.redirected);
  assert.equal(moved.url, `${base}/json`);
  const bytes = new Uint8Array(await (await fetch(`${base}/bytes`)).arrayBuffer());
  assert.equal(bytes.length, 256);
  assert.equal(bytes[255], 255);
  const blob = await (await fetch(`${base}/bytes`)).blob();
  assert.equal(blob.size, 256);
  assert.equal(blob.type, 'application/octet-stream');
  const head = await fetch(`${base}/json`, { method: 'HEAD' });
  assert.equal(await head.text(), '');
});

test('errors: network, abort, bad arguments', async () => {
  await assert.rejects(() => fetch('http://127.0.0.1:1/'), { name: 'TypeError', message: /Failed to fetch/ });
  const ac = new AbortController();
  const slow = fetch(`${base}/slow`, { signal: ac.signal });
  ac.abort();
  await assert.rejects(slow, 'AbortError');
  await assert.rejects(() => fetch(`${base}/json`, { signal: AbortSignal.abort() }), 'AbortError');
  await assert.rejects(() => fetch('not a url'), TypeError);
  await assert.rejects(() => fetch('ftp://h/x'), { name: 'TypeError' });
  await assert.rejects(() => fetch(`${base}/json`, { body: 'x' }), TypeError, 'GET with a body');
  await assert.rejects(() => fetch(`${base}/json`, { method: 'TRACE' }), TypeError);
  await assert.rejects(() => fetch(`${base}/json`, { headers: { 'bad name': 'x' } }), TypeError);
});

test('Headers, Request and Response on their own', async () => {
  const h = new Headers([['B', '2'], ['a', '1']]);
  h.append('a', '3');
  assert.deepEqual([...h], [['a', '1, 3'], ['b', '2']], 'sorted, combined');
  h.set('a', ' 9 ');
  assert.equal(h.get('A'), '9', 'set replaces; values are trimmed');
  h.delete('b');
  assert.equal(h.has('b'), false);
  assert.throws(() => h.set('x', 'a\nb'), TypeError);
  const req = new Request(`${base}/echo#frag`, { method: 'PUT', body: 'x' });
  assert.equal(req.url, `${base}/echo`, 'no fragment');
  assert.equal(req.method, 'PUT');
  assert.equal(req.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal((await (await fetch(req)).json()).body, 'x', 'a Request is fetched as given');
  const res = Response.json({ a: 1 }, { status: 201 });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.clone().json(), { a: 1 });
  assert.equal(await new Response('t').text(), 't');
  assert.throws(() => new Response('x', { status: 99 }), RangeError);
  assert.equal(Response.error().type, 'error');
  assert.equal(Response.redirect(`${base}/x`, 301).headers.get('location'), `${base}/x`);
});

// All candidates in the description: WHIP without trickle.
const gathered = (pc) => new Promise((resolve) => {
  if (pc.iceGatheringState === 'complete') resolve();
  else pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
});

test('WHIP: the offer POSTed as application/sdp, the answer from 201 Created, DELETE of its Location', async () => {
  // The endpoint's media side: a real peer that takes the offer the endpoint holds.
  const media = new RTCPeerConnection();
  const received = new Promise((resolve) => {
    media.ondatachannel = (e) => { e.channel.onmessage = (m) => resolve(m.data); };
  });
  const answered = (async () => {
    const { id, sdp } = await (await fetch(`${base}/whip-offer`)).json();
    await media.setRemoteDescription({ type: 'offer', sdp });
    await media.setLocalDescription();
    await gathered(media);
    const r = await fetch(`${base}/whip-answer/${id}`, { method: 'POST', body: media.localDescription.sdp });
    assert.equal(r.status, 204);
  })();
  const client = new RTCPeerConnection();
  const channel = client.createDataChannel('whip');
  await client.setLocalDescription();
  await gathered(client);
  const r = await fetch(`${base}/whip`, { method: 'POST', body: client.localDescription.sdp,
                                          headers: { 'Content-Type': 'application/sdp' } });
  await answered;
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('content-type'), 'application/sdp');
  const session = new URL(r.headers.get('location'), r.url).href;
  assert.equal(session, `${base}/whip/session/1`);
  await client.setRemoteDescription({ type: 'answer', sdp: await r.text() });
  await new Promise((resolve) => { channel.onopen = resolve; });
  channel.send('over WHIP');
  assert.equal(await received, 'over WHIP');
  const deleted = await fetch(session, { method: 'DELETE' });
  assert.equal(deleted.status, 200);
  assert.equal((await deleted.arrayBuffer()).byteLength, 0, 'an empty body is an empty ArrayBuffer (it was a detached one)');
  assert.equal((await fetch(session, { method: 'DELETE' })).status, 404, 'the session is gone');
  const wrong = await fetch(`${base}/whip`, { method: 'POST', body: 'v=0', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(wrong.status, 415, 'an offer that is not application/sdp');
  client.close();
  media.close();
});

await run();
