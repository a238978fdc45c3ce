#!/usr/bin/env bash
# Prints up to 2,000 distinct reported phone numbers (national form, one per line) from
# a data directory's SQLite database, or from $CANHGIAC_DATABASE_URL when it is set.
# Used by bench/check.sh and bench/mixed.sh.
#   bench/reported_phones.sh DATA_DIR
set -euo pipefail
DATA=${1:?usage: bench/reported_phones.sh DATA_DIR}
SQL="SELECT DISTINCT '0' || substr(identifier_key, 10) FROM report_identifiers WHERE identifier_key LIKE 'phone:+84%' LIMIT 2000"
if [ -n "${CANHGIAC_DATABASE_URL:-}" ]; then
  psql "$CANHGIAC_DATABASE_URL" -qAtc "$SQL"
else
  python3 - "$DATA/canhgiac.db" "$SQL" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for (phone,) in c.execute(sys.argv[2]):
    print(phone)
PY
fi
