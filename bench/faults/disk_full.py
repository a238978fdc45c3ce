#!/usr/bin/env python3
"""Disk-full drill (issue 15): a clear error, no corruption, recovery when space returns.

    sudo bench/faults/disk_full.py [--size-mib 48]

Puts a fresh data directory on a small tmpfs (needs root for `mount`), with a filler
file taking part of it. A release server takes reports (10 KB narratives, 8 clients)
until the disk is full. Then:
- every answer while full must be 201 or 503 (never another 5xx, never a hang);
- the public check still answers (reads need no space);
- the filler is deleted: new reports must be acknowledged again, without a restart;
- after the server stops: SQLite's integrity check is ok, and every acknowledged
  report is in the database.
Exit status 1 if any of these fails. Standard library only.
"""

import argparse
import collections
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from drills import free_port, start_server


def post(port, n):
    body = json.dumps({
        "channel": "zalo",
        "narrative": f"Lần {n}: " + "Người lạ nhắn tin mời làm cộng tác viên, bảo nạp tiền. " * 180,
        "identifiers": [{"kind": "phone", "value": f"09{n % 100_000_000:08d}"}],
    }).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/reports", data=body, method="POST",
        headers={"content-type": "application/json", "idempotency-key": f"full-{n}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read()).get("tracking_code")
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError):
        return 0, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=48)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root, to mount a small tmpfs")
    mount = tempfile.mkdtemp(prefix="canhgiac-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mib}m", "tmpfs", mount],
                   check=True)
    failures = []
    try:
        data = os.path.join(mount, "data")
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * (args.size_mib // 3) * 1024 * 1024)
        port = free_port()
        server = start_server(data, port, stderr=subprocess.PIPE)
        statuses, acknowledged, lock = collections.Counter(), [], threading.Lock()
        counter, refused_in_a_row = [0], [0]

        def client():
            while refused_in_a_row[0] < 50:
                with lock:
                    counter[0] += 1
                    n = counter[0]
                status, code = post(port, n)
                with lock:
                    statuses[status] += 1
                    if status == 201:
                        acknowledged.append(code)
                        refused_in_a_row[0] = 0
                    else:
                        refused_in_a_row[0] += 1

        threads = [threading.Thread(target=client) for _ in range(8)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"filling: {dict(statuses)} in {time.time() - started:.1f} s; "
              f"{len(acknowledged)} acknowledged", flush=True)
        if set(statuses) - {201, 503}:
            failures.append(f"answers other than 201 and 503 while filling: {dict(statuses)}")
        if statuses[503] == 0:
            failures.append("the disk never filled: use a smaller --size-mib")
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/check?q=0912345678", timeout=10) as answer:
            if answer.status != 200:
                failures.append(f"the check answered {answer.status} with the disk full")
        os.remove(filler)
        recovered, refusals = None, collections.Counter()
        for attempt in range(100):
            status, code = post(port, 10_000_000 + attempt)
            refusals[status] += 1
            if status == 201:
                acknowledged.append(code)
                recovered = attempt
                break
            time.sleep(0.1)
        print(f"space returned: {'acknowledged again after ' + str(recovered) + ' refusals' if recovered is not None else 'NOT recovered'} "
              f"(answers {dict(refusals)})", flush=True)
        if recovered is None:
            failures.append("no report acknowledged after the space returned")
        server.terminate()
        _, log = server.communicate(timeout=30)
        full_lines = [line for line in log.splitlines() if "full" in line.lower()]
        if os.environ.get("DRILL_VERBOSE"):
            import re
            kinds = collections.Counter(re.sub(r"^\S+\s+", "", re.sub(r"\x1b\[[0-9;]*m", "", l))[:300] for l in log.splitlines())
            for line, n in kinds.most_common(8):
                print(f"  {n:4} x {line}")
        print(f"server log: {len(full_lines)} lines name the full disk, e.g. "
              f"{full_lines[0][:200] if full_lines else '(none)'}")
        conn = sqlite3.connect(os.path.join(data, "canhgiac.db"))
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        stored = {row[0] for row in conn.execute("SELECT tracking_code FROM reports")}
        conn.close()
        missing = [c for c in acknowledged if c not in stored]
        print(f"after stop: integrity {integrity}; {len(stored)} reports stored, "
              f"{len(missing)} acknowledged ones missing")
        if integrity != "ok":
            failures.append(f"integrity check: {integrity}")
        if missing:
            failures.append(f"{len(missing)} acknowledged reports missing")
    finally:
        subprocess.run(["umount", mount], check=False)
        os.rmdir(mount)
    print("result:", "ok" if not failures else "FAILED: " + "; ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
