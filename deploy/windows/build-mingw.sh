#!/usr/bin/env bash
# Cross-builds the Windows binaries on Debian 12 with mingw-w64 (the
# windows-mingw CMake preset): winnet_exporter.exe and the unit tests, warnings
# as errors in the project's code. Installs what is missing from Debian's
# packages and fetches civetweb's Debian source package into the build tree.
#   build-mingw.sh [BUILD_DIR]      default: build-mingw in the checkout
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build-mingw}"
bash "$root/deploy/debian/install-deps.sh" windows
cd "$root"
cmake --preset windows-mingw -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
exe="$build/winnet_exporter.exe"
echo "built $exe ($(stat -c %s "$exe") bytes) and $build/tests/winnet_unit_tests.exe"
