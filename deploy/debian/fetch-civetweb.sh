#!/usr/bin/env bash
# Fetches civetweb's source from Debian's source package into DEST and prints
# the source tree's path. cmake/civetweb-source.cmake compiles civetweb.c from
# it for the mingw-w64 build (Debian ships no Windows civetweb library) and for
# the Linux build with WINNET_CIVETWEB_FROM_SOURCE (TLS through OpenSSL 3, opened by name);
# nothing of it is kept in the repository. Adds a deb-src twin of the
# machine's own Debian sources when no deb-src entry exists (needs root for
# that step only).
#   fetch-civetweb.sh DEST
set -euo pipefail
dest="${1:?usage: fetch-civetweb.sh DEST}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"

found() { find "$dest" -maxdepth 3 -path '*/src/civetweb.c' -printf '%h\n' 2>/dev/null | head -1; }
if src="$(found)" && [[ -n "$src" ]]; then
  dirname "$src"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
if ! command -v dpkg-source >/dev/null; then
  $SUDO apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi

has_deb_src() {
  grep -rqsE '^(deb-src |Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}
if ! has_deb_src; then
  echo "fetch-civetweb: adding deb-src entries that mirror the deb ones" >&2
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $SUDO tee /etc/apt/sources.list.d/winnet-src.sources >/dev/null
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
      $SUDO tee /etc/apt/sources.list.d/winnet-src.list >/dev/null
  fi
  $SUDO apt-get update -qq
elif ! apt-cache showsrc civetweb >/dev/null 2>&1 || [[ -z "$(apt-cache showsrc civetweb 2>/dev/null)" ]]; then
  $SUDO apt-get update -qq
fi

# apt's download sandbox user must be able to write here.
chmod 777 "$dest"
(cd "$dest" && apt-get source -qq civetweb >&2)
src="$(found)"
[[ -n "$src" ]] || { echo "fetch-civetweb: no src/civetweb.c after apt-get source" >&2; exit 1; }
dirname "$src"
