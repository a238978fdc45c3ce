#!/usr/bin/env python3
"""Propagation between two nodes on one PostgreSQL database (issue 15, target: p99 ≤ 1 s).

    bench/nodes.py --server postgres://canhgiac:canhgiac@127.0.0.1:5432/postgres [--reports 300]

Starts two release nodes (A and B) on a fresh database, then, one after another, sends a
report naming a new phone number to A and polls B's public check every 2 ms until it
counts the report; the same for a verdict is covered by crates/cli/tests/nodes.rs. With
`--load N`, N threads keep sending reports to A meanwhile (the changes log then grows
all the time). Prints p50/p90/p99/max of the propagation times. Standard library only
(and psql to create the database).
"""

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "faults"))
from drills import BIN, free_port  # noqa: E402

KEY = "bm9kZXMtYmVuY2gta2V5LTMyLWJ5dGVzLWxvbmchISE="


def start(data, url):
    port = free_port()
    proc = subprocess.Popen(
        [BIN, "serve", "--data-dir", data, "--database-url", url, "--address", f"127.0.0.1:{port}"],
        env=dict(os.environ, CANHGIAC_LOG="warn", CANHGIAC_DATA_KEY=KEY),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc, port
        except (urllib.error.URLError, OSError):
            if time.time() > deadline:
                proc.kill()
                raise SystemExit("a node did not start")
            time.sleep(0.05)


def send(port, phone, n):
    body = json.dumps({
        "channel": "call",
        "narrative": f"Kẻ gian gọi xưng nhân viên ngân hàng, đòi mã OTP, lần {n}.",
        "amount_lost_vnd": 100_000,
        "identifiers": [{"kind": "phone", "value": phone}],
    }).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/reports", data=body,
                                     method="POST", headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201


def count(port, phone):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/check?q={phone}", timeout=10) as a:
        return json.loads(a.read())["report_count"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--load", type=int, default=0)
    args = parser.parse_args()
    name = f"canhgiac_nodes_{os.getpid()}"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", args.server, "-qc", sql], check=True, capture_output=True)
    url = args.server.rsplit("/", 1)[0] + "/" + name
    a_dir, b_dir = tempfile.mkdtemp(), tempfile.mkdtemp()
    a, port_a = start(a_dir, url)
    b, port_b = start(b_dir, url)
    stop = threading.Event()

    def background(k):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                send(port_a, f"08{(k * 1_000_000 + n) % 100_000_000:08d}", n)
            except (urllib.error.URLError, OSError, AssertionError):
                pass

    loaders = [threading.Thread(target=background, args=(k,)) for k in range(args.load)]
    for t in loaders:
        t.start()
    times = []
    try:
        for n in range(args.reports):
            phone = f"09{(n * 7919 + 13) % 100_000_000:08d}"
            send(port_a, phone, n)
            sent = time.perf_counter()
            while count(port_b, phone) < 1:
                if time.perf_counter() - sent > 10:
                    raise SystemExit(f"report {n} not seen on B after 10 s")
                time.sleep(0.002)
            times.append(time.perf_counter() - sent)
    finally:
        stop.set()
        for t in loaders:
            t.join()
        for proc in (a, b):
            proc.kill()
            proc.wait()
        subprocess.run(["psql", args.server, "-qc", f"DROP DATABASE IF EXISTS {name}"],
                       capture_output=True)
    times.sort()

    def pct(p):
        return times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000

    print(f"{len(times)} reports sent to A, seen in B's check after: p50 {pct(50):.1f} ms, "
          f"p90 {pct(90):.1f} ms, p99 {pct(99):.1f} ms, max {times[-1] * 1000:.1f} ms "
          f"({args.load} background writers)")


if __name__ == "__main__":
    main()
