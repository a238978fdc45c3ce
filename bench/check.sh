#!/usr/bin/env bash
# The public check against a static file (/static/site.css) on the same server, same
# tool (wrk -t2 -c32 -d10s), two alternating rounds: the check of one reported phone
# number, and the check of 2,000 distinct reported numbers taken in turn (each answer
# is kept while what it read is unchanged; the second case shows what that is worth
# when questions repeat less).
#   [ROUNDS=2] bench/check.sh DATA_DIR [BINARY]
# With CANHGIAC_DATABASE_URL=postgres://… the server runs on that database.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/check.sh DATA_DIR [BINARY]}
BIN=${2:-target/release/canhgiac}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
[ -n "${2:-}" ] || cargo build --release -q -p canhgiac
WORK=$(mktemp -d /tmp/canhgiac-check.XXXX)
PID=""
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
bench/reported_phones.sh "$DATA" > "$WORK/phones.txt"
PORT=${PORT:-18083}
CANHGIAC_LOG=warn $BIN serve --data-dir "$DATA" --address "127.0.0.1:$PORT" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.2; done
PHONE=$(head -1 "$WORK/phones.txt")
echo "binary $BIN; $(wc -l < "$WORK/phones.txt") distinct numbers; one number: $PHONE"
rate() { wrk -t2 -c32 -d10s --latency "$@" | awk '/Requests\/sec/ {print $2} / 99%/ {printf "p99 %s, ", $2}'; }
for round in $(seq "${ROUNDS:-2}"); do
  echo "round $round: static $(rate "http://127.0.0.1:$PORT/static/site.css")"
  echo "round $round: check, one number $(rate "http://127.0.0.1:$PORT/api/v1/check?q=$PHONE")"
  echo "round $round: check, 2,000 numbers $(PHONES="$WORK/phones.txt" rate -s bench/check_many.lua "http://127.0.0.1:$PORT")"
done
