#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test; ends with
# ctest's summary. BUILD_DIR overrides the build directory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
bash "$root/deploy/debian/install-deps.sh" test
# civetweb from Debian's source package, built for OpenSSL 3: TLS works and
# its end-to-end checks must run (Debian's libcivetweb cannot load OpenSSL 3).
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNET_CIVETWEB_FROM_SOURCE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# Two tests at a time; the heavy ones (Windows under Wine, sanitizers, fuzzing,
# the slow-client timing) are RUN_SERIAL in tests/CMakeLists.txt.
ctest --output-on-failure --timeout 300 -j2 "$@"
