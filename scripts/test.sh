#!/usr/bin/env bash
# The full Keyward test suite, on a fresh Debian machine as root: installs what it needs, then runs
# lint, typecheck and every test (unit, SoftHSM2 and PostgreSQL integration, OpenSSL cross-checks, the
# official Azure client against the local target, e2e in Chromium and the client build check) through turbo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/system.sh

# chromium: Debian's browser for the e2e tests (Playwright drives /usr/bin/chromium; none is downloaded).
ensure_packages softhsm2 opensc openssl chromium
ensure_postgres
KEYWARD_FORCE_INSTALL=1 ensure_node_modules
npx turbo run lint typecheck test --output-logs=full --log-order=grouped --concurrency=2
echo "keyward: all checks passed"
