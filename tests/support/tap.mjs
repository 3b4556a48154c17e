// What the Node test programs share (tests/automation, tests/signal): checks that say what they
// expected, a bounded wait for a state, and a TAP runner.
//   test(name, fn); ...; await run();   prints TAP and exits 1 when a test failed
// ONLY=prefix runs the tests whose names start with it.

export function check(cond, what) {
  if (!cond) throw new Error(what);
}

export function equal(got, want, what) {
  const a = JSON.stringify(got), b = JSON.stringify(want);
  if (a !== b) throw new Error(`${what}: got ${a}, want ${b}`);
}

// Polls fn (every 50 ms) until it returns something truthy, which it returns; only a bound for
// what would otherwise hang.
export async function until(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`still waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tests = [];
export function test(name, fn) {
  if (!process.env.ONLY || name.startsWith(process.env.ONLY)) tests.push({ name, fn });
}

export async function run() {
  console.log('TAP version 13');
  console.log(`1..${tests.length}`);
  let failed = 0;
  for (const [i, t] of tests.entries()) {
    try {
      await t.fn();
      console.log(`ok ${i + 1} ${t.name}`);
    } catch (error) {
      failed++;
      console.log(`not ok ${i + 1} ${t.name}`);
      for (const line of String(error.stack ?? error).split('\n')) console.log('# ' + line);
    }
  }
  process.exit(failed ? 1 : 0);
}
