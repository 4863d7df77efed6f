#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs each for a bounded time on a corpus seeded from the test fixtures and
# the example capture (linked, not copied). Prints one line per target with its
# executions; exits 1 when any target crashes, leaks, hangs or runs out of memory,
# keeping the input that did it.
#
#   fuzz/run.sh [-t SECONDS] [-j PARALLEL] [-n] [-B] [TARGET...]
#     -t  seconds per target (default 60)
#     -j  targets run at the same time (default 1)
#     -n  do not build (use what FUZZ_BUILD_DIR has)
#     -B  build only
#   TARGET: fuzz_ipam_state, ... (default: all)
#
# Environment: FUZZ_BUILD_DIR (default <checkout>/build-fuzz), FUZZ_WORK_DIR
# (corpora, crash inputs, logs, summary.txt; default $FUZZ_BUILD_DIR/runs). The
# corpora are kept between runs, so longer runs build on shorter ones.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=60
jobs=1
build=1
run=1
while getopts "t:j:nB" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    n) build=0 ;;
    B) run=0 ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

all_targets=(fuzz_ipam_state fuzz_cni_state fuzz_hns_endpoints fuzz_hns_networks fuzz_hns_policylists
             fuzz_hns_endpointstats fuzz_containerd_spec fuzz_hcn_endpoint fuzz_adapters fuzz_cns_ipaddresses fuzz_hns_service fuzz_netaddr fuzz_config fuzz_web_config fuzz_node_page
             fuzz_cni_conflist fuzz_cns_state fuzz_cns_endpoints)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

bdir="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
work="${FUZZ_WORK_DIR:-$bdir/runs}"
cxx="${FUZZ_CXX:-$(command -v clang++ || command -v clang++-14 || true)}"
[[ -n "$cxx" ]] || { echo "fuzz/run.sh: clang++ not found (deploy/debian/install-deps.sh test installs it)" >&2; exit 2; }

if ((build)); then
  cmake -S "$root" -B "$bdir" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DWINNET_FUZZ=ON -DWINNET_BUILD_TESTS=OFF -DWINNET_BUILD_BENCH=OFF >/dev/null
  cmake --build "$bdir" -j"$(nproc)" --target winnet_fuzz
fi
((run)) || exit 0

ex="$root/examples/aks-windows-node"
ovl="$root/examples/aks-windows-overlay-node"
fx="$root/tests/fixtures"
vx="$fx/hns/variants"  # real-world variants of HNS and HCN answers (tests/fixtures/README.md)
mkdir -p "$work"

