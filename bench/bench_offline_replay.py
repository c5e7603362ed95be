"""How long a station without its host takes to keep a scan, and to pass the kept scans on when the host is back.

A host shares a demo session (`app.sharing.hosting.start`, its own PostgreSQL server on 127.0.0.1). The station's
own encrypted store keeps N scans (`offline_scans.keep_scan`, as the window does while the host is out of reach);
then `replay` passes them on through the join code (TLS verify-ca), some of them clashing with registrations the
host made meanwhile. Prints keep p50/p99/max per scan and the replay's total and per-scan time.
Run: .venv/bin/python bench/bench_offline_replay.py [--scans 300] [--clashes 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--clashes", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="prikpost-bench-offline-"))
    os.environ["PRIKPOST_DATA_DIR"] = str(folder / "data")
    os.environ["PRIKPOST_CONFIG_DIR"] = str(folder / "config")

    from app.context import AppContext
    from app.domain.roles import Identity, Role
    from app.services.demo import demo_bsns, seed_demo
    from app.services.offline_scans import keep_scan, replay
    from app.services.scans import record_scan
    from app.sharing import hosting
    from app.sharing.station import join

    home = AppContext.open(folder / "host.db")  # a new encrypted demo store
    session_id = seed_demo(home.services)
    own = AppContext.open(folder / "station.db")  # the station's own encrypted store
    state = hosting.start(home.services, session_id, address="127.0.0.1")
    _code, url = join(state.code.text())
    who = Identity("bench", frozenset({Role.MEDEWERKER}))
    station = AppContext.open_station(url, who, "tafel-b")
    host = AppContext.open_station(url, who, "tafel-a")
    local = replace(own.services, station="tafel-b")
    bsns = demo_bsns(40 + args.scans)[40:]
    keep = []
    try:
        for bsn in bsns:
            t0 = time.perf_counter()
            keep_scan(local, url, session_id, bsn)
            keep.append((time.perf_counter() - t0) * 1000)
        for bsn in bsns[:args.clashes]:  # the host scanned these meanwhile
            record_scan(host.services, session_id, bsn)
        t0 = time.perf_counter()
        report = replay(local, station.services, url)
        total = time.perf_counter() - t0
    finally:
        station.close()
        host.close()
        hosting.stop(home.services)
        home.close()
        own.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.scans} scans kept in the station's own encrypted store (SQLCipher), {args.clashes} of them scanned "
          "on the host meanwhile")
    print(f"  keep one scan            p50 {percentile(keep, 0.5):7.1f} ms  p99 {percentile(keep, 0.99):7.1f} ms  "
          f"max {max(keep):7.1f} ms")
    print(f"  replay all (PostgreSQL over loopback, TLS verify-ca): {total:.2f} s, "
          f"{total * 1000 / max(1, args.scans):.1f} ms per scan")
    print(f"  {report.summary()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
