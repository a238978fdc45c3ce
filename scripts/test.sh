#!/usr/bin/env bash
# Runs every check and test of canhgiac: formatting, clippy, the Rust tests and the
# browser tests, and the API contract (schemathesis); then the store and web suites
# again on PostgreSQL. On a fresh machine it first installs what the tests need:
# Debian's Chromium (and Node.js if absent), poppler-utils (pdftotext reads the
# leaflets), PostgreSQL (started by scripts/test-postgres.sh), the Node packages of
# tests/e2e, and the Python port of libphonenumber that the phone-number tests
# compare against.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import phonenumbers, vietnam_qr_pay, stix2validator, idna' >/dev/null 2>&1; then
  echo "==> installing the Python reference implementations (libphonenumber, VietQR, STIX validator)"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -r tests/python-requirements.txt \
    || python3 -m pip install -q --disable-pip-version-check --user -r tests/python-requirements.txt
fi
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/@axe-core/playwright ]; then
  echo "==> installing the browser-test packages"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

echo "==> PostgreSQL for the tests"
pg_url=$(scripts/test-postgres.sh)

echo "==> cargo fmt"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo test (Rust and browser tests, SQLite)"
# (the two-node test and the PostgreSQL backup test always run on PostgreSQL)
env -u CANHGIAC_TEST_DATABASE_URL CANHGIAC_TEST_POSTGRES_URL="$pg_url" cargo test --workspace --locked
echo "==> cargo test (the store and web suites on PostgreSQL: $pg_url)"
# `--workspace`: the same features as above, so nothing is built again.
CANHGIAC_TEST_DATABASE_URL="$pg_url" cargo test --workspace --locked --test it
echo "==> schemathesis (the API contract, anonymous and signed in), SQLite"
env -u CANHGIAC_DATABASE_URL scripts/schemathesis.sh
echo "==> schemathesis on PostgreSQL"
env -u CANHGIAC_DATABASE_URL SCHEMATHESIS_POSTGRES="$pg_url" scripts/schemathesis.sh
