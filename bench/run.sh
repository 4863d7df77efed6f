#!/usr/bin/env bash
# Reproduces every figure of bench/README.md in one run (as root, on Linux):
#   1. Google Benchmark microbenchmarks (parsers, join, render, poll cycles)
#   2. end to end on a generated 250-pod / 5,000-remote / 65,536-address capture:
#      /metrics latency (1 and 64 connections), CPU per poll cycle, RSS after
#      SOAK_SECONDS (default 600) of polling at 1 s
#   3. side by side on 250 real veth interfaces in a network namespace: this
#      exporter in Linux live mode against node_exporter (netdev collector only)
#   4. footprint (bench/footprint.sh): CPU per poll cycle with nothing changed
#      and with every local endpoint's counters changing, RSS after 64
#      connections, RSS live on the veths; side by side with the commit BASE
#      (default HEAD~1), built the same way in a temporary git worktree
# Results go to stdout and to $BUILD/bench-results.md. BUILD defaults to build-bench/.
# BENCH_LOCK=FILE: hold that lock file (flock) during the CPU-heavy phases, so
# builds that take the same lock wait instead of skewing the figures.
# BENCH_PARTS: the parts to run (default "micro e2e veths footprint").
# BENCH_CMAKE_ARGS: more cmake arguments for both builds (e.g.
# -DWINNET_CIVETWEB_FROM_SOURCE=ON).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$root/build-bench}"
soak="${SOAK_SECONDS:-600}"
veths="${VETHS:-250}"
parts=" ${BENCH_PARTS:-micro e2e veths footprint} "
base="${BASE:-HEAD~1}"
read -r -a cmake_args <<<"${BENCH_CMAKE_ARGS:-}"
out="$build/bench-results.md"

bash "$root/deploy/debian/install-deps.sh" build
need=()
for p in libbenchmark-dev wrk prometheus-node-exporter iproute2 curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  # node_exporter's package would start its service; keep every service stopped.
  [[ -e /usr/sbin/policy-rc.d ]] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; rm_policy=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [[ -n "${rm_policy:-}" ]] && rm -f /usr/sbin/policy-rc.d
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWINNET_BUILD_TESTS=OFF "${cmake_args[@]}" >/dev/null
targets=(winnet_exporter winnet_gen_capture)
[[ "$parts" == *" micro "* ]] && targets+=(winnet_micro_bench)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null
bin="$build/winnet_exporter"

work="$(mktemp -d)"
pids=()
ns="winnet-bench-$$"
base_tree=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  [[ -n "$base_tree" ]] && git -C "$root" worktree remove --force "$base_tree" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "# winnet_exporter benchmark results"
  echo
  echo "date $(date -u +%FT%TZ); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"
  echo "$(uname -sr); $(g++ --version | head -1); Release build"
} | tee "$out"

# --- helpers -----------------------------------------------------------------
lock() { if [[ -n "${BENCH_LOCK:-}" ]]; then exec 9>"$BENCH_LOCK"; flock 9; fi; }
unlock() { if [[ -n "${BENCH_LOCK:-}" ]]; then flock -u 9; fi; }
source "$root/bench/lib.sh"  # start_exporter
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick=$(getconf CLK_TCK)
# wrk_line LABEL PREFIX... -- WRK ARGS: prints "| LABEL | p50 | p99 | req/s |"
wrk_row() {
  local label="$1"; shift
  local prefix=()
  while [[ "$1" != -- ]]; do prefix+=("$1"); shift; done
  shift
  local o
  o="$("${prefix[@]}" wrk --latency "$@")"
  printf '| %s | %s | %s | %s |\n' "$label" "$(awk '$1=="50%" {print $2}' <<<"$o")" \
    "$(awk '$1=="99%" {print $2}' <<<"$o")" "$(awk '/Requests\/sec/ {print $2}' <<<"$o")"
}

