"""Close out a session: each checklist item resolved or consciously waived; afterwards only corrections."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.errors import DomainError, SessionNotReady
from app.services import accord as accord_service
from app.services import actions, correction
from app.services.closeout import checklist, close_out, mark_absent
from app.services.demo import _csv
from app.services.expected_list import ExpectedChild, import_expected_list
from app.services.scans import record_scan
from app.services.session_lots import set_current_lot
from app.services.sessions import reopen_session
from app.store.models import AuditRow, RegistrationRow, SessionRow

BSNS = ("999900183", "999901473", "999902003")


@pytest.fixture
def expected_session(sc, session_id):
    children = [ExpectedChild(bsn, f"Kind {bsn[-3:]}", date(2012, 1, 1), "F", "1234 AB", "2A") for bsn in BSNS]
    import_expected_list(sc, session_id, _csv(children), "lijst.csv")
    return session_id


def open_items(sc, session_id):
    return {item.key: item.open_count for item in checklist(sc, session_id) if not item.resolved}


def ids(sc, bsn):
    with sc.uow(write=False) as uow:
        return list(uow.session.scalars(select(RegistrationRow.id).where(RegistrationRow.bsn == bsn)))


def test_each_checklist_item_must_be_resolved_or_waived(sc, expected_session):
    sid = expected_session
    record_scan(sc, sid, BSNS[0])
    record_scan(sc, sid, BSNS[1])
    assert open_items(sc, sid) == {"not_accorded": 2, "no_outcome": 1}
    with pytest.raises(DomainError, match="Gescand maar niet geaccordeerd: 2 kinderen"):
        close_out(sc, sid)
    accord_service.accord(sc, sid, ids(sc, BSNS[0]))
    actions.remove(sc, sid, ids(sc, BSNS[1]), "Ziek")
    assert open_items(sc, sid) == {"no_outcome": 1, "unacknowledged": 1}
    assert mark_absent(sc, sid) == 1  # the rest 'afwezig' in one step
    with sc.uow(write=False) as uow:
        absent = uow.session.scalars(select(RegistrationRow).where(RegistrationRow.bsn == BSNS[2])).one()
    assert (absent.state, absent.removal_reason) == ("removed", "Afwezig")
    assert open_items(sc, sid) == {"unacknowledged": 1}
    with pytest.raises(DomainError, match="nog niet bevestigd"):
        close_out(sc, sid)
    items = close_out(sc, sid, waived={"unacknowledged"})
    doses = next(item for item in items if item.key == "doses")
    assert doses.details == ("MenACWY partij DEMO-MACWY-01: 1 dosis, in gebruik 09:00–nu",)
    with sc.uow(write=False) as uow:
        assert uow.session.get(SessionRow, sid).status == "final"
        entry = uow.session.scalars(select(AuditRow).where(AuditRow.action == "close_out_session")).one()
    assert json.loads(entry.after)["waived"] == {"Berichten nog niet bevestigd door de ontvanger: 1": 1}


def test_after_close_out_only_a_correction_changes_anything(sc, expected_session):
    sid = expected_session
    for bsn in BSNS:
        record_scan(sc, sid, bsn)
    accord_service.accord(sc, sid)
    close_out(sc, sid, waived={"unacknowledged"})
    refused = [
        lambda: record_scan(sc, sid, "123456782"),
        lambda: actions.remove(sc, sid, ids(sc, BSNS[0]), "Ziek"),
        lambda: actions.restore(sc, sid, ids(sc, BSNS[0])),
        lambda: mark_absent(sc, sid),
        lambda: set_current_lot(sc, sid, "28", "DEMO-MACWY-02"),
        lambda: reopen_session(sc, sid),
        lambda: accord_service.accord(sc, sid),
        lambda: close_out(sc, sid),
    ]
    for attempt in refused:
        outcome = None
        try:
            outcome = attempt()
        except (DomainError, SessionNotReady) as error:
            assert "afgesloten" in error.message
            continue
        assert outcome.outcome.value == "not_ready" and "afgesloten" in outcome.message
    # R7: withdraw, fix the lot, accord again: allowed and audited.
    (reg,) = ids(sc, BSNS[0])
    correction.correct_vaccine_or_lot(sc, sid, [reg], reg, "28", "DEMO-MACWY-02")
    accord_service.accord(sc, sid, [reg])
    with sc.uow(write=False) as uow:
        row = uow.session.get(RegistrationRow, reg)
        assert (row.lot_number, row.state) == ("DEMO-MACWY-02", "queued")
        assert uow.session.scalars(select(AuditRow).where(AuditRow.action == "correct_vaccine_lot")).all()
