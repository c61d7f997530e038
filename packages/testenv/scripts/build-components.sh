#!/usr/bin/env bash
# Builds the control-plane binaries from the Go module proxy into ~/.cache/linnet/bin/<component>-<version>.
# A stamp per component records the Go version and ldflags; a matching stamp skips the build.
# An flock makes parallel callers wait for one build instead of building twice.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${LINNET_CACHE:-$HOME/.cache/linnet}"
# One node start for all pins (each start costs ~0.3 s on a busy 2-core machine, and this runs on every `up`).
eval "$(node -e "const v=require('$HERE/versions.json'); console.log([
  'K8S=' + v.kubernetes.version, 'STAGING=' + v.kubernetes.staging, 'GODEBUG_DEFAULT=' + v.kubernetes.godebug,
  'MINOR=' + v.kubernetes.minor, 'ETCD=' + v.etcd.version, 'KWOK=' + v.kwok.version,
  'HELM=' + v.helm.version].join('\\n'))")"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)
mkdir -p "$CACHE/bin" "$CACHE/build"
exec 9>"$CACHE/build.lock"
if ! flock -n 9; then echo "[build] another build holds $CACHE/build.lock; waiting" >&2; flock 9; fi

START_ALL=$(date +%s)
BUILT="" # " component=seconds" for each component built in this run
ticker_pid=""
start_ticker() { # prints elapsed time while a long step runs
  local what=$1 t0; t0=$(date +%s)
  ( while sleep 30; do echo "[build] $what: still building, $(( $(date +%s) - t0 ))s elapsed" >&2; done ) &
  ticker_pid=$!
}
stop_ticker() { [ -n "$ticker_pid" ] && kill "$ticker_pid" 2>/dev/null || true; ticker_pid=""; }
trap stop_ticker EXIT

stamp_ok() { [ -f "$1/.stamp" ] && [ "$(cat "$1/.stamp")" = "$2" ]; }

# A throwaway module that pins k8s.io/kubernetes and its staging modules, shared by the kube-* and kubectl builds.
write_kubernetes_module() {
  local B=$1
  STAGING_MODULES="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client
    cri-streaming csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator
    kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
    sample-apiserver sample-cli-plugin sample-controller streaming"
  {
    echo "module linnet.dev/throwaway/kubernetes"; echo; echo "go 1.26"; echo; echo "godebug default=$GODEBUG_DEFAULT"; echo
    echo "require k8s.io/kubernetes $K8S"; echo; echo "replace ("
    for m in $STAGING_MODULES; do echo "	k8s.io/$m => k8s.io/$m $STAGING"; done
    echo ")"
  } > "$B/go.mod"
  echo 'package main' > "$B/main.go"
}

