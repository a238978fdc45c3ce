#!/usr/bin/env bash
# Statistics with a large data directory (issue 16): the statistics of a year (page and
# API), warm, as a leader sees them; the periodic report of that year drafted and its
# DOCX and PDF, the XLSX export; the public statistics page (kept a minute) under wrk. Times are curl's
# time_total per request; medians and the slowest of the warm runs are printed.
#   bench/stats.sh DATA_DIR [YEAR] [BINARY]
# DATA_DIR is copied, so the run does not change it. With CANHGIAC_DATABASE_URL=
# postgres://… the server runs on that database (DATA_DIR then holds its keys).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:?usage: bench/stats.sh DATA_DIR [YEAR] [BINARY]}
YEAR=${2:-$(( $(date +%Y) - 1 ))}
BIN=${3:-target/release/canhgiac}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
[ -n "${3:-}" ] || cargo build --release -q -p canhgiac
WORK=$(mktemp -d /tmp/canhgiac-stats.XXXX)
PID=""
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$SRC" "$WORK/data"
rm -f "$WORK/data"/canhgiac.db-wal "$WORK/data"/canhgiac.db-shm
PASSWORD="mật khẩu đo thống kê $(date +%s)"
LEAD="stats.lead.$(date +%s)"
echo "$PASSWORD" | CANHGIAC_LOG=warn $BIN user add --username "$LEAD" --name "Đo Thống Kê" --role leader --password-stdin --data-dir "$WORK/data" >/dev/null
PORT=${PORT:-18084}
CANHGIAC_LOG=warn $BIN serve --data-dir "$WORK/data" --address "127.0.0.1:$PORT" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.2; done
URL="http://127.0.0.1:$PORT"
JAR="$WORK/jar"
CSRF=$(curl -s -c "$JAR" "$URL/console/dang-nhap" | grep -o 'name="login_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "username=$LEAD" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "login_csrf=$CSRF" --data-urlencode "next=/console" "$URL/console/dang-nhap"
FORM_CSRF=$(curl -s -b "$JAR" "$URL/console/bao-cao-dinh-ky" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$FORM_CSRF" ] || { echo "could not sign in"; exit 1; }
echo "reports: $(curl -s "$URL/metrics" | awk '/^canhgiac_index_reports /{print $2}'), year $YEAR"

# n requests of one URL; prints the first (cold), then median and max of the rest
times() {
  local n=$1 url=$2 out="$WORK/times"
  for _ in $(seq "$n"); do
    curl -s -b "$JAR" -o /dev/null -w "%{http_code} %{time_total}\n" "$url"
  done > "$out"
  local first code warm
  first=$(head -1 "$out" | awk '{printf "%.0f", $2*1000}')
  code=$(head -1 "$out" | awk '{print $1}')
  warm=$(tail -n +2 "$out" | awk '{print $2*1000}' | sort -n)
  printf "HTTP %s, first %s ms, warm median %.1f ms, max %.1f ms (%d runs)%s\n" "$code" "$first" \
    "$(echo "$warm" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "$(echo "$warm" | tail -1)" \
    "$(echo "$warm" | wc -l)" "$(awk -v c="$code" '$1 != c {print " SOME ANSWERED " $1; exit}' "$out")"
}
echo "statistics API, year:      $(times 21 "$URL/api/v1/officer/stats?period=$YEAR")"
echo "statistics page, year:     $(times 21 "$URL/console/thong-ke?ky=$YEAR")"
echo "statistics API, a month:   $(times 21 "$URL/api/v1/officer/stats?period=$YEAR-06")"
echo "statistics API, a commune: $(times 21 "$URL/api/v1/officer/stats?period=$YEAR&commune=$(curl -s -b "$JAR" "$URL/console/thong-ke" | grep -o 'name="xa">.*' | grep -o 'option value="[0-9]*"' | head -1 | grep -o '[0-9]*')")"
for i in 1 2 3; do
  echo "periodic report $i, drafted: $(curl -s -b "$JAR" -o /dev/null -w "HTTP %{http_code}, %{time_total} s" --data-urlencode "csrf=$FORM_CSRF" --data-urlencode "ky=$YEAR" "$URL/console/bao-cao-dinh-ky")"
done
echo "periodic report DOCX:      $(times 5 "$URL/console/bao-cao-dinh-ky/1/bao-cao.docx")"
echo "periodic report PDF:       $(times 5 "$URL/console/bao-cao-dinh-ky/1/bao-cao.pdf")"
echo "statistics XLSX, year:     $(times 5 "$URL/console/thong-ke.xlsx?ky=$YEAR")"
echo "sector loopholes, year:    $(times 6 "$URL/console/lo-hong?ky=$YEAR")"
curl -s -b "$JAR" -o /dev/null --data-urlencode "csrf=$FORM_CSRF" --data-urlencode "name=Cao điểm Zalo" \
  --data-urlencode "from=$YEAR-06-01" --data-urlencode "to=$YEAR-08-31" --data-urlencode "channels=zalo" \
  --data-urlencode "target_hours=24" --data-urlencode "target_percent=80" "$URL/console/dot-cao-diem"
echo "campaign page (3 months):  $(times 11 "$URL/console/dot-cao-diem/1")"
echo "public statistics:         $(times 21 "$URL/thong-ke?ky=$YEAR")"
echo "public statistics, wrk -t2 -c32 -d10s: $(wrk -t2 -c32 -d10s --latency "$URL/thong-ke?ky=$YEAR" | awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%s req/s, p50 %s, p99 %s", r, p50, p99}')"
echo "server $(grep VmRSS /proc/$PID/status), peak $(grep VmHWM /proc/$PID/status)"
