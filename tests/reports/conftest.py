"""A session with a child in every state the lists show, including names that break naive CSV and PDF code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.domain.registration import ObjectionReason
from app.outbox.queue import Outcome, claim, finish
from app.outbox.schedule import RetrySchedule
from app.services.accord import accord
from app.services.actions import register_objection, remove
from app.services.demo import demo_bsns
from app.services.expected_list import import_expected_list
from app.services.scans import record_scan

LEADING_ZERO_BSN = "012345672"
TRICKY_NAME = 'Zoë "Zo" de Vries; jr.'
FORMULA_NAME = '=HYPERLINK("http://x")'


@dataclass(frozen=True)
class StatesSession:
    id: int
    bsn: dict[str, str]  # role -> BSN


def _expected_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    lines = ["BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas"]
    lines += [f"{bsn};{name};{born};V;3511 AB;{group}" for bsn, name, born, group in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def states_session(sc, two_vaccine_session) -> StatesSession:
    """Expected: sent, refused, failing (x2 + objection), removed, missing, scanned; unexpected: tricky names."""
    sid = two_vaccine_session
    roles = ("acked", "refused", "failing", "waiting", "removed", "objection", "missing", "scanned")
    bsn = dict(zip(roles, demo_bsns(len(roles)), strict=True))
    names = {"acked": "Anna Bakker", "refused": "Bram Yılmaz", "failing": "Chris Öztürk", "waiting": "Daan Smit",
             "removed": "Eva Jansen", "objection": "Fleur Visser", "missing": "Gijs de Boer",
             "scanned": "Hanna Kok"}
    groups = {"acked": "2B", "refused": "2A", "failing": "2A", "waiting": "2B", "removed": "2A",
              "objection": "2B", "missing": "2A", "scanned": "2A"}
    import_expected_list(sc, sid, _expected_csv(
        [(bsn[r], names[r], "01-03-2012", groups[r]) for r in roles]), source="test")
    scans = {r: record_scan(sc, sid, bsn[r]) for r in roles if r != "missing"}
    bsn["tricky"], bsn["formula"] = demo_bsns(2, start=999_980_000)
    bsn["zero"] = LEADING_ZERO_BSN
    tricky = record_scan(sc, sid, bsn["tricky"], source="manual", name=TRICKY_NAME, birth_date=date(2012, 5, 4))
    record_scan(sc, sid, bsn["formula"], source="manual", name=FORMULA_NAME, birth_date=date(2012, 6, 5))
    record_scan(sc, sid, bsn["zero"], source="manual", name="Nul Voorop", birth_date=date(2012, 7, 6))
    remove(sc, sid, scans["removed"].registration_ids, "Afwezig (ziek)")
    register_objection(sc, sid, scans["objection"].registration_ids, ObjectionReason.MEDICAL)
    accord(sc, sid, [i for r in ("acked", "refused", "failing", "waiting", "objection")
                     for i in scans[r].registration_ids])
    claimed = {c.bsn: c for c in claim(sc, ["pending"], limit=10)}
    outcomes = [Outcome.acknowledged(claimed[bsn["acked"]].outbox_id, "<ack/>"),
                Outcome.refused(claimed[bsn["refused"]].outbox_id, "Kind onbekend bij Praeventis", "<nack/>"),
                Outcome.failed(claimed[bsn["failing"]].outbox_id, "Geen verbinding met de ontvanger")]
    # No answer at all for these two: they stay in the retry schedule.
    outcomes += [Outcome.failed(claimed[bsn[r]].outbox_id, "Time-out") for r in ("waiting", "objection")]
    finish(sc, outcomes, RetrySchedule.from_minutes())
    accord(sc, sid, tricky.registration_ids)  # accorded after the run: pending, never tried
    return StatesSession(sid, bsn)