# --- kube-apiserver, kube-controller-manager, kube-scheduler -----------------------------------------
KDIR="$CACHE/bin/kubernetes-$K8S"
KLDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=$K8S -X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$MINOR -X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/client-go/pkg/version.gitVersion=$K8S -X k8s.io/client-go/pkg/version.gitMajor=1 \
-X k8s.io/client-go/pkg/version.gitMinor=$MINOR"
KSTAMP="$GOVERSION $KLDFLAGS"
if ! stamp_ok "$KDIR" "$KSTAMP"; then
  B="$CACHE/build/kubernetes-$K8S"; mkdir -p "$B" "$KDIR"
  write_kubernetes_module "$B"
  t0=$(date +%s); echo "[build] kubernetes $K8S: resolving modules" >&2
  start_ticker "kubernetes $K8S (go get)"
  (cd "$B" && go get k8s.io/kubernetes/cmd/kube-apiserver@$K8S k8s.io/kubernetes/cmd/kube-controller-manager@$K8S \
      k8s.io/kubernetes/cmd/kube-scheduler@$K8S)
  stop_ticker
  echo "[build] kubernetes $K8S: compiling kube-apiserver, kube-controller-manager, kube-scheduler" >&2
  start_ticker "kubernetes $K8S (compile)"
  (cd "$B" && go build -p 2 -trimpath -ldflags "$KLDFLAGS" -o "$KDIR/" k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
  stop_ticker
  "$KDIR/kube-apiserver" --version >&2
  echo "$KSTAMP" > "$KDIR/.stamp"
  echo "[build] kubernetes $K8S: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT kubernetes-$K8S=$(( $(date +%s) - t0 ))s"
fi

# --- kubectl (the demo's and the walkthrough's client; same version and ldflags as the apiserver) ---------------
CDIR="$CACHE/bin/kubectl-$K8S"
if ! stamp_ok "$CDIR" "$KSTAMP"; then
  B="$CACHE/build/kubernetes-$K8S"; mkdir -p "$B" "$CDIR"
  [ -f "$B/go.mod" ] || write_kubernetes_module "$B"
  t0=$(date +%s); echo "[build] kubectl $K8S" >&2; start_ticker "kubectl $K8S"
  # One package at a time: the machine's cores are shared.
  (cd "$B" && go get k8s.io/kubernetes/cmd/kubectl@$K8S && \
    go build -p 2 -trimpath -ldflags "$KLDFLAGS" -o "$CDIR/kubectl" k8s.io/kubernetes/cmd/kubectl)
  stop_ticker
  "$CDIR/kubectl" version --client >&2
  echo "$KSTAMP" > "$CDIR/.stamp"
  echo "[build] kubectl $K8S: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT kubectl-$K8S=$(( $(date +%s) - t0 ))s"
fi

# --- kubelet and kube-proxy: only `up --real-node` runs them (LINNET_BUILD_NODE=1); same version and ldflags ------
LDIR="$CACHE/bin/node-$K8S"
if [ "${LINNET_BUILD_NODE:-0}" = 1 ] && ! stamp_ok "$LDIR" "$KSTAMP"; then
  B="$CACHE/build/kubernetes-$K8S"; mkdir -p "$B" "$LDIR"
  [ -f "$B/go.mod" ] || write_kubernetes_module "$B"
  t0=$(date +%s); echo "[build] kubelet, kube-proxy $K8S" >&2; start_ticker "kubelet, kube-proxy $K8S"
  (cd "$B" && go get k8s.io/kubernetes/cmd/kubelet@$K8S k8s.io/kubernetes/cmd/kube-proxy@$K8S && \
    go build -p 2 -trimpath -ldflags "$KLDFLAGS" -o "$LDIR/" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
  stop_ticker
  "$LDIR/kubelet" --version >&2
  echo "$KSTAMP" > "$LDIR/.stamp"
  echo "[build] kubelet, kube-proxy $K8S: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT node-$K8S=$(( $(date +%s) - t0 ))s"
fi

# --- etcd ------------------------------------------------------------------------------------------
EDIR="$CACHE/bin/etcd-$ETCD"
ELDFLAGS="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD"
if ! stamp_ok "$EDIR" "$GOVERSION $ELDFLAGS"; then
  B="$CACHE/build/etcd-$ETCD"; mkdir -p "$B" "$EDIR"
  printf 'module linnet.dev/throwaway/etcd\n\ngo 1.26\n' > "$B/go.mod"; echo 'package main' > "$B/main.go"
  t0=$(date +%s); echo "[build] etcd $ETCD" >&2; start_ticker "etcd $ETCD"
  (cd "$B" && go get go.etcd.io/etcd/server/v3@$ETCD && go build -p 2 -trimpath -ldflags "$ELDFLAGS" -o "$EDIR/etcd" go.etcd.io/etcd/server/v3)
  stop_ticker
  "$EDIR/etcd" --version >&2
  echo "$GOVERSION $ELDFLAGS" > "$EDIR/.stamp"
  echo "[build] etcd $ETCD: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT etcd-$ETCD=$(( $(date +%s) - t0 ))s"
fi

# --- kwok ------------------------------------------------------------------------------------------
WDIR="$CACHE/bin/kwok-$KWOK"
if ! stamp_ok "$WDIR" "$GOVERSION"; then
  mkdir -p "$WDIR"; t0=$(date +%s); echo "[build] kwok $KWOK" >&2; start_ticker "kwok $KWOK"
  GOFLAGS= GOBIN="$WDIR" go install -trimpath -ldflags "-s -w" sigs.k8s.io/kwok/cmd/kwok@$KWOK
  stop_ticker
  echo "$GOVERSION" > "$WDIR/.stamp"
  echo "[build] kwok $KWOK: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT kwok-$KWOK=$(( $(date +%s) - t0 ))s"
fi
# --- helm (not run by testenv: the install tests lint and render the chart with it) -----------------------------
HDIR="$CACHE/bin/helm-$HELM"
HLDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM"
if ! stamp_ok "$HDIR" "$GOVERSION $HLDFLAGS"; then
  mkdir -p "$HDIR"; t0=$(date +%s); echo "[build] helm $HELM" >&2; start_ticker "helm $HELM"
  GOFLAGS= GOBIN="$HDIR" go install -p 2 -trimpath -ldflags "$HLDFLAGS" helm.sh/helm/v3/cmd/helm@$HELM
  stop_ticker
  "$HDIR/helm" version --short >&2
  echo "$GOVERSION $HLDFLAGS" > "$HDIR/.stamp"
  echo "[build] helm $HELM: done in $(( $(date +%s) - t0 ))s" >&2; BUILT="$BUILT helm-$HELM=$(( $(date +%s) - t0 ))s"
fi
echo "[build] all components ready in $(( $(date +%s) - START_ALL ))s (cache: $CACHE/bin)" >&2
# When something was built, append the timings and disk use to build-history.log (docs/testenv.md quotes them).
if [ -n "$BUILT" ]; then
  {
    echo "$(date -u +%FT%TZ) built:$BUILT total=$(( $(date +%s) - START_ALL ))s go=$GOVERSION nproc=$(nproc)"
    echo "  du: $(du -sh "$CACHE/bin" | cut -f1) $CACHE/bin, $(du -sh "$(go env GOMODCACHE)" | cut -f1) GOMODCACHE," \
      "$(du -sh "$(go env GOCACHE)" | cut -f1) GOCACHE"
  } >> "$CACHE/build-history.log"
fi
