#!/usr/bin/env bash
# Bring up Keyward on its embedded defaults: the portal and a bridge on a development SoftHSM2 token.
# Data lives in .keyward/ (override with KEYWARD_HOME). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system.sh

KEYWARD_HOME=${KEYWARD_HOME:-$PWD/.keyward}
PORTAL_PORT=${KEYWARD_PORTAL_PORT:-8443}
BRIDGE_PORT=${KEYWARD_BRIDGE_PORT:-7710}

ensure_packages softhsm2 opensc openssl
ensure_node_modules
npx turbo run build --output-logs=errors-only

mkdir -p "$KEYWARD_HOME"
chmod 700 "$KEYWARD_HOME"
export KEYWARD_HOME KEYWARD_PORTAL_PORT="$PORTAL_PORT"
export KEYWARD_BRIDGE_HOME="$KEYWARD_HOME/bridge"
# Development custodians of the security domain: three key pairs, each in its own SoftHSM2 token.
export KEYWARD_SD_DEV_CUSTODIANS="$KEYWARD_HOME/custodians"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The portal first: on its first start it creates its command-signing key, which the bridge pins.
(cd apps/web && exec node --import tsx server.ts) &
pids+=($!)
pubkey="$KEYWARD_HOME/portal/bridge/command-key.pub.jwk"
portal_ready() {
  node -e "require('https').get({host:'127.0.0.1',port:$PORTAL_PORT,path:'/api/health',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
}
for _ in $(seq 1 240); do portal_ready && [ -f "$pubkey" ] && break; sleep 0.5; done
portal_ready && [ -f "$pubkey" ] || { echo "keyward: the portal did not start on port $PORTAL_PORT" >&2; exit 1; }

# The target stays unusable until its security domain is downloaded; on these embedded defaults it
# activates itself with the development custodians as soon as their certificates exist.
node apps/bridge/dist/cli.js dev-custodians --dir "$KEYWARD_SD_DEV_CUSTODIANS" --portal-issuer keyward-portal \
  --trust-portal-key "$pubkey" --base-port $((BRIDGE_PORT + 1)) >/dev/null
for _ in $(seq 1 60); do [ -f "$KEYWARD_HOME/portal/security-domain.json" ] && break; sleep 0.5; done
[ -f "$KEYWARD_HOME/portal/security-domain.json" ] || { echo "keyward: the portal did not activate its security domain" >&2; exit 1; }
echo "keyward: WARNING: the security domain's custodians are three DEVELOPMENT key pairs on local SoftHSM2 tokens"
echo "keyward:   ($KEYWARD_SD_DEV_CUSTODIANS, quorum 2): this domain protects nothing — not for production"

if [ ! -f "$KEYWARD_BRIDGE_HOME/bridge.json" ]; then
  node apps/bridge/dist/cli.js init --softhsm --token-label keyward-dev --bridge-id bridge-local \
    --portal-issuer keyward-portal --trust-portal-key "$pubkey" --host 127.0.0.1 --port "$BRIDGE_PORT"
fi
node apps/bridge/dist/cli.js start &
pids+=($!)

echo "keyward: bridge  ws://127.0.0.1:$BRIDGE_PORT/bridge (health: http://127.0.0.1:$BRIDGE_PORT/healthz)"
echo "keyward: data in $KEYWARD_HOME — Ctrl-C to stop; run a ceremony with: npm run ceremony -- --name my-key --type RSA-3072"
wait -n "${pids[@]}"
