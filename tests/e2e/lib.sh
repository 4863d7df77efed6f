# Shared helpers for the end-to-end tests (sourced).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EXAMPLE="$ROOT/examples/aks-windows-node"
WORK="$(mktemp -d)"
PIDS=()
RUN_PREFIX=()   # e.g. (ip netns exec NS): where the exporter and curl run

cleanup() {
  if declare -F extra_cleanup >/dev/null; then extra_cleanup; fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# start_exporter LOGFILE ARGS... → sets EXPORTER_PID and EXPORTER_ADDR (host:port)
start_exporter() {
  local log="$1"; shift
  : >"$log"  # there before the first look below: the job opens it only once started
  "${RUN_PREFIX[@]}" "$BIN" "$@" >"$log" 2>&1 &
  EXPORTER_PID=$!
  PIDS+=("$EXPORTER_PID")
  EXPORTER_ADDR=""
  for _ in $(seq 1 100); do
    EXPORTER_ADDR="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$EXPORTER_ADDR" ]] && break
    kill -0 "$EXPORTER_PID" 2>/dev/null || { cat "$log" >&2; fail "exporter exited early"; }
    sleep 0.1
  done
  [[ -n "$EXPORTER_ADDR" ]] || { cat "$log" >&2; fail "exporter did not report its address"; }
}

# wait_ready ADDR: until /healthz answers 200 (first poll cycle done)
wait_ready() {
  for _ in $(seq 1 100); do
    if [[ "$("${RUN_PREFIX[@]}" curl -s -o /dev/null -w '%{http_code}' "http://$1/healthz")" == 200 ]]; then
      return 0
    fi
    sleep 0.1
  done
  fail "exporter at $1 never became ready"
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  fail "no free port found"
}
