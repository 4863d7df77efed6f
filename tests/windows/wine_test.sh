#!/usr/bin/env bash
# The Windows build, exercised under Wine. Cross-builds with mingw-w64
# (deploy/windows/build-mingw.sh), then in one pre-warmed Wine prefix:
#   1. the unit tests, through ctest;
#   2. the golden replay: /metrics equal to tests/golden/aks-windows-node.prom
#      (build_info aside), gzip, promtool, clean stop on Ctrl-C; without
#      --console, the fall back from the SCM attempt to the console;
#   3. live mode: Wine has no HNS, so /healthz reports it unavailable while the
#      rest serves; adapters from GetIfTable2Ex (the host's interfaces); state
#      files from C:\k, then C:\Windows\System32;
#   4. HNS v1 through a stand-in vmcompute.dll in System32: HNS metrics equal
#      the golden ones, and every answer it handed out was freed with
#      CoTaskMemFree (its ledger, tests/windows/fake_cotask_ledger.h);
#      `capture --out` records the node and replays the same;
#      a hanging HNSCall times out without stopping the rest; a DLL without
#      the export is reported; HCN v2 through a stand-in computenetwork.dll
#      and containerd specs name the pods of tests/fixtures/containerd-node;
#   5. the service through Wine's SCM: service install, sc start, scrape,
#      stop (watched: RUNNING, STOP_PENDING, STOPPED), service uninstall;
#   6. 256 stalled clients leave a scrape under 1 s;
#   7. CNS API: the exe asks a CNS stand-in (a Linux process) on loopback: ok,
#      captured verbatim; a 500 and a slow answer fail that source only;
#   8. figures: exe size, RSS, /metrics latency.
#   The HNS service's health runs against a stand-in hns service registered in
#   Wine's SCM (hns_service_step), before the figures.
#   wine_test.sh BUILD_DIR      the mingw-w64 build tree (made when missing)
#
# Wine 8.0's wineserver can abort on an assertion in its server/sock.c
# (complete_async_poll, when a socket poll's timeout expires just as one of its
# sockets is signalled): Wine's bug, not ours, and the Wine programs of the
# moment then hang. Only when wineserver's own log shows that assertion, a
# failed step runs once more with a new wineserver: the failed unit tests, or
# every step after the unit tests.
set -euo pipefail
BUILD="${1:?usage: wine_test.sh BUILD_DIR}"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"
CRASHED_MARK="$BUILD/.wineserver-crashed" UNIT_PASSED_MARK="$BUILD/.wine-unit-tests-passed"
if [[ -z "${WINE_TEST_ATTEMPT:-}" ]]; then
  rm -f "$CRASHED_MARK" "$UNIT_PASSED_MARK"
  rc=0
  WINE_TEST_ATTEMPT=1 bash "${BASH_SOURCE[0]}" "$BUILD" || rc=$?
  [[ $rc -ne 0 && -f "$CRASHED_MARK" && -f "$UNIT_PASSED_MARK" ]] || exit "$rc"
  echo "--- wineserver died during a step after the unit tests; those steps once more, with a new wineserver"
  rm -f "$CRASHED_MARK"
  WINE_TEST_ATTEMPT=2 exec bash "${BASH_SOURCE[0]}" "$BUILD"
fi
BIN=none
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
GOLDEN="$ROOT/tests/golden/aks-windows-node.prom"
cd "$ROOT"

