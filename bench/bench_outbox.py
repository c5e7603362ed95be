"""Benchmark: send 1,000 and 10,000 queued messages to the local stand-in; print messages/s and peak memory.

Run: .venv/bin/python bench/bench_outbox.py [--sizes 1000 10000]
The stand-in runs in its own process (as the real receiver would), so the figures are the sender's alone.
"""

from __future__ import annotations

import argparse
import gc
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

from app.context import load_catalogue
from app.domain.clock import FixedClock
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts
from app.domain.sender_identity import DEMO_VALUES
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.outbox.hl7.repc_in002140 import INTERACTION, build_repc_in002140
from app.outbox.sender import send_now
from app.outbox.sending_system import sending_system
from app.outbox.xmlsafe import serialise
from app.services.base import ServiceContext
from app.services.demo import demo_bsns, demo_lot_list
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.settings import OutboxSettings
from app.store.engine import Database
from app.store.models import ChildRow, OutboxRow, RegistrationRow

DAY = date(2026, 11, 23)

# A configured organisation (the fictional demo values): messages as Praeventis would get them.
BENCH_SYSTEM = sending_system(OutboxSettings(**DEMO_VALUES))


def seed(sc: ServiceContext, count: int) -> None:
    """Queue `count` real REPC_IN002140NL messages, one child each, with their registrations."""
    setup = SessionSetup(DAY, Organisation("JGZ Bench", OrgIdKind.URA, "12345678"), "Benchschool", "18", Mode.BEFORE,
                         (SessionVaccine("28", "DEMO-MACWY-01"),))
    session_id = create_session(sc, setup)
    now = sc.now()
    with sc.uow() as uow:
        for index, bsn in enumerate(demo_bsns(count, start=900_000_000)):
            message_id = str(uuid.uuid4())
            child = ChildFacts(bsn, f"Kind {index} Bench", date(2012, 5, 1), "F", "3511 AB")
            facts = MessageFacts(message_id, now, session_id, child, "JGZ Bench", "URA", "12345678", "Benchschool",
                                 "18", DAY, (VaccinationFacts("28", DAY, "DEMO-MACWY-01"),), "bench")
            payload = serialise(build_repc_in002140(facts, BENCH_SYSTEM))
            child_id = uow.session.execute(insert(ChildRow).values(
                session_id=session_id, bsn=bsn, name=child.name, birth_date=child.birth_date, sex="F",
                postcode=child.postcode, expected=True, source="bench")).inserted_primary_key[0]
            outbox_id = uow.session.execute(insert(OutboxRow).values(
                message_id=message_id, session_id=session_id, bsn=bsn, kind=INTERACTION, state="pending",
                payload=payload, attempts=0, next_attempt_at=now, created_at=now)).inserted_primary_key[0]
            uow.session.execute(insert(RegistrationRow).values(
                session_id=session_id, child_id=child_id, bsn=bsn, vaccine_code="28", lot_number="DEMO-MACWY-01",
                state="queued", scanned_at=now, accorded_at=now, accorded_by="bench", outbox_id=outbox_id))
        uow.commit()


def requeue(sc: ServiceContext) -> None:
    """Put every message back in the queue for a second, measured-memory run."""
    with sc.uow() as uow:
        uow.session.execute(OutboxRow.__table__.update().values(state="pending", attempts=0))
        uow.session.execute(RegistrationRow.__table__.update().values(state="queued"))
        uow.commit()


def start_receiver(store: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "app", "receiver", "--port", "0", "--store", str(store)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/praeventis)", line)
    if not match:
        process.kill()
        raise SystemExit(f"stand-in did not start: {line!r}")
    return process, match.group(1)


def run(size: int, folder: Path, url: str) -> dict:
    db = Database(folder / f"bench-{size}.sqlite")
    sc = ServiceContext(db=db, catalogue=load_catalogue(), user="bench", clock=FixedClock(datetime(2026, 11, 23, 22)))
    replace_lot_list(sc, demo_lot_list(DAY, sc.now()), "bench")
    started = time.perf_counter()
    seed(sc, size)
    seeded_s = time.perf_counter() - started
    settings = OutboxSettings(url_acceptatie=url)
    gc.collect()
    started = time.perf_counter()
    report = send_now(sc, settings)
    elapsed = time.perf_counter() - started
    assert report.acknowledged == size, report.summary()
    requeue(sc)
    gc.collect()
    tracemalloc.start()
    again = send_now(sc, settings)  # the stand-in answers these as duplicates: same ids, nothing stored twice
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again.acknowledged == size
    db.close()
    return {"size": size, "seed_s": seeded_s, "send_s": elapsed, "rate": size / elapsed, "peak_mib": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prikpost-bench-") as tmp:
        folder = Path(tmp)
        process, url = start_receiver(folder / "ontvangen")
        try:
            print(f"{'berichten':>10} {'vullen s':>9} {'verzenden s':>12} {'berichten/s':>12} {'piek MiB':>9}")
            for size in args.sizes:
                result = run(size, folder, url)
                print(f"{result['size']:>10} {result['seed_s']:>9.1f} {result['send_s']:>12.1f} "
                      f"{result['rate']:>12.0f} {result['peak_mib']:>9.1f}", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
