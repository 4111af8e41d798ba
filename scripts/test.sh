#!/usr/bin/env bash
# Build everything with -Werror and pass every test; then build the runtime
# with AddressSanitizer and UndefinedBehaviorSanitizer and pass its tests
# again.  This is what CI runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-test}

bash "$root/scripts/install-deps.sh"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYMON_WERROR=ON >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" -j2 --output-on-failure

cmake -S "$root" -B "$build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DPYMON_WERROR=ON \
  -DPYMON_SANITIZE=ON -DPYMON_BUILD_GCC_PLUGIN=OFF -DPYMON_BUILD_CLANG_PLUGIN=OFF \
  -DPYMON_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build-sanitize" -j2
ctest --test-dir "$build-sanitize" -j2 -L "runtime|robustness" --output-on-failure
