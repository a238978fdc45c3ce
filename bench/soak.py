#!/usr/bin/env python3
"""Soak: mixed concurrent traffic against a release server that is killed (SIGKILL) and
restarted at random moments; at the end, every report the server acknowledged (201
with a tracking code) must be in the database, none twice.

    python3 bench/soak.py [--seconds 600] [--workers 16] [--kill-every 45]

Traffic per worker, at random: a report (with an Idempotency-Key, retried with the same
key after a connection error), a public check, a message analysis, a URL analysis, a QR
payload, the home page. Prints one JSON line with the counts and the result.
Standard library only; builds and runs target/release/canhgiac.
"""

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "canhgiac")


def start(data_dir, port):
    env = dict(os.environ, CANHGIAC_LOG="warn")
    proc = subprocess.Popen(
        [BINARY, "serve", "--data-dir", data_dir, "--address", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def request(port, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    req.add_header("content-type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def report_body(rng):
    phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
    account = "".join(rng.choice("0123456789") for _ in range(10))
    return {
        "channel": rng.choice(["call", "sms", "zalo", "facebook"]),
        "narrative": "Kẻ gian gọi điện xưng là công an, bắt chuyển tiền để xác minh.",
        "amount_lost_vnd": rng.randint(1, 500) * 100_000,
        "identifiers": [
            {"kind": "phone", "value": phone},
            {"kind": "bank_account", "bank": "VCB", "value": account},
        ],
    }


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.acknowledged = {}  # idempotency key -> tracking code

    def add(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1


def worker(seed, port_box, stop, tally):
    rng = random.Random(seed)
    pending = None  # (key, body) of a report whose answer was lost
    while not stop.is_set():
        port = port_box[0]
        kind = rng.choice(["report", "report", "check", "message", "url", "qr", "home"])
        if pending is not None:
            kind = "report"
        try:
            if kind == "report":
                key, body = pending or (f"soak-{seed}-{rng.getrandbits(64):x}", report_body(rng))
                status, raw = request(port, "POST", "/api/v1/reports", body, {"idempotency-key": key})
                pending = None
                if status in (200, 201):
                    code = json.loads(raw)["tracking_code"]
                    with tally.lock:
                        seen = tally.acknowledged.get(key)
                        if seen is not None and seen != code:
                            tally.counts["replay_mismatch"] = tally.counts.get("replay_mismatch", 0) + 1
                        tally.acknowledged[key] = code
                elif status >= 500:
                    pending = (key, body)
                tally.add(f"report_{status}")
            elif kind == "check":
                status, _ = request(port, "GET", "/api/v1/check?q=0912345678")
                tally.add(f"check_{status}")
            elif kind == "message":
                status, _ = request(port, "POST", "/api/v1/analyze/message",
                                    {"text": "Tài khoản của bạn bị khóa, đăng nhập vcb-hotro.top để mở khóa"})
                tally.add(f"message_{status}")
            elif kind == "url":
                status, _ = request(port, "GET", "/api/v1/analyze/url?q=vietcombank-hotro.com")
                tally.add(f"url_{status}")
            elif kind == "qr":
                status, _ = request(port, "POST", "/api/v1/analyze/qr", {"payload": "000201"})
                tally.add(f"qr_{status}")
            else:
                status, _ = request(port, "GET", "/")
                tally.add(f"home_{status}")
        except (OSError, ValueError):
            # The server was killed under us: a report is retried with the same key.
            tally.add(f"{kind}_connection_lost")
            if kind == "report":
                pending = (key, body)
            time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--kill-every", type=float, default=45.0, help="mean seconds between kills")
    ap.add_argument("--port", type=int, default=18093)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "canhgiac"], cwd=ROOT, check=True)
    data = tempfile.mkdtemp(prefix="canhgiac-soak-")
    port_box = [args.port]
    proc = start(data, args.port)
    stop = threading.Event()
    tally = Tally()
    threads = [threading.Thread(target=worker, args=(i, port_box, stop, tally), daemon=True)
               for i in range(args.workers)]
    for t in threads:
        t.start()
    rng = random.Random(7)
    kills = 0
    end = time.time() + args.seconds
    while time.time() < end:
        time.sleep(min(rng.expovariate(1.0 / args.kill_every), max(0.0, end - time.time())))
        if time.time() >= end:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        proc = start(data, args.port)
    stop.set()
    for t in threads:
        t.join(timeout=15)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    db = sqlite3.connect(f"file:{os.path.join(data, 'canhgiac.db')}?mode=ro", uri=True)
    stored = {row[0] for row in db.execute("SELECT tracking_code FROM reports")}
    (duplicates,) = db.execute(
        "SELECT COUNT(*) FROM (SELECT idempotency_key FROM reports WHERE idempotency_key IS NOT NULL "
        "GROUP BY idempotency_key HAVING COUNT(*) > 1)").fetchone()
    acknowledged = set(tally.acknowledged.values())
    lost = sorted(acknowledged - stored)
    server_errors = sum(v for k, v in tally.counts.items() if k.split("_")[-1].startswith("5"))
    result = {
        "seconds": args.seconds,
        "workers": args.workers,
        "kills": kills,
        "requests": sum(v for k, v in tally.counts.items() if not k.endswith("connection_lost")),
        "connections_lost": sum(v for k, v in tally.counts.items() if k.endswith("connection_lost")),
        "reports_acknowledged": len(acknowledged),
        "reports_stored": len(stored),
        "acknowledged_but_lost": len(lost),
        "duplicate_idempotency_keys": duplicates,
        "server_errors": server_errors,
        "counts": dict(sorted(tally.counts.items())),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 1 if lost or duplicates or tally.counts.get("replay_mismatch") else 0


if __name__ == "__main__":
    sys.exit(main())
