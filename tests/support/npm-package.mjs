// npm packages the tests drive (playwright-core, miniprogram-automator, ws), installed into the
// node_modules beside the test that needs them when missing, then loaded.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

// dir: the test's folder; specs: {name: what npm installs ("name@1.2.3")}. All of a folder's
// packages are installed in one command: `npm install --no-save` removes what it was not given.
export async function npmPackages(dir, specs) {
  const names = Object.keys(specs);
  if (names.some((name) => !fs.existsSync(path.join(dir, 'node_modules', name, 'package.json')))) {
    const list = Object.values(specs);
    // On stderr: TAP requires its version line to come first on stdout.
    console.error(`installing ${list.join(', ')} into ${path.relative(process.cwd(), path.join(dir, 'node_modules')) || 'node_modules'}`);
    const npm = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', ...list],
                          { stdio: ['ignore', 2, 2] });
    if (npm.status !== 0) throw new Error(`npm install ${list.join(' ')} failed (status ${npm.status})`);
  }
  // CommonJS packages: required from that folder.
  const require = createRequire(path.join(dir, 'noop.js'));
  return Object.fromEntries(names.map((name) => [name, require(name)]));
}

export async function npmPackage(dir, name, spec = name) {
  return (await npmPackages(dir, { [name]: spec }))[name];
}
