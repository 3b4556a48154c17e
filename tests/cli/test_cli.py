#!/usr/bin/env python3
"""The mprtc command line as a user drives it: exit codes, error reports with stacks, timeouts.

Usage: test_cli.py PATH/TO/mprtc   (prints TAP; meson runs it)
"""
import os
import re
import subprocess
import sys
import tempfile

MPRTC = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TMP = tempfile.mkdtemp(prefix='mprtc-cli-')
tests = []


def test(fn):
    tests.append(fn)
    return fn


def script(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def mprtc(*args, timeout=60):
    return subprocess.run([MPRTC, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=TMP)


def check(cond, what, proc=None):
    if not cond:
        detail = ''
        if proc is not None:
            detail = f'\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}'
        raise AssertionError(what + detail)


@test
def help_and_version():
    p = mprtc('--help')
    check(p.returncode == 0 and 'exec FILE.js' in p.stdout and '--timeout' in p.stdout, 'help', p)
    p = mprtc('--version')
    check(p.returncode == 0 and re.fullmatch(r'mprtc \d+\.\d+\.\d+\n', p.stdout), 'version', p)


@test
def usage_errors_exit_2():
    for args in [(), ('frobnicate',), ('exec',), ('exec', 'a.js', '--timeout', 'soon'),
                 ('exec', 'a.js', '--timeout', '-1'), ('exec', 'a.js', '--bogus'),
                 ('exec', 'a.js', 'b.js')]:
        p = mprtc(*args)
        check(p.returncode == 2 and p.stderr.strip(), f'usage error for {args}', p)
    ok = script('ok.js', '')
    p = mprtc('exec', ok, '--app', 'bad app id')
    check(p.returncode == 2 and 'bad app id' in p.stderr, 'bad --app', p)


@test
def missing_file_exits_1():
    p = mprtc('exec', os.path.join(TMP, 'nope.js'))
    check(p.returncode == 1 and 'nope.js' in p.stderr, 'missing file', p)


@test
def example_runs_with_globals_and_webrtc():
    p = mprtc('exec', os.path.join(ROOT, 'examples', 'hello.js'), '--timeout', '30')
    check(p.returncode == 0, 'example exit', p)
    for needle in ['event: greet', 'DOMException: InvalidStateError 11 true', 'microtask ran',
                   'b received: hello over WebRTC', 'a received: hello back, as bytes']:
        check(needle in p.stdout, f'example prints {needle!r}', p)
    check(p.stderr == '', 'example prints nothing on stderr', p)


@test
def top_level_throw_prints_stack_and_exits_1():
    path = script('throws.js', 'const x = 1;\nfunction inner() {\n  throw new Error("boom");\n}\nfunction outer() { inner(); }\nouter();\n')
    p = mprtc('exec', path)
    check(p.returncode == 1, 'exit 1', p)
    check('Uncaught Error: boom' in p.stderr, 'error line', p)
    check(re.search(r'at inner \(.*throws\.js:3:\d+\)', p.stderr), 'inner frame with file:line', p)
    check(re.search(r'at outer \(.*throws\.js:5:\d+\)', p.stderr), 'outer frame with file:line', p)
    check('mprtc:baselib' not in p.stderr, 'no base-library frames', p)


@test
def rejection_after_await_exits_1():
    path = script('rejects.js', 'await null;\nawait mprtc.bridge.ping();\n\nthrow new TypeError("late");\n')
    p = mprtc('exec', path, '--testing')
    check(p.returncode == 1 and 'Uncaught TypeError: late' in p.stderr, 'rejection reported', p)
    check(re.search(r'rejects\.js:4', p.stderr), 'file:line of the throw', p)


@test
def failed_bridge_call_exits_1_with_domexception():
    path = script('bridge-fail.js', 'await mprtc.bridge.call("No.such");\n')
    p = mprtc('exec', path, '--testing')
    check(p.returncode == 1 and "NotSupportedError: unknown method 'No.such'" in p.stderr, 'reported', p)


@test
def syntax_error_exits_1_with_location():
    path = script('syntax.js', 'const a = 1;\nconst b = ;\n')
    p = mprtc('exec', path)
    check(p.returncode == 1 and 'SyntaxError' in p.stderr, 'SyntaxError', p)
    check(re.search(r'syntax\.js:2', p.stderr), 'file:line', p)


@test
def non_error_throw_exits_1():
    p = mprtc('exec', script('str.js', 'throw "just a string";\n'))
    check(p.returncode == 1 and "Uncaught 'just a string'" in p.stderr, 'thrown string', p)
    p = mprtc('exec', script('obj.js', 'throw { code: 7 };\n'))
    check(p.returncode == 1 and 'Uncaught { code: 7 }' in p.stderr, 'thrown object', p)


@test
def callback_errors_are_reported_and_do_not_stop_the_runtime():
    path = script('callbacks.js', '''
await new Promise((resolve) => {
  setTimeout(function fromTimer() { throw new Error("timer failed"); }, 0);
  setTimeout(resolve, 0);
});
const target = new EventTarget();
target.addEventListener("x", function listener() { throw new RangeError("listener failed"); });
target.addEventListener("x", () => console.log("second listener ran"));
target.dispatchEvent(new Event("x"));
Promise.reject(new Error("nobody handles this"));
await new Promise((resolve) => setTimeout(resolve, 0));
queueMicrotask(() => { throw new SyntaxError("microtask failed"); });
await new Promise((resolve) => setTimeout(resolve, 0));
console.log("still alive");
''')
    p = mprtc('exec', path)
    check(p.returncode == 0, 'exit 0', p)
    check('still alive' in p.stdout and 'second listener ran' in p.stdout, 'kept running', p)
    check(re.search(r'Uncaught Error: timer failed\n\s+at fromTimer \(.*callbacks\.js:3', p.stderr), 'timer error with stack', p)
    check(re.search(r'Uncaught RangeError: listener failed\n\s+at listener \(.*callbacks\.js:7', p.stderr), 'listener error with stack', p)
    check(re.search(r'Uncaught \(in promise\) Error: nobody handles this\n\s+at .*callbacks\.js:10', p.stderr), 'unhandled rejection with stack', p)
    check('Uncaught SyntaxError: microtask failed' in p.stderr, 'microtask error', p)


@test
def handled_rejections_are_not_reported():
    path = script('handled.js', 'const p = Promise.reject(new Error("handled later"));\np.catch(() => {});\nawait new Promise((r) => setTimeout(r, 0));\n')
    p = mprtc('exec', path)
    check(p.returncode == 0 and p.stderr == '', 'no report', p)


@test
def exits_when_the_module_settles_even_with_timers_pending():
    path = script('pending.js', 'setTimeout(() => console.log("never"), 60000);\nsetInterval(() => {}, 1);\nconsole.log("main done");\n')
    p = mprtc('exec', path, timeout=30)
    check(p.returncode == 0 and p.stdout == 'main done\n', 'settled', p)


@test
def timeout_exits_124():
    path = script('forever.js', 'await new Promise(() => {});\n')
    p = mprtc('exec', path, '--timeout', '0.5')
    check(p.returncode == 124 and 'timed out after 0.5 s' in p.stderr, 'pending forever', p)


@test
def timeout_stops_a_busy_loop():
    path = script('busy.js', 'console.log("spinning");\nwhile (true) {}\n')
    p = mprtc('exec', path, '--timeout', '0.5')
    check(p.returncode == 124 and p.stdout == 'spinning\n', 'busy loop stopped', p)
    check('did not stop' not in p.stderr, 'stopped by the watchdog, not the exit fallback', p)


@test
def console_formatting_matches_the_reference():
    fixtures = os.path.join(ROOT, 'tests', 'js', 'fixtures')
    p = mprtc('exec', os.path.join(fixtures, 'console-output.js'))
    with open(os.path.join(fixtures, 'console-output.stdout'), encoding='utf-8') as f:
        want_out = f.read()
    with open(os.path.join(fixtures, 'console-output.stderr'), encoding='utf-8') as f:
        want_err = f.read()
    check(p.returncode == 0, 'exit 0', p)
    for name, got, want in [('stdout', p.stdout, want_out), ('stderr', p.stderr, want_err)]:
        if got != want:
            import difflib
            diff = ''.join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), 'want', 'got'))
            raise AssertionError(f'{name} differs from tests/js/fixtures/console-output.{name}:\n{diff}')


