// `mprtc run DIR --auto-port 0` for the automation tests (tests/automation): started, then
// resolved once it prints where it serves; stopped through the client's close().
import { spawn } from 'node:child_process';
import readline from 'node:readline';

// Resolves with {child, stdout, stderr, exited, endpoint, port}. env: more environment.
export function startRun(mprtcPath, dir, args = [], env = {}) {
  const child = spawn(mprtcPath, ['run', dir, '--auto-port', '0', '--timeout', '60', ...args],
                      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const run = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { run.stdout += d; });
  run.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      run.stderr += line + '\n';
      const m = /automation on (ws:\/\/127\.0\.0\.1:(\d+))/.exec(line);
      if (m) resolve(Object.assign(run, { endpoint: m[1], port: Number(m[2]) }));
    });
    run.exited.then((code) => reject(new Error(`mprtc run exited (${code}) before serving:\n${run.stderr}`)));
  });
}

// Closes the client mp (when there is one), then waits for the run to end (killed after
// waitMs); run.code is its exit status.
export async function stopRun(run, mp, waitMs) {
  try {
    if (mp) await mp.close();
  } finally {
    const timer = setTimeout(() => run.child.kill('SIGKILL'), waitMs);
    run.code = await run.exited;
    clearTimeout(timer);
  }
  return run;
}
