#!/usr/bin/env bash
# README command 1: install what is missing, build, and serve the bundled
# capture of an AKS Windows node. Extra arguments go to the exporter
# (for example --web.listen-address=127.0.0.1:10382).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/deploy/debian/install-deps.sh" build
cmake -S "$root" -B "$root/build-demo" -DCMAKE_BUILD_TYPE=Release -DWINNET_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-demo" -j"$(nproc)" --target winnet_exporter
echo
echo "Serving the capture examples/aks-windows-node (Ctrl-C stops)."
echo "  metrics:  curl http://localhost:10382/metrics"
echo "  health:   curl http://localhost:10382/healthz"
echo
exec "$root/build-demo/winnet_exporter" --source.replay="$root/examples/aks-windows-node" "$@"
