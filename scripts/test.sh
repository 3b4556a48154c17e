#!/usr/bin/env bash
# Runs the whole test suite: unit, JS and CLI tests on the normal build, the same suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer, and a bounded fuzzing run of the call-
# block decoder. Ends with the line "N passed, N failed" (every TAP test case counted).
#   scripts/test.sh          everything (what CI runs)
#   scripts/test.sh --quick  the normal build only
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

logs=()
status=0
echo "== tests (build/)"
meson test -C build --print-errorlogs || status=1
logs+=(build/meson-logs/testlog.json)

if [ $quick -eq 0 ]; then
  echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
  if [ ! -f build-asan/build.ninja ]; then
    meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug >/dev/null
  fi
  # JavaScriptCore's garbage collector scans stacks conservatively: fake stacks would hide
  # references from it, so use-after-return detection stays off.
  export ASAN_OPTIONS="detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  if ninja -C build-asan; then
    meson test -C build-asan --print-errorlogs --timeout-multiplier 3 || status=1
    logs+=(build-asan/meson-logs/testlog.json)
  else
    status=1
  fi
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

  echo "== fuzzing the call-block decoder (build-fuzz/)"
  if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  fi
  fuzz_log=build-fuzz/fuzz.tap
  mkdir -p build-fuzz
  if ninja -C build-fuzz fuzz/fuzz-codec && mkdir -p build-fuzz/corpus &&
     build-fuzz/fuzz/fuzz-codec -runs=300000 -max_len=4096 -seed=1 build-fuzz/corpus fuzz/corpus \
       >build-fuzz/fuzz.log 2>&1; then
    printf 'TAP version 13\n1..1\nok 1 - fuzz-codec: 300000 runs, no crash\n' >"$fuzz_log"
  else
    tail -30 build-fuzz/fuzz.log
    printf 'TAP version 13\n1..1\nnot ok 1 - fuzz-codec crashed (build-fuzz/fuzz.log)\n' >"$fuzz_log"
    status=1
  fi
  logs+=("$fuzz_log")
fi

python3 tools/count-tests.py "${logs[@]}" || status=1
exit $status
