#!/usr/bin/env bash
# The partner exchange with a large data directory (issue 17):
# - every identifier of the data directory marked verified (up to LIMIT, default
#   1,000,000), then the STIX 2.1, MISP and CSV exports streamed, with their time, size
#   and the server's peak memory before and after;
# - a partner blocklist of 100,000 rows (CSV) imported;
# - the hash-prefix lookup against the public check, on the same server, under wrk
#   (-t2 -c32 -d10s), two alternating rounds.
#   bench/partners.sh DATA_DIR [BINARY]
# DATA_DIR (SQLite, e.g. from `demo-data --reports 1000000` and `import`) is copied.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:?usage: bench/partners.sh DATA_DIR [BINARY]}
BIN=${2:-target/release/canhgiac}
LIMIT=${LIMIT:-1000000}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
[ -n "${2:-}" ] || cargo build --release -q -p canhgiac
WORK=$(mktemp -d /tmp/canhgiac-partners.XXXX)
PID=""
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$SRC" "$WORK/data"
rm -f "$WORK/data"/canhgiac.db-wal "$WORK/data"/canhgiac.db-shm
PASSWORD="mật khẩu đo đối tác $(date +%s)"
ADMIN="bench.admin.$(date +%s)"
echo "$PASSWORD" | CANHGIAC_LOG=warn $BIN user add --username "$ADMIN" --name "Đo Đối Tác" --role admin --password-stdin --data-dir "$WORK/data" >/dev/null
python3 - "$WORK/data/canhgiac.db" "$ADMIN" "$LIMIT" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
officer = db.execute("SELECT id FROM officers WHERE username = ?", (sys.argv[2],)).fetchone()[0]
start = time.time()
db.execute("INSERT OR IGNORE INTO identifier_status (key, status, reason, officer_id, at) "
           "SELECT key, 'verified', 'đo hiệu năng', ?, created_at FROM identifiers ORDER BY key LIMIT ?",
           (officer, int(sys.argv[3])))
missing = int(sys.argv[3]) - db.execute("SELECT COUNT(*) FROM identifier_status").fetchone()[0]
if missing > 0:
    # The demo data names fewer identifiers than asked: verified phones without reports
    # make up the rest (+84 99x: no demo report uses them).
    rows = ((f"phone:+8499{i:07d}", "phone", f"099 {i:07d}", 1_700_000_000) for i in range(missing))
    db.executemany("INSERT OR IGNORE INTO identifiers (key, kind, display, created_at) VALUES (?, ?, ?, ?)", rows)
    db.execute("INSERT OR IGNORE INTO identifier_status (key, status, reason, officer_id, at) "
               "SELECT key, 'verified', 'đo hiệu năng', ?, created_at FROM identifiers WHERE key LIKE 'phone:+8499%'", (officer,))