have_tools() { command -v x86_64-w64-mingw32-g++-posix >/dev/null && command -v wine >/dev/null; }
if ! have_tools && [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: mingw-w64 or Wine not installed (deploy/debian/install-deps.sh windows)"
  exit 77
fi

T0=$SECONDS
step() { echo "--- $* (at $((SECONDS - T0)) s)"; }

step "cross-build"
timeout 1200 bash "$ROOT/deploy/windows/build-mingw.sh" "$BUILD" >"$WORK/build.log" 2>&1 \
  || { tail -50 "$WORK/build.log" >&2; fail "cross-build failed"; }
tail -1 "$WORK/build.log"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"
EXE="$BUILD/winnet_exporter.exe"

export WINEPREFIX="$BUILD/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
C_DRIVE="$WINEPREFIX/drive_c"
SYS32="$C_DRIVE/windows/system32"

# Wine programs must never inherit ctest's pipes (Wine's own services would keep
# them open): every call below redirects stdin, stdout and stderr.
w() { timeout "${WT:-60}" wine "$@" </dev/null; }

extra_cleanup() {
  if [[ -s "${WSLOG:-}" ]]; then
    echo "wineserver's own output:" >&2
    tail -20 "$WSLOG" >&2
  fi
  if [[ ${WINE_TEST_ATTEMPT:-} == 1 ]] && wineserver_crashed; then touch "$CRASHED_MARK"; fi
  if [[ -n "${WINEPREFIX:-}" && -d "$WINEPREFIX" ]]; then
    w sc stop winnet_exporter >/dev/null 2>&1 || true
    w sc delete winnet_exporter >/dev/null 2>&1 || true
    rm -f "$SYS32/vmcompute.dll" "$SYS32/computenetwork.dll" "$SYS32/azure-vnet.json" "$SYS32/azure-vnet-ipam.json"
    rm -rf "$C_DRIVE/k"
    timeout 30 wineserver -k >/dev/null 2>&1 || true
  fi
}

step "Wine prefix"
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
  timeout 300 wineboot --init </dev/null >/dev/null 2>&1 || fail "wineboot --init failed"
fi
# A persistent wineserver (a service lives only as long as it does), warmed
# up (its own services started) before any test; first let a server of an
# earlier command exit, or -p would not take. It lingers 60 s after the last
# Wine program ends, so an interrupted run leaves nothing behind for long.
# Its stderr goes to a log: when wineserver itself dies, the Wine programs of
# the moment just hang, and only this log says why.
WSLOG="$WORK/wineserver.log"
start_wineserver() {
  timeout 60 wineserver -w </dev/null >/dev/null 2>&1 || true
  timeout 30 wineserver -p60 </dev/null >/dev/null 2>>"$WSLOG" || true
  w cmd /c exit >/dev/null 2>&1 || fail "Wine does not start"
}
# The wineserver crash described at the top of this script.
wineserver_crashed() { grep -q "Assertion .* failed" "$WSLOG" 2>/dev/null; }
# True when ctest's log LOG lists failed tests and none of them printed a line
# of its own: Wine did not start the test program (it prints "Running main()"
# first), so the test never ran. A test that ran and failed prints it, and is a
# real failure; a log without failed tests (ctest itself failed) is one too.
only_unstarted_failures() {
  awk '/\*\*\*(Failed|Timeout|Exception)/ {failed = 1; quiet = 1; n++; next}
       failed && /Running main\(\)/ {quiet = 0}
       failed && /Start +[0-9]+:|tests passed/ {if (!quiet) ran = 1; failed = 0}
       END {if (failed && !quiet) ran = 1; exit (ran || n == 0)}' "$1"
}
start_wineserver
# Leftovers of an interrupted run.
w sc delete winnet_exporter >/dev/null 2>&1 || true
rm -f "$SYS32/vmcompute.dll" "$SYS32/azure-vnet.json" "$SYS32/azure-vnet-ipam.json"
rm -rf "$C_DRIVE/k"

# One at a time: some tests measure latencies that parallel Wine processes would skew.
if [[ ${WINE_TEST_ATTEMPT:-} == 2 ]]; then
  step "unit tests under Wine: passed in the first attempt"
else
  step "unit tests under Wine (ctest)"
  # --rerun-failed reads this list; a run without failures leaves an old one.
  rm -f "$BUILD"/Testing/Temporary/LastTestsFailed*.log
  ctest_rc=0
  timeout 900 ctest --test-dir "$BUILD" --timeout 120 --output-on-failure </dev/null >"$WORK/ctest.log" 2>&1 \
    || ctest_rc=$?
  if ((ctest_rc == 0)); then
    grep -E "tests passed|Total Test time" "$WORK/ctest.log"
  elif ((ctest_rc != 124)) && ! wineserver_crashed && only_unstarted_failures "$WORK/ctest.log"; then
    grep -E "\((Failed|Timeout|SEGFAULT|Exception)\)$" "$WORK/ctest.log" || true
    echo "Wine did not start the program of these tests (no output of theirs): once more"
    timeout 600 ctest --test-dir "$BUILD" --rerun-failed --timeout 120 --output-on-failure </dev/null \
      >"$WORK/ctest-rerun.log" 2>&1 \
      || { cat "$WORK/ctest-rerun.log" >&2; fail "unit tests failed under Wine, again when run once more"; }
    grep -E "tests passed" "$WORK/ctest-rerun.log"
  else
    wineserver_crashed || { cat "$WORK/ctest.log" >&2; fail "unit tests failed under Wine"; }
    grep -E "tests passed|\((Failed|Timeout|SEGFAULT|Exception)\)$" "$WORK/ctest.log" || true
    echo "wineserver died during the unit tests: $(grep -m1 "Assertion" "$WSLOG")"
    echo "the failed tests once more, with a new wineserver"
    mv "$WSLOG" "$WORK/wineserver-crashed.log"
    timeout 30 wineserver -k >/dev/null 2>&1 || true
    start_wineserver
    timeout 600 ctest --test-dir "$BUILD" --rerun-failed --timeout 120 --output-on-failure </dev/null \
      >"$WORK/ctest-rerun.log" 2>&1 \
      || { cat "$WORK/ctest-rerun.log" >&2; fail "unit tests failed under Wine, again after a wineserver crash"; }
    grep -E "tests passed" "$WORK/ctest-rerun.log"
  fi
  touch "$UNIT_PASSED_MARK"
fi

# win_start LOG ARGS...: starts the exe under Wine; sets WPID and WADDR.
# An exe that exits having printed nothing at all was not started by Wine (as
# exe_run tells below) and is started once more; any output makes it real.
win_start() {
  local log="$1" attempt rc
  shift
  for attempt in 1 2; do
    win_launch "$log" "$@" && return 0
    rc=0
    wait "$WPID" || rc=$?
    [[ -s "$log" || $attempt == 2 ]] && { cat "$log" >&2; fail "exporter exited early (exit code $rc)"; }
    echo "Wine did not start the exe ($(basename "$log"): exit code $rc, no output at all): once more"
  done
}
# win_launch LOG ARGS...: one start; false when the exe exited before it
# reported its address.
win_launch() {
  local log="$1"
  shift
  : >"$log"  # there before the first look below: the job opens it only once started
  wine "$EXE" "$@" </dev/null >"$log" 2>&1 &
  WPID=$!
  PIDS+=("$WPID")
  WADDR=""
  for _ in $(seq 1 300); do
    WADDR="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$WADDR" ]] && return 0
    kill -0 "$WPID" 2>/dev/null || return 1
    sleep 0.1
  done
  cat "$log" >&2
  fail "exporter did not report its address"
}

# wait_http ADDR: until /healthz answers 200 (first poll cycle done).
wait_http() {
  for _ in $(seq 1 200); do
    [[ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$1/healthz")" == 200 ]] && return 0
    sleep 0.1
  done
  fail "no 200 from http://$1/healthz"
}

# win_stop LOG: Ctrl-C (Wine turns SIGINT into CTRL_C_EVENT), then exit code 0
# and a clean-stop log line.
win_stop() {
  local log="$1" rc=0
  kill -INT "$WPID"
  for _ in $(seq 1 150); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$WPID" 2>/dev/null && { cat "$log" >&2; fail "no exit within 15 s of Ctrl-C"; }
  wait "$WPID" || rc=$?
  [[ $rc == 0 ]] || { cat "$log" >&2; fail "exit code $rc after Ctrl-C"; }
  grep -q "received Ctrl-C, shutting down" "$log" || fail "Ctrl-C not seen as a stop request"
  grep -q "stopped cleanly" "$log" || fail "no clean-stop log line"
}

stable() {
  grep -v -E '^winnet_exporter_source_(duration_seconds|last_success_timestamp_seconds)\{|^winnet_exporter_build_info\{|^winnet_hns_call_duration_seconds_(bucket|sum|count)\{' "$1"
}

