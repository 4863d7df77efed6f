#!/usr/bin/env bash
# deploy.k8s_schema: the Kubernetes manifests of deploy/kubernetes/ validated
# offline against the Kubernetes OpenAPI schema and the prometheus-operator CRD
# schemas (pinned npm packages), unknown fields rejected; the kustomization
# rendered with `kubectl kustomize` when kubectl is installed; the README's
# image overlay and PrometheusRule commands run as written; the HostProcess
# fields and the cross-file agreements (validate-k8s.js says which).
#   k8s_schema_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -x "$BIN" ]] || fail "no exporter binary at '$BIN'"
npm_setup

readme="$DEPLOY/README.md"
extra=()

# The README's PrometheusRule loop, with `kubectl apply -f -` replaced by a file.
loop="$(sed -n '/^for f in alerts recording-rules; do$/,/^done$/p' "$readme")"
[[ -n "$loop" ]] || fail "deploy/README.md: the PrometheusRule loop is missing"
loop="${loop//| kubectl apply -f -/> \"\$WORK/prometheusrule-\$f.yaml\"}"
(cd "$ROOT" && WORK="$WORK" bash -euo pipefail -c "$loop") || fail "the README's PrometheusRule loop failed"
for f in alerts recording-rules; do extra+=(--prometheus-rule "$WORK/prometheusrule-$f.yaml"); done

if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  kubectl kustomize "$DEPLOY/kubernetes" >"$WORK/rendered.yaml" || fail "kubectl kustomize deploy/kubernetes failed"
  # The README's overlay, created as the README says, beside a deploy/ folder.
  mkdir -p "$WORK/tree/winnet-overlay"
  ln -s "$DEPLOY" "$WORK/tree/deploy"
  sed -n "/^cat > winnet-overlay\/kustomization.yaml <<'EOF'$/,/^EOF$/p" "$readme" | sed '1d;$d' \
    >"$WORK/tree/winnet-overlay/kustomization.yaml"
  [[ -s "$WORK/tree/winnet-overlay/kustomization.yaml" ]] || fail "deploy/README.md: the overlay is missing"
  image="$(sed -n 's/^ *newName: *//p' "$WORK/tree/winnet-overlay/kustomization.yaml"):$(sed -n 's/^ *newTag: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$WORK/tree/winnet-overlay/kustomization.yaml")"
  (cd "$WORK/tree" && kubectl kustomize winnet-overlay) >"$WORK/overlay.yaml" || fail "kubectl kustomize of the README's overlay failed"
  extra+=(--rendered "$WORK/rendered.yaml" --overlay-rendered "$WORK/overlay.yaml" --overlay-image "$image")
else
  echo "note: kubectl not installed: kustomization.yaml checked by its resource list, not rendered"
fi

node "$HERE/validate-k8s.js" --root "$ROOT" --bin "$BIN" --work "$WORK" "${extra[@]}"
