#!/usr/bin/env bash
# Soak: 1,000,000 scrapes of /metrics while the data changes underneath, and the
# exporter's RSS after warm-up against the RSS at the end (they must be within
# 1 MiB). The exporter replays a copy of the example capture polled every second;
# every second the adapters' and endpoints' counters grow and one IP of the pool
# flips between allocated and free, each file rewritten the way Azure CNI does
# (temp file + rename). wrk (with soak.lua) sends the scrapes on keep-alive
# connections. Prints the figures as Markdown; exit 1 when RSS grew more than 1 MiB
# or a scrape failed. Needs wrk and curl.
#   bench/soak.sh [PATH_TO_winnet_exporter]
# SOAK_SCRAPES (1000000), SOAK_WARMUP (50000 scrapes), SOAK_CONNECTIONS (8),
# SOAK_THREADS (2), SOAK_CAPTURE (the capture to copy; default the example, e.g.
# one written by winnet_gen_capture).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build/winnet_exporter}"
scrapes="${SOAK_SCRAPES:-1000000}"
warmup="${SOAK_WARMUP:-50000}"
conns="${SOAK_CONNECTIONS:-8}"
threads="${SOAK_THREADS:-2}"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "soak.sh: no exporter at $bin" >&2; exit 2; }

# The end-to-end tests' helpers: a temporary directory, background processes
# stopped on exit, start_exporter and wait_ready.
BIN="$bin"
source "$root/tests/e2e/lib.sh"
work="$WORK"

cap="$work/capture"
src="${SOAK_CAPTURE:-$root/examples/aks-windows-node}"
cp -r "$src" "$cap"
stats=("$cap"/hns/endpointstats/*.json)

# Rewrites the changing files once (tick N): counters grow by N, one IP flips.
rewrite() {
  local n="$1" f
  sed -E "s/(\"(In|Out)(Octets|UcastPkts)\": )([0-9]+)/\1$((20000000000 + n * 1500))/" "$cap/adapters.json" >"$cap/.adapters.tmp"
  mv "$cap/.adapters.tmp" "$cap/adapters.json"
  for f in "${stats[@]}"; do
    sed -E "s/(\"(BytesReceived|BytesSent|PacketsReceived|PacketsSent)\":)([0-9]+)/\1$((5000000000 + n * 4096))/g" "$f" >"$f.tmp"
    mv "$f.tmp" "$f"
  done
  local flip=true
  ((n % 2)) && flip=false
  # The last address of the pool: allocated on even ticks, free on odd ones.
  awk -v v="$flip" '{ if ($0 ~ /"InUse"/) last = NR; lines[NR] = $0 }
    END { for (i = 1; i <= NR; i++) { if (i == last) sub(/"InUse": (true|false)/, "\"InUse\": " v, lines[i]); print lines[i] } }' \
    "$cap/azure-vnet-ipam.json" >"$cap/.ipam.tmp"
  mv "$cap/.ipam.tmp" "$cap/azure-vnet-ipam.json"
}

start_exporter "$work/exporter.log" --source.replay="$cap" --web.listen-address=127.0.0.1:0 --poll.interval=1s
pid="$EXPORTER_PID"
addr="$EXPORTER_ADDR"
url="http://$addr/metrics"
wait_ready "$addr"

( n=0; while true; do n=$((n + 1)); rewrite "$n"; sleep 1; done ) &
PIDS+=("$!")

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# The RSS floor over 3 s: a poll cycle parsing a large capture holds its parse
# tree for a moment; what stays is the lowest value between cycles.
rss_floor() {
  local m="" v
  for _ in $(seq 1 30); do
    v="$(rss_kib)"
    if [[ -z "$m" ]] || ((v < m)); then m="$v"; fi
    sleep 0.1
  done
  echo "$m"
}
samples="$work/rss.txt"
( while kill -0 "$pid" 2>/dev/null; do echo "$(date +%s) $(rss_kib)" >>"$samples"; sleep 1; done ) &
PIDS+=("$!")

# wrk_run N: N scrapes; prints "requests duration". Each thread marks when it is
# done (soak.lua); then wrk gets SIGINT, which ends it with its totals.
wrk_run() {
  local per_thread=$(( ($1 + threads - 1) / threads )) marks="$work/marks.$1"
  mkdir -p "$marks"
  wrk -t"$threads" -c"$conns" -d2h -s "$root/bench/soak.lua" "$url" -- "$per_thread" "$marks" >"$work/wrk.txt" 2>&1 &
  local w=$!
  while kill -0 "$w" 2>/dev/null && (($(ls "$marks" | wc -l) < threads)); do sleep 0.2; done
  kill -INT "$w" 2>/dev/null || true
  wait "$w" || true
  cat "$work/wrk.txt" >>"$work/wrk-all.txt"
  awk '{ bad += $2 } END { if (bad) print "non-200 responses: " bad }' "$marks"/done.* >>"$work/wrk-all.txt"
  sed -n 's/^ *\([0-9]*\) requests in \([0-9.]*[a-z]*\),.*/\1 \2/p' "$work/wrk.txt"
}
bad_responses() { grep -E 'Non-2xx|Socket errors|non-200' "$work/wrk-all.txt" | sort | uniq -c | sed 's/^ *//' | paste -sd';' || true; }

first="$(curl -s "$url" | grep -m1 '^winnet_adapter_receive_bytes_total' || true)"
read -r warm_done _ <<<"$(wrk_run "$warmup")"
rss_warm="$(rss_floor)"
t0=$(date +%s)
read -r done took <<<"$(wrk_run "$scrapes")"
t1=$(date +%s)
rss_end="$(rss_floor)"
last="$(curl -s "$url" | grep -m1 '^winnet_adapter_receive_bytes_total' || true)"
max_rss="$(awk -v from="$t0" '$1 >= from && $2 > m { m = $2 } END { print m + 0 }' "$samples")"
threads_now="$(ls "/proc/$pid/task" | wc -l)"
errors="$(bad_responses)"
delta=$((rss_end - rss_warm))

cat <<EOF
### Soak ($(date -u +%F))

- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)
- exporter: \`$("$bin" --version 2>/dev/null | head -1)\`, replaying a copy of \`${src#"$root"/}\` ($(du -sk "$cap" | cut -f1) KiB), \`--poll.interval=1s\`
- data: every second the adapter and endpoint counters grow and one pool IP flips (temp file + rename)
- load: wrk, $threads threads, $conns keep-alive connections, \`bench/soak.lua\` (each thread stops after its share)

| | |
|---|---|
| warm-up scrapes | $warm_done |
| soak scrapes | $done in $took ($(( done / ( (t1 - t0) > 0 ? (t1 - t0) : 1 ) )) /s) |
| failed scrapes | ${errors:-none} |
| RSS after warm-up (lowest over 3 s) | $rss_warm KiB |
| RSS at the end (lowest over 3 s) | $rss_end KiB |
| difference | $delta KiB |
| highest RSS during the soak (sampled every second) | $max_rss KiB |
| threads at the end | $threads_now |
| first / last adapter sample | \`$first\` / \`$last\` |
EOF

status=0
if ((delta > 1024 || delta < -1024)); then
  echo "FAIL: RSS moved by $delta KiB (limit 1024)" >&2
  status=1
fi
if [[ -n "$errors" ]] || ((done < scrapes)); then
  echo "FAIL: $done of $scrapes scrapes; errors: ${errors:-none}" >&2
  status=1
fi
[[ "$first" != "$last" ]] || { echo "FAIL: the data did not change during the soak" >&2; status=1; }
exit "$status"