# expect_freed FILE WHAT: a stand-in DLL's ledger, written when the exe exited
# (tests/windows/fake_cotask_ledger.h), says that every string it handed out
# came back through CoTaskMemFree.
expect_freed() {
  local file="$1" what="$2" line
  [[ -f "$file" ]] || fail "$what: no ledger written (did the exe exit cleanly?)"
  line="$(tr -d '\r' <"$file")"
  [[ "$line" =~ ^handed_out=([0-9]+)\ freed=([0-9]+)\ untracked=([0-9]+)$ ]] || fail "$what: ledger '$line'"
  local handed="${BASH_REMATCH[1]}" freed="${BASH_REMATCH[2]}" untracked="${BASH_REMATCH[3]}"
  [[ $untracked == 0 ]] || fail "$what: $untracked of $handed answers could not be tracked"
  [[ $handed -gt 0 ]] || fail "$what: no answers handed out"
  [[ $freed == "$handed" ]] || fail "$what: $((handed - freed)) of $handed answers never freed with CoTaskMemFree"
  echo "$what: all $handed answers freed with CoTaskMemFree"
}

step "golden replay"
win_start "$WORK/golden.log" --console --source.replay=examples/aks-windows-node \
  --web.listen-address=127.0.0.1:0 --poll.interval=1s --hns.stale-remote-cycles=1
wait_http "$WADDR"
curl -sf "http://$WADDR/metrics" >"$WORK/golden.prom" || fail "GET /metrics failed"
stable "$WORK/golden.prom" >"$WORK/golden.stable"
diff -u "$GOLDEN" "$WORK/golden.stable" || fail "Windows /metrics differs from $GOLDEN"
grep -q '^winnet_exporter_build_info{version="[0-9.]*",revision="[^"]*",platform="windows"} 1$' "$WORK/golden.prom" \
  || fail "build_info missing or not platform=windows"
curl -sf -H 'Accept-Encoding: gzip' "http://$WADDR/metrics" | gzip -dc | stable /dev/stdin \
  | diff -q - "$WORK/golden.stable" >/dev/null || fail "gzip body differs"
if command -v promtool >/dev/null; then
  promtool check metrics <"$WORK/golden.prom" || fail "promtool check metrics found problems"
fi
win_stop "$WORK/golden.log"
echo "golden: identical ($(wc -l <"$WORK/golden.stable") lines)"

# Paths with characters outside the ANSI code page: the exe reads its command
# line as UTF-16 and opens every file through one UTF-8 → path conversion, so
# replay, capture and --config.file all work from such a directory.
step "non-ASCII paths"
U="$WORK/節點-ä"
rm -rf "$U" && mkdir -p "$U" && cp -r examples/aks-windows-node "$U/capture"
# exe_run OUT ERR ARGS...: the exe with ARGS (UTF-8 locale), its stdout in OUT
# and stderr in ERR. A failure that printed nothing at all is Wine not starting
# the program (as only_unstarted_failures tells for the unit tests), and it is
# run once more; a failure with any output of the exe's is a real one.
exe_run() {
  local out="$1" err="$2"
  shift 2
  LC_ALL=C.UTF-8 w "$EXE" "$@" >"$out" 2>"$err" && return 0
  [[ -s "$out" || -s "$err" ]] && return 1
  echo "Wine did not start the exe for \"$1\" (no output at all): once more"
  LC_ALL=C.UTF-8 w "$EXE" "$@" >"$out" 2>"$err"
}
golden_dump() {  # golden_dump NAME ARGS...: a dump with ARGS equals the golden series
  local name="$1"
  shift
  exe_run "$WORK/$name.prom" "$WORK/$name.log" dump --hns.stale-remote-cycles=1 "$@" \
    || { cat "$WORK/$name.log" >&2; fail "$name: dump $* failed"; }
  stable "$WORK/$name.prom" | diff -u "$GOLDEN" - || fail "$name: series differ from $GOLDEN"
}
golden_dump unicode-replay --source.replay="$U/capture"
exe_run "$WORK/unicode-capture.out" "$WORK/unicode-capture.log" capture \
  --source.replay="$U/capture" --out="$U/recaptured" \
  || { cat "$WORK/unicode-capture.out" "$WORK/unicode-capture.log" >&2; fail "capture into $U failed"; }
[[ -f "$U/recaptured/azure-vnet-ipam.json" ]] || fail "capture did not write into $U/recaptured"
golden_dump unicode-recaptured --source.replay="$U/recaptured"
printf '{"source.replay": "%s"}\n' "$U/capture" >"$U/config.json"
golden_dump unicode-config --config.file="$U/config.json"
echo "non-ASCII paths: replay, capture and --config.file under $(basename "$U")"

# Without --console the exe first asks to be a service; not started by the
# SCM, it gets ERROR_FAILED_SERVICE_CONTROLLER_CONNECT (after ~10 s under
# Wine, at once on Windows) and serves in the foreground.
step "console fallback without --console"
t_fallback=$SECONDS
win_start "$WORK/fallback.log" --source.replay=examples/aks-windows-node --web.listen-address=127.0.0.1:0
wait_http "$WADDR"
win_stop "$WORK/fallback.log"
echo "console fallback: serving $((SECONDS - t_fallback)) s after start without --console"

step "live mode (no HNS in Wine)"
mkdir -p "$C_DRIVE/k"
cp examples/aks-windows-node/azure-vnet-ipam.json examples/aks-windows-node/azure-vnet.json "$C_DRIVE/k/"
win_start "$WORK/live.log" --console --web.listen-address=127.0.0.1:0 --poll.interval=1s
wait_http "$WADDR"
curl -sf "http://$WADDR/healthz" >"$WORK/live.health"
curl -sf "http://$WADDR/metrics" >"$WORK/live.prom"
cat "$WORK/live.health"
grep -q '^hns: unavailable: vmcompute.dll cannot be loaded from System32' "$WORK/live.health" || fail "HNS not reported unavailable"
grep -q '^ipam_state: ok (C:\\k\\azure-vnet-ipam.json)' "$WORK/live.health" || fail "IPAM state not read from C:\\k"
grep -q '^network_state: ok (C:\\k\\azure-vnet.json)' "$WORK/live.health" || fail "CNI state not read from C:\\k"
grep -q '^adapters: ok (GetIfTable2Ex(MibIfTableRaw))' "$WORK/live.health" || fail "adapters not ok"
grep -q 'winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' "$WORK/live.prom" || fail "IPAM pool not served"
grep -q 'winnet_ipam_pool_allocated_ips{subnet="10.240.0.0/16"} 7$' "$WORK/live.prom" || fail "IPAM allocation not served"
# Wine's GetIfTable2Ex lists the host's interfaces with the host's counters.
lo_scraped="$(sed -n 's/^winnet_adapter_receive_bytes_total{adapter="lo",[^}]*} \([0-9]*\)$/\1/p' "$WORK/live.prom")"
lo_now="$(cat /sys/class/net/lo/statistics/rx_bytes)"
[[ -n "$lo_scraped" && "$lo_scraped" -gt 0 && "$lo_scraped" -le "$lo_now" ]] \
  || fail "loopback counter $lo_scraped does not match the host's ($lo_now)"
