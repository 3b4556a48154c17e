// Automation: `mprtc run DIR --auto-port 0` driven by WeChat's own npm package,
// miniprogram-automator 0.12.1 (installed into tests/automation/node_modules when missing), as a
// mini-program developer tests pages. examples/loopback (a real call: hang up, call again, the
// page data, the dump, a screenshot, a navigation with a query, evaluate, console and
// exceptions), then a package of the test's own for the rest of the protocol and its guards.
// Prints TAP.
//
// Usage: node tests/automation/run.mjs PATH/TO/mprtc
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRun as startRunOf, stopRun } from '../support/mprtc-run.mjs';
import { npmPackages } from '../support/npm-package.mjs';
import { check, equal, run as runTests, test, until } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const mprtcPath = path.resolve(process.argv[2] ?? path.join(root, 'build', 'mprtc'));
// Only bounds for what would otherwise hang: every check waits for the state it checks.
const WAIT_MS = 30000;

// ws: the package's own WebSocket client, for what the package never sends.
const { 'miniprogram-automator': automator, ws: WebSocket } = await npmPackages(here, {
  'miniprogram-automator': 'miniprogram-automator@0.12.1', ws: 'ws',
});

const startRun = (dir, ...args) => startRunOf(mprtcPath, dir, args);
const stop = (run, mp) => stopRun(run, mp, WAIT_MS);

// The width and height in a PNG's header.
function pngSize(bytes) {
  check(bytes.subarray(1, 4).toString() === 'PNG', 'a PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function findNode(node, pred) {
  if (node.tag && pred(node)) return node;
  for (const c of node.children ?? []) {
    const found = findNode(c, pred);
    if (found) return found;
  }
  return null;
}

// ---- examples/loopback ---------------------------------------------------------------------------

test('examples/loopback: hang up and call again, data, screenshot, navigation with a query, evaluate, console, exceptions, the dump', async () => {
  const run = await startRun(path.join(root, 'examples', 'loopback'), '--grant', 'camera,microphone', '--dump-view');
  let mp;
  try {
    mp = await automator.connect({ wsEndpoint: run.endpoint });
    let page = await mp.currentPage();
    equal(page.path, 'pages/index/index', 'the current page');
    await until('the first call to play', async () => (await page.data()).playing);
    const first = await page.data();
    equal([first.status, first.inCall, first.remoteSize], ['connected', true, '640x480'], 'the call, from the page data');
    equal(await page.data('status'), 'connected', 'data(path)');

    const hangup = await page.$('#hangup');
    equal([hangup.tagName, await hangup.text(), await hangup.attribute('disabled')], ['button', 'Hang up', 'false'], 'the hang-up button');
    equal(await (await page.$('#call')).attribute('disabled'), 'true', 'Call is disabled in a call');
    await hangup.tap();
    const idle = await page.data();
    equal([idle.status, idle.inCall, idle.localId, idle.playing], ['idle', false, '', false], 'hung up: the tap ran its handler first');
    equal(await (await page.$('#remote')).attribute('stream-id'), '', 'the video let go of its stream');

    await (await page.$('#call')).tap();
    await until('the second call to play', async () => (await page.data()).playing);
    check((await page.data()).remoteId !== first.remoteId, 'a new call, a new remote stream');

    const shot = Buffer.from(await mp.screenshot(), 'base64');
    equal(pngSize(shot), [750, 1334], 'the screenshot: the window at pixel ratio 2');
    const file = path.join(os.tmpdir(), `mprtc-automation-${process.pid}.png`);
    await mp.screenshot({ path: file });
    equal(pngSize(fs.readFileSync(file)), [750, 1334], 'screenshot({path})');
    fs.rmSync(file);

    equal(await mp.evaluate((a, b) => `${a}+${b}=${a + b} on ${getCurrentPages()[0].route}`, 2, 3),
          '2+3=5 on pages/index/index', 'evaluate with arguments, in the logic layer');
    equal(await mp.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).length > 0), true, 'evaluate awaits');

    const lines = [];
    mp.on('console', (m) => lines.push(m));
    await mp.evaluate(() => console.warn('from the test', { n: 1 }, [2]));
    const line = await until('the console line', () => lines.find((m) => m.args?.[0] === 'from the test'));
    equal(line, { type: 'warn', args: ['from the test', { n: 1 }, [2]] }, 'App.logAdded');
    const errors = [];
    mp.on('exception', (e) => errors.push(e));
    await mp.evaluate(() => { setTimeout(() => { throw new Error('thrown later'); }); });
    const error = await until('the exception', () => errors.find((e) => e.message === 'thrown later'));
    check(/^Error: thrown later\n +at /.test(error.stack), `App.exceptionThrown has the stack: ${JSON.stringify(error)}`);

    page = await mp.reLaunch('/pages/index/index?from=automator&n=1');
    equal([page.path, page.query], ['pages/index/index', { from: 'automator', n: '1' }], 'reLaunch with a query');
    equal((await mp.pageStack()).map((p) => p.path), ['pages/index/index'], 'the page stack after reLaunch');
    await until('the relaunched page to play', async () => (await page.data()).playing);
  } finally {
    await stop(run, mp);
  }
  equal(run.code, 0, `close() ends the run with status 0\n${run.stderr}`);
  const dump = JSON.parse(run.stdout);
  equal([dump.path, dump.query], ['pages/index/index', { from: 'automator', n: '1' }], 'the dump is of the relaunched page');
  const remote = findNode(dump.root, (n) => n.attrs.id === 'remote');
  check(remote.media.bound && remote.media.framesRendered > 0 && remote.media.videoWidth === 640,
        `the dump: the remote video plays (${JSON.stringify(remote.media)})`);
});

