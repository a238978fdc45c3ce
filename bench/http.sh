#!/usr/bin/env bash
# HTTP throughput of /api/v1/check against /healthz on the same running server, same
# load tool (wrk), same run, alternating twice. Needs a data directory with reports
# (default: the one bench/import.sh left in $BENCH_DIR/data).
#   bench/http.sh DATA_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/http.sh DATA_DIR}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
cargo build --release -q -p canhgiac
PORT=${PORT:-18081}
CANHGIAC_LOG=warn target/release/canhgiac serve --data-dir "$DATA" --address "127.0.0.1:$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.1; done
# A phone number that is in the reports.
PHONE=$(python3 - "$DATA/canhgiac.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
key = c.execute("SELECT identifier_key FROM report_identifiers WHERE identifier_key LIKE 'phone:+84%' LIMIT 1 OFFSET 5000").fetchone()[0]
print("0" + key[len("phone:+84"):])
PY
)
echo "checking $PHONE: $(curl -s "http://127.0.0.1:$PORT/api/v1/check?q=$PHONE" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["level"], v["report_count"])')"
for round in 1 2; do
  for url in "/healthz" "/api/v1/check?q=$PHONE"; do
    echo "== round $round: $url"
    wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$PORT$url" | grep -E 'Requests/sec|Latency  |50%|99%'
  done
done