echo "live: $(grep -c '^winnet_adapter_info{' "$WORK/live.prom") adapters, lo received $lo_scraped bytes (host: $lo_now)"
win_stop "$WORK/live.log"

# No C:\k: the state files are looked for in System32.
rm -rf "$C_DRIVE/k"
cp examples/aks-windows-node/azure-vnet-ipam.json "$SYS32/"
w "$EXE" dump >"$WORK/sys32.prom" 2>"$WORK/sys32.log" || { cat "$WORK/sys32.log" >&2; fail "dump failed"; }
rm -f "$SYS32/azure-vnet-ipam.json"
grep -qi 'source ipam_state: ok (C:\\windows\\system32\\azure-vnet-ipam.json' "$WORK/sys32.log" \
  || { cat "$WORK/sys32.log" >&2; fail "state file not found in System32"; }
grep -q $'\r' "$WORK/sys32.prom" && fail "dump wrote \\r\\n line ends"
grep -q 'winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' "$WORK/sys32.prom" || fail "System32 state not used"
echo "live: state files found in C:\\k and, without it, in System32"

step "HNS v1 through a stand-in vmcompute.dll"
FAKE="$BUILD/tests/fake_vmcompute"
mkdir -p "$C_DRIVE/k"
cp examples/aks-windows-node/azure-vnet-ipam.json examples/aks-windows-node/azure-vnet.json "$C_DRIVE/k/"
cp "$FAKE/hnscall/vmcompute.dll" "$SYS32/vmcompute.dll"
export WINNET_FAKE_CAPTURE_DIR="Z:$ROOT/examples/aks-windows-node"
export WINNET_FAKE_HNS_ANSWERS="Z:$WORK/hns-answers.txt"
win_start "$WORK/hns.log" --console --web.listen-address=127.0.0.1:0 --poll.interval=1s \
  --hns.stale-remote-cycles=1
wait_http "$WADDR"
sleep 2  # a few poll cycles, each with a call per list and per local endpoint
curl -sf "http://$WADDR/healthz" >"$WORK/hns.health"
curl -sf "http://$WADDR/metrics" >"$WORK/hns.prom"
grep -q '^hns: ok (HNS v1 (vmcompute.dll!HNSCall); HCN v2 unavailable: computenetwork.dll cannot be loaded from System32' \
  "$WORK/hns.health" || { cat "$WORK/hns.health"; fail "HNS source not ok, or HCN v2 not reported unavailable"; }
# The HNS service's series have their own step (hns_service_step): Wine has no hns service here.
# The HNS call durations differ from run to run.
no_service() { grep -v -E '^winnet_hns_(service|process)_|^winnet_hns_call_duration_seconds_' || true; }
for family in winnet_hns_ winnet_pod_network_ winnet_ipam_; do
  diff -u <(grep "^$family" "$GOLDEN" | no_service) <(grep "^$family" "$WORK/hns.prom" | no_service) \
    || fail "live $family* series differ from the golden replay"
done
win_stop "$WORK/hns.log"
echo "hns: HNSCall answers give the golden HNS, pod traffic and IPAM series"
expect_freed "$WORK/hns-answers.txt" "hns (serving)"

# capture --out of this live node: the HNS answers and state files as read,
# and a replay of the capture gives the same series again.
rm -f "$WORK/hns-answers.txt"
w "$EXE" capture --out="$WORK/capture" >"$WORK/capture.log" 2>&1 || { cat "$WORK/capture.log" >&2; fail "capture failed"; }
expect_freed "$WORK/hns-answers.txt" "hns (capture)"
unset WINNET_FAKE_HNS_ANSWERS
for f in azure-vnet-ipam.json azure-vnet.json hns/endpoints.json hns/networks.json hns/policylists.json; do
  cmp -s "examples/aks-windows-node/$f" "$WORK/capture/$f" || fail "capture: $f differs from what HNSCall/the file gave"
done
[[ "$(ls "$WORK/capture/hns/endpointstats" | wc -l)" == 7 ]] || fail "capture: not one stats file per local endpoint"
grep -q '"Alias": "lo"' "$WORK/capture/adapters.json" || fail "capture: adapters.json lacks the live interfaces"
w "$EXE" dump --hns.stale-remote-cycles=1 --source.replay="$WORK/capture" >"$WORK/recaptured.prom" 2>/dev/null || fail "dump of the capture failed"
for family in winnet_hns_ winnet_pod_network_ winnet_ipam_; do
  diff -u <(grep "^$family" "$GOLDEN" | no_service) <(grep "^$family" "$WORK/recaptured.prom" | no_service) \
    || fail "replay of the capture: $family* series differ"
done
echo "capture: $(find "$WORK/capture" -type f | wc -l) files from the live node; replaying them gives the same series"

# HNS hangs: the call times out, the rest keeps serving, no thread piles up.
export WINNET_FAKE_HNS_HANG=1
win_start "$WORK/hang.log" --console --web.listen-address=127.0.0.1:0 --poll.interval=500ms --poll.timeout=1s
unset WINNET_FAKE_HNS_HANG
wait_http "$WADDR"
threads_before=$(ls "/proc/$WPID/task" | wc -l)
sleep 4
threads_after=$(ls "/proc/$WPID/task" | wc -l)
curl -sf -m 2 "http://$WADDR/healthz" >"$WORK/hang.health" || fail "/healthz blocked by a hung HNS call"
curl -sf -m 2 "http://$WADDR/metrics" >"$WORK/hang.prom" || fail "/metrics blocked by a hung HNS call"
grep -q '^hns: failing, no data: timed out' "$WORK/hang.health" || { cat "$WORK/hang.health"; fail "hung HNS not reported"; }
grep -q '^ipam_state: ok' "$WORK/hang.health" || fail "IPAM stopped while HNS hangs"
grep -q '^winnet_exporter_source_success{source="hns"} 0$' "$WORK/hang.prom" || fail "hns success not 0"
[[ $threads_after -le $threads_before ]] || fail "threads grew from $threads_before to $threads_after while HNS hangs"
win_stop "$WORK/hang.log"
echo "hns: a hanging HNSCall times out after 1 s, the rest serves, threads stay at $threads_after, Ctrl-C still stops"