db.commit()
n = db.execute("SELECT COUNT(*) FROM identifier_status").fetchone()[0]
print(f"identifiers marked verified: {n} ({time.time() - start:.1f} s)")
PY
PORT=${PORT:-18085}
CANHGIAC_LOG=warn $BIN serve --data-dir "$WORK/data" --address "127.0.0.1:$PORT" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.2; done
URL="http://127.0.0.1:$PORT"
JAR="$WORK/jar"
CSRF=$(curl -s -c "$JAR" "$URL/console/dang-nhap" | grep -o 'name="login_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "username=$ADMIN" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "login_csrf=$CSRF" --data-urlencode "next=/console" "$URL/console/dang-nhap"
FORM_CSRF=$(curl -s -b "$JAR" "$URL/console/doi-tac" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$FORM_CSRF" ] || { echo "could not sign in"; exit 1; }
PARTNER=$(curl -s -b "$JAR" -o /dev/null -w "%{redirect_url}" --data-urlencode "csrf=$FORM_CSRF" \
  --data-urlencode "name=Nhà mạng đo $(date +%s)" --data-urlencode "kind=carrier" "$URL/console/doi-tac" | grep -o '[0-9]*$')
KEY=$(curl -s -b "$JAR" --data-urlencode "csrf=$FORM_CSRF" --data-urlencode "scopes=indicators:read" \
  --data-urlencode "scopes=blocklist:submit" --data-urlencode "per_minute=10000000" --data-urlencode "label=đo" \
  "$URL/console/doi-tac/$PARTNER/khoa" | grep -o 'cgk_[0-9a-f]\{8\}_[A-Za-z0-9_-]\{43\}' | head -1)
[ -n "$KEY" ] || { echo "could not issue a key"; exit 1; }
AUTH="Authorization: Bearer $KEY"
echo "reports: $(curl -s "$URL/metrics" | awk '/^canhgiac_index_reports /{print $2}')"
echo "server before exports: $(grep VmRSS /proc/$PID/status), peak $(grep VmHWM /proc/$PID/status)"
for format in stix misp csv; do
  curl -s -H "$AUTH" -o "$WORK/export.$format" -w "$format export: HTTP %{http_code}, %{time_total} s, %{size_download} bytes" "$URL/api/v1/partner/indicators/$format"
  echo ", server $(grep VmRSS /proc/$PID/status | tr -s ' '), peak $(grep VmHWM /proc/$PID/status | tr -s ' ')"
done
echo "STIX indicators in the bundle: $(grep -o '"type":"indicator"' "$WORK/export.stix" | wc -l)"
rm -f "$WORK"/export.*

python3 - "$WORK/list.csv" <<'PY'
import random, sys
random.seed(17)
prefixes = ["90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "39", "70", "76", "77", "79", "81", "83", "84", "85"]
with open(sys.argv[1], "w") as f:
    f.write("kind,value,bank\n")
    for i in range(100_000):
        r = i % 4
        if r < 2:
            f.write(f"phone,0{random.choice(prefixes)}{random.randrange(10**7):07d},\n")
        elif r == 2:
            f.write(f"bank_account,{random.randrange(10**11):011d},Vietcombank\n")
        else:
            f.write(f"url,https://lua-dao-{i}.xyz/dang-nhap,\n")
PY
curl -s -H "$AUTH" -H "content-type: text/csv" --data-binary "@$WORK/list.csv" -o "$WORK/import.json" \
  -w "blocklist import, 100,000 rows: HTTP %{http_code}, %{time_total} s" "$URL/api/v1/partner/blocklists?format=csv&name=bench&confidence=70"
echo " ($(head -c 300 "$WORK/import.json"))"

PHONES="$WORK/phones"
curl -s -H "$AUTH" "$URL/api/v1/partner/indicators/csv?kind=phone" | awk -F, 'NR>1 && NR<=2001 {print $2}' | sed 's/+/%2B/' > "$PHONES"
echo "check: $(wc -l < "$PHONES") verified phones in turn; hash prefixes: random"
rate() { wrk -t2 -c32 -d10s --latency "$@" | awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s req/s, p50 %s, p99 %s, non-2xx %d", r, p50, p99, bad}'; }
for round in 1 2 3; do
  echo "round $round: public check      $(PHONES=$PHONES rate -s bench/check_many.lua "$URL")"
  echo "round $round: hash-prefix lookup $(KEY=$KEY rate -s bench/hash_prefixes.lua "$URL")"
done
echo "prefix list: $(curl -s -H "$AUTH" -o /dev/null -w "HTTP %{http_code}, %{time_total} s, %{size_download} bytes" "$URL/api/v1/partner/hash-prefixes") (first), $(curl -s -H "$AUTH" -o /dev/null -w "%{time_total} s" "$URL/api/v1/partner/hash-prefixes") (kept)"
echo "server $(grep VmRSS /proc/$PID/status), peak $(grep VmHWM /proc/$PID/status)"
