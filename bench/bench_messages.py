"""Benchmark: build 1,000 REPC_IN002140NL messages, then validate them; print ms per message for each."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from app.context import load_catalogue
from app.domain.bsn import elfproef
from app.domain.message import ChildFacts, MessageFacts, VaccinationFacts
from app.domain.sender_identity import DEMO_VALUES
from app.outbox.hl7.repc_in002140 import INTERACTION, build_repc_in002140
from app.outbox.schemas import schema_for
from app.outbox.sending_system import sending_system
from app.outbox.xmlsafe import serialise
from app.settings import OutboxSettings

COUNT = 1000
SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "spec"

# A configured organisation (the fictional demo values): messages as Praeventis would get them.
BENCH_SYSTEM = sending_system(OutboxSettings(**DEMO_VALUES))


def bsn(n: int) -> str:
    """Return the n-th nine-digit number that passes the elfproef (test BSNs)."""
    base = 100000000 + n * 11
    while not elfproef(f"{base:09d}"):
        base += 1
    return f"{base:09d}"


def facts(n: int) -> MessageFacts:
    day = date(2024, 3, 5)
    vaccinations = (VaccinationFacts("28", day, f"MEN{n % 7}"),
                    VaccinationFacts("02", day, "", "2") if n % 10 == 0 else VaccinationFacts("02", day, f"DTP{n % 5}"))
    return MessageFacts(str(uuid.UUID(int=n + 1)), datetime(2024, 3, 5, 10, 0), 1,
                        ChildFacts(bsn(n), f"Kind{n} van der Berg", date(2010, 1, 1), "MF"[n % 2], "1234 AB"),
                        "GGD Benchmark", "URA", "12345678", "OBS De Meetlat", "18", day, vaccinations, "bench")


def main() -> int:
    catalogue = load_catalogue()
    all_facts = [facts(n) for n in range(COUNT)]
    start = time.perf_counter()
    messages = [build_repc_in002140(item, BENCH_SYSTEM, catalogue) for item in all_facts]
    texts = [serialise(message) for message in messages]
    built = time.perf_counter() - start
    print(f"build+serialise: {built * 1000 / COUNT:.3f} ms per message ({COUNT} messages, target <= 2 ms)")
    if not SPEC_DIR.is_dir():
        print(f"validation skipped: {SPEC_DIR} not found")
        return 0
    start = time.perf_counter()
    schema = schema_for(SPEC_DIR, INTERACTION)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    invalid = sum(1 for message in messages if not schema.validate(message))
    validated = time.perf_counter() - start
    print(f"schema compile (once, cached): {loaded * 1000:.1f} ms")
    print(f"validate: {validated * 1000 / COUNT:.3f} ms per message ({invalid} invalid)")
    print(f"average message size: {sum(map(len, texts)) // COUNT} characters")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
