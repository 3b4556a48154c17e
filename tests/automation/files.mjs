// Automation of the file calls: miniprogram-automator 0.12.1 (installed into
// tests/automation/node_modules when missing) drives `mprtc run --auto-port 0` on a package of the
// test's own: wx.chooseMessageFile and wx.getFileSystemManager called through callWxMethod, and
// stood in for by mockWxMethod (a result, a function around this.origin) until restoreWxMethod,
// as a developer tests a page that picks and reads files without a user. Prints TAP.
//
// Usage: node tests/automation/files.mjs PATH/TO/mprtc
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRun as startRunOf, stopRun } from '../support/mprtc-run.mjs';
import { npmPackages } from '../support/npm-package.mjs';
import { equal, run as runTests, test } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const mprtcPath = path.resolve(process.argv[2] ?? path.join(root, 'build', 'mprtc'));
const WAIT_MS = 30000;

// The folder's packages as run.mjs asks for them: an install of fewer would remove the others.
const { 'miniprogram-automator': automator } = await npmPackages(here, {
  'miniprogram-automator': 'miniprogram-automator@0.12.1', ws: 'ws',
});

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-automation-files-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// The page picks a file and reads it, as an app would.
const PAGE_JS = `
const fs = wx.getFileSystemManager();
Page({
  data: { picked: null },
  async pick() {
    const { tempFiles } = await wx.chooseMessageFile({ count: 1, type: 'file' });
    this.setData({ picked: tempFiles[0] });
    return tempFiles;
  },
  pickByCallback() {
    return new Promise((resolve) => wx.chooseMessageFile({ count: 1, success: resolve, fail: resolve }));
  },
  read(path) { return wx.getFileSystemManager().readFileSync(path, 'utf8'); },
});
`;

function writePackage() {
  const dir = path.join(work, 'package');
  const files = {
    'app.json': JSON.stringify({ pages: ['pages/index/index'] }),
    'app.js': 'App({});',
    'pages/index/index.js': PAGE_JS,
    'pages/index/index.wxml': '<view id="name">{{picked.name}}</view>',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const startRun = (dir, ...args) => startRunOf(mprtcPath, dir, args, { XDG_DATA_HOME: path.join(work, 'data') });
const stop = (run, mp) => stopRun(run, mp, WAIT_MS);

test('chooseMessageFile and getFileSystemManager through callWxMethod, mockWxMethod and restoreWxMethod', async () => {
  const picked = [path.join(work, 'first.txt'), path.join(work, 'second.txt')];
  fs.writeFileSync(picked[0], 'first file');
  fs.writeFileSync(picked[1], 'second file');
  const run = await startRun(writePackage(), '--choose-file', picked[0], '--choose-file', picked[1]);
  let mp;
  try {
    mp = await automator.connect({ wsEndpoint: run.endpoint });
    const page = await mp.currentPage();

    // The real calls, as a test drives them.
    const chosen = await mp.callWxMethod('chooseMessageFile', { count: 1 });
    equal([chosen.errMsg, chosen.tempFiles.length, chosen.tempFiles[0].name, chosen.tempFiles[0].size],
          ['chooseMessageFile:ok', 1, 'first.txt', 10], 'callWxMethod: the host picked the first file');
    equal(await page.callMethod('read', chosen.tempFiles[0].path), 'first file', 'the page reads it');
    equal(await mp.callWxMethod('getFileSystemManager'), {}, 'callWxMethod returns the manager (as JSON: no data)');

    // A result stands in for the picker: the page's own call gets it, and no file is asked of the host.
    const fake = [{ path: 'wxfile://tmp_fake.txt', size: 3, name: 'fake.txt', type: 'file', time: 1 }];
    await mp.mockWxMethod('chooseMessageFile', { errMsg: 'chooseMessageFile:ok', tempFiles: fake });
    equal(await page.callMethod('pick'), fake, 'mockWxMethod with a result: the promise form');
    equal((await page.callMethod('pickByCallback')).tempFiles, fake, 'and the callback form');
    equal(await (await page.$('#name')).text(), 'fake.txt', 'the page shows what the mock gave');

    // A function around the real call.
    await mp.mockWxMethod('chooseMessageFile', async function (options) {
      const res = await this.origin(options);
      return { ...res, tempFiles: res.tempFiles.map((f) => ({ ...f, name: `wrapped ${f.name}` })) };
    });
    const wrapped = await page.callMethod('pick');
    equal([wrapped[0].name, wrapped[0].size], ['wrapped second.txt', 11], 'mockWxMethod around this.origin: the host\'s second file');
    equal(await page.callMethod('read', wrapped[0].path), 'second file', 'the real temp file behind it');

    // A manager that reads what the test says.
    await mp.mockWxMethod('getFileSystemManager', function () {
      const real = this.origin();
      return { ...real, readFileSync: (p) => `mocked ${p}` };
    });
    equal(await page.callMethod('read', 'wxfile://usr/x'), 'mocked wxfile://usr/x', 'mockWxMethod of getFileSystemManager');

    await mp.restoreWxMethod('getFileSystemManager');
    await mp.restoreWxMethod('chooseMessageFile');
    const afterRestore = await page.callMethod('pickByCallback');
    equal(afterRestore.errMsg, 'chooseMessageFile:fail cancel', 'restored: the host has no file left, the user cancels');
    const missing = await page.callMethod('read', 'wxfile://usr/x').then(() => null, (e) => e.message);
    equal(missing, 'readFileSync:fail no such file or directory, open wxfile://usr/x', 'restored: the real manager');
  } finally {
    await stop(run, mp);
  }
  equal(run.code, 0, 'the run ends with 0');
  equal((run.stderr.match(/the user picks/g) ?? []).length, 2, 'the host was asked twice, never for a mocked call');
});

await runTests();
