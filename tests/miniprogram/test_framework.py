#!/usr/bin/env python3
"""Mini-programs through `mprtc run`, as a developer writes them: the package, App and Page with
the platform's lifecycle order, setData paths and callbacks, navigation, events, wx.authorize,
and every kind of broken input with its file and line.

Usage: test_framework.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import json
import socket
import os
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mp import MPRTC, TMP, by_id, check, lines_with, package, run, run_dump, serving, test, texts  # noqa: E402
import png  # noqa: E402  (tests/support, on the path mp sets)


# ---- the lifecycle ----

LOG = "const log = (...a) => console.log('LOG', ...a);\n"


@test
def lifecycle_order():
    root = package({
        'app.js': LOG + "App({ onLaunch(o) { log('App.onLaunch', o.path, JSON.stringify(o.query)); },"
                        " onShow() { log('App.onShow'); } });",
        'pages/index/index.js': LOG + """
Page({
  onLoad(q) { log('a.onLoad', JSON.stringify(q)); },
  onShow() { log('a.onShow'); this.setData({ shows: (this.data.shows || 0) + 1 }); },
  onReady() { log('a.onReady'); },
  onHide() { log('a.onHide'); },
  onUnload() { log('a.onUnload'); },
  go() { wx.navigateTo({ url: '/pages/b/b?x=1&y=two' }); },
});""",
        'pages/index/index.wxml': '<button id="go" bindtap="go">go</button><view wx:if="{{shows > 1}}" id="again"/>',
        'pages/b/b.js': LOG + """
Page({
  onLoad(q) { log('b.onLoad', JSON.stringify(q)); },
  onShow() { log('b.onShow'); },
  onReady() { log('b.onReady', getCurrentPages().map(p => p.route).join(',')); },
  onUnload() { log('b.onUnload'); },
  back() { wx.navigateBack(); },
});""",
        'pages/b/b.wxml': '<button id="back" bindtap="back">back</button>',
    }, pages=('pages/index/index', 'pages/b/b'))
    p = run(root, '--page', 'pages/index/index?from=cli', '--tap', '#go', '--wait-for', '#back', '--tap', '#back',
            '--wait-for', '#again')
    check(p.returncode == 0, 'runs', p)
    got = lines_with(p.stdout, 'LOG')
    want = ['App.onLaunch pages/index/index {"from":"cli"}', 'App.onShow', 'a.onLoad {"from":"cli"}', 'a.onShow',
            'a.onReady', 'a.onHide', 'b.onLoad {"x":"1","y":"two"}', 'b.onShow',
            'b.onReady pages/index/index,pages/b/b', 'b.onUnload', 'a.onShow']
    check(got == want, f'the platform\'s order:\n{got}\nnot\n{want}', p)


@test
def navigation_stack_limit_redirect_relaunch():
    root = package({
        'pages/index/index.js': """
Page({
  data: { depth: 0 },
  async deeper() {
    const results = [];
    for (let i = 0; i < 10; i++) {
      try { await wx.navigateTo({ url: 'index?n=' + i }); results.push('ok'); }
      catch (e) { results.push(e.errMsg); }
    }
    console.log('RESULTS', JSON.stringify(results), getCurrentPages().length);
    wx.redirectTo({ url: '/pages/other/other?r=1', success(r) { console.log('REDIRECT', r.errMsg, getCurrentPages().length); } });
  },
});""",
        'pages/index/index.wxml': '<view id="deeper" bindtap="deeper">deeper</view><view wx:if="{{settled}}" id="settled"/>',
        'pages/other/other.js': """
Page({
  onLoad(q) { console.log('OTHER', JSON.stringify(q)); },
  relaunch() {
    const settled = [
      wx.reLaunch({ url: '/pages/index/index', complete(r) { console.log('RELAUNCH', r.errMsg, getCurrentPages().length); } }),
      wx.navigateTo({ url: '/pages/nowhere/nowhere', fail(r) { console.log('MISSING', r.errMsg); } }),
      wx.navigateBack({ delta: 0 }).catch((r) => console.log('BADDELTA', r.errMsg)),
    ];
    // The run waits for #settled on the relaunched page, so every answer is in.
    Promise.allSettled(settled).then(() => getCurrentPages()[0].setData({ settled: true }));
  },
});""",
        'pages/other/other.wxml': '<view id="relaunch" bindtap="relaunch">relaunch</view>',
    }, pages=('pages/index/index', 'pages/other/other'))
    p = run(root, '--tap', '#deeper', '--wait-for', '#relaunch', '--tap', '#relaunch', '--wait-for', '#settled')
    check(p.returncode == 0, 'runs', p)
    results = lines_with(p.stdout, 'RESULTS')[0]
    check(results == json.dumps(['ok'] * 9 + ['navigateTo:fail webview count limit exceed'],
                                separators=(',', ':')) + ' 10', 'at most 10 pages: ' + results, p)
    check(lines_with(p.stdout, 'REDIRECT') == ['redirectTo:ok 10'], 'redirect replaces the top page', p)
    check(lines_with(p.stdout, 'OTHER') == ['{"r":"1"}'], 'query of a redirect', p)
    check(lines_with(p.stdout, 'MISSING') == ['navigateTo:fail page "pages/nowhere/nowhere" is not found'], 'unknown page', p)
    check(lines_with(p.stdout, 'BADDELTA') == ['navigateBack:fail delta must be a positive number'], 'bad delta', p)
    check(lines_with(p.stdout, 'RELAUNCH') == ['reLaunch:ok 1'], 'reLaunch empties the stack', p)


@test
def system_info_is_the_window():
    root = package({'pages/index/index.js': """
