"""Scan-to-commit latency of record_scan on a SQLCipher file beside a PostgreSQL server over loopback.

The PostgreSQL server runs as a host would run it: fsync and synchronous_commit on, on 127.0.0.1 over TCP
with scram-sha-256 (started with initdb/pg_ctl like the tests' server; as root under the postgres user).
Each store gets a new session with two vaccines; every scan registers a new child (two rows, audit entries)
in one transaction. Also measured: two stations scanning at once into the same PostgreSQL session.
Target: p99 <= 30 ms on PostgreSQL.
Run: .venv/bin/python bench/bench_store_backends.py [--scans 2000]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pg_server: the tests' server helper

from app.context import load_catalogue  # noqa: E402
from app.domain.clock import SystemClock  # noqa: E402
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine  # noqa: E402
from app.services.base import ServiceContext  # noqa: E402
from app.services.demo import demo_bsns, demo_lot_list  # noqa: E402
from app.services.lots import replace_lot_list  # noqa: E402
from app.services.scans import record_scan  # noqa: E402
from app.services.sessions import create_session  # noqa: E402
from app.store.engine import Database  # noqa: E402
from tests.pg_server import PostgresServer, why_not_available  # noqa: E402

TARGET_P99_MS = 30.0


def _session(sc: ServiceContext) -> int:
    today = date.today()
    replace_lot_list(sc, demo_lot_list(today, datetime.now()), source="bench")
    return create_session(sc, SessionSetup(
        today, Organisation("JGZ Bench", OrgIdKind.URA, "12345678"), "Benchschool", "18", Mode.BEFORE,
        (SessionVaccine("28", "DEMO-MACWY-01"), SessionVaccine("02", "DEMO-DTP-07"))))


def _scan_all(sc: ServiceContext, session_id: int, bsns: list[str]) -> list[float]:
    latencies = []
    for bsn in bsns:
        start = time.perf_counter()
        outcome = record_scan(sc, session_id, bsn)
        latencies.append((time.perf_counter() - start) * 1000)
        assert outcome.registered, outcome.message
    return latencies


def one_station(target, key: bytes | None, scans: int) -> list[float]:
    db = Database(target, key=key)
    try:
        sc = ServiceContext(db=db, catalogue=load_catalogue(), user="bench", clock=SystemClock(), station="balie-1")
        return _scan_all(sc, _session(sc), demo_bsns(scans, start=990_000_000))
    finally:
        db.close()


def two_stations(url: str, scans: int) -> list[float]:
    """Two engines (two laptops) scanning different children into one session at the same time."""
    first = Database(url)
    sc = ServiceContext(db=first, catalogue=load_catalogue(), user="bench", clock=SystemClock(), station="balie-1")
    session_id = _session(sc)
    second = Database(url, upgrade=False)
    other = replace(sc, db=second, station="balie-2")
    bsns = demo_bsns(2 * scans, start=980_000_000)
    results: list[list[float]] = [[], []]

    def run(index: int, context: ServiceContext, part: list[str]) -> None:
        results[index] = _scan_all(context, session_id, part)

    threads = [threading.Thread(target=run, args=(0, sc, bsns[0::2])),
               threading.Thread(target=run, args=(1, other, bsns[1::2]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first.close()
    second.close()
    return results[0] + results[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(label: str, latencies: list[float], target: bool) -> None:
    p99 = percentile(latencies, 0.99)
    met = "met" if p99 <= TARGET_P99_MS else "NOT met"
    verdict = f"  target p99 <= {TARGET_P99_MS:.0f} ms: {met}" if target else ""
    print(f"{label:34s} n {len(latencies):5d}  p50 {percentile(latencies, 0.5):6.2f} ms  p99 {p99:6.2f} ms  "
          f"max {max(latencies):7.2f} ms  mean {statistics.fmean(latencies):6.2f} ms{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=2000)
    args = parser.parse_args()
    print(f"record_scan, scan to commit, two vaccines per child, {args.scans} children per store")
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLCipher file (WAL, sync FULL)", one_station(Path(tmp) / "bench.sqlite", secrets.token_bytes(32),
                                                               args.scans), False)
    reason = why_not_available()
    if reason:
        print(f"PostgreSQL skipped: {reason}")
        return 0
    server = PostgresServer(durable=True).start()
    try:
        report("PostgreSQL 127.0.0.1 (fsync on)", one_station(server.url(server.create_database()), None,
                                                             args.scans), True)
        report("PostgreSQL, two stations at once", two_stations(server.url(server.create_database()),
                                                                args.scans // 2), True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