@test
def script_arguments():
    path = script('args.js', 'console.log(JSON.stringify(mprtc.args));\n')
    p = mprtc('exec', path, '--timeout', '30', '--', 'one', 'two words', '--not-an-option')
    check(p.returncode == 0 and p.stdout == '["one","two words","--not-an-option"]\n', 'args after --', p)
    p = mprtc('exec', path)
    check(p.returncode == 0 and p.stdout == '[]\n', 'no args', p)


@test
def console_streams():
    path = script('streams.js', 'console.log("to out");\nconsole.info("info");\nconsole.warn("to err");\nconsole.error("err %d", 5);\nconsole.debug({ a: [1, { b: 2 }] });\n')
    p = mprtc('exec', path)
    check(p.stdout == "to out\ninfo\n{ a: [ 1, { b: 2 } ] }\n", 'stdout', p)
    check(p.stderr == 'to err\nerr 5\n', 'stderr', p)


@test
def no_test_surface_without_testing():
    path = script('surface.js', 'console.log(typeof mprtc.bridge, Object.keys(mprtc.host).length);\n')
    p = mprtc('exec', path)
    check(p.returncode == 0 and p.stdout == 'undefined 0\n', 'no mprtc.bridge by default', p)
    p = mprtc('exec', path, '--testing')
    check(p.returncode == 0 and p.stdout == 'object 0\n', 'mprtc.bridge with --testing', p)


