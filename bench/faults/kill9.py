#!/usr/bin/env python3
"""kill -9 drills (issue 15): nothing acknowledged is lost, an interrupted import resumes.

    bench/faults/kill9.py [--intake-runs 20] [--import-runs 3] [--import-reports 200000]

Intake: a release server on a fresh data directory takes reports from 8 clients at
once; after a random 1–3 s it is killed with SIGKILL mid-traffic, started again on the
same directory, and every report it had acknowledged (201 with a tracking code) must be
in the database (read directly: the status API limits look-ups per client), and the
restarted server must show the last one to its reporter. Repeated on the same directory, so later runs also check the
earlier reports.

Import: `canhgiac import` of a file whose rows carry idempotency keys is killed at a
random point, then run again to the end: the database must hold each row exactly once.

With `--postgres postgres://user:pass@host/postgres` the servers and imports run on
fresh databases on that PostgreSQL server (read back with psql) instead of SQLite.

Prints one line per run and a summary; exit status 1 if anything was lost or doubled.
Standard library only (and psql for PostgreSQL).
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from drills import BIN, free_port, start_server


def report(n):
    return json.dumps({
        "channel": "call",
        "narrative": f"Người gọi xưng công an bảo chuyển tiền để xác minh, lần {n}.",
        "amount_lost_vnd": 1_000_000 + n,
        "identifiers": [{"kind": "phone", "value": f"09{n % 100_000_000:08d}"}],
    }).encode()


def client(port, stop, acknowledged, lock, counter):
    while not stop.is_set():
        with lock:
            counter[0] += 1
            n = counter[0]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/reports", data=report(n), method="POST",
            headers={"content-type": "application/json", "idempotency-key": f"drill-{n}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 201:
                    body = json.loads(answer.read())
                    with lock:
                        acknowledged.append((body["tracking_code"], body["secret"]))
        except (urllib.error.URLError, OSError, ValueError):
            pass  # not acknowledged: the client would retry with the same key


def still_there(port, code, secret):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/reports/{code}", headers={"x-report-secret": secret})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status == 200
    except urllib.error.HTTPError:
        return False


POSTGRES = None  # the server, with --postgres


def fresh_database(name):
    """Points the servers and imports at a new database `name` (PostgreSQL only)."""
    if POSTGRES:
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", POSTGRES, "-qc", sql], check=True, capture_output=True)
        os.environ["CANHGIAC_DATABASE_URL"] = POSTGRES.rsplit("/", 1)[0] + "/" + name


def query(data, sql):
    """Rows of `sql` on the drill's database (SQLite in `data`, or PostgreSQL)."""
    if POSTGRES:
        out = subprocess.run(["psql", os.environ["CANHGIAC_DATABASE_URL"], "-qAtF", "\t", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
    with sqlite3.connect(os.path.join(data, "canhgiac.db")) as conn:
        return [tuple(str(v) for v in row) for row in conn.execute(sql)]


def intake_drill(runs):
    data = tempfile.mkdtemp(prefix="canhgiac-kill9-")
    fresh_database("canhgiac_kill9_intake")
    acknowledged, lost = [], 0
    for run in range(1, runs + 1):
        port = free_port()
        server = start_server(data, port)
        stop, lock, counter = threading.Event(), threading.Lock(), [run * 1_000_000]
        fresh = []
        clients = [threading.Thread(target=client, args=(port, stop, fresh, lock, counter))
                   for _ in range(8)]
        for c in clients:
            c.start()
        time.sleep(random.uniform(1.0, 3.0))
        server.send_signal(signal.SIGKILL)  # mid-traffic, no shutdown
        server.wait()
        stop.set()
        for c in clients:
            c.join()
        acknowledged.extend(fresh)
        # What is on disk after the crash (SQLite recovers the WAL on opening).
        stored = {row[0] for row in query(data, "SELECT tracking_code FROM reports")}
        missing = [code for code, _ in acknowledged if code not in stored]
        # The server starts again on it and serves the last acknowledged report.
        port = free_port()
        server = start_server(data, port)
        if fresh and not still_there(port, *fresh[-1]):
            missing.append(fresh[-1][0])
        server.terminate()
        server.wait()
        lost += len(missing)
        print(f"intake run {run:2}: {len(fresh):5} acknowledged this run, "
              f"{len(acknowledged):6} in all, {len(missing)} missing after restart", flush=True)
    shutil.rmtree(data, ignore_errors=True)
    return lost, len(acknowledged)


def import_drill(runs, reports):
    work = tempfile.mkdtemp(prefix="canhgiac-kill9-import-")
    plain = os.path.join(work, "plain.jsonl")
    keyed = os.path.join(work, "reports.jsonl")
    subprocess.run([BIN, "demo-data", "--reports", str(reports), "--out", plain],
                   check=True, stdout=subprocess.DEVNULL)
    with open(plain, encoding="utf-8") as src, open(keyed, "w", encoding="utf-8") as out:
        for n, line in enumerate(src):
            row = json.loads(line)
            row["idempotency_key"] = f"row-{n}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    problems = 0
    for run in range(1, runs + 1):
        data = os.path.join(work, f"data-{run}")
        fresh_database(f"canhgiac_kill9_import_{run}")
        env = dict(os.environ, CANHGIAC_LOG="warn")
        first = subprocess.Popen([BIN, "import", "--quiet", "--data-dir", data, keyed], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(3.0, 12.0))
        first.send_signal(signal.SIGKILL)
        first.wait()
        before = int(query(data, "SELECT count(*) FROM reports")[0][0])
        second = subprocess.run([BIN, "import", "--quiet", "--data-dir", data, keyed], env=env,
                                capture_output=True, text=True)
        total, keys = (int(v) for v in query(
            data, "SELECT count(*), count(DISTINCT idempotency_key) FROM reports")[0])
        # PostgreSQL has no integrity_check: its WAL replay is trusted, the counts checked.
        integrity = "n/a" if POSTGRES else query(data, "PRAGMA integrity_check")[0][0]
        ok = (second.returncode == 0 and total == reports and keys == reports
              and integrity in ("ok", "n/a"))
        problems += 0 if ok else 1
        print(f"import run {run}: killed with {before} of {reports} stored; after the second "
              f"run {total} reports, {keys} distinct keys, integrity {integrity} -> "
              f"{'ok' if ok else 'FAILED'}", flush=True)
        shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intake-runs", type=int, default=20)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--import-reports", type=int, default=200_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL: run on it instead of SQLite")
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = args.postgres
    if not os.path.exists(BIN):
        raise SystemExit(f"{BIN} is missing: cargo build --release -p canhgiac")
    lost, acknowledged = intake_drill(args.intake_runs)
    doubled = import_drill(args.import_runs, args.import_reports) if args.import_runs else 0
    print(f"summary: {args.intake_runs} kill -9 runs during intake, {acknowledged} reports "
          f"acknowledged, {lost} lost; {args.import_runs} imports killed and resumed, "
          f"{doubled} with a wrong count")
    sys.exit(1 if lost or doubled else 0)


if __name__ == "__main__":
    main()
