#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server the test suites may create databases on,
# starting one when none answers: Debian's `postgresql` package (installed if absent),
# its cluster started, and a `canhgiac` role that may create databases.
# An already running server is used when CANHGIAC_TEST_DATABASE_URL names it.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
url="${CANHGIAC_TEST_DATABASE_URL:-postgres://canhgiac:canhgiac@127.0.0.1:5432/postgres}"

answers() { psql "$url" -qAtc 'SELECT 1' >/dev/null 2>&1; }
# The databases earlier runs left (one per test data directory).
drop_old() {
  psql "$url" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE 'canhgiac_test_%'" |
    while read -r name; do psql "$url" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true; done
}

if command -v psql >/dev/null 2>&1 && answers; then
  drop_old
  echo "$url"
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "==> installing postgresql" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version main"; then
  as_root pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
  echo "==> starting PostgreSQL $version" >&2
  as_root pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  as_root su postgres -c "psql -qAtc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
as_root su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'canhgiac') THEN CREATE ROLE canhgiac LOGIN CREATEDB PASSWORD 'canhgiac'; END IF; END \\\$\\\$\"" >&2
if ! answers; then
  echo "PostgreSQL started but $url does not answer" >&2
  exit 1
fi
drop_old
echo "$url"
