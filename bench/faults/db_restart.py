#!/usr/bin/env python3
"""The database restarted under load (issue 15): requests fail fast with 503 while it
is away and succeed again when it is back, without restarting the node; nothing
acknowledged is lost.

    sudo bench/faults/db_restart.py --server postgres://canhgiac:canhgiac@127.0.0.1:5432/postgres \
        [--runs 3] [--down 5] [--stop 'pg_ctlcluster 15 main stop -m fast'] \
        [--start 'pg_ctlcluster 15 main start']

A release node on a fresh database takes traffic from 8 clients (checks, reports with
idempotency keys, /healthz). After 3 s the PostgreSQL server is stopped (fast
shutdown: open connections are cut), kept down `--down` seconds, and started again.
Measured per run: the answers while it was down (status, slowest), the time from the
restart to the first acknowledged report, and whether every acknowledged report is in
the database afterwards (read with psql). Exit status 1 on a 5xx other than 503, a
request slower than 4.5 s while it is down (two waits of the pool's 2 s time-out), a node that does not recover within 30 s, or a lost report.
"""

import argparse
import collections
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from drills import BIN, free_port


def psql(url, sql):
    return subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def report(n):
    return json.dumps({
        "channel": "call",
        "narrative": f"Kẻ gian xưng nhân viên điện lực, đòi chuyển tiền kẻo bị cắt điện, lần {n}.",
        "amount_lost_vnd": 500_000 + n,
        "identifiers": [{"kind": "phone", "value": f"09{(n * 7919) % 100_000_000:08d}"}],
    }).encode()


class Traffic:
    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counter = 0
        self.log = []  # (time, kind, status, seconds)
        self.acknowledged = []

    def one(self, n):
        kind = ("report", "check", "check", "healthz")[n % 4]
        if kind == "report":
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/reports", data=report(n), method="POST",
                headers={"content-type": "application/json", "idempotency-key": f"restart-{n}"})
        elif kind == "check":
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/check?q=09{n % 100_000_000:08d}")
        else:
            request = urllib.request.Request(f"http://127.0.0.1:{self.port}/healthz")
        started = time.time()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, b""
        except (urllib.error.URLError, OSError):
            status, body = 0, b""
        took = time.time() - started
        with self.lock:
            self.log.append((started, kind, status, took))
            if kind == "report" and status == 201:
                self.acknowledged.append(json.loads(body)["tracking_code"])

    def client(self):
        while not self.stop.is_set():
            with self.lock:
                self.counter += 1
                n = self.counter
            self.one(n)
            time.sleep(0.01)


def drill(args, run):
    name = f"canhgiac_restart_{os.getpid()}_{run}"
    psql(args.server, f"DROP DATABASE IF EXISTS {name}")
    psql(args.server, f"CREATE DATABASE {name}")
    url = args.server.rsplit("/", 1)[0] + "/" + name
    data = tempfile.mkdtemp(prefix="canhgiac-restart-")
    port = free_port()
    node = subprocess.Popen(
        [BIN, "serve", "--data-dir", data, "--database-url", url,
         "--address", f"127.0.0.1:{port}"],
        env=dict(os.environ, CANHGIAC_LOG="warn"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                break
        except (urllib.error.URLError, OSError):
            if time.time() > deadline:
                node.kill()
                raise SystemExit("the node did not start")
            time.sleep(0.05)
    traffic = Traffic(port)
    clients = [threading.Thread(target=traffic.client) for _ in range(8)]
    for c in clients:
        c.start()
    time.sleep(3)
    subprocess.run(shlex.split(args.stop), check=True, capture_output=True)
    down_at = time.time()
    time.sleep(args.down)
    up_at = time.time()  # the start command is issued: recovery counts from here
    subprocess.run(shlex.split(args.start), check=True, capture_output=True)
    recovered_at = None
    while time.time() - up_at < 30:
        with traffic.lock:
            recovered_at = next((t + d for t, k, s, d in traffic.log
                                 if k == "report" and s == 201 and t >= up_at), None)
        if recovered_at:
            break
        time.sleep(0.1)
    time.sleep(2)
    traffic.stop.set()
    for c in clients:
        c.join()
    node.kill()
    node.wait()

    during = [(k, s, d) for t, k, s, d in traffic.log if down_at <= t < up_at]
    statuses = collections.Counter((k, s) for k, s, _ in during)
    slowest = max((d for _, _, d in during), default=0)
    stored = set(psql(url, "SELECT tracking_code FROM reports").split())
    lost = [c for c in traffic.acknowledged if c not in stored]
    bad = [s for t, k, s, d in traffic.log if s >= 500 and s != 503]
    psql(args.server, f"DROP DATABASE IF EXISTS {name}")
    recovery = (recovered_at - up_at) if recovered_at else None
    line = (f"run {run}: down {up_at - down_at:.1f} s; while down {dict(sorted(statuses.items()))}, "
            f"slowest {slowest:.2f} s; first report acknowledged "
            + (f"{recovery:.2f} s after the restart" if recovery is not None else "NEVER")
            + f"; {len(traffic.acknowledged)} acknowledged, {len(lost)} lost")
    print(line, flush=True)
    if bad:
        print(f"  answers other than 503 among the errors: {collections.Counter(bad)}")
    return not lost and not bad and recovery is not None and slowest < 4.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--stop", default="pg_ctlcluster 15 main stop -m fast")
    parser.add_argument("--start", default="pg_ctlcluster 15 main start")
    args = parser.parse_args()
    ok = all([drill(args, run) for run in range(1, args.runs + 1)])
    print("all runs passed" if ok else "FAILED", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
