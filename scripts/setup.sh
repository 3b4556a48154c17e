#!/usr/bin/env bash
# Installs every Debian 12 package mprtc needs (only when one is missing; `apt-get update` runs
# at most once) and builds build/mprtc. Safe to run again: it does only what is left to do.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  gcc meson ninja-build pkg-config python3
  # logic layer, bridge, SDK
  libglib2.0-dev libjansson-dev libjavascriptcoregtk-4.1-dev libssl-dev
  libgstreamer1.0-dev gstreamer1.0-plugins-base libsoup-3.0-dev
  libgstreamer-plugins-bad1.0-dev gstreamer1.0-plugins-bad gstreamer1.0-nice libnice-dev
  gstreamer1.0-plugins-good
  # view layer: text (pango), painting (cairo), pictures (gdk-pixbuf) and fonts to draw with
  # (Latin, and Chinese: the platform's own words, such as showModal's 取消 / 确定, are Chinese)
  libcairo2-dev libpango1.0-dev libgdk-pixbuf-2.0-dev fonts-dejavu-core fonts-wqy-microhei
  # media: VP8/VP9 (libvpx) in -good, H264 sending (x264) in -ugly
  gstreamer1.0-plugins-ugly
  # sanitizer and fuzzing runs of the test suite
  clang libclang-rt-14-dev
  # test peers: the TURN server of tests/js/turn.test.js
  coturn
  # test devices: the PulseAudio server of tests/js/devices.test.js (microphones plugged in and out)
  pulseaudio pulseaudio-utils
  # test peers: headless Chromium of tests/interop (its playwright-core comes from npm)
  chromium
)
# Node.js and npm drive Chromium. A machine may already have them from elsewhere (nodesource's
# nodejs includes npm and conflicts with Debian's npm package): only install what is absent.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
echo "setup: built build/mprtc"
