# Shared by scripts/start.sh and scripts/test.sh: install what Keyward needs from Debian, once.
# Sourced, not run.

export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

apt_updated=0
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "keyward: installing ${missing[*]} (apt-get)"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Install the locked dependencies when node_modules is missing or older than the lockfile.
# Not `npm ci`: the registry reachable here serves only this platform's optional packages (rollup's
# android/darwin builds are 404), so the lockfile cannot list them and `npm ci` refuses it as out of
# sync. `npm install` against the committed lockfile installs the same pinned versions.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ "${KEYWARD_FORCE_INSTALL:-}" = 1 ]; then
    echo "keyward: npm install (locked versions)"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

# PostgreSQL on 127.0.0.1:5432 with trust auth for the test suite: used as it is when one answers,
# otherwise installed from Debian and started with pg_ctlcluster.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  ensure_packages postgresql postgresql-client
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "keyward-test" "$hba"; then
    # Loopback only, for the test suite: the first matching line wins, so these go on top.
    sed -i '1i host all all 127.0.0.1/32 trust # keyward-test\nhost all all ::1/128 trust # keyward-test' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  echo "keyward: PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}
