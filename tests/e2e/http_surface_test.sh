#!/usr/bin/env bash
# The HTTP surface against hostile clients: no file serving, bounded request
# size, and slow clients (slowloris style) that cannot block scrapes: 256 of
# them, sending half a request or nothing at all, or a whole request and then
# keeping the connection without reading, leave a scrape under 1 s (the HTTP
# front holds them; its 16 workers only answer whole requests). The RSS before
# and with them is printed (README, Security).
#   http_surface_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_exporter "$WORK/exporter.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0
wait_ready "$EXPORTER_ADDR"
port="${EXPORTER_ADDR##*:}"
# code ARGS: the HTTP status of a request; "no-answer(curl exit N)" when there
# was none (refused, reset, timed out), so that a server that is down never
# passes as "not 200".
code() {
  local out rc=0
  out="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@")" || rc=$?
  if ((rc != 0)); then echo "no-answer(curl exit $rc)"; else echo "$out"; fi
}

for path in /index.html /examples/aks-windows-node/azure-vnet.json /../../../etc/passwd /%2e%2e/etc/passwd /metrics/; do
  [[ "$(code --path-as-is "http://$EXPORTER_ADDR$path")" == 404 ]] || fail "GET $path is not 404"
done
echo "ok: no file serving"
[[ "$(code -X POST "http://$EXPORTER_ADDR/metrics")" == 405 ]] || fail "POST is not 405"
[[ "$(code -X DELETE "http://$EXPORTER_ADDR/metrics")" == 405 ]] || fail "DELETE is not 405"
echo "ok: only GET and HEAD"
# The limit is 16384 bytes of request line and headers: a request of 16,095
# bytes is answered, one of 20 kB is refused with 400, and the server serves on.
big="$(head -c 16000 /dev/zero | tr '\0' 'a')"
c="$(code -H "X-Big: $big" "http://$EXPORTER_ADDR/metrics")"
[[ "$c" == 200 ]] || fail "a request just under 16 kB got $c, not 200"
echo "ok: a request of 16,095 bytes answered ($c)"
big="$(head -c 20000 /dev/zero | tr '\0' 'a')"
c="$(code -H "X-Big: $big" "http://$EXPORTER_ADDR/metrics")"
[[ "$c" == 400 ]] || fail "a request with 20 kB of headers got $c, not 400"
[[ "$(code "http://$EXPORTER_ADDR/healthz")" == 200 ]] || fail "not serving after the 20 kB request"
echo "ok: 20 kB of headers refused ($c), still serving"

# slow N half|silent|kept: opens N connections that send half a request (half),
# nothing (silent), or a whole request whose answer they never read (kept),
# and stall.
fds=()
slow() {
  for _ in $(seq 1 "$1"); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port"
    case "$2" in
      half) printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&"$fd" ;;
      kept) printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd" ;;
    esac
    fds+=("$fd")
  done
}
close_slow() { for fd in "${fds[@]}"; do exec {fd}>&-; done; fds=(); }
# timed_get PATH: ms for a 200 from PATH. /metrics once its text is made the
# front answers itself; /healthz always needs one of the HTTP workers, so it
# shows whether the stalled clients hold them.
timed_get() {
  local t0 t1
  t0=$(date +%s%N)
  [[ "$(code "http://$EXPORTER_ADDR$1")" == 200 ]] || fail "GET $1 failed with slow clients connected"
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$EXPORTER_PID/status"; }
for kind in silent half kept; do
  rss_before="$(rss_kib)"
  slow 256 "$kind"
  sleep 0.3
  ms=$(timed_get /metrics)
  ((ms < 1000)) || fail "scrape took $ms ms with 256 slow clients ($kind) (limit 1000)"
  health_ms=$(timed_get /healthz)
  ((health_ms < 1000)) || fail "/healthz took $health_ms ms with 256 slow clients ($kind) (limit 1000)"
  echo "ok: 256 slow clients ($kind), scrape in $ms ms, /healthz in $health_ms ms;" \
    "RSS $rss_before KiB before them, $(rss_kib) KiB with them"
  close_slow
  sleep 0.5
done
kill -0 "$EXPORTER_PID" || fail "exporter died"
echo "http surface: ok"
