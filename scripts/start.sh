#!/usr/bin/env bash
# Bring up Keyward on its embedded defaults: the portal and a bridge on a development SoftHSM2 token.
# Data lives in .keyward/ (override with KEYWARD_HOME). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system.sh

KEYWARD_HOME=${KEYWARD_HOME:-$PWD/.keyward}
PORTAL_PORT=${KEYWARD_PORTAL_PORT:-3000}
BRIDGE_PORT=${KEYWARD_BRIDGE_PORT:-7710}

ensure_packages softhsm2 opensc openssl
ensure_node_modules
npx turbo run build --output-logs=errors-only

mkdir -p "$KEYWARD_HOME/portal"
chmod 700 "$KEYWARD_HOME"
# The portal's command-signing key (Ed25519); the bridge pins its public half.
if [ ! -f "$KEYWARD_HOME/portal/command-key.jwk" ]; then
  node apps/bridge/dist/dev/portal-key.js "$KEYWARD_HOME/portal"
fi
export KEYWARD_BRIDGE_HOME="$KEYWARD_HOME/bridge"
if [ ! -f "$KEYWARD_BRIDGE_HOME/bridge.json" ]; then
  node apps/bridge/dist/cli.js init --softhsm --token-label keyward-dev --bridge-id bridge-local \
    --portal-issuer keyward-portal --trust-portal-key "$KEYWARD_HOME/portal/command-key.pub.jwk" \
    --host 127.0.0.1 --port "$BRIDGE_PORT"
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

node apps/bridge/dist/cli.js start &
pids+=($!)
(cd apps/web && exec npx next start --hostname 127.0.0.1 --port "$PORTAL_PORT") &
pids+=($!)

echo "keyward: portal  http://127.0.0.1:$PORTAL_PORT"
echo "keyward: bridge  ws://127.0.0.1:$BRIDGE_PORT/bridge (health: http://127.0.0.1:$BRIDGE_PORT/healthz)"
echo "keyward: data in $KEYWARD_HOME — Ctrl-C to stop"
wait -n "${pids[@]}"
