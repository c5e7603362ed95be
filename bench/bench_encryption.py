"""Scan-to-commit latency of record_scan with SQLCipher encryption on and off, at 5,000 registrations.

Prints p50 and p99 per mode; the target is p99 <= 20 ms with encryption on.
Run: .venv/bin/python bench/bench_encryption.py [--scans 5000]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from app.context import load_catalogue
from app.domain.clock import SystemClock
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.services.base import ServiceContext
from app.services.demo import demo_bsns, demo_lot_list
from app.services.lots import replace_lot_list
from app.services.scans import record_scan
from app.services.sessions import create_session
from app.store.engine import Database

TARGET_P99_MS = 20.0


def run(folder: Path, key: bytes | None, scans: int) -> list[float]:
    db = Database(folder / ("encrypted.sqlite" if key else "plain.sqlite"), key=key)
    try:
        sc = ServiceContext(db=db, catalogue=load_catalogue(), user="bench", clock=SystemClock())
        today = date.today()
        replace_lot_list(sc, demo_lot_list(today, datetime.now()), source="bench")
        # One vaccine per scan, so 5,000 scans make 5,000 registrations.
        session_id = create_session(sc, SessionSetup(
            today, Organisation("JGZ Bench", OrgIdKind.URA, "12345678"), "Benchschool", "18", Mode.BEFORE,
            (SessionVaccine("28", "DEMO-MACWY-01"),)))
        latencies = []
        for bsn in demo_bsns(scans, start=990_000_000):
            start = time.perf_counter()
            outcome = record_scan(sc, session_id, bsn)
            latencies.append((time.perf_counter() - start) * 1000)
            assert outcome.registered
        return latencies
    finally:
        db.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=5000)
    args = parser.parse_args()
    print(f"record_scan, scan to commit (WAL, synchronous=FULL), {args.scans} registrations per mode")
    with tempfile.TemporaryDirectory() as tmp:
        for label, key in (("plain SQLite", None), ("SQLCipher", secrets.token_bytes(32))):
            latencies = run(Path(tmp), key, args.scans)
            last = latencies[-500:]
            p99 = percentile(latencies, 0.99)
            print(f"{label:13s} p50 {percentile(latencies, 0.5):6.2f} ms  p99 {p99:6.2f} ms  "
                  f"max {max(latencies):6.2f} ms  mean {statistics.fmean(latencies):6.2f} ms  "
                  f"(last 500: p50 {percentile(last, 0.5):.2f} ms, p99 {percentile(last, 0.99):.2f} ms)"
                  + (f"  target p99 <= {TARGET_P99_MS:.0f} ms: {'met' if p99 <= TARGET_P99_MS else 'NOT met'}"
                     if key else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
