#!/usr/bin/env bash
# Scrape latency of the cached /metrics on the example capture: 1,000 GETs on
# one keep-alive connection (plain and gzip), then 10 s at 64 connections, and
# the exporter's RSS before and after. Needs wrk (apt-get install wrk).
#   bench/http_latency.sh [PATH_TO_winnet_exporter]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build/winnet_exporter}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
log="$(mktemp)"
"$bin" --source.replay="$root/examples/aks-windows-node" --web.listen-address=127.0.0.1:0 \
  --poll.interval=5s >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
addr=""
for _ in $(seq 1 50); do
  addr="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)"
  [[ -n "$addr" ]] && break
  sleep 0.1
done
sleep 0.5
url="http://$addr/metrics"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "machine: $(nproc) cores, $(uname -sr); date: $(date -u +%F)"
echo "body: $(curl -s "$url" | wc -c) bytes plain, $(curl -s -H 'Accept-Encoding: gzip' "$url" | wc -c) bytes gzip"
echo "RSS after start: $(rss)"
echo "--- 1,000 keep-alive GETs, one connection, plain"
wrk -t1 -c1 -d5s --latency -s "$root/bench/stop_after.lua" "$url" -- 1000 | grep -E '^\s+(50|75|90|99)%|requests in'
echo "--- 1,000 keep-alive GETs, one connection, gzip"
wrk -t1 -c1 -d5s --latency -H 'Accept-Encoding: gzip' -s "$root/bench/stop_after.lua" "$url" -- 1000 |
  grep -E '^\s+(50|75|90|99)%|requests in'
echo "--- 64 connections, 10 s"
wrk -t2 -c64 -d10s --latency "$url" | grep -E '^\s+(50|99)%|Requests/sec'
echo "RSS after load: $(rss)"
