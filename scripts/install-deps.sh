#!/usr/bin/env bash
# Install the Debian packages pymon needs to build, test and demo, skipping
# the ones already present (no apt-get update when nothing is missing).
set -euo pipefail

gcc_major=$( (gcc -dumpversion 2>/dev/null || echo 12) | cut -d. -f1)
packages=(
  # build
  cmake make gcc g++ pkg-config "gcc-${gcc_major}-plugin-dev"
  clang clang-14 libclang-14-dev llvm-14-dev
  libsqlite3-dev libjansson-dev libcurl4-openssl-dev
  libmicrohttpd-dev libpq-dev
  # tests: the sqlite3 shell, servers, real frameworks, a browser, valgrind
  sqlite3 curl python3 postgresql check libcmocka-dev libcunit1-dev
  libcriterion-dev libglib2.0-dev chromium libxml2-utils autoconf automake libtool
  valgrind
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null
