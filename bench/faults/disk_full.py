#!/usr/bin/env python3
"""Disk-full drill (issue 15): a clear error, no corruption, recovery when space returns.

    sudo bench/faults/disk_full.py [--size-mib 48]
    sudo bench/faults/disk_full.py --postgres [--size-mib 96]

Puts a fresh data directory on a small tmpfs (needs root for `mount`), with a filler
file taking part of it. With `--postgres`, the tmpfs holds instead the data files of a
PostgreSQL cluster of its own (`initdb` as user postgres, the write-ahead log kept on
the ordinary disk, as a production server keeps it on its own volume), and the server
runs on it; the filler then leaves 6 MiB free once the schema is in. A release server takes reports (10 KB narratives, 8 clients)
until the disk is full. Then:
- every answer while full must be 201 or 503 (never another 5xx, never a hang);
- the public check still answers (reads need no space);
- the filler is deleted: new reports must be acknowledged again, without a restart;
- after the server stops: SQLite's integrity check is ok (on PostgreSQL: `pg_amcheck`
  of every table and index), and every acknowledged report is in the database.
Exit status 1 if any of these fails. Standard library only.
"""

import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from drills import free_port, start_server

PG_BIN = "/usr/lib/postgresql/15/bin"


def as_postgres(*command, **kw):
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                          capture_output=True, text=True, **kw)


class Cluster:
    """A PostgreSQL cluster of its own: data files under `data_dir` (the tmpfs), the
    write-ahead log under `wal_dir`."""

    def __init__(self, data_dir, wal_dir):
        self.data_dir, self.wal_dir, self.port = data_dir, wal_dir, free_port()
        self.socket_dir = tempfile.mkdtemp(prefix="canhgiac-full-sock-")
        for d in (data_dir, wal_dir, self.socket_dir):
            os.makedirs(d, exist_ok=True)
            shutil.chown(d, "postgres", "postgres")
        as_postgres(f"{PG_BIN}/initdb", "-D", data_dir, "--waldir", wal_dir, "-U", "postgres",
                    "--auth=trust", "--no-sync")
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", data_dir, "-w", "-l", f"{wal_dir}.log", "-o",
                    f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1", "start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/canhgiac"
        self.psql("postgres", "CREATE DATABASE canhgiac")

    def psql(self, database, sql):
        return as_postgres(f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-d",
                           database, "-qAtc", sql).stdout

    def amcheck(self):
        """`pg_amcheck` of every table and index, with every heap tuple in its indexes:
        (ok, output)."""
        self.psql("canhgiac", "CREATE EXTENSION IF NOT EXISTS amcheck")
        run = subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_amcheck", "-h",
                              "127.0.0.1", "-p", str(self.port), "--heapallindexed", "canhgiac"],
                             capture_output=True, text=True)
        return run.returncode == 0, (run.stdout + run.stderr).strip()

    def stop(self):
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D",
                        self.data_dir, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.wal_dir, ignore_errors=True)
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def fill_leaving(path, free_mib):
    """A filler file that leaves `free_mib` free on the filesystem of `path`."""
    st = os.statvfs(os.path.dirname(path))
    size = st.f_bavail * st.f_frsize - free_mib * 1024 * 1024
    with open(path, "wb") as f:
        while size > 0:
            chunk = min(size, 1024 * 1024)
            f.write(b"\0" * chunk)
            size -= chunk


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
    parser.add_argument("--size-mib", type=int)
    parser.add_argument("--postgres", action="store_true",
                        help="the database on a PostgreSQL cluster whose data files fill the disk")
    args = parser.parse_args()
    if args.size_mib is None:
        args.size_mib = 96 if args.postgres else 48
    if os.geteuid() != 0:
        raise SystemExit("needs root, to mount a small tmpfs")
    mount = tempfile.mkdtemp(prefix="canhgiac-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mib}m", "tmpfs", mount],
                   check=True)
    failures = []
    cluster = None
    try:
        filler = os.path.join(mount, "filler")
        if args.postgres:
            data = tempfile.mkdtemp(prefix="canhgiac-full-keys-")
            cluster = Cluster(os.path.join(mount, "pg"), tempfile.mkdtemp(prefix="canhgiac-full-wal-"))
            os.environ["CANHGIAC_DATABASE_URL"] = cluster.url
        else:
            data = os.path.join(mount, "data")
            with open(filler, "wb") as f:
                f.write(b"\0" * (args.size_mib // 3) * 1024 * 1024)
        port = free_port()
        server = start_server(data, port, stderr=subprocess.PIPE)
        if args.postgres:
            fill_leaving(filler, 6)
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
        if cluster:
            ok, output = cluster.amcheck()
            integrity = "ok" if ok else output[:500]
            stored = set(cluster.psql("canhgiac", "SELECT tracking_code FROM reports").split())
        else:
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
        if cluster:
            cluster.stop()
        subprocess.run(["umount", mount], check=False)
        os.rmdir(mount)
    print("result:", "ok" if not failures else "FAILED: " + "; ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