Page({ onLoad() {
  console.log('SYNC', JSON.stringify(wx.getSystemInfoSync()));
  wx.getSystemInfo({ success: (r) => { console.log('ASYNC', r.errMsg, r.windowWidth); this.setData({ done: true }); } });
} });""", 'pages/index/index.wxml': '<view wx:if="{{done}}" id="done"/>'})
    p = run(root, '--size', '400x800', '--wait-for', '#done')
    info = json.loads(lines_with(p.stdout, 'SYNC')[0])
    check(info['platform'] == 'mprtc' and info['windowWidth'] == 400 and info['windowHeight'] == 800 and
          info['screenWidth'] == 400 and info['pixelRatio'] == 2 and info['safeArea']['bottom'] == 800, f'{info}', p)
    check(lines_with(p.stdout, 'ASYNC') == ['getSystemInfo:ok 400'], 'the callback form', p)


@test
def connect_socket_task():
    import ws_server  # noqa: E402  (tests/support)
    with serving(ws_server) as url:
        root = package({'pages/index/index.js': """
const log = (...a) => console.log('LOG', ...a);
Page({
  onLoad(q) {
    const base = decodeURIComponent(q.base);
    wx.connectSocket({ url: 'http://x/', fail: (e) => log('BADURL', e.errMsg) });
    wx.connectSocket({ url: 5, fail: (e) => log('NOURL', e.errMsg), complete: () => log('COMPLETE') });
    const task = wx.connectSocket({ url: base + '/echo', success: (r) => log('CONNECT', r.errMsg) });
    task.send({ data: 'early', fail: (e) => log('EARLY', e.errMsg) });
    const got = [];
    task.onOpen(() => {
      log('OPEN', task.readyState);
      task.send({ data: 'héllo', success: (r) => log('SENT', r.errMsg) });
      task.send({ data: new Uint8Array([1, 2, 3]).buffer });
      task.send({ data: 42, fail: (e) => log('BADDATA', e.errMsg) });
    });
    task.onMessage((m) => {
      got.push(typeof m.data === 'string' ? m.data : Array.from(new Uint8Array(m.data)).join(','));
      if (got.length === 2) { log('GOT', JSON.stringify(got)); task.close({ code: 1000, reason: 'bye' }); }
    });
    task.onClose((c) => { log('CLOSE', c.code, c.reason); this.setData({ done: true }); });
    const many = [];
    for (let i = 0; i < 5; i++) many.push(wx.connectSocket({ url: base + '/echo', fail: (e) => log('MANY', i, e.errMsg) }));
    many.forEach((t) => t && t.close());
  },
});""", 'pages/index/index.wxml': '<view wx:if="{{done}}" id="done"/>'})
        from urllib.parse import quote
        p = run(root, '--page', 'pages/index/index?base=' + quote(url, safe=''), '--wait-for', '#done')
        check(p.returncode == 0, 'runs', p)
        got = dict(l.split(' ', 1) for l in lines_with(p.stdout, 'LOG') if ' ' in l)
        check(got.get('BADURL') == 'connectSocket:fail invalid url "http://x/"', 'a URL that is not ws:', p)
        check(got.get('NOURL') == 'connectSocket:fail parameter error: parameter.url should be String', 'no URL', p)
        check(got.get('CONNECT') == 'connectSocket:ok' and got.get('OPEN') == '1', 'connects', p)
        check(got.get('EARLY') == 'sendSocketMessage:fail WebSocket is not connected', 'send before open', p)
        check(got.get('BADDATA', '').startswith('sendSocketMessage:fail parameter error'), 'data of another type', p)
        check(got.get('GOT') == '["héllo","1,2,3"]', 'text and binary (as an ArrayBuffer) echoed', p)
        check(got.get('CLOSE') == '1000 bye', 'closed with the code and reason given', p)
        check(got.get('MANY') == '4 connectSocket:fail exceed max task count 5', 'at most five at once', p)


@test
def wx_request():
    import http_server  # noqa: E402  (tests/support)
    with serving(http_server) as url:
        root = package({'pages/index/index.js': """
