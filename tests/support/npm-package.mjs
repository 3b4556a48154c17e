// An npm package the tests drive (playwright-core, miniprogram-automator), installed into the
// node_modules beside the test that needs it when missing, then loaded.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

// dir: the test's folder; name: the package; spec: what npm installs ("name@1.2.3").
export async function npmPackage(dir, name, spec = name) {
  const marker = path.join(dir, 'node_modules', name, 'package.json');
  if (!fs.existsSync(marker)) {
    // On stderr: TAP requires its version line to come first on stdout.
    console.error(`installing ${spec} into ${path.relative(process.cwd(), path.join(dir, 'node_modules')) || 'node_modules'}`);
    const npm = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', spec],
                          { stdio: ['ignore', 2, 2] });
    if (npm.status !== 0) throw new Error(`npm install ${spec} failed (status ${npm.status})`);
  }
  // Both are CommonJS packages: required from that folder.
  return createRequire(path.join(dir, 'noop.js'))(name);
}