# One endpoint's stats call hangs: only that endpoint's stats are given up;
# the other endpoints' stats stay fresh, the source stays ok, threads stay bounded.
hung_id=2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2 fresh_id=944782D7-3418-42C5-9B24-10A6F0AE1284
rm -rf "$WORK/hangcap"
cp -r examples/aks-windows-node "$WORK/hangcap"
export WINNET_FAKE_CAPTURE_DIR="Z:$WORK/hangcap" WINNET_FAKE_HNS_HANG_ENDPOINT="$hung_id"
win_start "$WORK/hang1.log" --console --web.listen-address=127.0.0.1:0 --poll.interval=1s \
  --poll.timeout=4s --hns.call-timeout=1s
unset WINNET_FAKE_HNS_HANG_ENDPOINT
wait_http "$WADDR"
sleep 3
threads_before=$(ls "/proc/$WPID/task" | wc -l)
sed -i 's/"BytesReceived":3918442617/"BytesReceived":3918443617/' "$WORK/hangcap/hns/endpointstats/$fresh_id.json"
sleep 3
threads_after=$(ls "/proc/$WPID/task" | wc -l)
curl -sf -m 2 "http://$WADDR/healthz" >"$WORK/hang1.health" || fail "/healthz failed with one hung stats call"
curl -sf -m 2 "http://$WADDR/metrics" >"$WORK/hang1.prom" || fail "/metrics failed with one hung stats call"
grep -q '^hns: ok' "$WORK/hang1.health" || { cat "$WORK/hang1.health"; fail "one hung stats call failed the HNS source"; }
# The call hangs from the first cycle: the endpoint never had stats to keep.
grep -q "^  skipped: HNS GET /endpointstats/$hung_id: not asked again: its call of an earlier cycle, started .*, has not returned\$" \
  "$WORK/hang1.health" || { cat "$WORK/hang1.health"; fail "the hung endpoint is not reported as a skipped item"; }
[[ "$(grep -c '^  skipped:' "$WORK/hang1.health")" == 1 ]] || { cat "$WORK/hang1.health"; fail "more than the hung endpoint skipped"; }
grep -q "^winnet_pod_network_receive_bytes_total{namespace=\"default\",pod=\"wintcpserver\",endpoint_id=\"${fresh_id,,}\"} 3918443617\$" \
  "$WORK/hang1.prom" || fail "another endpoint's stats did not stay fresh while one call hangs"
[[ "$(grep -c '^winnet_pod_network_receive_bytes_total{' "$WORK/hang1.prom")" == 6 ]] \
  || fail "not exactly the 6 endpoints without a hung call have stats"
grep -q '^winnet_hns_call_timeouts_total{call="endpointstats"} 1$' "$WORK/hang1.prom" || fail "the given-up call is not counted once"
grep -q '^winnet_hns_calls_hung{call="endpointstats"} 1$' "$WORK/hang1.prom" || fail "the hung call is not shown as hung"
grep -q '^winnet_exporter_source_success{source="hns"} 1$' "$WORK/hang1.prom" || fail "hns success not 1"
[[ $threads_after -le $threads_before ]] || fail "threads grew from $threads_before to $threads_after while one stats call hangs"
win_stop "$WORK/hang1.log"
echo "hns: one endpoint's stats call hangs: given up after 1 s and not asked again; the other 6 stay fresh, threads stay at $threads_after (keeping an endpoint's last stats is a unit test)"
export WINNET_FAKE_CAPTURE_DIR="Z:$ROOT/examples/aks-windows-node"
unset WINNET_FAKE_CAPTURE_DIR

cp "$FAKE/noexport/vmcompute.dll" "$SYS32/vmcompute.dll"
w "$EXE" dump >/dev/null 2>"$WORK/noexport.log" || { cat "$WORK/noexport.log" >&2; fail "dump failed"; }
rm -f "$SYS32/vmcompute.dll"
grep -q 'source hns: unavailable: vmcompute.dll has no HNSCall export' "$WORK/noexport.log" \
  || { cat "$WORK/noexport.log" >&2; fail "missing export not reported"; }
echo "hns: a vmcompute.dll without HNSCall is reported, not fatal"
rm -rf "$C_DRIVE/k"

step "HCN v2 and containerd pod mapping through stand-in DLLs"
# tests/fixtures/containerd-node: azure-vnet.json without pod names; one pod is
# only found through its HCN v2 HostComputeNamespace, the others through
# containerd's specs by sandbox id, v1 namespace and SharedContainers.
CD="$ROOT/tests/fixtures/containerd-node"
cp "$FAKE/hnscall/vmcompute.dll" "$SYS32/vmcompute.dll"
cp "$BUILD/tests/fake_computenetwork/computenetwork.dll" "$SYS32/computenetwork.dll"
export WINNET_FAKE_CAPTURE_DIR="Z:$CD" WINNET_FAKE_HCN_LEAKS="Z:$WORK/hcn-open.txt" \
  WINNET_FAKE_HNS_ANSWERS="Z:$WORK/hcn-v1-answers.txt" WINNET_FAKE_HCN_ANSWERS="Z:$WORK/hcn-v2-answers.txt"
w "$EXE" dump --source.adapters=none --cni.network-state="Z:$CD/azure-vnet.json" --cni.ipam-state="Z:$WORK/none.json" \
  --containerd.state-dir="Z:$CD/containerd" >"$WORK/hcn.prom" 2>"$WORK/hcn.log" || { cat "$WORK/hcn.log" >&2; fail "dump failed"; }
unset WINNET_FAKE_CAPTURE_DIR WINNET_FAKE_HCN_LEAKS WINNET_FAKE_HNS_ANSWERS WINNET_FAKE_HCN_ANSWERS
rm -f "$SYS32/vmcompute.dll" "$SYS32/computenetwork.dll"
grep -q 'source hns: ok (HNS v1 (vmcompute.dll!HNSCall); HCN v2 (computenetwork.dll)' "$WORK/hcn.log" \
  || { cat "$WORK/hcn.log" >&2; fail "HCN v2 not loaded"; }
