#!/usr/bin/env bash
# The test suite under the sanitizers, each in its own build tree (clang):
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer: every unit test and the
#         end-to-end tests that run the binary (the deployment checks and the
#         Windows build do not run this code and are left out)
#   tsan  ThreadSanitizer: the tests with threads (poller and its workers, HTTP
#         server, fault injection, hung sources, the writer race)
# Any report fails the run: the sanitizers halt on the first error.
#
#   tests/sanitizers.sh [-n] [-B] [asan|tsan]...   (default: asan tsan)
#     -n  do not build (use the trees as they are)
#     -B  build only
# SANITIZER_BUILD_DIR: where the trees go (default <checkout>/build-sanitizers,
# with asan/ and tsan/ in it). SANITIZER_CXX: the compiler (default clang++;
# SANITIZER_CC the C compiler, default clang).
# SANITIZER_CIVETWEB_SOURCE_DIR: a civetweb source tree; the trees then compile
# civetweb from it, built for OpenSSL 3 (WINNET_CIVETWEB_FROM_SOURCE), so the
# TLS checks run under the sanitizers too (default: Debian's libcivetweb).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=1
run=1
while getopts "nB" opt; do
  case "$opt" in
    n) build=0 ;;
    B) run=0 ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
modes=("$@")
((${#modes[@]})) || modes=(asan tsan)

base="${SANITIZER_BUILD_DIR:-$root/build-sanitizers}"
cxx="${SANITIZER_CXX:-$(command -v clang++ || command -v clang++-14 || true)}"
[[ -n "$cxx" ]] || { echo "sanitizers.sh: clang++ not found (deploy/debian/install-deps.sh test installs it)" >&2; exit 2; }

# The tests with threads, for ThreadSanitizer.
tsan_filter='Poller*:Http*:FaultInjection*:HungSources*:StateFileRace*:HostilePoll*:*/HostilePoll*:Replay*:FileStamp*:SerialCaller*'

export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_odr_violation=2}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

civetweb_args=()
if [[ -n "${SANITIZER_CIVETWEB_SOURCE_DIR:-}" ]]; then
  # civetweb.c is not instrumented, but its C compiler must be clang too: CMake
  # links a C compiler's own runtime libraries into the executables, and gcc's
  # (libasan, libtsan) clash with clang's.
  civetweb_args=(-DWINNET_CIVETWEB_FROM_SOURCE=ON -DCIVETWEB_SOURCE_DIR="$SANITIZER_CIVETWEB_SOURCE_DIR"
                 -DCMAKE_C_COMPILER="${SANITIZER_CC:-${cxx/clang++/clang}}")
fi

configure_and_build() {  # DIR FLAGS TARGET...
  local dir="$1" flags="$2"
  shift 2
  cmake -S "$root" -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" \
        -DWINNET_BUILD_BENCH=OFF -DWINNET_STATIC_CXX_RUNTIME=OFF "${civetweb_args[@]}" >/dev/null
  local t
  for t in "$@"; do cmake --build "$dir" -j"$(nproc)" --target "$t"; done
}

status=0
for mode in "${modes[@]}"; do
  dir="$base/$mode"
  case "$mode" in
    asan)
      flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
      ((build)) && configure_and_build "$dir" "$flags" winnet_exporter winnet_unit_tests winnet_cns_standin
      if ((run)); then
        echo "== AddressSanitizer + UndefinedBehaviorSanitizer: unit and end-to-end tests"
        # Not the deployment checks, the Windows build or these checks themselves.
        (cd "$dir" && ctest --output-on-failure --timeout 300 -j2 -E '^(deploy|windows|sanitizers|fuzz)\.') || status=1
      fi
      ;;
    tsan)
      flags="-fsanitize=thread -fno-omit-frame-pointer"
      ((build)) && configure_and_build "$dir" "$flags" winnet_unit_tests
      if ((run)); then
        echo "== ThreadSanitizer: $tsan_filter"
        "$dir/tests/winnet_unit_tests" --gtest_filter="$tsan_filter" --gtest_brief=1 || status=1
      fi
      ;;
    *) echo "sanitizers.sh: unknown mode $mode (asan, tsan)" >&2; exit 2 ;;
  esac
done
exit "$status"