# seeds TARGET: a directory of links to the seed files (and a few generated ones).
seeds() {
  local t="$1" d="$work/seeds/$1"
  rm -rf "$d"
  mkdir -p "$d"
  local files=()
  case "$t" in
    # The ipam/ and cni/ globs take their variant-*.json files too.
    fuzz_ipam_state) files=("$ex/azure-vnet-ipam.json" "$fx"/ipam/*.json) ;;
    fuzz_cni_state) files=("$ex/azure-vnet.json" "$fx"/cni/*.json) ;;
    fuzz_hns_endpoints) files=("$ex/hns/endpoints.json" "$fx/hns/endpoints.json" "$vx"/endpoints-*.json "$vx"/failure-*.json) ;;
    fuzz_hns_networks) files=("$ex/hns/networks.json" "$vx"/networks-*.json "$vx"/failure-*.json) ;;
    fuzz_hns_policylists) files=("$ex/hns/policylists.json" "$vx"/policylists-*.json "$vx"/failure-*.json) ;;
    fuzz_hns_endpointstats) files=("$ex"/hns/endpointstats/*.json "$fx/hns/endpointstats.json" "$vx"/endpointstats-*.json "$vx"/failure-*.json) ;;
    fuzz_containerd_spec) files=("$fx"/containerd-node/containerd/*/config.json) ;;
    fuzz_hcn_endpoint) files=("$fx"/containerd-node/hcn/endpoints/*.json "$vx"/hcn-*.json) ;;
    fuzz_adapters) files=("$ex/adapters.json") ;;
    fuzz_cns_ipaddresses) files=("$fx"/cns/*.json) ;;
    fuzz_hns_service) files=("$ex/hns/service.json") ;;
    fuzz_cni_conflist) files=("$ex/10-azure.conflist" "$ovl/10-azure.conflist" "$fx"/cns-*/10-azure.conflist) ;;
    fuzz_cns_state) files=("$ovl/azure-cns.json" "$fx"/cns-*/azure-cns.json) ;;
    fuzz_cns_endpoints) files=("$fx/cns-stateless/azure-endpoints.json") ;;
    fuzz_netaddr)
      printf '%s' '//8AAA==' >"$d/mask"; printf '%s' 'ABVd6G6n' >"$d/mac64"; printf '%s' '00-15-5D-E8-63-D5' >"$d/mac"
      printf '%s' '{62F746B4-84E6-4CEB-95BD-447E7184D454}' >"$d/guid"; printf '%s' '2026-11-20T14:32:07.4412385+05:30' >"$d/time"
      printf '%s' '10.240.0.67' >"$d/ipv4"; printf 'v\xc3\xa9th\xff\xed\xa0\x80' >"$d/utf8"
      # Real-world variants: impossible dates, a leap second, Go's zero time, MAC and GUID forms.
      printf '%s' '2025-02-31T09:26:53Z' >"$d/time-feb31"; printf '%s' '2016-12-31T23:59:60Z' >"$d/time-leap"
      printf '%s' '0001-01-01T00:00:00Z' >"$d/time-zero"; printf '%s' '00:15:5D:3a:7C:11' >"$d/mac-colon-mixed"
      printf '%s' '{00000000-0000-0000-0000-000000000000}' >"$d/guid-zero"
      printf '%s' 'FD00:10:244:1::0005' >"$d/ipv6"; printf '%s' '::ffff:10.0.0.1' >"$d/ipv6-mapped" ;;
    fuzz_config)
      printf '%s' '{"poll.interval": "10s", "poll.timeout": "1m30s", "web.listen-address": "127.0.0.1:0", "log.level": "debug"}' >"$d/config.json"
      printf '%s' '{"source.replay": "examples/aks-windows-node", "web.telemetry-path": "/m", "source.adapters": "none"}' >"$d/replay.json"
      printf 'dump\n--format=json\n--config.file=c.json\n--poll.interval=500ms\0{"cni.ipam-state": "/var/run/x.json"}' >"$d/flags" ;;
    fuzz_web_config)
      sed -n '/^```yaml$/,/^```$/p' "$root/README.md" | sed '1d;$d' >"$d/readme.yml"
      printf 'basic_auth_users:\n  "alice": '"'"'$2y$10$abcdefghijklmnopqrstuu5Q0sVBz9bsMzBZ1bFzPzM8Gm5Pu1Sq'"'"'\n' >"$d/users.yml" ;;
    fuzz_node_page)
      local f=("$ex/azure-vnet-ipam.json" "$ex/azure-vnet.json" "$ex/hns/endpoints.json" "$ex/hns/networks.json" "$ex/adapters.json")
      { cat "${f[0]}"; printf '\0'; cat "${f[1]}"; printf '\0'; cat "${f[2]}"; printf '\0'; cat "${f[3]}"; printf '\0'; cat "${f[4]}"; } >"$d/capture"
      local v=("$fx/ipam/variant-go-zero-time.json" "$fx/cni/variant-guid-forms.json" "$vx/endpoints-guid-forms.json" "$vx/networks-enum-case.json" "$ex/adapters.json")
      { cat "${v[0]}"; printf '\0'; cat "${v[1]}"; printf '\0'; cat "${v[2]}"; printf '\0'; cat "${v[3]}"; printf '\0'; cat "${v[4]}"; } >"$d/capture-variants" ;;
    *) echo "fuzz/run.sh: unknown target $t" >&2; return 1 ;;
  esac
  local f i=0
  for f in "${files[@]}"; do
    [[ -e "$f" ]] || continue
    i=$((i + 1))
    ln -s "$f" "$d/$i-$(basename "$f")"
  done
  echo "$d"
}

# run_one TARGET: writes $work/results/TARGET ("target seconds executions corpus result").
run_one() {
  local t="$1" bin="$bdir/fuzz/$1"
  local corpus="$work/corpus/$t" art="$work/artifacts/$t" log="$work/logs/$t.log"
  mkdir -p "$corpus" "$art" "$work/logs" "$work/results"
  [[ -x "$bin" ]] || { echo "$t 0 0 0 not-built" >"$work/results/$t"; return; }
  local seed_dir dict=()
  seed_dir="$(seeds "$t")"
  [[ "$t" == fuzz_web_config || "$t" == fuzz_netaddr ]] || dict=(-dict="$root/fuzz/json.dict")
  local rc=0 start=$SECONDS
  # -timeout: one input taking longer is a hang; -rss_limit_mb: a memory blow-up.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$art/" "${dict[@]}" "$corpus" "$seed_dir" >"$log" 2>&1 || rc=$?
  local execs units result=ok
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  units="$(find "$corpus" -type f | wc -l)"
  if ((rc != 0)); then
    result="FAILED(exit $rc): $(ls "$art" 2>/dev/null | head -3 | tr '\n' ' ')"
  fi
  echo "$t $((SECONDS - start)) ${execs:-0} $units $result" >"$work/results/$t"
}

rm -rf "$work/results"
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
total=0
printf '%-24s %8s %14s %8s  %s\n' target seconds executions corpus result | tee "$work/summary.txt"
for t in "${targets[@]}"; do
  read -r name secs execs units result <"$work/results/$t"
  printf '%-24s %8s %14s %8s  %s\n' "$name" "$secs" "$execs" "$units" "$result" | tee -a "$work/summary.txt"
  total=$((total + execs))
  if [[ "$result" != ok ]]; then
    failed=1
    echo "--- $name: last lines of $work/logs/$name.log" >&2
    tail -n 40 "$work/logs/$name.log" >&2
    echo "--- reproduce: $bdir/fuzz/$name $work/artifacts/$name/<file>" >&2
  fi
done
echo "total executions: $total" | tee -a "$work/summary.txt"
exit "$failed"
