#!/usr/bin/env python3
"""The wx storage calls through `mprtc run`: values persisting across runs of one app and
invisible to another, the Sync and callback forms with the platform's errors, the 1 MiB and
10 MiB limits with nothing lost, and a write interrupted by kill -9 leaving the old value or the
new one. Each test keeps its storage under a temporary XDG_DATA_HOME.

Usage: test_storage.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mp import MPRTC, TMP, check, lines_with, package, test  # noqa: E402

# A page that runs the step named by its query (?step=...) and then shows #done.
STEPS_JS = r"""
const log = (...a) => console.log('LOG', ...a.map((x) => typeof x === 'string' ? x : JSON.stringify(x)));
const tryIt = (f) => { try { return f(); } catch (e) { return 'THROWS ' + e.message; } };
const steps = {
  write() {
    wx.setStorageSync('obj', { a: [1, 'é'], n: null, when: new Date(0) });
    wx.setStorageSync('text', 'hello');
    wx.setStorageSync('removed', 1);
    wx.removeStorageSync('removed');
    log('INFO', wx.getStorageInfoSync());
  },
  async read() {
    log('OBJ', wx.getStorageSync('obj'));
    log('TEXT', wx.getStorageSync('text'));
    log('REMOVED', wx.getStorageSync('removed'));
    log('ASYNC', await wx.getStorage({ key: 'text' }).catch((e) => e));
    await new Promise((resolve) => wx.getStorage({ key: 'removed', fail: (e) => { log('MISSING', e.errMsg); resolve(); } }));
    log('KEYS', wx.getStorageInfoSync().keys.sort());
  },
  async errors() {
    log('NOKEY', tryIt(() => wx.setStorageSync(undefined, 1)));
    log('NUMKEY', tryIt(() => wx.getStorageSync(5)));
    log('NODATA', tryIt(() => wx.setStorageSync('f', () => 1)));
    wx.setStorage({ key: 7, data: 1, fail: (e) => log('ASYNCFAIL', e.errMsg) });
    await wx.setStorage({ key: 'p', data: 2 }).then((r) => log('PROMISE', r));
    await wx.removeStorage({ key: 'p' });
    await wx.clearStorage();
    log('CLEARED', wx.getStorageInfoSync().keys);
  },
  limits() {
    const mb = 'x'.repeat(1000000);
    wx.setStorageSync('keep', 'old');
    log('BIG', tryIt(() => wx.setStorageSync('keep', 'y'.repeat(1100000))));
    log('KEEP', wx.getStorageSync('keep'));
    let stored = 0;
    for (let i = 0; i < 12; i++) {
      const r = tryIt(() => wx.setStorageSync('k' + i, mb));
      if (r === undefined) stored++;
      else { log('FULL', i, r); break; }
    }
    log('STORED', stored, wx.getStorageInfoSync().currentSize);
  },
  recount() {
    const info = wx.getStorageInfoSync();
    log('RECOUNT', info.keys.length, info.currentSize, wx.getStorageSync('k0').length, wx.getStorageSync('keep'));
  },
  churn() {
    let n = 0;
    const tick = () => {
      wx.setStorageSync('big', (n % 2 ? 'b' : 'a').repeat(900000));
      log('WROTE', ++n);
      setTimeout(tick, 0);
    };
    tick();
  },
  check() {
    const v = wx.getStorageSync('big');
    log('BIG', v.length, v.length ? v[0] : '', v.length ? v.split(v[0]).length - 1 : 0);
  },
};
Page({
  async onLoad(q) {
    await steps[q.step]();
    if (q.step !== 'churn') this.setData({ done: true });
  },
});
"""


def storage_package():
    return package({'pages/index/index.js': STEPS_JS, 'pages/index/index.wxml': '<view wx:if="{{done}}" id="done"/>'})


def run_step(root, data_home, step, app='store-a'):
    env = dict(os.environ, XDG_DATA_HOME=data_home)
    p = subprocess.run([MPRTC, 'run', root, '--app', app, '--page', f'pages/index/index?step={step}', '--timeout', '60',
                        '--wait-for', '#done'], capture_output=True, text=True, timeout=120, env=env)
    check(p.returncode == 0, f'step {step} runs', p)
    return p, {l.split(' ', 1)[0]: l.split(' ', 1)[1] if ' ' in l else '' for l in lines_with(p.stdout, 'LOG')}


def storage_dir(data_home, app):
    return os.path.join(data_home, 'mprtc', 'storage', 'app-' + app)


@test
def values_persist_per_app():
    root, home = storage_package(), tempfile.mkdtemp(prefix='data-', dir=TMP)
    p, out = run_step(root, home, 'write')
    info = json.loads(out['INFO'])
    check(sorted(info['keys']) == ['obj', 'text'] and info['limitSize'] == 10240 and info['currentSize'] == 1,
          f'what is stored: {info}', p)
    p, out = run_step(root, home, 'read')
    check(json.loads(out['OBJ']) == {'a': [1, 'é'], 'n': None, 'when': '1970-01-01T00:00:00.000Z'},
          'the object, as JSON keeps it, in the next run', p)
    check(out['TEXT'] == 'hello' and out['REMOVED'] == '', 'a string; a removed key reads as ""', p)
    check(json.loads(out['ASYNC']) == {'errMsg': 'getStorage:ok', 'data': 'hello'}, 'getStorage', p)
    check(out['MISSING'] == 'getStorage:fail data not found', 'getStorage of nothing fails', p)
    p, out = run_step(root, home, 'read', app='store-b')
    check(out['TEXT'] == '' and json.loads(out['KEYS']) == [], 'another app sees none of it', p)


@test
def bad_arguments_fail_as_on_the_platform():
    root, home = storage_package(), tempfile.mkdtemp(prefix='data-', dir=TMP)
    p, out = run_step(root, home, 'errors')
    check(out['NOKEY'] == 'THROWS setStorageSync:fail parameter error: parameter.key should be String instead of Undefined;',
          'a missing key', p)
    check(out['NUMKEY'] == 'THROWS getStorageSync:fail parameter error: parameter.key should be String instead of Number;',
          'a number for a key', p)
    check(out['NODATA'].startswith('THROWS setStorageSync:fail parameter error: parameter.data'), 'a function', p)
    check(out['ASYNCFAIL'] == 'setStorage:fail parameter error: parameter.key should be String instead of Number;',
          'the callback form', p)
    check(json.loads(out['PROMISE']) == {'errMsg': 'setStorage:ok'}, 'the promise form', p)
    check(json.loads(out['CLEARED']) == [], 'clearStorage', p)


@test
def limits_lose_nothing():
    root, home = storage_package(), tempfile.mkdtemp(prefix='data-', dir=TMP)
    p, out = run_step(root, home, 'limits')
    check(out['BIG'] == 'THROWS setStorageSync:fail exceed storage item max length', 'over 1 MiB a key', p)
    check(out['KEEP'] == 'old', 'the old value stays', p)
    check(out.get('FULL', '').endswith('setStorageSync:fail exceed storage max size 10Mb'), 'over 10 MiB in all', p)
    stored, size = map(int, out['STORED'].split())
    check(stored == 10 and 9766 <= size <= 10240, f'ten keys of a million bytes fit: {stored}, {size} KiB', p)
    p, out = run_step(root, home, 'recount')
    check(out['RECOUNT'] == f'11 {size} 1000000 old', 'all of it in the next run: ' + out['RECOUNT'], p)


@test
def kill_mid_write_leaves_old_or_new():
    root, home = storage_package(), tempfile.mkdtemp(prefix='data-', dir=TMP)
    env = dict(os.environ, XDG_DATA_HOME=home)
    for attempt in range(3):
        proc = subprocess.Popen([MPRTC, 'run', root, '--app', 'churn', '--page', 'pages/index/index?step=churn',
                                 '--duration', '60'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        writes = 0
        deadline = time.monotonic() + 30
        while writes < 5 + 3 * attempt and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if 'WROTE' in line:
                writes += 1
        # Whenever it lands: before, during or after a write.
        time.sleep(0.003 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(writes >= 5, f'the app was writing ({writes} writes)')
        p, out = run_step(root, home, 'check', app='churn')
        length, first, count = out['BIG'].split()
        check(length == '900000' and first in ('a', 'b') and count == '900000',
              f'a whole value, the old or the new: {out["BIG"]}', p)
        leftovers = [n for n in os.listdir(storage_dir(home, 'churn')) if not n.endswith('.entry')]
        check(leftovers == [], f'the next run cleared what the kill left: {leftovers}', p)


if __name__ == '__main__':
    import mp
    mp.main()