PACKAGE_MAIN = """const { value } = await import('./lib/inside.js');
console.log(value);
for (const spec of ['../outside.js', './lib/../../outside.js', '/etc/hostname', './lib/link.js', 'file:///etc/passwd']) {
  try {
    await import(spec);
    console.log('loaded', spec);
  } catch (e) {
    console.log(e.name + ': ' + e.message);
  }
}
"""


@test
def an_app_loads_only_files_of_its_package():
    pkg = os.path.join(TMP, 'pkg')
    os.makedirs(os.path.join(pkg, 'lib'), exist_ok=True)
    script('outside.js', 'export const secret = 42;\n')
    script(os.path.join('pkg', 'lib', 'inside.js'), 'export const value = "inside";\n')
    link = os.path.join(pkg, 'lib', 'link.js')
    if not os.path.lexists(link):
        os.symlink(os.path.join(TMP, 'outside.js'), link)
    main_js = script(os.path.join('pkg', 'main.js'), PACKAGE_MAIN)
    p = mprtc('exec', main_js)
    check(p.returncode == 0, 'exit 0', p)
    lines = p.stdout.splitlines()
    check(lines[0] == 'inside', 'a file of the package loads', p)
    check(not any(line.startswith('loaded') for line in lines), 'nothing outside loads', p)
    check(len(lines) == 6 and all(line.startswith('TypeError: ') and 'outside the app' in line for line in lines[1:]),
          'each is a TypeError saying so', p)
    for needle in ['/outside.js', '/etc/hostname', 'link.js', '/etc/passwd']:
        check(needle in p.stdout, f'the error names {needle}', p)
    # With --root the package is wider; a FILE outside it is a usage error.
    p = mprtc('exec', main_js, '--root', TMP)
    check(p.returncode == 0 and 'loaded ../outside.js' in p.stdout, '--root widens the package', p)
    p = mprtc('exec', os.path.join(TMP, 'outside.js'), '--root', pkg)
    check(p.returncode == 2 and 'outside the package root' in p.stderr, 'FILE outside --root', p)


def main():
    print('TAP version 13')
    print(f'1..{len(tests)}')
    failed = 0
    for i, fn in enumerate(tests, 1):
        name = fn.__name__.replace('_', ' ')
        try:
            fn()
            print(f'ok {i} - {name}')
        except Exception as e:  # noqa: BLE001 - every failure is reported as TAP
            failed += 1
            print(f'not ok {i} - {name}')
            for line in str(e).splitlines():
                print('  # ' + line)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
