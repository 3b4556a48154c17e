// The README's five-minute tour, run as it is written: its files (each a `path`: line over a code
// block) are written into a temporary folder, and its commands for them run there: the page
// calls itself and is painted, then the tour's miniprogram-automator script (the package installed
// into tests/readme/node_modules when missing) drives it. Prints TAP.
//
// Usage: node tests/readme/run.mjs PATH/TO/mprtc
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { npmPackages } from '../support/npm-package.mjs';
import { check, equal, run as runTests, test } from '../support/tap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const mprtcPath = path.resolve(process.argv[2] ?? path.join(root, 'build', 'mprtc'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const AUTOMATOR = 'miniprogram-automator@0.12.1';
await npmPackages(here, { 'miniprogram-automator': AUTOMATOR });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mprtc-readme-'));
const files = [...readme.matchAll(/^`([\w./-]+)`:\n```\w*\n([\s\S]*?)```$/gm)];
const shellLines = [...readme.matchAll(/^```sh\n([\s\S]*?)```$/gm)].flatMap((m) => m[1].split('\n'));
// The command of the tour's shell blocks that starts with `start` (build/mprtc is ours).
const command = (start) => {
  const line = shellLines.find((l) => l.startsWith(start));
  check(line, `the README has a command starting with ${start}`);
  return line.replace(/^build\/mprtc /, '').replace(/ &$/, '');
};
// Its words, as a shell splits them (the tour quotes with single quotes only).
const words = (line) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);

test('the tour\'s files', () => {
  const names = files.map((m) => m[1]).sort();
  equal(names, ['my-call/app.js', 'my-call/app.json', 'my-call/pages/index/index.js', 'my-call/pages/index/index.wxml',
                'test-my-call.js'], 'the files');
  for (const [, name, text] of files) {
    fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
});

test('the page calls itself and is painted', () => {
  const args = words(command('build/mprtc run my-call --grant camera,microphone --timeout'));
  const run = spawnSync(mprtcPath, args, { cwd: dir, encoding: 'utf8', timeout: 90000 });
  equal(run.status, 0, `mprtc ${args.join(' ')} exits 0 (stderr: ${run.stderr})`);
  const png = args[args.indexOf('--snapshot') + 1];
  check(fs.readFileSync(path.join(dir, png)).subarray(1, 4).toString() === 'PNG', `${png} is a PNG`);
});

test('miniprogram-automator drives it', async () => {
  check(shellLines.some((l) => l.includes(`npm install ${AUTOMATOR}`)), `the README installs ${AUTOMATOR}`);
  // A free port instead of the tour's: a test must not depend on one.
  const args = words(command('build/mprtc run my-call --grant camera,microphone --auto-port')).map((w) => (w === '9420' ? '0' : w));
  const run = spawn(mprtcPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => run.once('exit', (code) => resolve(code)));
  const port = await new Promise((resolve, reject) => {
    readline.createInterface({ input: run.stderr }).on('line', (line) => {
      const m = /automation on ws:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`mprtc run exited (${code}) before serving`)));
  });
  const script = path.join(dir, 'test-my-call.js');
  const text = fs.readFileSync(script, 'utf8');
  check(text.includes('ws://127.0.0.1:9420'), 'the script connects to the port of the tour');
  fs.writeFileSync(script, text.replace('ws://127.0.0.1:9420', `ws://127.0.0.1:${port}`));
  const node = spawnSync(process.execPath, ['test-my-call.js'], {
    cwd: dir, encoding: 'utf8', timeout: 60000, env: { ...process.env, NODE_PATH: path.join(here, 'node_modules') },
  });
  equal(node.status, 0, `node test-my-call.js exits 0 (stderr: ${node.stderr})`);
  check(/^connected; the remote video shows stream [0-9a-f-]{36}$/m.test(node.stdout), `what it prints: ${node.stdout}`);
  const timer = setTimeout(() => run.kill('SIGKILL'), 20000);
  equal(await exited, 0, 'mprtc run exits 0 after the script\'s close()');
  clearTimeout(timer);
});

process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
await runTests();
