"""What the fault drills share: the release binary, a free port, a server started on a
data directory and waited for."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "canhgiac")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data, port, stderr=subprocess.DEVNULL):
    """`canhgiac serve` on `data`, once /healthz answers; `stderr=subprocess.PIPE`
    keeps its log (as text)."""
    proc = subprocess.Popen(
        [BIN, "serve", "--data-dir", data, "--address", f"127.0.0.1:{port}"],
        env=dict(os.environ, CANHGIAC_LOG="warn"),
        stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")