for pod in 'batch",pod="worker-x2' 'shop",pod="web-0' 'shop",pod="api-7f9c' 'default",pod="legacy-0' 'shop",pod="frontend-5d8f'; do
  grep -q "^winnet_hns_endpoint_info{.*namespace=\"$pod\"} 1" "$WORK/hcn.prom" || { cat "$WORK/hcn.prom" >&2; fail "no pod $pod"; }
done
grep -q '^winnet_hns_unmapped_endpoints 1$' "$WORK/hcn.prom" || fail "unmapped endpoints not 1"
grep -q 'source containerd: 1 item(s) skipped' "$WORK/hcn.log" || fail "the half-written spec is not reported"
[[ "$(tr -d '\r\n' <"$WORK/hcn-open.txt")" == 0 ]] || fail "HCN endpoint handles left open: $(cat "$WORK/hcn-open.txt")"
expect_freed "$WORK/hcn-v1-answers.txt" "hns v1 (with HCN v2)"
expect_freed "$WORK/hcn-v2-answers.txt" "hcn v2 (properties and error records)"
w "$EXE" dump --source.replay="Z:$CD" >"$WORK/hcn-replay.prom" 2>/dev/null || fail "dump of the fixture failed"
diff -u <(grep '^winnet_hns_' "$WORK/hcn-replay.prom" | no_service) <(grep '^winnet_hns_' "$WORK/hcn.prom" | no_service) \
  || fail "live HCN v2 + containerd differs from the replay of the same capture"
echo "hcn: v2 endpoint properties and containerd specs name all 5 pods (1 only through v2), every handle closed, every string freed, same as the replay"

step "Windows service through Wine's SCM"
port="$(free_port)"
w "$EXE" service install --source.replay=examples/aks-windows-node --web.listen-address="127.0.0.1:$port" \
  --poll.interval=1s --hns.stale-remote-cycles=1 >"$WORK/install.out" 2>&1 || { cat "$WORK/install.out" >&2; fail "service install failed"; }
cat "$WORK/install.out"
grep -qF "run --source.replay=Z:${ROOT//\//\\}\\examples\\aks-windows-node" "$WORK/install.out" \
  || fail "the replay path was not made absolute for the service"
EVENTLOG_KEY='HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\winnet_exporter'
w reg query "$EVENTLOG_KEY" 2>/dev/null | grep -q 'EventMessageFile.*EventCreate.exe' \
  || fail "no Event Log source registered"
rc=0; w "$EXE" service install >"$WORK/install2.out" 2>&1 || rc=$?
[[ $rc == 1 ]] && grep -q "already exists" "$WORK/install2.out" || fail "second install: rc $rc, $(cat "$WORK/install2.out")"

sc_state() { w sc query winnet_exporter 2>/dev/null | sed -n 's/^ *STATE *: *\([0-9]\).*/\1/p'; }
wait_state() {
  for _ in $(seq 1 200); do [[ "$(sc_state)" == "$1" ]] && return 0; sleep 0.1; done
  fail "service not in state $1 (now: $(sc_state))"
}
w sc start winnet_exporter >/dev/null 2>&1 || fail "sc start failed"
wait_http "127.0.0.1:$port"
wait_state 4
curl -sf "http://127.0.0.1:$port/metrics" >"$WORK/service.prom" || fail "scrape of the service failed"
stable "$WORK/service.prom" | diff -u "$GOLDEN" - || fail "the service's /metrics differ from $GOLDEN"
# Stop as `sc stop` does, watching the states every millisecond: the control
# handler reports STOP_PENDING before it returns, the shutdown runs, then STOPPED
# (README, "Install as a Windows service"). `sc query` alone is too slow to see it.
WT=30 w "$BUILD/tests/service_stop_probe.exe" winnet_exporter 20000 >"$WORK/stop.out" 2>&1 \
  || { cat "$WORK/stop.out" >&2; fail "stopping the service failed"; }
tr -d '\r' <"$WORK/stop.out"
grep -qE '^(control returned|states seen):.*STOP_PENDING' "$WORK/stop.out" \
  || fail "the service stopped without ever being seen in STOP_PENDING"
wait_state 1
w sc query winnet_exporter 2>/dev/null | grep -q 'WIN32_EXIT_CODE *: *0 ' || fail "service exit code not 0"
curl -s -m 2 "http://127.0.0.1:$port/healthz" >/dev/null && fail "still serving after sc stop"
LOGFILE="$C_DRIVE/ProgramData/winnet_exporter/winnet_exporter.log"
[[ -f "$LOGFILE" ]] || fail "no service log file at C:\\ProgramData\\winnet_exporter\\winnet_exporter.log"
for line in "running as the Windows service winnet_exporter" "received service stop, shutting down" "stopped cleanly"; do
  grep -q "$line" "$LOGFILE" || { cat "$LOGFILE" >&2; fail "service log lacks: $line"; }
done
grep -q "LOG ERROR" "$LOGFILE" && fail "a log sink failed: $(grep "LOG ERROR" "$LOGFILE")"
echo "service: installed (Event Log source registered), started (RUNNING), scraped (golden), stopped (STOP_PENDING, STOPPED, exit 0), log file written"

w sc start winnet_exporter >/dev/null 2>&1 || fail "second sc start failed"
wait_http "127.0.0.1:$port"
w "$EXE" service uninstall >"$WORK/uninstall.out" 2>&1 || { cat "$WORK/uninstall.out" >&2; fail "service uninstall failed"; }
grep -q "service winnet_exporter removed" "$WORK/uninstall.out" || fail "uninstall did not say removed"
curl -s -m 2 "http://127.0.0.1:$port/healthz" >/dev/null && fail "still serving after uninstall"
w sc query winnet_exporter >/dev/null 2>&1 && fail "service still registered after uninstall"
w reg query "$EVENTLOG_KEY" >/dev/null 2>&1 && fail "Event Log source still registered after uninstall"
rc=0; w "$EXE" service uninstall >"$WORK/uninstall2.out" 2>&1 || rc=$?
[[ $rc == 1 ]] && grep -q "is not installed" "$WORK/uninstall2.out" || fail "second uninstall: rc $rc"
echo "service: uninstall stopped the running service and removed it and its Event Log source"

step "slow clients"
# 256 connections that send nothing, half a request, or a whole request whose
# answer they never read, and stall, must leave a scrape under 1 s under Wine
# too (README, Security); the RSS of the exe's process is printed before and
# with them.
win_start "$WORK/slow.log" --console --source.replay=examples/aks-windows-node \
  --web.listen-address=127.0.0.1:0 --poll.interval=1s
