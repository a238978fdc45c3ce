#!/usr/bin/env bash
# The API contract: schemathesis against a real server (the debug binary that
# `cargo test` built) on a temporary database with demo reports, once anonymous on
# every operation and once signed in as an administrator on the officer operations.
# Fails on any server error, undocumented status, content type, header or response
# that breaks the schema, or schema-invalid request accepted.
#
# Not checked: "schema-valid request rejected" (positive_data_acceptance). Our inputs
# carry rules no JSON Schema can say (a phone number's ranges, an account's bank, a
# VietQR checksum, a commune that exists); such requests get a 422 that names each
# field, by design. The schemas carry every bound they can (required, lengths, patterns).
#
#   scripts/schemathesis.sh   (SCHEMATHESIS_EXAMPLES=10 per operation, SCHEMATHESIS_SEED=1)
#
# With SCHEMATHESIS_POSTGRES=postgres://user:pass@host/postgres the server runs on a
# fresh database `canhgiac_contract` on that PostgreSQL server instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-10}
SEED=${SCHEMATHESIS_SEED:-1}
VENV=target/schemathesis-venv
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "==> installing schemathesis"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r tests/schemathesis-requirements.txt
fi
cargo build -q --locked -p canhgiac
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
PASSWORD="mật khẩu kiểm thử hợp đồng API"
if [ -n "${SCHEMATHESIS_POSTGRES:-}" ]; then
  psql "$SCHEMATHESIS_POSTGRES" -qc "DROP DATABASE IF EXISTS canhgiac_contract" -c "CREATE DATABASE canhgiac_contract"
  export CANHGIAC_DATABASE_URL="${SCHEMATHESIS_POSTGRES%/*}/canhgiac_contract"
  echo "==> on PostgreSQL: $CANHGIAC_DATABASE_URL"
fi
echo "$PASSWORD" | target/debug/canhgiac user add --data-dir "$DATA" --username contract.admin \
  --name "Kiểm thử hợp đồng" --role admin --password-stdin >/dev/null
CANHGIAC_LOG=warn target/debug/canhgiac serve --data-dir "$DATA" --address "127.0.0.1:$PORT" \
  --demo-reports 40 >"$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$BASE/healthz" >/dev/null || { cat "$DATA/serve.log"; exit 1; }

run() {
  "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" --url "$BASE" \
    --max-examples "$EXAMPLES" --seed "$SEED" --no-shrink --phases examples,coverage,fuzzing \
    --checks all --exclude-checks ignored_auth,positive_data_acceptance \
    --warnings off "$@"
}

echo "==> schemathesis: anonymous, every operation"
run

echo "==> schemathesis: signed in, the officer operations"
LOGIN=$(curl -sf -i -X POST -H 'content-type: application/json' \
  -d "{\"username\": \"contract.admin\", \"password\": \"$PASSWORD\"}" "$BASE/api/v1/officer/session")
COOKIE=$(printf '%s\n' "$LOGIN" | grep -i '^set-cookie: cg_session=' | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
CSRF=$(printf '%s\n' "$LOGIN" | tail -n 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')
[ -n "$COOKIE" ] && [ -n "$CSRF" ] || { echo "sign-in failed"; exit 1; }
# Signing out would end the session the run uses.
run -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
  --include-path-regex '^/api/v1/(officer|brands)' --exclude-path /api/v1/officer/session
