#!/usr/bin/env bash
# All Keyward benchmarks, one after the other. Each prints a table with ratios against a baseline
# measured in the same run on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system.sh
ensure_packages softhsm2 opensc openssl wrk
ensure_postgres
ensure_node_modules
npx turbo run build --filter=@keyward/bridge --output-logs=errors-only
node --import tsx bench/bridge-wrap.ts
node --import tsx bench/target.ts
# The inventory page in Debian's Chromium (Playwright drives /usr/bin/chromium; none is downloaded).
ensure_packages chromium
node --import tsx bench/ui-inventory.ts