wait_http "$WADDR"
curl -sf -o /dev/null "http://$WADDR/metrics" || fail "slow clients: first scrape failed"
wport="${WADDR##*:}"
for kind in silent half kept; do
  rss_before=$(awk '/^VmRSS/ { print $2 }' "/proc/$WPID/status")
  slow_fds=() took=()
  for _ in $(seq 1 256); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$wport"
    case "$kind" in
      half) printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&"$fd" ;;
      kept) printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd" ;;
    esac
    slow_fds+=("$fd")
  done
  sleep 1
  # /metrics (made: the front answers it), then /healthz (always a worker's).
  for path in /metrics /healthz; do
    t0=$(date +%s%N)
    c="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$WADDR$path")" || c="no answer"
    ms=$((($(date +%s%N) - t0) / 1000000))
    [[ "$c" == 200 ]] || fail "slow clients ($kind): $path got $c"
    ((ms < 1000)) || fail "slow clients ($kind): $path took $ms ms with 256 stalled clients (limit 1000)"
    took+=("$path in $ms ms")
  done
  rss_with=$(awk '/^VmRSS/ { print $2 }' "/proc/$WPID/status")
  for fd in "${slow_fds[@]}"; do exec {fd}>&-; done
  echo "slow clients: 256 stalled ($kind), ${took[*]}; RSS $((rss_before / 1024)) MiB before, $((rss_with / 1024)) MiB with them"
  sleep 1
done
win_stop "$WORK/slow.log"

step "CNS API: the exe asks a CNS stand-in on loopback"
# The Linux stand-in (tests/cns_standin.h) listens on 127.0.0.1; the Windows
# exe under Wine asks it over the host's loopback (docs/state-files.md, "CNS API").
CNS_STANDIN="${WINNET_CNS_STANDIN:-$BUILD/../tests/winnet_cns_standin}"
[[ -x "$CNS_STANDIN" ]] || fail "no CNS stand-in at $CNS_STANDIN (the Linux build's winnet_cns_standin)"
CNS_BODY="$ROOT/tests/fixtures/cns/ipaddresses.json"
cns_standin() {  # cns_standin MODE [FLAGS...] → CNS_PORT, CNS_PID
  "$CNS_STANDIN" --mode="$1" --body="$CNS_BODY" "${@:2}" >"$WORK/cns-standin.out" 2>&1 &
  CNS_PID=$!
  PIDS+=("$CNS_PID")
  CNS_PORT=""
  for _ in $(seq 1 100); do
    CNS_PORT="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/cns-standin.out")"
    [[ -n "$CNS_PORT" ]] && return 0
    sleep 0.05
  done
  fail "the CNS stand-in did not start: $(cat "$WORK/cns-standin.out")"
}
cns_standin chunked
win_start "$WORK/cns.log" --console --web.listen-address=127.0.0.1:0 --poll.interval=1s --source.adapters=none \
  --cns.url="http://127.0.0.1:$CNS_PORT"
wait_http "$WADDR"
curl -sf "http://$WADDR/healthz" >"$WORK/cns.health"
curl -sf "http://$WADDR/metrics" >"$WORK/cns.prom"
grep -q "^cns_api: ok (http://127.0.0.1:$CNS_PORT/debug/ipaddresses)" "$WORK/cns.health" \
  || { cat "$WORK/cns.health" "$WORK/cns.log"; fail "cns_api not ok against the stand-in"; }
grep -q '^winnet_exporter_source_success{source="cns_api"} 1$' "$WORK/cns.prom" || fail "cns_api success not 1"
win_stop "$WORK/cns.log"
w "$EXE" capture --out="$WORK/cns-capture" --source.adapters=none --cns.url="http://127.0.0.1:$CNS_PORT" \
  >"$WORK/cns-capture.log" 2>&1 || { cat "$WORK/cns-capture.log" >&2; fail "capture with CNS failed"; }
cmp -s "$CNS_BODY" "$WORK/cns-capture/cns/ipaddresses.json" || fail "capture: cns/ipaddresses.json is not the answer verbatim"
kill "$CNS_PID"; wait "$CNS_PID" 2>/dev/null || true
echo "cns: the exe read the stand-in's chunked answer on 127.0.0.1:$CNS_PORT and captured it verbatim"
# Failures: a 500 and an answer slower than --poll.timeout; the rest serves.
for mode in 500 slow; do
  cns_standin "$mode" --delay-ms=5000
  w "$EXE" dump --source.adapters=none --poll.timeout=1s --cns.url="http://127.0.0.1:$CNS_PORT" \
    --cni.ipam-state="Z:$ROOT/examples/aks-windows-node/azure-vnet-ipam.json" \
    >"$WORK/cns-$mode.prom" 2>"$WORK/cns-$mode.log" || { cat "$WORK/cns-$mode.log" >&2; fail "dump ($mode) failed"; }
  kill "$CNS_PID"; wait "$CNS_PID" 2>/dev/null || true
  want="http://127.0.0.1:$CNS_PORT/debug/ipaddresses: HTTP 500 Internal Server Error"
  # Slow: the call ends itself at 0.9 x --poll.timeout, but under Wine its
  # first call (Winsock and thread start-up) can still be running when the
  # poller's 1 s is up: either reason is the source failing.
  [[ $mode == slow ]] && want="(http://127.0.0.1:$CNS_PORT/debug/ipaddresses: no complete answer within 900ms|timed out: no answer after)"
  grep -qE "source cns_api: failing: $want" "$WORK/cns-$mode.log" \
    || { cat "$WORK/cns-$mode.log" >&2; fail "cns ($mode): failure not reported"; }
  grep -q '^winnet_exporter_source_success{source="cns_api"} 0$' "$WORK/cns-$mode.prom" || fail "cns ($mode): success not 0"
  grep -q '^winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' "$WORK/cns-$mode.prom" || fail "cns ($mode): IPAM not served"
  echo "cns: $mode reported: $(grep -o "source cns_api: failing: .*" "$WORK/cns-$mode.log" | cut -c1-140)"
done

