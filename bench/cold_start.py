"""Replicas that start together on an empty PostgreSQL database: how many come up.

    .venv/bin/python -m bench.cold_start [--replicas 3] [--databases 3]

For each of ``--databases`` fresh PostgreSQL databases (created on the test server, dropped
afterwards) ``--replicas`` real ``dialoog serve`` processes start at the same moment, on ports of
their own, with the outbox sender and the scheduler on as in production. A replica "came up" when
its ``GET /healthz`` answers 200; one that exits first did not (its last log line is printed).
Before the migration lock, one replica in most starts died in ``Database.migrate()``
(``UniqueViolation pg_type_typname_nsp_index``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.databases import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def start_together(url: str, replicas: int, workdir: Path) -> tuple[int, list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DIALOOG_PSEUDONYM_SECRET": secrets.token_hex(32),
        "DIALOOG_MAIL_TRANSPORT": "none",
        "DIALOOG_OUTBOX_ENABLED": "true",
        "DIALOOG_SCHEDULER_ENABLED": "true",
    }
    ports = [free_port() for _ in range(replicas)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli.command", "serve", "--port", str(port)],
            cwd=workdir,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    up: set[int] = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(up) + sum(
        p.poll() is not None for p in processes
    ) < len(processes):
        for port, process in zip(ports, processes, strict=True):
            if port not in up and process.poll() is None and healthy(port):
                up.add(port)
        time.sleep(0.2)
    failures = []
    for process in processes:
        if process.poll() is not None:
            lines = (process.stderr.read() if process.stderr else "").strip().splitlines()
            errors = [line for line in lines if "Error" in line or "Violation" in line]
            failures.append((errors or lines or [f"exit {process.returncode}"])[-1])
        else:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return len(up), failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--databases", type=int, default=3)
    args = parser.parse_args()
    total = 0
    workdir = Path(os.environ.get("TMPDIR", "/tmp"))
    for number in range(1, args.databases + 1):
        with fresh_postgres_database() as url:
            came_up, failures = start_together(url, args.replicas, workdir)
        total += came_up
        print(f"database {number}: {came_up}/{args.replicas} replicas came up")
        for failure in failures:
            print(f"  died: {failure[:200]}")
    print(f"cold start: {total}/{args.replicas * args.databases} replicas came up")


if __name__ == "__main__":
    main()