# make_veths: the network namespace $ns with $veths veth pairs, and the CNI
# state of one pod per pair in $state (once)
state="$work/state"
make_veths() {
  [[ -e "$state/azure-vnet.json" ]] && return 0
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  mkdir -p "$state"
  {
    echo '{"Network": {"Version": "v1.6.21", "ExternalInterfaces": {"eth0": {"Networks": {"azure": {"Id": "azure", "Endpoints": {'
    for i in $(seq 0 $((veths - 1))); do
      host=$(printf 'azv%011x' "$i")
      ip -n "$ns" link add "$host" type veth peer name "p$i"
      ip -n "$ns" link set "$host" up
      ip -n "$ns" link set "p$i" up
      [[ $i -gt 0 ]] && echo ','
      printf '"%08x-eth0": {"Id": "%08x-eth0", "HostIfName": "%s", "IPAddresses": [{"IP": "10.%d.%d.%d", "Mask": "//8AAA=="}], "PODName": "pod-%d", "PODNameSpace": "ns-%d"}' \
        "$i" "$i" "$host" $((i / 65536 + 10)) $((i / 256 % 256)) $((i % 256)) "$i" $((i % 20))
    done
    echo '}}}}}}}'
  } >"$state/azure-vnet.json"
  echo '' >"$state/azure-vnet-ipam.json"
}

lock
# --- 1. microbenchmarks --------------------------------------------------------
if [[ "$parts" == *" micro "* ]]; then
echo -e "\n## Microbenchmarks (Google Benchmark)\n" | tee -a "$out"
echo '```' >>"$out"
"$build/bench/winnet_micro_bench" --benchmark_min_time=0.3 2>/dev/null | grep -E '^(BM_|Benchmark|-)' | tee -a "$out"
echo '```' >>"$out"
fi

# --- 2. end to end on the big capture -------------------------------------------
if [[ "$parts" == *" e2e "* ]]; then
cap="$work/capture"
"$build/bench/winnet_gen_capture" --out="$cap" --pods=250 --remote=5000 --pool=65536 >/dev/null
start_exporter "$work/big.log" -- --source.replay="$cap" --web.listen-address=127.0.0.1:0 --poll.interval=1s
url="http://$ADDR/metrics"
echo -e "\n## End to end: 250 pods, 5,000 remote endpoints, 65,536-address pool\n" | tee -a "$out"
echo "exposition: $(curl -s "$url" | wc -c) bytes ($(curl -s -H 'Accept-Encoding: gzip' "$url" | wc -c) gzipped)" | tee -a "$out"
echo -e "\n| load | p50 | p99 | requests/s |\n|---|---|---|---|" | tee -a "$out"
wrk_row "1,000 GETs, 1 keep-alive connection" -- -t1 -c1 -d5s -s "$root/bench/stop_after.lua" "$url" -- 1000 | tee -a "$out"
wrk_row "64 connections, 10 s" -- -t2 -c64 -d10s "$url" | tee -a "$out"
wrk_row "64 connections, 10 s, gzip" -- -t2 -c64 -d10s -H 'Accept-Encoding: gzip' "$url" | tee -a "$out"
echo "RSS after load: $(rss_kib "$PID") KiB" | tee -a "$out"
unlock
t0=$(cpu_ticks "$PID")
sleep "$soak"
t1=$(cpu_ticks "$PID")
awk -v t=$((t1 - t0)) -v hz="$tick" -v s="$soak" \
  'BEGIN {printf "polling at 1 s for %d s: %.2f ms CPU per poll cycle (unchanged capture)\n", s, 1000 * t / hz / s}' | tee -a "$out"
echo "RSS after $soak s of polling: $(rss_kib "$PID") KiB" | tee -a "$out"
kill "$PID"
fi
lock

# --- 3. side by side on real veths ---------------------------------------------
if [[ "$parts" == *" veths "* ]]; then
echo -e "\n## Side by side on $veths veth pairs: winnet_exporter (live) vs node_exporter (netdev only)\n" | tee -a "$out"
make_veths
start_exporter "$work/live.log" ip netns exec "$ns" -- --cni.network-state="$state/azure-vnet.json" \
  --cni.ipam-state="$state/azure-vnet-ipam.json" --web.listen-address=127.0.0.1:0 --poll.interval=5s
ours_pid=$PID ours_url="http://$ADDR/metrics"
ne_port=$((20000 + RANDOM % 20000))
ip netns exec "$ns" prometheus-node-exporter --collector.disable-defaults --collector.netdev \
  --web.listen-address="127.0.0.1:$ne_port" >"$work/ne.log" 2>&1 &