const log = (...a) => console.log('LOG', ...a.map((x) => typeof x === 'string' ? x : JSON.stringify(x)));
const req = (o) => new Promise((resolve) => wx.request({ ...o, success: (r) => resolve(r), fail: (e) => resolve(e) }));
Page({
  async onLoad(q) {
    const base = decodeURIComponent(q.base);
    const json = await req({ url: base + '/json' });
    log('JSON', json.statusCode, json.data, json.header['X-Test'] || json.header['x-test'], json.errMsg);
    const get = await req({ url: base + '/echo', data: { a: 1, b: 'x y' } });
    log('GET', get.data.method, get.data.query);
    const post = await req({ url: base + '/echo', method: 'post', data: { k: [1] } });
    log('POST', post.data.method, post.data.headers['content-type'], post.data.body);
    const form = await req({ url: base + '/echo', method: 'PUT', data: { k: 'v w' }, header: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    log('FORM', form.data.body);
    const text = await req({ url: base + '/status/404' });
    log('NOTFOUND', text.statusCode, text.data);
    const bytes = await req({ url: base + '/bytes', responseType: 'arraybuffer' });
    log('BYTES', bytes.data instanceof ArrayBuffer, bytes.data.byteLength);
    log('TIMEOUT', (await req({ url: base + '/slow', timeout: 300 })).errMsg);
    const aborted = new Promise((resolve) => { const t = wx.request({ url: base + '/slow', fail: resolve }); t.abort(); });
    log('ABORT', (await aborted).errMsg);
    log('BADURL', (await req({ url: 'ftp://x' })).errMsg);
    log('BADMETHOD', (await req({ url: base, method: 'FETCH' })).errMsg);
    log('REFUSED', (await req({ url: 'http://127.0.0.1:1/' })).errMsg.startsWith('request:fail '));
    this.setData({ done: true });
  },
});""", 'pages/index/index.wxml': '<view wx:if="{{done}}" id="done"/>'})
        from urllib.parse import quote
        p = run(root, '--page', 'pages/index/index?base=' + quote(url, safe=''), '--wait-for', '#done')
        check(p.returncode == 0, 'runs', p)
        got = dict(l.split(' ', 1) for l in lines_with(p.stdout, 'LOG'))
        check(got.get('JSON') == '200 {"hello":"world","n":1} a, b request:ok', 'JSON parsed, headers: ' + str(got.get('JSON')), p)
        check(got.get('GET') == 'GET a=1&b=x%20y', 'GET data becomes the query', p)
        check(got.get('POST') == 'POST application/json {"k":[1]}', 'POST data as JSON', p)
        check(got.get('FORM') == 'k=v%20w', 'form-encoded when the content type says so', p)
        check(got.get('NOTFOUND') == '404 status 404', 'a status is not a failure; text that is not JSON stays text', p)
        check(got.get('BYTES') == 'true 256', 'responseType arraybuffer', p)
        check(got.get('TIMEOUT') == 'request:fail timeout', 'timeout', p)
        check(got.get('ABORT') == 'request:fail abort', 'abort', p)
        check(got.get('BADURL') == 'request:fail invalid url "ftp://x"', 'bad URL', p)
        check(got.get('BADMETHOD', '').startswith('request:fail parameter error: method should be one of'), 'bad method', p)
        check(got.get('REFUSED') == 'true', 'a refused connection fails', p)


@test
def toasts_are_drawn_over_the_page():
    root = package({'pages/index/index.js': """
const log = (...a) => console.log('LOG', ...a);
Page({
  async onLoad() {
    log('NOTITLE', await wx.showToast({}).catch((e) => e.errMsg));
    log('BADICON', await wx.showToast({ title: 't', icon: 'star' }).catch((e) => e.errMsg));
    wx.showToast({ title: 'Saved', duration: 1000, success: (r) => { log('SHOWN', r.errMsg); this.setData({ shown: true }); } });
    // Gone by itself after its duration; a loading toast stays until hidden.
    setTimeout(() => this.setData({ later: true }), 1500);
  },
  loading() { wx.showLoading({ title: 'Wait' }); this.setData({ loading: true }); },
  done() { wx.hideLoading(); this.setData({ hidden: true }); },
});""", 'pages/index/index.wxml': '<view style="height: 667px; background-color: #ffffff" bindtap="loading" id="page">'
                                      '<view wx:if="{{shown}}" id="shown"/><view wx:if="{{later}}" id="later"/><view wx:if="{{loading}}" id="loading"/>'
                                      '<view wx:if="{{hidden}}" id="hidden"/></view>'})
    shot_toast, shot_loading = os.path.join(TMP, 'toast.png'), os.path.join(TMP, 'loading.png')
    p = run(root, '--wait-for', '#shown', '--snapshot', shot_toast, '--dump-view')
    dump = json.loads(p.stdout)
    check(dump.get('toast') == {'title': 'Saved', 'icon': 'success'}, 'the toast in the dump while shown', p)
    check(lines_with(p.stderr, 'LOG SHOWN') == ['showToast:ok'], 'success', p)
    check(lines_with(p.stderr, 'LOG NOTITLE') == ['showToast:fail parameter error: parameter.title should be String instead of Undefined;'],
          'no title', p)
    check(lines_with(p.stderr, 'LOG BADICON')[0].startswith('showToast:fail parameter error: parameter.icon'), 'bad icon', p)
    image = png.read(shot_toast)
    centre = png.pixel(image, 375, 667)
    check(max(centre) < 150, f'a dark box in the middle of the window: {centre}', p)
    p = run(root, '--wait-for', '#later', '--dump-view')
    check('toast' not in json.loads(p.stdout), 'gone after its duration', p)
    p = run(root, '--wait-for', '#later', '--tap', '#page', '--wait-for', '#loading', '--snapshot', shot_loading, '--dump-view')
    check(json.loads(p.stdout).get('toast') == {'title': 'Wait', 'icon': 'loading'}, 'showLoading stays', p)


@test
def modals_wait_for_the_users_answer():
    """wx.showModal: drawn over the page, its buttons tapped by selector, the answer as the
    platform gives it; a second dialog waits for the first; arguments checked."""
    root = package({'pages/index/index.js': """
const log = (...a) => console.log('LOG', ...a);
Page({
  async onLoad() {
    log('BADTITLE', await wx.showModal({ title: 3 }).catch((e) => e.errMsg));
    log('LONGTEXT', await wx.showModal({ confirmText: 'Delete it' }).catch((e) => e.errMsg));
    log('BADCANCEL', await wx.showModal({ showCancel: 'no' }).catch((e) => e.errMsg));
    wx.showModal({ title: 'Hang up?', content: 'The call ends for both sides.', confirmText: 'End',
      success: (r) => { log('FIRST', JSON.stringify(r)); this.setData({ first: true }); } });
    wx.showModal({ title: 'Room', editable: true, placeholderText: 'name', showCancel: false })
      .then((r) => { log('SECOND', JSON.stringify(r)); this.setData({ second: true }); });
    this.setData({ asked: true });
  },
  under() { log('UNDER'); },
});""", 'pages/index/index.wxml': '<view id="page" style="height: 667px" bindtap="under"><view wx:if="{{asked}}" id="asked"/>'
                                      '<view wx:if="{{first}}" id="first"/><view wx:if="{{second}}" id="second"/></view>'})
    shot = os.path.join(TMP, 'modal.png')
    p = run(root, '--wait-for', '#asked', '--snapshot', shot, '--tap', '#page', '--dump-view')
    check(p.returncode != 0 and 'under the dialog of wx.showModal' in p.stderr, 'the page under a dialog takes no tap', p)
    check(lines_with(p.stderr, 'LOG BADTITLE') == ['showModal:fail parameter error: parameter.title should be String instead of Number;'],
          'a title of the wrong type', p)
    check(lines_with(p.stderr, 'LOG LONGTEXT') == ['showModal:fail confirmText length should not larger than 4 Chinese characters'],
          'a button text over 4 characters', p)
    check(lines_with(p.stderr, 'LOG BADCANCEL')[0].startswith('showModal:fail parameter error: parameter.showCancel should be Boolean'),
          'showCancel of the wrong type', p)
    image = png.read(shot)
    corner, middle = png.pixel(image, 10, 10), png.pixel(image, 375, 667)
    check(max(corner) < 120, f'the page is dimmed: {corner}', p)
    check(min(middle) > 200, f'a white box in the middle: {middle}', p)
    p, dump = run_dump(root, '--wait-for', '#mprtc-modal-confirm', '--tap', '#mprtc-modal-confirm', '--wait-for', '#first',
                       '--input', '#mprtc-modal-input=lobby', '--tap', '#mprtc-modal-confirm', '--wait-for', '#second')
    check(lines_with(p.stderr, 'LOG FIRST') == ['{"errMsg":"showModal:ok","confirm":true,"cancel":false}'], 'confirmed', p)
    check(lines_with(p.stderr, 'LOG SECOND') == ['{"errMsg":"showModal:ok","confirm":true,"cancel":false,"content":"lobby"}'],
          'the second dialog came after the first, with what was typed', p)
    check('modal' not in dump and not lines_with(p.stderr, 'LOG UNDER'), 'no dialog left; no tap reached the page', p)
    p, dump = run_dump(root, '--wait-for', '#mprtc-modal-cancel')
    shown = texts(dump['modal'])
    check(shown == 'Hang up?The call ends for both sides.取消End', f'the dialog in the dump: {shown}', p)
    p = run(root, '--wait-for', '#mprtc-modal-cancel', '--tap', '#mprtc-modal-cancel', '--wait-for', '#first')
    check(lines_with(p.stdout, 'LOG FIRST') == ['{"errMsg":"showModal:ok","confirm":false,"cancel":true}'], 'cancelled', p)


@test
def unload_closes_what_the_page_holds():
    """A page's connections and tracks close with it, unless handed to getApp() or another page."""
    root = package({
        'app.js': 'App({ globalData: {} });',
        'pages/index/index.js': """
Page({
  go() { wx.navigateTo({ url: '/pages/b/b' }); },
  onShow() {
    const p = globalThis.probe;
    if (!p) return;
    console.log('AFTER', p.local.signalingState, p.track.readyState, p.kept.signalingState,
                p.keptTrack.readyState, p.socket.readyState, p.mine.signalingState);
    this.setData({ back: true });
  },
});""",
        'pages/index/index.wxml': '<view id="go" bindtap="go"/><view wx:if="{{back}}" id="back-home"/>',
        'pages/b/b.js': """
Page({
  async onLoad() {
    this.pc = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.stream = stream;
    const [video, audio] = [stream.getVideoTracks()[0], stream.getAudioTracks()[0]];
    const kept = new RTCPeerConnection();
    kept.addTrack(audio, stream);       // a track the kept connection sends stays too
    getApp().globalData.call = { kept };
    this.ws = new WebSocket('ws://127.0.0.1:9/');
    // The previous page holds one of its own: it goes to that page, not closed.
    getCurrentPages()[0].mine = new RTCPeerConnection();
    globalThis.probe = { local: this.pc, track: video, kept, keptTrack: audio, socket: this.ws,
                         mine: getCurrentPages()[0].mine };
    this.setData({ ready: true });
  },
  back() { wx.navigateBack(); },
});""",
        'pages/b/b.wxml': '<view wx:if="{{ready}}" id="back" bindtap="back"/>',
    }, pages=('pages/index/index', 'pages/b/b'))
    p = subprocess.run([MPRTC, 'run', root, '--timeout', '30', '--grant', 'camera,microphone', '--tap', '#go',
                        '--wait-for', '#back', '--tap', '#back', '--wait-for', '#back-home'],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, 'runs', p)
    after = lines_with(p.stdout, 'AFTER')
    # The socket was closed while connecting: CLOSING (2), then CLOSED (3).
    check(len(after) == 1 and after[0].split()[:4] == ['closed', 'ended', 'stable', 'live'] and
          after[0].split()[4] in ('2', '3') and after[0].split()[5] == 'stable',
          'closed: the page\'s own connection, track and socket; kept: what getApp() or an open page holds', p)


# ---- setData ----

@test
def set_data_paths_and_callbacks():
    root = package({
        'pages/index/index.js': """
Page({
  data: { a: { b: 1 }, list: [{ name: 'x' }], n: 1, f: 'kept' },
  onLoad() {
    this.setData({ 'a.b': 2, 'list[0].name': 'y', 'list[2]': 'third', 'new.deep[1].k': 'v', 'a.x\\\\.y': 'dotted' }, () => {
      console.log('CALLBACK', this.data.a.b, JSON.stringify(this.data.list), JSON.stringify(this.data.new));
    });
    this.setData({ f: undefined, fn() {}, 'bad[x]': 1, n: 2 });
    console.log('SYNC', this.data.n, this.data.f);
    try { this.setData('nope'); } catch (e) { console.log('THROWS', e.name); }
  },
});""",
        'pages/index/index.wxml': """
<view id="ab">{{a.b}}</view><view id="list">{{list[0].name}},{{list[1]}},{{list[2]}}</view>
<view id="deep">{{new.deep[1].k}}{{new.deep.length}}</view><view id="dot">{{a['x.y']}}</view>
<view id="n">{{n}}{{f}}</view>""",
    })
    p, dump = run_dump(root)
    check(lines_with(p.stderr, 'CALLBACK') == ['2 [{"name":"y"},null,"third"] {"deep":[null,{"k":"v"}]}'], 'callback after', p)
    check(lines_with(p.stderr, 'SYNC') == ['2 kept'], 'this.data changes at once', p)
    check(lines_with(p.stderr, 'THROWS') == ['TypeError'], 'setData of a non-object throws', p)
    check("'f' is set to undefined" in p.stderr and "the path 'bad[x]' is ignored" in p.stderr, 'warnings', p)
    check(texts(by_id(dump, 'ab')) == '2', 'a.b', p)
    check(texts(by_id(dump, 'list')) == 'y,,third', 'list paths', p)
    check(texts(by_id(dump, 'deep')) == 'v2', 'created containers', p)
    check(texts(by_id(dump, 'dot')) == 'dotted', 'an escaped dot is part of the key', p)
    check(texts(by_id(dump, 'n')) == '2kept', 'undefined is ignored', p)


@test
def set_data_over_1_mib_is_refused():
    root = package({
        'pages/index/index.js': """
Page({
  data: { size: 'none' },
  onLoad() {
    try { this.setData({ big: 'x'.repeat(1100000) }); }
    catch (e) { console.log('REFUSED', e.name, e.message); }
    console.log('BIG', this.data.big === undefined);
    this.setData({ size: 'small ok' });
  },
});""",
        'pages/index/index.wxml': '<view id="size">{{size}}</view>',
    })
    p, dump = run_dump(root)
    refused = lines_with(p.stderr, 'REFUSED')
    check(len(refused) == 1 and refused[0].startswith('QuotaExceededError setData: the change is 1100') and '1 MiB' in refused[0],
          'a clear error', p)
    check(lines_with(p.stderr, 'BIG') == ['true'], 'nothing was set', p)
    check(texts(by_id(dump, 'size')) == 'small ok', 'the page goes on', p)


@test
def set_data_after_unload_warns():
    root = package({
        'pages/index/index.js': "Page({ go() { wx.navigateTo({ url: '/pages/b/b' }); } });",
        'pages/index/index.wxml': '<view id="go" bindtap="go"/>',
        'pages/b/b.js': """
Page({
  onUnload() { setTimeout(() => { this.setData({ x: 1 }); console.log('STILL RUNNING'); }, 0); },
  back() { wx.navigateBack(); },
});""",
        'pages/b/b.wxml': '<view id="back" bindtap="back"/>',
    }, pages=('pages/index/index', 'pages/b/b'))
    p = run(root, '--tap', '#go', '--wait-for', '#back', '--tap', '#back', '--wait-for', '#go')
    check(p.returncode == 0, 'runs', p)


# ---- events ----

@test
def events_bubble_catch_dataset():
    root = package({
        'pages/index/index.js': """
Page({
  data: { typed: '' },
  outer(e) { console.log('OUTER', e.type, e.target.id, e.currentTarget.id, JSON.stringify(e.target.dataset)); },
  inner(e) { console.log('INNER', e.currentTarget.id, typeof e.timeStamp, JSON.stringify(e.detail)); },
  stop() { console.log('STOP', 'caught'); },
  typing(e) { console.log('TYPED', e.detail.value); this.setData({ typed: e.detail.value }); return e.detail.value.toUpperCase(); },
  broken() { throw new Error('handler broke'); },
  done(e) { console.log('CONFIRMED', e.type, e.detail.value); },
});""",
        'pages/index/index.wxml': """
<view id="outer" bindtap="outer">
  <view id="inner" bind:tap="inner" data-user-name="ann" data-n="{{3}}">inner</view>
  <view id="caught" catchtap="stop"><text id="deep">deep</text></view>
  <view id="nohandler" bindtap="missing">x</view>
  <button id="off" disabled bindtap="stop">off</button>
  <view id="broken" bindtap="broken">broken</view>
</view>
<input id="field" bindinput="typing" bindconfirm="done" value="start"/>
<view id="typed">{{typed}}</view>""",
    })
    p, dump = run_dump(root, '--tap', '#inner', '--tap', '#deep', '--tap', '#nohandler', '--tap', '#off',
                       '--tap', '#broken', '--input', '#field=hello', '--confirm', '#field', '--tap', '#outer')
    check(lines_with(p.stderr, 'INNER') == ['inner number {"x":0,"y":0}'], 'the target\'s handler', p)
    outer = lines_with(p.stderr, 'OUTER')
    check(outer[0] == 'tap inner outer {"userName":"ann","n":3}', 'bubbles with target and dataset: ' + str(outer), p)
    check(lines_with(p.stderr, 'STOP') == ['caught'], 'catchtap stops it (and a disabled button takes no tap)', p)
    check('does not have a method "missing" to handle event "tap"' in p.stderr, 'a missing handler is a warning', p)
    check('Error: handler broke' in p.stderr and 'pages/index/index.js:' in p.stderr, 'a throw is reported with its place', p)
    check(len(outer) == 4, 'the app went on after the throw: ' + str(outer), p)
    check(lines_with(p.stderr, 'TYPED') == ['hello'], 'input', p)
    field = by_id(dump, 'field')
    check(field['attrs']['value'] == 'HELLO', 'a returned string becomes the value: ' + json.dumps(field), p)
    check(texts(by_id(dump, 'typed')) == 'hello', 'the page saw it', p)
    check(lines_with(p.stderr, 'CONFIRMED') == ['confirm HELLO'], 'bindconfirm with the value', p)


@test
def tap_on_nothing_fails_the_step():
    root = package({})
    p = run(root, '--tap', '#nothing')
    check(p.returncode == 1 and "no element of pages/index/index matches '#nothing'" in p.stderr, 'a clear error', p)
    p = run(root, '--tap', 'view:hover')
    check(p.returncode == 1 and 'pseudo-classes' in p.stderr, 'a bad selector', p)


# ---- styles and boxes ----

@test
def styles_boxes_and_rpx():
    root = package({
        'app.wxss': '@import "common/theme.wxss";\npage { font-size: 14px }\n.card { margin: 20rpx; padding: 10px }\n',
        'common/theme.wxss': '.title { font-weight: bold; frobnicate: yes }',
        'pages/index/index.wxss': '.card { height: 100px }\n.bar { display: flex }\n.bar view { flex: 1; height: 10px }\n@keyframes x { }',
        'pages/index/index.wxml': """
<view id="card" class="card"><text id="title" class="title">Title</text></view>
<view class="bar" id="bar"><view id="l"/><view id="r" style="flex: 3"/></view>
<view id="gone" hidden>x</view>""",
    })
    p, dump = run_dump(root, '--size', '375x500')
    check(dump['root']['box'] == [0, 0, 375, 500], 'the page fills the window: ' + str(dump['root']['box']), p)
    check(by_id(dump, 'card')['box'] == [10, 10, 355, 120], 'rpx, margin, padding: ' + str(by_id(dump, 'card')['box']), p)
    title = by_id(dump, 'title')['box']
    check(title[0] == 20 and title[1] == 20 and title[2] > 20 and title[3] > 14, 'text inside the padding: ' + str(title), p)
    check(by_id(dump, 'l')['box'] == [0, 140, 93.75, 10] and by_id(dump, 'r')['box'] == [93.75, 140, 281.25, 10], 'flex', p)
    check(by_id(dump, 'gone')['box'] == [0, 0, 0, 0], 'hidden', p)
    check("common/theme.wxss:1:29: the property 'frobnicate' is not supported" in p.stderr, 'the unknown property, once', p)
    check(p.stderr.count('frobnicate') == 1, 'once', p)
    check('pages/index/index.wxss:4:1: @keyframes is not supported' in p.stderr, 'at-rules', p)


def png_bytes(w, h, rgb):
    raw = b''.join(b'\x00' + bytes(rgb) * w for _ in range(h))

    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


@test
def snapshot_paints_the_page():
    root = package({
        'pages/index/index.wxss': '.red { background-color: #ff0000; width: 100px; height: 50px; border-radius: 10px }\n'
                                  '.frame { border: 4px solid #0000ff; width: 60px; height: 60px; margin-top: 10px }\n'
                                  '.faded { background: #00ff00; opacity: 0.5; height: 20px }',
        'pages/index/index.wxml': '<view class="red"/><view class="frame"/><image src="../../pic.png" style="width: 30px; height: 30px"/>'
                                  '<view class="faded"/><text style="font-size: 40px; color: #000">Wg</text>',
    })
    with open(os.path.join(root, 'pic.png'), 'wb') as f:
        f.write(png_bytes(3, 3, (255, 255, 0)))
    shot = os.path.join(root, 'shot.png')
    p = run(root, '--size', '200x300', '--snapshot', shot)
    check(p.returncode == 0, 'runs', p)
    img = png.read(shot)
    check(img[0] == 400 and img[1] == 600, f'window x2: {img[0]}x{img[1]}', p)
    px = lambda x, y: png.pixel(img, x * 2, y * 2)  # noqa: E731 - CSS px
    check(px(50, 25) == (255, 0, 0), f'background {px(50, 25)}', p)
    check(px(0, 0) == (255, 255, 255) and px(150, 25) == (255, 255, 255), 'rounded corner and beside it: white', p)
    check(px(1, 62) == (0, 0, 255) and px(30, 90) == (255, 255, 255), f'border and inside: {px(1, 62)} {px(30, 90)}', p)
    check(px(15, 140) == (255, 255, 0), f'the picture, scaled: {px(15, 140)}', p)
    faded = px(100, 165)
    check(abs(faded[0] - 128) < 3 and faded[1] == 255 and abs(faded[2] - 128) < 3, f'opacity: {faded}', p)
    dark = sum(1 for y in range(175, 225) for x in range(0, 60) if px(x, y) == (0, 0, 0))
    check(dark > 50, f'text is drawn ({dark} black pixels)', p)
    p = run(root, '--snapshot', '/nonexistent/dir/x.png')
    check(p.returncode == 1 and 'cannot write the snapshot' in p.stderr, 'an unwritable path', p)


# ---- modules ----

@test
def require_of_package_files():
    root = package({
        'utils/a.js': "const b = require('./b'); exports.a = 'A' + b.b; exports.self = __filename;",
        'utils/b.js': "module.exports = { b: 'B' };",
        'utils/data.json': '{"k": [1, 2]}',
        'pages/index/index.js': """
const { a, self } = require('../../utils/a.js');
const again = require('/utils/a');
const data = require('../../utils/data.json');
console.log('REQ', a, self, again.a === a, data.k.length);
try { require('../../../outside'); } catch (e) { console.log('OUTSIDE', e.name, e.message); }
try { require('./missing'); } catch (e) { console.log('MISSING', e.name); }
Page({});""",
    })
    p = run(root)
    check(p.returncode == 0, 'runs', p)
    check(lines_with(p.stdout, 'REQ') == ['AB utils/a.js true 2'], 'CommonJS', p)
    check(lines_with(p.stdout, 'OUTSIDE')[0].startswith('TypeError'), 'nothing outside the package', p)
    check(lines_with(p.stdout, 'MISSING')[0] == 'TypeError', 'a missing module', p)


# ---- wx.authorize / getSetting ----

@test
def authorize_and_settings():
    root = package({
        'pages/index/index.js': """
Page({
  async onLoad() {
    const before = await wx.getSetting();
    console.log('BEFORE', JSON.stringify(before.authSetting));
    const cam = await wx.authorize({ scope: 'scope.camera' }).then((r) => r.errMsg, (r) => r.errMsg);
    const mic = await wx.authorize({ scope: 'scope.record' }).then((r) => r.errMsg, (r) => r.errMsg);
    const bad = await wx.authorize({ scope: 'scope.userLocation' }).then((r) => r.errMsg, (r) => r.errMsg);
    const after = await wx.getSetting();
    console.log('AUTH', cam, mic, JSON.stringify(after.authSetting));
    console.log('BAD', bad);
    wx.openSetting({ success: (r) => { console.log('OPEN', r.errMsg, JSON.stringify(r.authSetting)); this.setData({ done: true }); } });
  },
});""",
        'pages/index/index.wxml': '<view id="done" wx:if="{{done}}"/>',
    })
    p = run(root, '--grant', 'camera', '--wait-for', '#done')
    check(p.returncode == 0, 'runs', p)
    check(lines_with(p.stdout, 'BEFORE') == ['{}'], 'nothing asked yet', p)
    check(lines_with(p.stdout, 'AUTH') == ['authorize:ok authorize:fail auth deny {"scope.camera":true,"scope.record":false}'],
          'the grants', p)
    check(lines_with(p.stdout, 'BAD')[0].startswith("authorize:fail invalid scope 'scope.userLocation'"), 'bad scope', p)
    check(lines_with(p.stdout, 'OPEN') == ['openSetting:ok {"scope.camera":true,"scope.record":false}'], 'openSetting', p)


# ---- broken packages ----

@test
def broken_app_json():
    root = package({'app.json': '{\n  "pages": ["pages/index/index",]\n}'})
    p = run(root)
    check(p.returncode == 1 and 'app.json:2:' in p.stderr, 'file:line:column', p)
    root = package({}, app_json={'pages': ['pages/index/index', 'pages/gone/gone']})
    p = run(root)
    check(p.returncode == 1 and 'pages/gone/gone' in p.stderr, 'a page listed but missing', p)


@test
def errors_in_app_code_have_file_and_line():
    root = package({'pages/index/index.js': "Page({\n  onLoad() {\n    let x = ;\n  },\n});"})
    p = run(root)
    check(p.returncode == 1 and 'pages/index/index.js:3' in p.stderr and 'SyntaxError' in p.stderr, 'a syntax error', p)
    root = package({'app.js': "\n\nthrow new RangeError('at start');"})
    p = run(root)
    check(p.returncode == 1 and 'RangeError: at start' in p.stderr and 'app.js:3' in p.stderr, 'a throw in app.js', p)
    root = package({'app.js': "App({ onError(m) { console.log('ONERROR', m.split('\\n')[0]); } });",
                    'pages/index/index.js': "Page({\n  onLoad() {\n    null.x;\n  },\n});",
                    'pages/index/index.wxml': '<view id="alive"/>'})
    p = run(root, '--wait-for', '#alive')
    check(p.returncode == 0 and 'pages/index/index.js:3' in p.stderr, 'a runtime error in onLoad is reported', p)
    check(lines_with(p.stdout, 'ONERROR')[0].startswith('TypeError'), 'App.onError hears of it', p)
    root = package({'pages/index/index.js': "// nothing"})
    p = run(root)
    check(p.returncode == 1 and 'pages/index/index.js did not call Page()' in p.stderr, 'no Page()', p)
    root = package({'app.js': None})
    p = run(root)
    check(p.returncode == 1 and 'app.js' in p.stderr, 'no app.js', p)


@test
def broken_wxml_has_file_line_column():
    root = package({'pages/index/index.wxml': '<view>\n  <text>{{ a + }}</text>\n</view>'})
    p = run(root)
    check(p.returncode == 1 and 'pages/index/index.wxml:2:' in p.stderr and 'bad binding' in p.stderr, 'a bad binding', p)
    root = package({'pages/index/index.wxml': '<view>\n  <text>open\n</view>'})
    p = run(root)
    check(p.returncode == 1 and 'pages/index/index.wxml:3:1: </view> does not close <text>' in p.stderr, 'a bad tag', p)


@test
def usage():
    for args in [('run',), ('run', '/nonexistent'), ('run', TMP, '--size', '10'), ('run', TMP, '--input', 'noequals'),
                 ('run', TMP, '--bogus'), ('run', TMP, '--duration', 'x'), ('run', TMP, '--grant', 'location'),
                 ('run', TMP, '--auto-port', 'x'), ('run', TMP, '--auto-port', '70000'), ('run', TMP, '--auto-port', '-1')]:
        p = subprocess.run([MPRTC, *args], capture_output=True, text=True, timeout=30)
        check(p.returncode == 2 and p.stderr.strip(), f'usage error for {args}', p)
    p = subprocess.run([MPRTC, '--help'], capture_output=True, text=True)
    check('run DIR' in p.stdout and '--dump-view' in p.stdout, 'help tells of run', p)
    check('--auto-port N' in p.stdout and 'Origin' in p.stdout, 'help tells who may drive --auto-port', p)
    # A port that cannot be had: said, exit 1.
    root = package({})
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        p = subprocess.run([MPRTC, 'run', root, '--auto-port', str(taken.getsockname()[1])], capture_output=True, text=True,
                           timeout=30)
    check(p.returncode == 1 and 'cannot listen on 127.0.0.1:' in p.stderr, 'a port in use', p)


@test
def duration_and_timeout():
    """--duration is how long the run lasts; --timeout only bounds the steps."""
    root = package({'pages/index/index.wxml': '<view id="here"/>'})
    for option in ('--duration', '--timeout'):
        p = subprocess.run([MPRTC, 'run', root, option, '1', '--wait-for', '#never'], capture_output=True, text=True,
                           timeout=60)
        check(p.returncode == 124 and f'{option} passed while still at --wait-for #never' in p.stderr,
              f'{option} passing first exits 124', p)
    started = time.monotonic()
    p = subprocess.run([MPRTC, 'run', root, '--duration', '1.5', '--wait-for', '#here'], capture_output=True,
                       text=True, timeout=60)
    held = time.monotonic() - started
    check(p.returncode == 0 and held >= 1.5, f'--duration holds the run open ({held:.2f} s)', p)
    started = time.monotonic()
    p = subprocess.run([MPRTC, 'run', root, '--timeout', '20', '--wait-for', '#here'], capture_output=True,
                       text=True, timeout=60)
    took = time.monotonic() - started
    check(p.returncode == 0 and took < 10, f'--timeout does not ({took:.2f} s)', p)


if __name__ == '__main__':
    import mp
    mp.main()