# The hns_service source against a stand-in `hns` service in Wine's SCM: the
# test starts, stops and starts it again while the exporter runs live, and
# winnet_hns_service_up, _restarts_total, the thread count and the start time
# follow. Self-contained: registers and removes its own service.
hns_service_step() {
  step "HNS service health through a stand-in hns service in Wine's SCM"
  local fake="$BUILD/tests/fake_hns_service/winnet_fake_hns_service.exe" log="$WORK/hns_service.log"
  [[ -f "$fake" ]] || fail "no stand-in service at $fake"
  cp "$fake" "$C_DRIVE/winnet_fake_hns_service.exe"
  w sc stop hns >/dev/null 2>&1 || true
  w sc delete hns >/dev/null 2>&1 || true
  # Before the service exists: the source is unavailable, not failing.
  w "$EXE" dump >"$WORK/hns_none.prom" 2>"$WORK/hns_none.log" || { cat "$WORK/hns_none.log" >&2; fail "dump failed"; }
  grep -q 'source hns_service: unavailable: no service named hns' "$WORK/hns_none.log" \
    || { cat "$WORK/hns_none.log" >&2; fail "a missing hns service is not reported unavailable"; }
  w sc create hns binpath= 'C:\winnet_fake_hns_service.exe' >"$WORK/sc_create.out" 2>&1 \
    || { cat "$WORK/sc_create.out" >&2; fail "sc create hns failed"; }
  hns_state() { w sc query hns 2>/dev/null | sed -n 's/^ *STATE *: *\([0-9]\).*/\1/p'; }
  hns_wait_state() {
    for _ in $(seq 1 200); do [[ "$(hns_state)" == "$1" ]] && return 0; sleep 0.1; done
    fail "hns not in state $1 (now: $(hns_state))"
  }
  # hns_metric NAME: its value in a fresh scrape ("" when absent).
  hns_metric() { curl -sf "http://$WADDR/metrics" | sed -n "s/^$1 \\(.*\\)\$/\\1/p"; }
  # hns_wait_metric NAME VALUE: until the scrape shows it (the poll is 1 s).
  hns_wait_metric() {
    for _ in $(seq 1 100); do [[ "$(hns_metric "$1")" == "$2" ]] && return 0; sleep 0.2; done
    curl -s "http://$WADDR/healthz" >&2
    fail "$1 is '$(hns_metric "$1")', expected '$2'"
  }
  w sc start hns >/dev/null 2>&1 || fail "sc start hns failed"
  hns_wait_state 4
  win_start "$log" --console --web.listen-address=127.0.0.1:0 --poll.interval=1s
  wait_http "$WADDR"
  hns_wait_metric winnet_hns_service_up 1
  curl -sf "http://$WADDR/healthz" | grep -q '^hns_service: ok (Service Control Manager: hns)' \
    || { curl -s "http://$WADDR/healthz" >&2; fail "hns_service not ok in /healthz"; }
  [[ "$(hns_metric winnet_hns_service_restarts_total)" == 0 ]] || fail "restarts not 0 at start"
  local threads start1 start2 now
  threads="$(hns_metric winnet_hns_process_threads)"
  [[ -n "$threads" && "$threads" -ge 40 ]] || fail "threads '$threads': the stand-in runs 40 extra"
  [[ -n "$(hns_metric winnet_hns_process_working_set_bytes)" ]] || fail "no working set"
  start1="$(hns_metric winnet_hns_process_start_time_seconds)"
  now="$(date +%s)"
  awk -v s="$start1" -v n="$now" 'BEGIN { exit !(s > n - 300 && s <= n + 5) }' \
    || fail "start time '$start1' is not within the last 5 minutes (now $now)"

  w sc stop hns >/dev/null 2>&1 || fail "sc stop hns failed"
  hns_wait_state 1
  hns_wait_metric winnet_hns_service_up 0
  curl -sf "http://$WADDR/metrics" | grep -q '^winnet_hns_process_' && fail "process series while stopped"
  [[ "$(hns_metric winnet_hns_service_restarts_total)" == 0 ]] || fail "a stop alone counted as a restart"

  sleep 1  # a later start time, in whole seconds too
  w sc start hns >/dev/null 2>&1 || fail "second sc start hns failed"
  hns_wait_state 4
  hns_wait_metric winnet_hns_service_up 1
  hns_wait_metric winnet_hns_service_restarts_total 1
  start2="$(hns_metric winnet_hns_process_start_time_seconds)"
  awk -v a="$start1" -v b="$start2" 'BEGIN { exit !(b > a) }' || fail "start time $start2 not after $start1"
  threads="$(hns_metric winnet_hns_process_threads)"
  [[ -n "$threads" && "$threads" -ge 40 ]] || fail "threads '$threads' after the restart"
  win_stop "$log"
  w sc stop hns >/dev/null 2>&1 || true
  hns_wait_state 1
  w sc delete hns >/dev/null 2>&1 || fail "sc delete hns failed"
  rm -f "$C_DRIVE/winnet_fake_hns_service.exe"
  echo "hns_service: up 1 -> 0 -> 1, restarts 0 -> 1 (not on the stop), $threads threads, start time $start1 -> $start2"
}
hns_service_step

step "figures"
size=$(stat -c %s "$EXE")
x86_64-w64-mingw32-strip -o "$WORK/stripped.exe" "$EXE"
stripped=$(stat -c %s "$WORK/stripped.exe")
win_start "$WORK/bench.log" --console --source.replay=examples/aks-windows-node \
  --web.listen-address=127.0.0.1:0 --poll.interval=1s
wait_http "$WADDR"
n="${WINNET_LATENCY_REQUESTS:-300}"
for _ in $(seq 1 "$n"); do
  curl -s -o /dev/null -w '%{time_total}\n' "http://$WADDR/metrics"
done | sort -n >"$WORK/latency.txt"
pct() { awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.5); if (i < 1) i = 1; printf "%.2f", a[i] * 1000 }' "$WORK/latency.txt"; }
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$WPID/status")
win_stop "$WORK/bench.log"
awk -v size="$size" -v stripped="$stripped" -v rss="$rss_kb" -v n="$n" -v p50="$(pct 50)" -v p99="$(pct 99)" 'BEGIN {
  printf "figures: exe %.2f MiB (stripped %.2f MiB); RSS under Wine %.1f MiB after %d scrapes; ", size / 1048576, stripped / 1048576, rss / 1024, n
  printf "/metrics over a new connection each: p50 %s ms, p99 %s ms\n", p50, p99 }'

step "done"
echo "windows: ok in $((SECONDS - T0)) s"
