#!/usr/bin/env bash
# A real browser loads the node map: headless Chromium renders GET / of the
# exporter serving the example capture; the rendered DOM must show the pods and
# the planted problems, and a screenshot is saved in the build directory.
#   browser_test.sh PATH_TO_winnet_exporter OUTPUT_DIR
BIN="$1"
OUTDIR="${2:-.}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$CHROMIUM" ]] || fail "chromium is not installed (deploy/debian/install-deps.sh test installs it)"

start_exporter "$WORK/exporter.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0
wait_ready "$EXPORTER_ADDR"
url="http://$EXPORTER_ADDR/"
# Flags that keep Chromium off the network and quiet as root in a container.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-default-apps --disable-extensions
       --user-data-dir="$WORK/profile" --hide-scrollbars)
timeout 60 "$CHROMIUM" "${flags[@]}" --dump-dom "$url" >"$WORK/dom.html" 2>"$WORK/chromium.log" ||
  { tail -20 "$WORK/chromium.log"; fail "chromium could not load $url"; }
for want in '<h1>Node network map</h1>' 'wintcpserver' 'wintcpclient' 'iis-7d9c5b8f6-2xkqp' 'web-0' \
  'leaked IP' '10.240.0.80' 'e4d3921a724a67f66518182b5e2001591007e910f9a8eab819b343bb8a01f57a' \
  'orphaned endpoint' '7c930f38-eth0' 'duplicate IP' '10.240.0.41' 'vEthernet (cc97a9e8-eth0)' \
  '7 allocated, 23 available of 30, 1 leaked'; do
  grep -qF -- "$want" "$WORK/dom.html" || fail "rendered page lacks: $want"
done
rows=$(grep -o '<tr>' "$WORK/dom.html" | wc -l)
((rows >= 7 + 2 + 4)) || fail "expected at least 13 table rows (7 pod interfaces, 2 networks, 4 sources), got $rows"
mkdir -p "$OUTDIR"
timeout 60 "$CHROMIUM" "${flags[@]}" --window-size=1400,1200 --screenshot="$OUTDIR/node-map.png" "$url" \
  >>"$WORK/chromium.log" 2>&1 || { tail -20 "$WORK/chromium.log"; fail "screenshot failed"; }
[[ -s "$OUTDIR/node-map.png" ]] || fail "no screenshot written"
echo "browser: ok (screenshot: $OUTDIR/node-map.png)"
