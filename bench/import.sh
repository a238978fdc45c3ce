#!/usr/bin/env bash
# Import speed and server memory with N demo reports (default 1,000,000).
#   bench/import.sh [N]
# Prints: generation time, import time and rate, server start-up time and RSS with
# all reports loaded in the lookup index. Uses a release build and a scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/canhgiac-bench.XXXX)}
cargo build --release -q -p canhgiac
BIN=target/release/canhgiac
echo "== demo data: $N reports -> $WORK/reports.jsonl"
/usr/bin/time -f "generated in %e s" $BIN demo-data --reports "$N" --out "$WORK/reports.jsonl"
echo "== import"
rm -rf "$WORK/data"
/usr/bin/time -f "import wall %e s, max RSS %M KiB" $BIN import --quiet --data-dir "$WORK/data" "$WORK/reports.jsonl"
du -sh "$WORK/data"
echo "== server with everything loaded"
PORT=${PORT:-18080}
CANHGIAC_LOG=warn $BIN serve --data-dir "$WORK/data" --address "127.0.0.1:$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
START=$(date +%s.%N)
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.1; done
END=$(date +%s.%N)
echo "server ready in $(echo "$END - $START" | bc) s"
grep VmRSS /proc/$PID/status
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^canhgiac_index_(reports|identifiers) '
