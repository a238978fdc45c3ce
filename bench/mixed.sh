#!/usr/bin/env bash
# Mixed load (issue 15): 200 concurrent clients for DURATION (default 300 s), 90% public
# checks of reported phone numbers, 9% new reports, 1% console queue reads by a signed-in
# leader; latency percentiles over all requests, error counts, and the server's memory.
# Then the check against a static file (/static/site.css) on the same server, same tool.
#   bench/mixed.sh DATA_DIR [DURATION]
# DATA_DIR: a data directory with reports (bench/import.sh leaves one); it is copied,
# so the run does not change it. With CANHGIAC_DATABASE_URL=postgres://… the server runs
# on that database (DATA_DIR then holds the keys of the import into it; the run adds its
# reports to that database).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:?usage: bench/mixed.sh DATA_DIR [DURATION]}
DURATION=${2:-300s}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
cargo build --release -q -p canhgiac
BIN=target/release/canhgiac
WORK=$(mktemp -d /tmp/canhgiac-mixed.XXXX)
PID=""
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$SRC" "$WORK/data"
rm -f "$WORK/data"/canhgiac.db-wal "$WORK/data"/canhgiac.db-shm
PASSWORD="mật khẩu đo tải $(date +%s)"
LEAD="mixed.lead.$(date +%s)"  # a database on a server keeps the accounts of earlier runs
echo "$PASSWORD" | CANHGIAC_LOG=warn $BIN user add --username "$LEAD" --name "Đo Tải" --role leader --password-stdin --data-dir "$WORK/data" >/dev/null
bench/reported_phones.sh "$WORK/data" > "$WORK/phones.txt"
PORT=${PORT:-18082}
CANHGIAC_LOG=warn $BIN serve --data-dir "$WORK/data" --address "127.0.0.1:$PORT" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.2; done
JAR="$WORK/jar"
CSRF=$(curl -s -c "$JAR" "http://127.0.0.1:$PORT/console/dang-nhap" | grep -o 'name="login_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "username=$LEAD" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "login_csrf=$CSRF" --data-urlencode "next=/console" "http://127.0.0.1:$PORT/console/dang-nhap"
SESSION=$(awk '$6 ~ /session/ {print $6"="$7}' "$JAR" | head -1)
[ -n "$SESSION" ] || { echo "could not sign in"; exit 1; }
REPORTS_BEFORE=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^canhgiac_index_reports /{print $2}')
echo "== mixed load: 200 clients, $DURATION, reports before: $REPORTS_BEFORE"
PHONES="$WORK/phones.txt" SESSION="$SESSION" wrk -t2 -c200 -d"$DURATION" --timeout 10s -s bench/mixed.lua "http://127.0.0.1:$PORT" | grep -E '^(requests|errors)'
echo "server $(grep VmRSS /proc/$PID/status), peak $(grep VmHWM /proc/$PID/status)"
sleep 2
echo "reports after: $(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^canhgiac_index_reports /{print $2}')"
PHONE=$(head -1 "$WORK/phones.txt")
for round in 1 2; do
  for url in "/static/site.css" "/api/v1/check?q=$PHONE"; do
    echo "== round $round: $url"
    wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$PORT$url" | grep -E 'Requests/sec|50%|99%'
  done
done
