#!/usr/bin/env python3
"""Counts TAP test cases across meson test logs (testlog.json) and plain TAP files, prints each
failure and ends with the line "N passed, N failed".

A test program that failed without reporting a failed case (a crash, a sanitizer report, a
timeout) counts as one failure more.
"""
import json
import re
import sys


def count_tap(text):
    passed = failed = 0
    failures = []
    for line in text.splitlines():
        if re.match(r'^ok \d+', line):
            passed += 1
        elif re.match(r'^not ok \d+', line):
            failed += 1
            failures.append(line)
    return passed, failed, failures


def main(paths):
    passed = failed = 0
    for path in paths:
        if path.endswith('.json'):
            with open(path, encoding='utf-8') as f:
                runs = [json.loads(line) for line in f if line.strip()]
        else:
            with open(path, encoding='utf-8') as f:
                text = f.read()
            runs = [{'name': path, 'stdout': text,
                     'result': 'FAIL' if 'not ok' in text else 'OK'}]
        for run in runs:
            p, fl, failures = count_tap(run.get('stdout') or '')
            if run['result'] not in ('OK', 'EXPECTEDFAIL', 'SKIP') and fl == 0:
                fl = 1
                failures.append(f"{run['result']}: the program itself failed")
            passed += p
            failed += fl
            for f_ in failures:
                print(f"FAILED {path}: {run['name']}: {f_}")
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
