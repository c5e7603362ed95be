"""Benchmark: `prikpost sync` against a hostile receiver; print its peak memory and how long until it gives up.

Run: .venv/bin/python bench/bench_hostile.py [--messages 5] [--request-deadline 10] [--run-deadline 30]
Each mode gets a fresh database with queued messages and its own `prikpost sync` process; the hostile receiver
runs in this process, so the figures are the sender's alone. Targets: peak memory at most 200 MB, and the run
ends within its deadline (plus one request's deadline at most) with every message still unsent.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_outbox import seed

from app.context import load_catalogue
from app.domain.clock import FixedClock
from app.outbox.receiver.hostile import HostileReceiver
from app.services.base import ServiceContext
from app.services.demo import demo_lot_list
from app.services.lots import replace_lot_list
from app.store.engine import Database

MODES = ("gzip_bomb", "huge", "endless", "trickle", "trickle_headers", "silent", "mutated")
TARGET_MB = 200


def prepare(folder: Path, messages: int) -> Path:
    path = folder / "prikpost.sqlite"
    database = Database(path)
    try:
        clock = FixedClock(time_now())
        sc = ServiceContext(db=database, catalogue=load_catalogue(), user="bench", clock=clock)
        replace_lot_list(sc, demo_lot_list(clock.now().date(), clock.now()), source="bench")
        seed(sc, messages)
    finally:
        database.close()
    return path


def time_now():
    from datetime import datetime

    return datetime.now().replace(microsecond=0)


def run_sync(db: Path, url: str, config: Path) -> tuple[float, float, int, str]:
    """Return seconds, peak RSS in MB, exit code and the first line of the summary of one `prikpost sync`."""
    env = {**os.environ, "PRIKPOST_CONFIG_DIR": str(config), "PRIKPOST_DATA_DIR": str(config / "data")}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "app", "sync", "--db", str(db), "--url", url],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    output = process.stdout.read().decode("utf-8", errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, process.returncode, lines[0] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--request-deadline", type=float, default=10.0)
    parser.add_argument("--run-deadline", type=float, default=30.0)
    parser.add_argument("--modes", nargs="*", default=list(MODES))
    args = parser.parse_args()
    print(f"{args.messages} queued messages per mode; answer cap 5 MB; request deadline {args.request_deadline:g} s; "
          f"run deadline {args.run_deadline:g} s; gzip bomb 256 MiB, huge body 200 MiB")
    print(f"{'mode':<16}{'peak MB':>9}{'seconds':>9}{'exit':>6}  acknowledged  result")
    for mode in args.modes:
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            db = prepare(base, args.messages)
            config = base / "config"
            config.mkdir()
            (config / "settings.json").write_text(json.dumps({"outbox": {
                "request_deadline_s": args.request_deadline, "run_deadline_s": args.run_deadline}}))
            server = HostileReceiver(mode, base / "store", bomb_mb=256, huge_mb=200)
            server.start_in_thread()
            try:
                seconds, peak, code, first = run_sync(db, server.url(), config)
            finally:
                server.stop()
            with sqlite3.connect(db) as conn:
                acknowledged = conn.execute("select count(*) from outbox where state='acknowledged'").fetchone()[0]
            verdict = "ok" if peak <= TARGET_MB and acknowledged == 0 else "OVER TARGET"
            print(f"{mode:<16}{peak:>9.0f}{seconds:>9.1f}{code:>6}  {acknowledged:>12}  {verdict}: {first[:70]}")


if __name__ == "__main__":
    main()
