#!/usr/bin/env python3
"""The app's files through `mprtc run`: wx.env.USER_DATA_PATH, every call of
wx.getFileSystemManager() in its Sync and callback forms with what it does on disk, each of the
platform's errors (errMsg and errno), paths that try to leave the app's areas (`..`, symbolic
links, other schemes), the 200 MiB limit, the package read-only, files persisting per app, and
wx.chooseMessageFile answered by `--choose-file` (temp files, gone after the run) or cancelled.
Each test keeps its files under a temporary XDG_DATA_HOME.

Usage: test_files.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mp import MPRTC, TMP, check, lines_with, main, package, test  # noqa: E402

# A page that runs the step named by its query (?step=...), then shows #done. Each LOG line is a
# key and a JSON value.
STEPS_JS = r"""
const fs = wx.getFileSystemManager();
const U = wx.env.USER_DATA_PATH;
const log = (key, value) => console.log('LOG', key, JSON.stringify(value === undefined ? null : value));
const sync = (f) => { try { return { ok: f() ?? null }; } catch (e) { return { errMsg: e.message, errno: e.errno ?? null }; } };
// An async call as the page sees it: what it returned, and the one of success/fail it got.
const call = (method, options) => new Promise((resolve) => {
  let settled = null;
  const returned = fs[method]({ ...options, success: (r) => { settled = r; }, fail: (r) => { settled = r; },
                                complete: (r) => resolve({ returned: returned ?? null, res: settled, same: r === settled }) });
});
const hex = (ab) => Array.from(new Uint8Array(ab), (b) => b.toString(16).padStart(2, '0')).join('');
const steps = {
  sync() {
    log('ENV', [U, Object.isFrozen(wx.env), fs === wx.getFileSystemManager()]);
    log('WRITE', sync(() => fs.writeFileSync(`${U}/a.txt`, 'héllo', 'utf8')));
    log('READ', sync(() => fs.readFileSync(`${U}/a.txt`, 'utf8')));
    log('BYTES', sync(() => hex(fs.readFileSync(`${U}/a.txt`))));
    log('RANGE', sync(() => fs.readFileSync(`${U}/a.txt`, 'utf8', 1, 2)));
    log('TAIL', sync(() => fs.readFileSync(`${U}/a.txt`, 'latin1', 3)));
    log('APPEND', sync(() => fs.appendFileSync(`${U}/a.txt`, new Uint8Array([0x21, 0x0a]).buffer)));
    log('APPENDED', sync(() => fs.readFileSync(`${U}/a.txt`, 'hex')));
    const encodings = {};
    for (const [enc, text] of [['hex', '00ff10zz'], ['base64', 'AP8Q'], ['latin1', '\u00ff\u0100'], ['ucs2', 'é€'], ['ascii', 'A\u00c1']]) {
      fs.writeFileSync(`${U}/e.bin`, text, enc);
      encodings[enc] = [hex(fs.readFileSync(`${U}/e.bin`)), fs.readFileSync(`${U}/e.bin`, enc)];
    }
    log('ENCODINGS', encodings);
    log('ACCESS', sync(() => fs.accessSync(`${U}/a.txt`)));
    log('MKDIR', sync(() => fs.mkdirSync(`${U}/d/e/f`, true)));
    log('MKDIR_AGAIN', sync(() => fs.mkdirSync(`${U}/d/e/f`, true)));
    log('COPY', sync(() => fs.copyFileSync(`${U}/a.txt`, `${U}/d/e/f/b.txt`)));
    log('RENAME', sync(() => fs.renameSync(`${U}/d/e/f/b.txt`, `${U}/d/c.txt`)));
    log('READDIR', sync(() => fs.readdirSync(`${U}/d`)));
    const st = fs.statSync(`${U}/a.txt`);
    log('STAT', [st.size, st.isFile(), st.isDirectory(), (st.mode & 0o170000) === 0o100000, st.lastModifiedTime > 1e9,
                 Object.keys(st).sort()]);
    log('STATDIR', [fs.statSync(`${U}/d`).isDirectory(), fs.statSync(U).isDirectory()]);
    log('STATTREE', fs.statSync(`${U}/d`, true).map((e) => [e.path, e.stats.isDirectory(), e.stats.size]));
    log('DOTS', sync(() => fs.readFileSync(`${U}/d/./e/../c.txt`, 'utf8')));
    log('UNLINK', sync(() => fs.unlinkSync(`${U}/d/c.txt`)));
    log('RMDIR', sync(() => fs.rmdirSync(`${U}/d`, true)));
    log('LEFT', fs.readdirSync(U));
    log('PACKAGE', [sync(() => JSON.parse(fs.readFileSync('app.json', 'utf8')).pages),
                    sync(() => fs.readFileSync('/app.json', 'utf8').length > 0), sync(() => fs.readdirSync('pages/index'))]);
  },
  errors() {
    fs.writeFileSync(`${U}/f.txt`, 'x');
    fs.mkdirSync(`${U}/full`);
    fs.writeFileSync(`${U}/full/g.txt`, 'y');
    const cases = {
      readMissing: () => fs.readFileSync(`${U}/none`),
      readDir: () => fs.readFileSync(`${U}/full`),
      readClimbs: () => fs.readFileSync(`${U}/../../etc/passwd`),
      readPackageClimbs: () => fs.readFileSync('../../../../etc/passwd'),
      readOtherScheme: () => fs.readFileSync('wxfile://store_abc'),
      readHttp: () => fs.readFileSync('http://usr/f.txt'),
      readNul: () => fs.readFileSync(`${U}/f.txt\u0000x`),
      readPosition: () => fs.readFileSync(`${U}/f.txt`, undefined, 1),
      readLength: () => fs.readFileSync(`${U}/f.txt`, undefined, 0, 2),
      readEncoding: () => fs.readFileSync(`${U}/f.txt`, 'utf-32'),
      readNumber: () => fs.readFileSync(5),
      readBadPosition: () => fs.readFileSync(`${U}/f.txt`, undefined, 0.5),
      readStringLength: () => fs.readFileSync(`${U}/f.txt`, undefined, 0, '1'),
      writeNoParent: () => fs.writeFileSync(`${U}/no/such/dir.txt`, 'x'),
      writeParentFile: () => fs.writeFileSync(`${U}/f.txt/x`, 'x'),
      writePackage: () => fs.writeFileSync('app.json', 'x'),
      writeTemp: () => fs.writeFileSync('wxfile://tmp_abc.txt', 'x'),
      writeOtherScheme: () => fs.writeFileSync('wxfile://store_abc', 'x'),
      writeRoot: () => fs.writeFileSync(U, 'x'),
      writeDir: () => fs.writeFileSync(`${U}/full`, 'x'),
      writeNumber: () => fs.writeFileSync(`${U}/n.txt`, 42),
      writeView: () => fs.writeFileSync(`${U}/n.txt`, new Uint8Array(2)),
      writeBase64: () => fs.writeFileSync(`${U}/n.txt`, '%%%', 'base64'),
      appendMissing: () => fs.appendFileSync(`${U}/none`, 'x'),
      accessMissing: () => fs.accessSync(`${U}/none`),
      statMissing: () => fs.statSync(`${U}/none`),
      statClimbs: () => fs.statSync(`${U}/..`),
      unlinkDir: () => fs.unlinkSync(`${U}/full`),
      unlinkMissing: () => fs.unlinkSync(`${U}/none`),
      unlinkPackage: () => fs.unlinkSync('app.js'),
      mkdirExists: () => fs.mkdirSync(`${U}/full`),
      mkdirRoot: () => fs.mkdirSync(U),
      mkdirNoParent: () => fs.mkdirSync(`${U}/a/b`),
      mkdirOverFile: () => fs.mkdirSync(`${U}/f.txt`, true),
      mkdirPackage: () => fs.mkdirSync('pages/new'),
      rmdirNotEmpty: () => fs.rmdirSync(`${U}/full`),
      rmdirFile: () => fs.rmdirSync(`${U}/f.txt`),
      rmdirMissing: () => fs.rmdirSync(`${U}/none`),
      rmdirRoot: () => fs.rmdirSync(U, true),
      readdirFile: () => fs.readdirSync(`${U}/f.txt`),
      readdirMissing: () => fs.readdirSync(`${U}/none`),
      copyMissing: () => fs.copyFileSync(`${U}/none`, `${U}/x`),
      copyToPackage: () => fs.copyFileSync(`${U}/f.txt`, 'pages/x.txt'),
      copyDir: () => fs.copyFileSync(`${U}/full`, `${U}/x`),
      renameMissing: () => fs.renameSync(`${U}/none`, `${U}/x`),
      renamePackage: () => fs.renameSync('app.js', `${U}/x`),
      renameOut: () => fs.renameSync(`${U}/f.txt`, `${U}/../x`),
    };
    const out = {};
    for (const [name, f] of Object.entries(cases)) out[name] = sync(f);
    log('ERRORS', out);
    log('INTACT', [fs.readFileSync(`${U}/f.txt`, 'utf8'), fs.readdirSync(U), fs.readdirSync(`${U}/full`)]);
  },
  links() {
    // The test made wxfile://usr/out, a link to a folder outside, and wxfile://usr/secret, a link
    // to a file outside.
    log('LINKS', {
      readThrough: sync(() => fs.readFileSync(`${U}/secret`, 'utf8')),
      readInside: sync(() => fs.readFileSync(`${U}/out/s.txt`, 'utf8')),
      listThrough: sync(() => fs.readdirSync(`${U}/out`)),
      writeThrough: sync(() => fs.writeFileSync(`${U}/out/new.txt`, 'x')),
      writeLink: sync(() => fs.writeFileSync(`${U}/secret`, 'x')),
      mkdirThrough: sync(() => fs.mkdirSync(`${U}/out/d`)),
      unlinkThrough: sync(() => fs.unlinkSync(`${U}/out/s.txt`)),
      statLink: sync(() => fs.statSync(`${U}/secret`).size),
    });
  },
  quota() {
    // The test left a file of 199.5 MiB (sparse) in wxfile://usr.
    log('QUOTA', {
      over: sync(() => fs.writeFileSync(`${U}/more.bin`, new ArrayBuffer(1024 * 1024))),
      append: sync(() => fs.appendFileSync(`${U}/big.bin`, new ArrayBuffer(1024 * 1024))),
      under: sync(() => fs.writeFileSync(`${U}/small.bin`, new ArrayBuffer(256 * 1024))),
      replace: sync(() => fs.writeFileSync(`${U}/big.bin`, new ArrayBuffer(1024 * 1024))),
    });
    log('QUOTA_FILES', fs.readdirSync(U).map((n) => [n, fs.statSync(`${U}/${n}`).size]));
  },
  async async() {
    const out = {};
    out.write = await call('writeFile', { filePath: `${U}/q.txt`, data: 'one,' });
    // Queued one after another, as the page called them: the append finds the file written.
    const appended = call('appendFile', { filePath: `${U}/q.txt`, data: 'two' });
    const read = call('readFile', { filePath: `${U}/q.txt`, encoding: 'utf8' });
    out.append = await appended;
    out.read = await read;
    out.readBytes = await call('readFile', { filePath: `${U}/q.txt`, position: 4, length: 3 });
    out.readBytes.res.data = [out.readBytes.res.data instanceof ArrayBuffer, hex(out.readBytes.res.data)];
    out.missing = await call('readFile', { filePath: `${U}/none` });
    out.nul = await call('readFile', { filePath: `${U}/q.txt\u0000` });
    out.badPath = await call('readFile', { filePath: 7 });
    out.noOptions = String(fs.readFile());
    out.access = await call('access', { path: `${U}/q.txt` });
    out.accessMissing = await call('access', { path: `${U}/none` });
    out.mkdir = await call('mkdir', { dirPath: `${U}/x/y`, recursive: true });
    out.copy = await call('copyFile', { srcPath: `${U}/q.txt`, destPath: `${U}/x/y/r.txt` });
    out.rename = await call('rename', { oldPath: `${U}/x/y/r.txt`, newPath: `${U}/x/r.txt` });
    out.readdir = await call('readdir', { dirPath: `${U}/x` });
    out.stat = await call('stat', { path: `${U}/x`, recursive: true });
    out.stat.res.stats = out.stat.res.stats.map((e) => [e.path, e.stats.isFile()]);
    out.md5 = await call('getFileInfo', { filePath: `${U}/q.txt` });
    out.sha1 = await call('getFileInfo', { filePath: `${U}/q.txt`, digestAlgorithm: 'sha1' });
    out.sha256 = await call('getFileInfo', { filePath: `${U}/q.txt`, digestAlgorithm: 'sha256' });
    out.badDigest = await call('getFileInfo', { filePath: `${U}/q.txt`, digestAlgorithm: 'crc' });
    out.infoMissing = await call('getFileInfo', { filePath: `${U}/none` });
    out.unlink = await call('unlink', { filePath: `${U}/x/r.txt` });
    out.rmdir = await call('rmdir', { dirPath: `${U}/x`, recursive: true });
    out.rmdirMissing = await call('rmdir', { dirPath: `${U}/x` });
    // A big file both ways through the bridge's attachments.
    const big = new Uint8Array(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xFF;
    out.bigWrite = await call('writeFile', { filePath: `${U}/big.bin`, data: big.buffer });
    const back = await call('readFile', { filePath: `${U}/big.bin` });
    const same = back.res.data.byteLength === big.length && new Uint8Array(back.res.data).every((b, i) => b === big[i]);
    out.bigRead = [back.res.errMsg, back.res.data.byteLength, same];
    log('ASYNC', out);
  },
  persist() {
    fs.writeFileSync(`${U}/kept.txt`, 'kept');
  },
  check() {
    log('KEPT', sync(() => fs.readFileSync(`${U}/kept.txt`, 'utf8')));
  },
  async choose() {
    const out = {};
    const first = await wx.chooseMessageFile({ count: 1, type: 'file' });
    out.first = first;
    const path = first.tempFiles[0].path;
    out.read = fs.readFileSync(path, 'utf8');
    out.stat = fs.statSync(path).size;
    out.writeTemp = sync(() => fs.writeFileSync(path, 'x'));
    out.appendTemp = sync(() => fs.appendFileSync(path, 'x'));
    out.copy = sync(() => fs.copyFileSync(path, `${U}/copied.txt`));
    // The second answer: by callback, and an image by its name.
    out.second = await new Promise((resolve) => {
      const r = wx.chooseMessageFile({ count: 3, success: (res) => resolve([r ?? null, res]) });
    });
    out.keep = sync(() => fs.renameSync(out.second[1].tempFiles[0].path, `${U}/kept.png`));
    out.tempGone = sync(() => fs.accessSync(out.second[1].tempFiles[0].path));
    out.unlinkTemp = sync(() => fs.unlinkSync(path));
    out.cancel = await wx.chooseMessageFile({ count: 1 }).catch((e) => e);
    out.noCount = await wx.chooseMessageFile({}).catch((e) => e);
    out.badType = await wx.chooseMessageFile({ count: 1, type: 'audio' }).catch((e) => e);
    out.badExtension = await wx.chooseMessageFile({ count: 1, type: 'file', extension: [''] }).catch((e) => e);
    out.kept = [fs.readFileSync(`${U}/copied.txt`, 'utf8'), hex(fs.readFileSync(`${U}/kept.png`))];
    log('CHOOSE', out);
  },
};
Page({
  async onLoad(q) {
    await steps[q.step]();
    this.setData({ done: true });
  },
});
"""


def files_package():
    return package({'pages/index/index.js': STEPS_JS, 'pages/index/index.wxml': '<view wx:if="{{done}}" id="done"/>'})


def run_step(root, data_home, step, app='files-a', *args):
    env = dict(os.environ, XDG_DATA_HOME=data_home)
    p = subprocess.run([MPRTC, 'run', root, '--app', app, '--page', f'pages/index/index?step={step}', '--timeout', '60',
                        '--wait-for', '#done', *args], capture_output=True, text=True, timeout=120, env=env)
    check(p.returncode == 0, f'step {step} runs', p)
    out = {}
    for line in lines_with(p.stdout, 'LOG'):
        key, _, value = line.partition(' ')
        out[key] = json.loads(value)
    return p, out


def usr_dir(data_home, app='files-a'):
    return os.path.join(data_home, 'mprtc', 'files', 'app-' + app, 'usr')


def new_home():
    return tempfile.mkdtemp(prefix='data-', dir=TMP)


def fail(errmsg, errno):
    return {'errMsg': errmsg, 'errno': errno}


@test
def sync_calls_do_what_they_say():
    root, home = files_package(), new_home()
    p, out = run_step(root, home, 'sync')
    check(out['ENV'] == ['wxfile://usr', True, True], f'wx.env and one manager: {out["ENV"]}', p)
    check(out['WRITE'] == {'ok': None} and out['READ'] == {'ok': 'héllo'}, 'utf8 written and read', p)
    check(out['BYTES'] == {'ok': '68c3a96c6c6f'}, 'no encoding: an ArrayBuffer of the bytes', p)
    check(out['RANGE'] == {'ok': 'é'} and out['TAIL'] == {'ok': 'llo'}, f'position and length: {out["RANGE"]} {out["TAIL"]}', p)
    check(out['APPEND'] == {'ok': None} and out['APPENDED'] == {'ok': '68c3a96c6c6f210a'}, 'an ArrayBuffer appended', p)
    check(out['ENCODINGS'] == {'hex': ['00ff10', '00ff10'], 'base64': ['00ff10', 'AP8Q'], 'latin1': ['ff00', '\u00ff\u0000'],
                               'ucs2': ['e900ac20', 'é€'], 'ascii': ['41c1', 'AA']},
          f'each encoding both ways: {out["ENCODINGS"]}', p)
    check(out['ACCESS'] == {'ok': None} and out['MKDIR'] == {'ok': None} and out['MKDIR_AGAIN'] == {'ok': None},
          'access; mkdir recursive, twice', p)
    check(out['COPY'] == {'ok': None} and out['RENAME'] == {'ok': None} and out['READDIR'] == {'ok': ['c.txt', 'e']},
          f'copy, rename, readdir: {out["READDIR"]}', p)
    check(out['STAT'] == [8, True, False, True, True, ['lastAccessedTime', 'lastModifiedTime', 'mode', 'size']],
          f'Stats of a file: {out["STAT"]}', p)
    check(out['STATDIR'] == [True, True], 'Stats of a folder', p)
    tree = out['STATTREE']
    check([e[0] for e in tree] == ['/', '/c.txt', '/e', '/e/f'] and tree[1] == ['/c.txt', False, 8] and tree[2][1],
          f'a recursive stat: every path under it, relative: {tree}', p)
    check(out['DOTS'] == {'ok': 'héllo!\n'}, 'a path with . and .. inside the area', p)
    check(out['UNLINK'] == {'ok': None} and out['RMDIR'] == {'ok': None}, 'unlink, rmdir recursive', p)
    check(sorted(out['LEFT']) == ['a.txt', 'e.bin'], f'what is left: {out["LEFT"]}', p)
    check(out['PACKAGE'] == [{'ok': ['pages/index/index']}, {'ok': True}, {'ok': ['index.js', 'index.wxml']}],
          f'the package is readable: {out["PACKAGE"]}', p)
    usr = usr_dir(home)
    with open(os.path.join(usr, 'a.txt'), 'rb') as f:
        check(f.read() == 'héllo!\n'.encode(), 'on disk, in the app\'s folder', p)


@test
def every_error_as_the_platform_says_it():
    root, home = files_package(), new_home()
    p, out = run_step(root, home, 'errors')
    e = out['ERRORS']
    U = 'wxfile://usr'
    want = {
        'readMissing': fail(f'readFileSync:fail no such file or directory, open {U}/none', 1300002),
        'readDir': fail(f'readFileSync:fail illegal operation on a directory, open {U}/full', 1301003),
        'readClimbs': fail(f'readFileSync:fail permission denied, open {U}/../../etc/passwd', 1300013),
        'readPackageClimbs': fail('readFileSync:fail permission denied, open ../../../../etc/passwd', 1300013),
        'readOtherScheme': fail('readFileSync:fail no such file or directory, open wxfile://store_abc', 1300002),
        'readHttp': fail('readFileSync:fail no such file or directory, open http://usr/f.txt', 1300002),
        'readNul': fail(f'readFileSync:fail Invalid argument, open {U}/f.txt\u0000x', 1300022),
        'readPosition': fail('readFileSync:fail the value of "position" is out of range', 1300022),
        'readLength': fail('readFileSync:fail the value of "length" is out of range', 1300022),
        'readEncoding': {'errMsg': 'readFileSync:fail unknown encoding: utf-32', 'errno': None},
        'readNumber': {'errMsg': 'readFileSync:fail parameter error: parameter.filePath should be String instead of Number;',
                       'errno': None},
        'readBadPosition': fail('readFileSync:fail the value of "position" is out of range', 1300022),
        'readStringLength': {'errMsg': 'readFileSync:fail parameter error: parameter.length should be Number instead of String;',
                             'errno': None},
        'writeNoParent': fail(f'writeFileSync:fail no such file or directory, open {U}/no/such/dir.txt', 1300002),
        'writeParentFile': fail(f'writeFileSync:fail not a directory, open {U}/f.txt/x', 1300020),
        'writePackage': fail('writeFileSync:fail permission denied, open app.json', 1300013),
        'writeTemp': fail('writeFileSync:fail permission denied, open wxfile://tmp_abc.txt', 1300013),
        'writeOtherScheme': fail('writeFileSync:fail permission denied, open wxfile://store_abc', 1300013),
        'writeRoot': fail(f'writeFileSync:fail illegal operation on a directory, open {U}', 1301003),
        'writeDir': fail(f'writeFileSync:fail illegal operation on a directory, open {U}/full', 1301003),
        'writeNumber': {'errMsg': 'writeFileSync:fail parameter error: parameter.data should be String/ArrayBuffer instead of Number;',
                        'errno': None},
        'writeView': {'errMsg': 'writeFileSync:fail parameter error: parameter.data should be String/ArrayBuffer instead of Object;',
                      'errno': None},
        'writeBase64': {'errMsg': 'writeFileSync:fail base64 encode error', 'errno': None},
        'appendMissing': fail(f'appendFileSync:fail no such file or directory, open {U}/none', 1300002),
        'accessMissing': fail(f'accessSync:fail no such file or directory {U}/none', 1300002),
        'statMissing': fail(f'statSync:fail no such file or directory {U}/none', 1300002),
        'statClimbs': fail(f'statSync:fail permission denied, open {U}/..', 1300013),
        'unlinkDir': fail(f'unlinkSync:fail operation not permitted, unlink {U}/full', 1301003),
        'unlinkMissing': fail(f'unlinkSync:fail no such file or directory {U}/none', 1300002),
        'unlinkPackage': fail('unlinkSync:fail permission denied, open app.js', 1300013),
        'mkdirExists': fail(f'mkdirSync:fail file already exists {U}/full', 1301005),
        'mkdirRoot': fail(f'mkdirSync:fail file already exists {U}', 1301005),
        'mkdirNoParent': fail(f'mkdirSync:fail no such file or directory {U}/a/b', 1300002),
        'mkdirOverFile': fail(f'mkdirSync:fail file already exists {U}/f.txt', 1301005),
        'mkdirPackage': fail('mkdirSync:fail permission denied, open pages/new', 1300013),
        'rmdirNotEmpty': fail('rmdirSync:fail directory not empty', 1300066),
        'rmdirFile': fail(f'rmdirSync:fail not a directory {U}/f.txt', 1300020),
        'rmdirMissing': fail(f'rmdirSync:fail no such file or directory {U}/none', 1300002),
        'rmdirRoot': fail(f'rmdirSync:fail permission denied, open {U}', 1300013),
        'readdirFile': fail(f'readdirSync:fail not a directory {U}/f.txt', 1300020),
        'readdirMissing': fail(f'readdirSync:fail no such file or directory {U}/none', 1300002),
        'copyMissing': fail(f'copyFileSync:fail no such file or directory, copyFile {U}/none -> {U}/x', 1300002),
        'copyToPackage': fail(f'copyFileSync:fail permission denied, copyFile {U}/f.txt -> pages/x.txt', 1300013),
        'copyDir': fail(f'copyFileSync:fail illegal operation on a directory, copyFile {U}/full -> {U}/x', 1301003),
        'renameMissing': fail(f'renameSync:fail no such file or directory, rename {U}/none -> {U}/x', 1300002),
        'renamePackage': fail(f'renameSync:fail permission denied, rename app.js -> {U}/x', 1300013),
        'renameOut': fail(f'renameSync:fail permission denied, rename {U}/f.txt -> {U}/../x', 1300013),
    }
    for name, expected in want.items():
        check(e.get(name) == expected, f'{name}: {e.get(name)} (wanted {expected})', p)
    check(set(e) == set(want), f'every case checked: {sorted(set(e) ^ set(want))}', p)
    check(out['INTACT'] == ['x', ['f.txt', 'full'], ['g.txt']], f'nothing changed: {out["INTACT"]}', p)
    check(sorted(os.listdir(usr_dir(home))) == ['f.txt', 'full'], 'nothing else on disk', p)
    check(not os.path.exists(os.path.join(root, 'pages', 'new')) and not os.path.exists(os.path.join(root, 'pages', 'x.txt')),
          'the package is untouched', p)


@test
def links_never_lead_out():
    root, home = files_package(), new_home()
    usr = usr_dir(home)
    os.makedirs(usr)
    outside = tempfile.mkdtemp(prefix='outside-', dir=TMP)
    with open(os.path.join(outside, 's.txt'), 'w') as f:
        f.write('secret')
    os.symlink(outside, os.path.join(usr, 'out'))
    os.symlink(os.path.join(outside, 's.txt'), os.path.join(usr, 'secret'))
    p, out = run_step(root, home, 'links')
    denied = lambda call, path: fail(f'{call}Sync:fail permission denied, open wxfile://usr/{path}', 1300013)  # noqa: E731
    want = {
        'readThrough': denied('readFile', 'secret'), 'readInside': denied('readFile', 'out/s.txt'),
        'listThrough': denied('readdir', 'out'), 'writeThrough': denied('writeFile', 'out/new.txt'),
        'writeLink': denied('writeFile', 'secret'), 'mkdirThrough': denied('mkdir', 'out/d'),
        'unlinkThrough': denied('unlink', 'out/s.txt'), 'statLink': denied('stat', 'secret'),
    }
    for name, expected in want.items():
        check(out['LINKS'][name] == expected, f'{name}: {out["LINKS"][name]}', p)
    check(sorted(os.listdir(outside)) == ['s.txt'], 'nothing made outside', p)
    with open(os.path.join(outside, 's.txt')) as f:
        check(f.read() == 'secret', 'nor changed', p)


@test
def the_200_mib_limit_loses_nothing():
    root, home = files_package(), new_home()
    usr = usr_dir(home)
    os.makedirs(usr)
    with open(os.path.join(usr, 'big.bin'), 'wb') as f:
        f.truncate(199 * 1024 * 1024 + 512 * 1024)  # sparse: no disk used
    p, out = run_step(root, home, 'quota')
    q = out['QUOTA']
    limit = 'the maximum size of the file storage limit is exceeded'
    check(q['over'] == fail(f'writeFileSync:fail {limit}', 1300202), f'a write over the limit: {q["over"]}', p)
    check(q['append'] == fail(f'appendFileSync:fail {limit}', 1300202), 'an append over it', p)
    check(q['under'] == {'ok': None}, 'a write under it', p)
    check(q['replace'] == {'ok': None}, 'replacing a big file with a smaller one', p)
    check(sorted(out['QUOTA_FILES']) == [['big.bin', 1024 * 1024], ['small.bin', 256 * 1024]],
          f'nothing half-written: {out["QUOTA_FILES"]}', p)


@test
def callback_forms_settle_in_order():
    root, home = files_package(), new_home()
    p, out = run_step(root, home, 'async')
    a = out['ASYNC']
    for name in ('write', 'append', 'read', 'access', 'mkdir', 'copy', 'rename', 'readdir', 'unlink', 'rmdir'):
        check(a[name]['returned'] is None and a[name]['same'], f'{name}: returns nothing, complete gets the result', p)
    check(a['write']['res'] == {'errMsg': 'writeFile:ok'} and a['append']['res'] == {'errMsg': 'appendFile:ok'},
          'writeFile, appendFile', p)
    check(a['read']['res'] == {'errMsg': 'readFile:ok', 'data': 'one,two'}, f'read after the append: {a["read"]}', p)
    check(a['readBytes']['res'] == {'errMsg': 'readFile:ok', 'data': [True, '74776f']}, f'a range as bytes: {a["readBytes"]}', p)
    check(a['missing']['res'] == fail('readFile:fail no such file or directory, open wxfile://usr/none', 1300002), 'fail', p)
    check(a['nul']['res'] == fail('readFile:fail Invalid argument, open wxfile://usr/q.txt\u0000', 1300022), f'{a["nul"]}', p)
    check(a['badPath']['res'] == {'errMsg': 'readFile:fail parameter error: parameter.filePath should be String instead of Number;'},
          f'a parameter error through fail: {a["badPath"]}', p)
    check(a['noOptions'] == 'undefined', 'no options: nothing returned, nothing thrown', p)
    check(a['accessMissing']['res'] == fail('access:fail no such file or directory wxfile://usr/none', 1300002), 'access', p)
    check(a['readdir']['res'] == {'errMsg': 'readdir:ok', 'files': ['r.txt', 'y']}, f'readdir: {a["readdir"]}', p)
    check(a['stat']['res'] == {'errMsg': 'stat:ok', 'stats': [['/', False], ['/r.txt', True], ['/y', False]]},
          f'stat recursive: {a["stat"]}', p)
    data = b'one,two'
    for alg in ('md5', 'sha1', 'sha256'):
        check(a[alg]['res'] == {'errMsg': 'getFileInfo:ok', 'size': 7, 'digest': hashlib.new(alg, data).hexdigest()},
              f'getFileInfo {alg}: {a[alg]}', p)
    check(a['badDigest']['res'] == {'errMsg': 'getFileInfo:fail invalid digestAlgorithm "crc"'}, f'{a["badDigest"]}', p)
    check(a['infoMissing']['res'] == fail('getFileInfo:fail file not exist', 1300002), f'{a["infoMissing"]}', p)
    check(a['rmdirMissing']['res'] == fail('rmdir:fail no such file or directory wxfile://usr/x', 1300002), 'rmdir', p)
    check(a['bigWrite']['res'] == {'errMsg': 'writeFile:ok'} and a['bigRead'] == ['readFile:ok', 3 * 1024 * 1024 + 7, True],
          f'3 MiB each way: {a["bigRead"]}', p)
    check(os.path.getsize(os.path.join(usr_dir(home), 'big.bin')) == 3 * 1024 * 1024 + 7, 'on disk', p)


@test
def files_persist_per_app():
    root, home = files_package(), new_home()
    run_step(root, home, 'persist')
    p, out = run_step(root, home, 'check')
    check(out['KEPT'] == {'ok': 'kept'}, 'the next run of the app finds its file', p)
    p, out = run_step(root, home, 'check', 'files-b')
    check(out['KEPT'] == fail('readFileSync:fail no such file or directory, open wxfile://usr/kept.txt', 1300002),
          'another app does not', p)


@test
def choose_message_file_hands_temp_files():
    root, home = files_package(), new_home()
    text = os.path.join(TMP, 'picked.txt')
    with open(text, 'w') as f:
        f.write('picked text')
    image = os.path.join(TMP, 'photo.PNG')
    with open(image, 'wb') as f:
        f.write(b'\x89PNG')
    p, out = run_step(root, home, 'choose', 'files-a', '--choose-file', text, '--choose-file', image)
    c = out['CHOOSE']
    first = c['first']['tempFiles'][0]
    check(c['first']['errMsg'] == 'chooseMessageFile:ok' and len(c['first']['tempFiles']) == 1, f'{c["first"]}', p)
    check(first['path'].startswith('wxfile://tmp_') and first['path'].endswith('.txt') and first['name'] == 'picked.txt'
          and first['size'] == 11 and first['type'] == 'file' and first['time'] == int(os.stat(text).st_mtime),
          f'the temp file: {first}', p)
    check(c['read'] == 'picked text' and c['stat'] == 11, 'readable where it says', p)
    check(c['writeTemp'] == fail(f'writeFileSync:fail permission denied, open {first["path"]}', 1300013)
          and c['appendTemp'] == fail(f'appendFileSync:fail permission denied, open {first["path"]}', 1300013),
          f'read-only: {c["writeTemp"]}', p)
    returned, res = c['second']
    check(returned is None and res['tempFiles'][0]['name'] == 'photo.PNG' and res['tempFiles'][0]['type'] == 'image',
          f'the callback form, an image by its name: {c["second"]}', p)
    check(c['keep'] == {'ok': None} and c['tempGone']['errno'] == 1300002 and c['unlinkTemp'] == {'ok': None},
          'a temp file renamed into usr, another removed', p)
    check(c['cancel'] == {'errMsg': 'chooseMessageFile:fail cancel'}, f'no more files: the user cancels: {c["cancel"]}', p)
    check(c['noCount'] == {'errMsg': 'chooseMessageFile:fail parameter error: parameter.count should be Number instead of Undefined;'},
          f'{c["noCount"]}', p)
    check(c['badType'] == {'errMsg': 'chooseMessageFile:fail parameter error: parameter.type should be one of all, video, image, file;'},
          f'{c["badType"]}', p)
    check(c['badExtension']['errMsg'].startswith('chooseMessageFile:fail parameter error: parameter.extension'), 'extension', p)
    check(c['kept'] == ['picked text', '89504e47'], 'what was kept in usr', p)
    check(p.stderr.count('wx.chooseMessageFile: the user picks') == 2, 'the host was asked for each', p)
    tmp = os.path.join(home, 'mprtc', 'files', 'app-files-a', 'tmp')
    check(os.listdir(tmp) == [], f'the temp files went with the run: {os.listdir(tmp)}', p)
    check(sorted(os.listdir(usr_dir(home))) == ['copied.txt', 'kept.png'], 'usr keeps its files', p)


@test
def a_file_to_choose_must_exist():
    p = subprocess.run([MPRTC, 'run', files_package(), '--choose-file', os.path.join(TMP, 'nothing-here')],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "--choose-file wants a file to pick, and '" in p.stderr, 'a usage error', p)


main()
