#!/usr/bin/env python3
"""Does decoding large QR pictures stall the server? Eight clients upload a large
one-bit PNG (a few kilobytes, millions of pixels) to /api/v1/analyze/qr at once, again
and again, while /healthz is timed every 20 ms. Prints one JSON line per picture size:
the answers to the uploads and /healthz's latency (median, 99th percentile, max).

    python3 bench/qr_stall.py [--seconds 10]

Standard library only; builds and runs target/release/canhgiac on a fresh data directory.
"""

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "canhgiac")


def one_bit_png(side):
    """A white side×side one-bit PNG (it compresses to a few kilobytes)."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    raw = zlib.compress(row * side, 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def upload(port, png):
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"qr.png\"\r\n\r\n").encode()
    body += png + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/analyze/qr", data=body, method="POST")
    req.add_header("content-type", f"multipart/form-data; boundary={boundary}")
    # Each uploader is its own client for the per-client quota.
    req.add_header("x-forwarded-for", f"198.51.100.{threading.get_ident() % 250 + 1}")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--port", type=int, default=18095)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "canhgiac"], cwd=ROOT, check=True)
    data = tempfile.mkdtemp(prefix="canhgiac-qr-")
    env = dict(os.environ, CANHGIAC_LOG="warn")
    server = subprocess.Popen(
        [BINARY, "serve", "--data-dir", data, "--address", f"127.0.0.1:{args.port}",
         "--trusted-proxy", "127.0.0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for side in (4096, 6000):
            png = one_bit_png(side)
            stop = threading.Event()
            answers = {}
            lock = threading.Lock()

            def uploader():
                while not stop.is_set():
                    status = upload(args.port, png)
                    with lock:
                        answers[status] = answers.get(status, 0) + 1

            threads = [threading.Thread(target=uploader) for _ in range(8)]
            for t in threads:
                t.start()
            latencies = []
            end = time.time() + args.seconds
            while time.time() < end:
                t0 = time.perf_counter()
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=30).read()
                latencies.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.02)
            stop.set()
            for t in threads:
                t.join()
            latencies.sort()
            print(json.dumps({
                "picture": f"{side}x{side} one-bit PNG, {len(png)} bytes",
                "uploads": dict(sorted(answers.items())),
                "healthz_ms": {
                    "n": len(latencies),
                    "median": round(statistics.median(latencies), 2),
                    "p99": round(latencies[int(len(latencies) * 0.99) - 1], 2),
                    "max": round(latencies[-1], 2),
                },
            }))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
