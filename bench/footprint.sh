#!/usr/bin/env bash
# The four footprint figures of one exporter build (bench/README.md, "Footprint"):
#   footprint.sh EXPORTER GEN_CAPTURE [NETNS STATE_DIR]
#  1. CPU per poll cycle, nothing changed: a generated capture of 250 pods,
#     5,000 remote endpoints and a 256-address pool replayed at
#     --poll.interval=200ms; process CPU (all threads, /proc/PID/task/*/schedstat)
#     over FOOTPRINT_SECONDS (default 30) divided by the cycles in that time:
#     the median of three windows of a third of that each (a burst of the
#     host in one window does not move the figure);
#  2. the same while `winnet_gen_capture --churn-ms=200` rewrites every local
#     endpoint's stats and the adapter counters each 200 ms (its CPU is its own);
#  3. VmRSS after 64 connections of wrk for 15 s plain, then 15 s gzip;
#  4. with NETNS and STATE_DIR (a network namespace with the veths and the CNI
#     state made by bench/run.sh): VmRSS of the exporter in live Linux mode
#     after 10 s of one connection and 10 s of 16 connections.
# Prints one line per figure: "cpu_idle_ms=…", "cpu_counters_ms=…", "rss_load_kib=…",
# "rss_live_kib=…". Run as root for 4; hold a lock against builds around it.
# FOOTPRINT_PODS, FOOTPRINT_REMOTE: another capture size for 1-3.
set -euo pipefail
bin="$1" gen="$2" ns="${3:-}" state="${4:-}"
secs="${FOOTPRINT_SECONDS:-30}"
# Other sizes, for how the figures grow (the figures above are for the defaults).
size=(--pods="${FOOTPRINT_PODS:-250}" --remote="${FOOTPRINT_REMOTE:-5000}" --pool=256)
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # start_exporter
# cpu_per_cycle: CPU of PID per 200 ms cycle, in ms: the median of three
# windows of $secs / 3 seconds each
cpu_per_cycle() {
  local c0 c1 window i
  window=$(awk -v s="$secs" 'BEGIN {printf "%.3f", s / 3}')
  for i in 1 2 3; do
    c0=$(cpu_ns "$PID")
    sleep "$window"
    c1=$(cpu_ns "$PID")
    awk -v d="$((c1 - c0))" -v s="$window" 'BEGIN {printf "%.2f\n", d / 1e6 / (s * 5)}'
  done | sort -n | sed -n 2p
}

cap="$work/capture"
"$gen" --out="$cap" "${size[@]}" >/dev/null
start_exporter "$work/log" -- --source.replay="$cap" --web.listen-address=127.0.0.1:0 --poll.interval=200ms
sleep 3
echo "cpu_idle_ms=$(cpu_per_cycle)"
"$gen" --out="$cap" "${size[@]}" --churn-ms=200 >/dev/null &
churn=$!
pids+=("$churn")
sleep 3
echo "cpu_counters_ms=$(cpu_per_cycle)"
kill "$churn"
wrk -t2 -c64 -d15s "http://$ADDR/metrics" >/dev/null
wrk -t2 -c64 -d15s -H 'Accept-Encoding: gzip' "http://$ADDR/metrics" >/dev/null
sleep 1
echo "rss_load_kib=$(rss_kib "$PID")"
kill "$PID"

[[ -n "$ns" ]] || exit 0
start_exporter "$work/log" ip netns exec "$ns" -- --cni.network-state="$state/azure-vnet.json" \
  --cni.ipam-state="$state/azure-vnet-ipam.json" --web.listen-address=127.0.0.1:0 --poll.interval=5s
ip netns exec "$ns" wrk -t1 -c1 -d10s "http://$ADDR/metrics" >/dev/null
ip netns exec "$ns" wrk -t2 -c16 -d10s "http://$ADDR/metrics" >/dev/null
sleep 1
echo "rss_live_kib=$(rss_kib "$PID")"
