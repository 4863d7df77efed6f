# Shared helpers of the deployment checks (sourced).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DEPLOY="$ROOT/deploy"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 ||
    fail "$1 is not installed: run 'bash deploy/debian/install-deps.sh test' as root"
}

# npm_setup: installs the packages pinned in package-lock.json with `npm ci`
# into $WINNET_NPM_DIR (CTest sets it to a folder of the build tree; default:
# this folder), once per version of the lock file, and exports NODE_PATH so
# that the check scripts find them. A lock serialises parallel tests.
npm_setup() {
  need node
  need npm
  NPM_DIR="${WINNET_NPM_DIR:-$HERE}"
  mkdir -p "$NPM_DIR"
  NPM_DIR="$(cd "$NPM_DIR" && pwd)"
  local stamp="$NPM_DIR/node_modules/.winnet-package-lock.json"
  (
    flock 9
    if ! cmp -s "$HERE/package-lock.json" "$stamp"; then
      if [[ "$NPM_DIR" != "$HERE" ]]; then
        cp "$HERE/package.json" "$HERE/package-lock.json" "$NPM_DIR/"
      fi
      echo "npm ci in $NPM_DIR"
      (cd "$NPM_DIR" && NPM_CONFIG_UPDATE_NOTIFIER=false npm ci --no-audit --no-fund --loglevel=error </dev/null) ||
        exit 1
      cp "$HERE/package-lock.json" "$stamp"
    fi
  ) 9>"$NPM_DIR/.npm-lock" || fail "npm ci failed (the npm registry must be reachable)"
  export NODE_PATH="$NPM_DIR/node_modules"
  export WINNET_NPM_DIR="$NPM_DIR"
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  fail "no free port found"
}
