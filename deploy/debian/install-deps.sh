#!/usr/bin/env bash
# Installs, from Debian 12 packages, what building and testing winnet_exporter
# needs, skipping what is already there. Run as root (or with sudo).
#   install-deps.sh build   compiler, CMake and the libraries
#   install-deps.sh test    the above plus GoogleTest, Prometheus (promtool), curl, jq,
#                           Node.js and npm (deployment checks), clang (sanitizers,
#                           fuzzing), and the windows set
#   install-deps.sh windows the build set plus the mingw-w64 cross compiler, Wine, zlib
#                           for mingw and the GoogleTest sources (deploy/windows/build-mingw.sh)
set -euo pipefail

what="${1:-build}"
packages=(g++ make cmake git ca-certificates
          libcivetweb-dev civetweb nlohmann-json3-dev libspdlog-dev zlib1g-dev libssl-dev libcrypt-dev)
if [[ "$what" == test || "$what" == windows ]]; then
  # dpkg-dev: `apt-get source civetweb` (deploy/debian/fetch-civetweb.sh) for the
  # builds that compile civetweb: mingw-w64, and Linux with TLS (tests/run_all.sh).
  packages+=(g++-mingw-w64-x86-64-posix wine wine64 libz-mingw-w64-dev googletest dpkg-dev ninja-build)
fi
if [[ "$what" == test ]]; then
  packages+=(libgtest-dev libgmock-dev prometheus curl jq iproute2 iputils-ping chromium fonts-dejavu-core openssl
                apache2-utils)
  # clang and its runtimes: sanitizer builds (tests/sanitizers.sh) and libFuzzer (fuzz/run.sh).
  packages+=(clang libclang-rt-14-dev)
  # clang-format: the formatting check (tests/check_format.sh).
  packages+=(clang-format)
  # Node.js for the deployment checks: Debian's, unless a node and npm are
  # already on the PATH (a Node.js from elsewhere conflicts with Debian's npm).
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing ${missing[*]}"
# The prometheus package would start its service on install; a policy-rc.d
# that answers 101 ("action forbidden") keeps every service stopped.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
  $SUDO chmod 755 $policy
  created_policy=1
fi
cleanup() { if ((created_policy)); then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