ne_pid=$!
pids+=("$ne_pid")
for _ in $(seq 1 50); do ip netns exec "$ns" curl -s -o /dev/null "http://127.0.0.1:$ne_port/metrics" && break; sleep 0.1; done
ne_url="http://127.0.0.1:$ne_port/metrics"
ours_series=$(ip netns exec "$ns" curl -s "$ours_url" | grep -c '^winnet_adapter_receive_bytes_total' || true)
ne_series=$(ip netns exec "$ns" curl -s "$ne_url" | grep -c '^node_network_receive_bytes_total' || true)
echo "interfaces seen: winnet_exporter $ours_series, node_exporter $ne_series; RSS idle: ours $(rss_kib "$ours_pid") KiB, node_exporter $(rss_kib "$ne_pid") KiB" | tee -a "$out"
echo -e "\n| exporter, load | p50 | p99 | requests/s |\n|---|---|---|---|" | tee -a "$out"
for who in ours ne; do
  if [[ $who == ours ]]; then u=$ours_url; p=$ours_pid; name=winnet_exporter; else u=$ne_url; p=$ne_pid; name=node_exporter; fi
  c0=$(cpu_ticks "$p")
  r1="$(wrk_row "$name, 1 connection, 10 s" ip netns exec "$ns" -- -t1 -c1 -d10s "$u")"
  echo "$r1" | tee -a "$out"
  r16="$(wrk_row "$name, 16 connections, 10 s" ip netns exec "$ns" -- -t2 -c16 -d10s "$u")"
  echo "$r16" | tee -a "$out"
  c1=$(cpu_ticks "$p")
  reqs=$(awk -F'|' '{gsub(/ /, "", $5); s += $5 * 10} END {printf "%d", s}' <<<"$r1"$'\n'"$r16")
  eval "${who}_rss=$(rss_kib "$p") ${who}_cpu=$(awk -v t=$((c1 - c0)) -v hz="$tick" -v n="$reqs" 'BEGIN {printf "%.4f", 1000 * t / hz / n}')"
done
echo | tee -a "$out"
echo "RSS after the same load: winnet_exporter $ours_rss KiB, node_exporter $ne_rss KiB" | tee -a "$out"
echo "CPU per scrape (process CPU during the 20 s of load / requests): winnet_exporter ${ours_cpu} ms, node_exporter ${ne_cpu} ms" | tee -a "$out"
fi

# --- 4. footprint, side by side with the commit BASE ------------------------------
if [[ "$parts" == *" footprint "* ]]; then
  base_rev="$(git -C "$root" rev-parse --short "$base")"
  this_rev="$(git -C "$root" rev-parse --short HEAD)"
  git -C "$root" diff --quiet HEAD 2>/dev/null || this_rev="$this_rev+changes"
  base_tree="$work/base-tree"
  git -C "$root" worktree add --detach "$base_tree" "$base_rev" >/dev/null 2>&1
  cmake -S "$base_tree" -B "$work/base-build" -DCMAKE_BUILD_TYPE=Release -DWINNET_BUILD_TESTS=OFF \
    "${cmake_args[@]}" >/dev/null
  cmake --build "$work/base-build" -j"$(nproc)" --target winnet_exporter >/dev/null
  make_veths
  # The generator of this tree for both (--churn-ms may be newer than BASE).
  declare -A fp_base fp_this
  while IFS== read -r k v; do fp_base[$k]=$v; done < <(bash "$root/bench/footprint.sh" \
    "$work/base-build/winnet_exporter" "$build/bench/winnet_gen_capture" "$ns" "$state")
  while IFS== read -r k v; do fp_this[$k]=$v; done < <(bash "$root/bench/footprint.sh" \
    "$bin" "$build/bench/winnet_gen_capture" "$ns" "$state")
  mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
  {
    echo -e "\n## Footprint: 250 pods, 5,000 remote endpoints, 256-address pool, --poll.interval=200ms\n"
    echo "| | $base_rev (BASE=$base) | $this_rev (this tree) | target |"
    echo "|---|---|---|---|"
    echo "| CPU per poll cycle, nothing changed | ${fp_base[cpu_idle_ms]} ms | ${fp_this[cpu_idle_ms]} ms | ≤ 1 ms |"
    echo "| CPU per poll cycle, every local endpoint's counters changed | ${fp_base[cpu_counters_ms]} ms | ${fp_this[cpu_counters_ms]} ms | ≤ 5 ms |"
    echo "| RSS after 64 connections for 15 s (plain, then gzip) | $(mib "${fp_base[rss_load_kib]}") | $(mib "${fp_this[rss_load_kib]}") | ≤ 10 MiB |"
    echo "| RSS after load on $veths real veths, live Linux | $(mib "${fp_base[rss_live_kib]}") | $(mib "${fp_this[rss_live_kib]}") | ≤ 7 MiB |"
  } | tee -a "$out"
fi
echo -e "\nfull results: $out"
