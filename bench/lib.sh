# Shared by the bench scripts (sourced): they set `bin` (the exporter) and the
# array `pids` (killed by their cleanup) before calling these.

# start_exporter LOG PREFIX... -- ARGS...: starts "$bin" ARGS under PREFIX
# (e.g. `ip netns exec NS`), its output in LOG; sets PID and ADDR (the address
# it logged as listening on) once /healthz answers 200.
start_exporter() {
  local log="$1"; shift
  local prefix=()
  while [[ "$1" != -- ]]; do prefix+=("$1"); shift; done
  shift
  : >"$log"  # there before the first look below: the job opens it only once started
  "${prefix[@]}" "$bin" "$@" >"$log" 2>&1 &
  PID=$!
  pids+=("$PID")
  ADDR=""
  for _ in $(seq 1 100); do
    ADDR="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$ADDR" ]] && break
    sleep 0.1
  done
  [[ -n "$ADDR" ]] || { cat "$log" >&2; echo "exporter did not start" >&2; exit 1; }
  for _ in $(seq 1 200); do
    "${prefix[@]}" curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/healthz" | grep -q 200 && return 0
    sleep 0.1
  done
}
