#!/usr/bin/env bash
# Golden end-to-end test (node_exporter's end-to-end-test.sh style): the real
# binary serves the example capture; /metrics, minus time-varying lines, must
# equal tests/golden/aks-windows-node.prom. `-u` or UPDATE_GOLDEN=1 rewrites it.
# GOLDEN_EXAMPLE=<name of a directory under examples/> replays that example
# against tests/golden/<name>.prom instead (e2e.golden_overlay);
# GOLDEN_CAPTURE (a capture directory) and GOLDEN_FILE compare another capture
# with its golden file (tests/golden/hns-consistency.prom).
#   golden_test.sh PATH_TO_winnet_exporter [-u]
BIN="$1"; shift || true
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ -n "${GOLDEN_EXAMPLE:-}" ]]; then EXAMPLE="$ROOT/examples/$GOLDEN_EXAMPLE"; fi
CAPTURE="${GOLDEN_CAPTURE:-$EXAMPLE}"
GOLDEN="${GOLDEN_FILE:-$ROOT/tests/golden/$(basename "$EXAMPLE").prom}"
update="${UPDATE_GOLDEN:-0}"
[[ "${1:-}" == "-u" ]] && update=1

# Stale remote endpoints count from the first cycle, whenever the scrape comes.
start_exporter "$WORK/exporter.log" --source.replay="$CAPTURE" --web.listen-address=127.0.0.1:0 \
  --poll.interval=1s --hns.stale-remote-cycles=1
wait_ready "$EXPORTER_ADDR"
curl -sf "http://$EXPORTER_ADDR/metrics" >"$WORK/metrics.prom" || fail "GET /metrics failed"

# Lines that change from run to run: durations, timestamps, the git revision,
# the HNS call durations (their HELP and TYPE stay; their values are checked below).
unstable='^winnet_exporter_source_(duration_seconds|last_success_timestamp_seconds)\{|^winnet_exporter_build_info\{|^winnet_hns_call_duration_seconds_(bucket|sum|count)\{'
grep -v -E "$unstable" "$WORK/metrics.prom" >"$WORK/stable.prom"

# The two writers of /metrics (README, "Two writers for the text format") differ
# only in how they print a value: the own writer the shortest form that reads
# back exactly, prometheus-cpp 16 significant digits (a C++ stream with
# precision 16, as printf's %.16g), so 1795185127.4412384 becomes
# 1795185127.441238. The golden file is in the own writer's form; for
# prometheus-cpp every value in it is printed as prometheus-cpp prints it, and
# the comparison stays an exact diff. CTest says which writer the build uses.
writer="${WINNET_TEXT_WRITER:-native}"
case "$writer" in
  native) expected="$GOLDEN" ;;
  prometheus-cpp)
    expected="$WORK/golden.prometheus-cpp.prom"
    awk '/^#/ || $NF !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ { print; next }
         { v = $NF; sub(/ [^ ]*$/, ""); printf "%s %.16g\n", $0, v }' "$GOLDEN" >"$expected"
    ;;
  *) fail "WINNET_TEXT_WRITER=$writer: native or prometheus-cpp" ;;
esac

if [[ "$update" == 1 ]]; then
  [[ "$writer" == native ]] || fail "rewrite the golden file with a build that uses the own writer"
  cp "$WORK/stable.prom" "$GOLDEN"
  echo "golden file rewritten: $GOLDEN"
else
  diff -u "$expected" "$WORK/stable.prom" ||
    fail "/metrics ($writer writer) differs from $GOLDEN (rerun with -u if intended)"
fi

# The dropped families must still be there, with sane values.
grep -q '^winnet_exporter_build_info{version="[0-9.]*",revision="[^"]*",platform="linux"} 1$' "$WORK/metrics.prom" \
  || fail "build_info missing or malformed"
for s in ${GOLDEN_SOURCES:-ipam_state network_state hns adapters}; do
  grep -q "^winnet_exporter_source_last_success_timestamp_seconds{source=\"$s\"} 1[0-9]\{9\}" "$WORK/metrics.prom" \
    || fail "last success timestamp of $s missing"
done

# Each cycle lists endpoints once and asks stats of every local endpoint.
if grep -q '^winnet_hns_call_duration_seconds_count{call="endpoints"}' "$WORK/metrics.prom"; then
  lists=$(awk -F'} ' '/^winnet_hns_call_duration_seconds_count\{call="endpoints"\}/ {print $2}' "$WORK/metrics.prom")
  inf=$(awk -F'} ' '/^winnet_hns_call_duration_seconds_bucket\{call="endpoints",le="\+Inf"\}/ {print $2}' "$WORK/metrics.prom")
  [[ "$lists" -ge 1 && "$inf" == "$lists" ]] || fail "HNS call histogram: endpoints count $lists, +Inf bucket $inf"
fi

# Gzip when asked, same content.
curl -sf -H 'Accept-Encoding: gzip' "http://$EXPORTER_ADDR/metrics" | gzip -dc >"$WORK/gz.prom" \
  || fail "gzip response is not gzip"
grep -v -E "$unstable" "$WORK/gz.prom" | diff -q - "$WORK/stable.prom" >/dev/null || fail "gzip body differs"

if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/metrics.prom" || fail "promtool check metrics found problems"
else
  echo "promtool not installed: lint skipped"
fi

# Clean stop on SIGTERM: exit code 0 and a final log line.
kill -TERM "$EXPORTER_PID"
rc=0
wait "$EXPORTER_PID" || rc=$?
[[ $rc == 0 ]] || fail "exit code $rc after SIGTERM"
grep -q "stopped cleanly" "$WORK/exporter.log" || fail "no clean-stop log line"
echo "golden: ok ($(wc -l <"$WORK/stable.prom") lines compared, $writer writer)"
