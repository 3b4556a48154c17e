# Shared by the benchmark scripts in bench/: runs NAME.js in mprtc and NAME-page.js in headless
# Chromium in the same run and prints a table of the rows given.
#   side_by_side NAME TITLE ROW...   with ROW = "label|jsonKey|format" (format: python, e.g. {:.1f},
#                                    or k for thousands)
# BENCH_MPRTC_ARGS: more arguments for `mprtc exec` (bench/media grants the camera).
# BENCH_MPRTC_CMD: the whole mprtc command instead of `mprtc exec bench/NAME.js` (bench/view runs
# a mini-program with `mprtc run`); it prints "BENCH <json>" on stdout.
# Installs Debian's chromium and playwright-core (npm) when missing; MPRTC_BENCH_NO_CHROMIUM=1
# skips the Chromium column.
set -euo pipefail

side_by_side() {
  local name=$1 title=$2
  shift 2
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  [ -x build/mprtc ] || bash scripts/setup.sh >/dev/null
  ninja -C build >/dev/null

  echo "bench/$name: mprtc ..." >&2
  local mprtc_json chromium_json=null
  # The bench scripts share tests/js/lib with the tests (--root .) and read the SDK's figures
  # through the test surface (--testing).
  # shellcheck disable=SC2086 # split on purpose
  if [ -n "${BENCH_MPRTC_CMD:-}" ]; then
    # shellcheck disable=SC2086 # split on purpose
    mprtc_json=$($BENCH_MPRTC_CMD | sed -n 's/^BENCH //p')
  else
    mprtc_json=$(build/mprtc exec "bench/$name.js" --root . --testing ${BENCH_MPRTC_ARGS:-} | sed -n 's/^BENCH //p')
  fi

  if [ "${MPRTC_BENCH_NO_CHROMIUM:-}" != 1 ]; then
    if [ ! -x /usr/bin/chromium ]; then
      echo "bench/$name: installing chromium ..." >&2
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
    fi
    if [ ! -d bench/node_modules/playwright-core ]; then
      echo "bench/$name: installing playwright-core ..." >&2
      npm install --prefix bench --no-save --no-audit --no-fund playwright-core >/dev/null 2>&1
    fi
    echo "bench/$name: chromium ..." >&2
    chromium_json=$(node bench/chromium.mjs "bench/$name-page.js" | sed -n 's/^BENCH //p')
  fi
  python3 bench/lib/table.py "$title" "$mprtc_json" "$chromium_json" "$@"
}