// ---- a package of the test's own ------------------------------------------------------------------

function writePackage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-automation-'));
  const files = {
    'app.json': JSON.stringify({ pages: ['pages/index/index', 'pages/b/b'] }),
    'app.js': 'App({});',
    'pages/index/index.wxml': `
<view id="title">{{title}}</view>
<input id="name" value="{{name}}" bindinput="onName"/>
<input id="shout" bindinput="onShout"/>
<view id="box" bindcustom="onCustom" bindlongpress="onLong" bindtap="onTap"><text class="inner">in the box</text></view>
<view class="item" wx:for="{{items}}" wx:key="*this">{{item}}</view>
<view id="exit" bindtap="exit">Exit</view>`,
    'pages/index/index.js': `
Page({
  data: { title: 'Start', name: '', items: ['a', 'b', 'c'], custom: null, long: false, taps: 0 },
  onName(e) { this.setData({ name: e.detail.value }); },
  onShout(e) { return e.detail.value.toUpperCase(); },
  onCustom(e) { this.setData({ custom: e.detail }); },
  onLong() { this.setData({ long: true }); },
  onTap() { this.setData({ taps: this.data.taps + 1 }); },
  add(a, b) { return a + b; },
  async later(v) { await new Promise((r) => setTimeout(r, 10)); return { v }; },
  platform() { return wx.getSystemInfoSync().platform; },
  readStorage() { return new Promise((resolve, reject) => wx.getStorage({ key: 'k', success: (r) => resolve(r.data), fail: reject })); },
  exit() { wx.exitMiniProgram({ success: (r) => console.log('EXIT', r.errMsg) }); },
  ask() { wx.showModal({ title: 'Sure?', success: (r) => this.setData({ answer: r.confirm ? 'yes' : 'no' }) }); },
});`,
    'pages/b/b.wxml': '<view id="b">page b: {{x}}</view>',
    'pages/b/b.js': 'Page({ data: { x: "" }, onLoad(q) { this.setData({ x: q.x }); } });',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('navigation, data, methods, elements, typing, events, wx calls and mocks, bindings', async () => {
  const dir = writePackage();
  const run = await startRun(dir);
  let mp;
  try {
    mp = await automator.connect({ wsEndpoint: run.endpoint });
    let page = await mp.navigateTo('/pages/b/b?x=1&y=two');
    equal([page.path, page.query], ['pages/b/b', { x: '1', y: 'two' }], 'navigateTo with a query');
    equal(await (await page.$('#b')).text(), 'page b: 1', 'the new page got its query');
    equal((await mp.pageStack()).map((p) => [p.path, p.query]), [['pages/index/index', {}], ['pages/b/b', { x: '1', y: 'two' }]],
          'pageStack');
    page = await mp.navigateBack();
    equal(page.path, 'pages/index/index', 'navigateBack');
    page = await mp.redirectTo('/pages/b/b?x=2');
    equal([page.path, page.query, (await mp.pageStack()).length], ['pages/b/b', { x: '2' }, 1], 'redirectTo');
    page = await mp.reLaunch('/pages/index/index');

    await page.setData({ title: 'Set by the test' });
    equal(await (await page.$('#title')).text(), 'Set by the test', 'setData reaches the view before it resolves');
    equal(await page.callMethod('add', 2, 3), 5, 'callMethod');
    equal(await page.callMethod('later', 'x'), { v: 'x' }, 'callMethod awaits');

    const name = await page.$('#name');
    await name.input('ann');
    equal(await page.data('name'), 'ann', 'input() runs bindinput');
    equal(await name.attribute('value'), 'ann', 'the typed value shows');
    const shout = await page.$('#shout');
    await shout.input('hey');
    equal(await shout.attribute('value'), 'HEY', "the string a bindinput handler returns becomes the input's value");
    const box = await page.$('#box');
    await box.trigger('custom', { n: 1 });
    equal(await page.data('custom'), { n: 1 }, 'trigger() with a detail');
    await box.tap();
    equal(await page.data('taps'), 1, 'tap()');
    await box.longpress();
    equal(await page.data('long'), true, 'longpress() (touchstart, 350 ms, touchend)');
    equal(await box.wxml(), '<text class="inner">in the box</text>', 'wxml()');
    equal(await box.outerWxml(), '<view id="box"><text class="inner">in the box</text></view>', 'outerWxml()');
    equal(await (await box.$('.inner')).text(), 'in the box', 'element.$ looks inside');
    equal(await box.$('#title'), null, 'element.$ does not look outside');
    equal(await Promise.all((await page.$$('.item')).map((e) => e.text())), ['a', 'b', 'c'], '$$');
    equal(await page.$('#nothing'), null, '$ of nothing is null');
    const size = await box.size();
    check(size.width === 375 && size.height > 0, `size(): ${JSON.stringify(size)}`);
    equal(await box.offset(), { left: 0, top: (await shout.offset()).top + (await shout.size()).height },
          'offset(): the box comes under the inputs');
    const pageSize = await page.size();
    check(pageSize.width === 375 && pageSize.height >= 667, `page.size(): ${JSON.stringify(pageSize)}`);
    equal(await page.scrollTop(), 0, 'page.scrollTop()');

    equal((await mp.systemInfo()).platform, 'mprtc', 'systemInfo');
    await mp.callWxMethod('setStorageSync', 'k', 'stored');
    equal(await mp.callWxMethod('getStorageSync', 'k'), 'stored', 'callWxMethod, Sync');
    equal((await mp.callWxMethod('getStorage', { key: 'k' })).data, 'stored', 'callWxMethod settles by success');
    const failure = await mp.callWxMethod('navigateBack').then(() => null, (e) => e.message);
    equal(failure, 'navigateBack:fail cannot navigate back at first page.', 'callWxMethod rejects with the errMsg');

    await mp.mockWxMethod('getSystemInfoSync', { platform: 'mocked' });
    equal(await page.callMethod('platform'), 'mocked', 'mockWxMethod with a result');
    await mp.mockWxMethod('getSystemInfoSync', function () { return { ...this.origin(), platform: `around ${this.origin().platform}` }; });
    equal(await page.callMethod('platform'), 'around mprtc', 'a mock calls the real method as this.origin');
    await mp.restoreWxMethod('getSystemInfoSync');
    equal(await page.callMethod('platform'), 'mprtc', 'restoreWxMethod');
    await mp.mockWxMethod('getStorage', function (options, suffix) { return { data: options.key + suffix }; }, '!');
    equal(await page.callMethod('readStorage'), 'k!', 'mockWxMethod with a function and arguments');
    await mp.restoreWxMethod('getStorage');
    equal(await page.callMethod('readStorage'), 'stored', 'restored');

    const calls = [];
    await mp.exposeFunction('tellTheTest', (...args) => calls.push(args));
    await mp.evaluate(() => tellTheTest(1, 'two', { three: 3 }));
    equal(await until('the binding', () => calls[0]), [1, 'two', { three: 3 }], 'exposeFunction');

    // The dialog is up when callMethod returns: the view has the page's requests in order.
    await page.callMethod('ask');
    await mp.native().confirmModal();
    equal(await page.data('answer'), 'yes', 'native().confirmModal(): the dialog answered, its success ran');
    await page.callMethod('ask');
    await mp.native().cancelModal();
    equal(await page.data('answer'), 'no', 'native().cancelModal()');
    const none = await mp.native().confirmModal().then(() => null, (e) => e.message);
    equal(none, 'no dialog (wx.showModal) is shown', 'native().confirmModal() with no dialog');
    await mp.callWxMethod('navigateTo', { url: '/pages/b/b?x=3' });
    await mp.native().navigateLeft();
    equal((await mp.currentPage()).path, 'pages/index/index', 'native().navigateLeft(): the back button');
    await mp.callWxMethod('navigateTo', { url: '/pages/b/b?x=4' });
    await mp.callWxMethod('navigateTo', { url: '/pages/b/b?x=5' });
    await mp.native().goHome();
    equal((await mp.pageStack()).map((p) => p.path), ['pages/index/index'], 'native().goHome(): the entry page alone');

    const unsupported = await mp.evaluate(() => { throw new TypeError('nope'); }).then(() => null, (e) => e.message);
    check(/nope/.test(unsupported), `evaluate's error comes back: ${unsupported}`);
  } finally {
    await stop(run, mp);
  }
  equal(run.code, 0, `close() ends the run with status 0\n${run.stderr}`);
});

test('only local clients without an Origin; malformed requests get an error and the connection stays', async () => {
  const run = await startRun(writePackage());
  try {
    const refused = await new Promise((resolve) => {
      const ws = new WebSocket(run.endpoint, { origin: 'http://example.com' });
      ws.on('unexpected-response', (req, res) => resolve(res.statusCode));
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('error', (e) => resolve(e.message));
    });
    equal(refused, 403, 'a handshake with an Origin (a web page) is refused');
    const elsewhere = Object.values(os.networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal);
    if (elsewhere) {
      const outcome = await new Promise((resolve) => {
        const ws = new WebSocket(`ws://${elsewhere.address}:${run.port}`);
        ws.on('open', () => { ws.close(); resolve('open'); });
        ws.on('error', (e) => resolve(e.code));
      });
      equal(outcome, 'ECONNREFUSED', `not served on ${elsewhere.address}`);
    }
    const ws = new WebSocket(run.endpoint);
    await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
    const replies = [];
    ws.on('message', (m) => replies.push(JSON.parse(m)));
    ws.send('not json');
    ws.send(JSON.stringify({ id: 'a', method: 42 }));
    ws.send(JSON.stringify({ id: 'b', method: 'Page.getData', params: { pageId: 999 } }));
    ws.send(JSON.stringify({ id: 'c', method: 'Element.tap', params: { pageId: 1, elementId: '12345' } }));
    ws.send(JSON.stringify({ id: 'd', method: 'Tool.enableRemoteDebug', params: {} }));
    ws.send(JSON.stringify({ id: 'e', method: 'Tool.getInfo', params: {} }));
    await until('six replies', () => replies.length >= 6);
    check(/not JSON/.test(replies[0].error?.message), `bad JSON: ${JSON.stringify(replies[0])}`);
    equal(replies[1].id, 'a', 'a bad request is answered by its id');
    check(/method: string/.test(replies[1].error?.message), `a bad request says what a request is: ${JSON.stringify(replies[1])}`);
    const byId = Object.fromEntries(replies.slice(2).map((r) => [r.id, r]));
    check(/no page 999/.test(byId.b.error?.message), `an unknown page: ${JSON.stringify(byId.b)}`);
    check(/no longer on its page|no page/.test(byId.c.error?.message), `an unknown element: ${JSON.stringify(byId.c)}`);
    check(/does not have/.test(byId.d.error?.message), `a DevTools-only method: ${JSON.stringify(byId.d)}`);
    equal(byId.e.result?.SDKVersion, 'dev', 'the connection still serves');
    ws.close();
    const mp = await automator.connect({ wsEndpoint: run.endpoint });
    await (await (await mp.currentPage()).$('#exit')).tap().catch(() => {});
  } finally {
    const timer = setTimeout(() => run.child.kill('SIGKILL'), WAIT_MS);
    run.code = await run.exited;
    clearTimeout(timer);
  }
  equal(run.code, 0, 'wx.exitMiniProgram ends the run with status 0');
  check(run.stderr.includes('the mini-program exited (wx.exitMiniProgram)'), `the run says why it ended:\n${run.stderr}`);
  check(run.stdout.includes('EXIT exitMiniProgram:ok'), `success ran before the mini-program went:\n${run.stdout}`);
});

await runTests();
