"""A scanned pack sets the lot of its vaccine for the registrations that follow; doses are counted per lot."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.errors import DomainError, LotNotSelectable
from app.domain.packs import PackVerdict, gtin_valid
from app.services import accord as accord_service
from app.services import actions
from app.services.packs import check_pack, gtin_table, import_gtins, remember_gtin, shipped_gtins
from app.services.scans import record_scan
from app.services.session_lots import doses_per_lot, set_current_lot
from app.store.models import AuditRow, RegistrationRow
from tests.conftest import TODAY

NIMENRIX = "02000002800019"
MENQUADFI = "02000002800033"
REVAXIS = "02000000200040"
UNKNOWN = "08712345678906"


def test_the_shipped_table_has_many_gtins_per_vaccine_all_with_right_check_digits():
    table = shipped_gtins()
    assert len(table.of_vaccine("28")) >= 2 and len(table.of_vaccine("09")) >= 2
    assert all(gtin_valid(p.gtin) for code in ("28", "02", "09", "04") for p in table.of_vaccine(code))


def test_a_pack_of_a_listed_lot_sets_the_lot(sc, session_id):
    check = check_pack(sc, session_id, MENQUADFI, "DEMO-MACWY-02", TODAY + timedelta(days=30))
    assert check.verdict is PackVerdict.OK
    assert check.message == f"Nieuwe partij MenACWY: DEMO-MACWY-02, houdbaar tot {TODAY + timedelta(days=30):%d-%m-%Y}"


@pytest.mark.parametrize("gtin, lot, expiry, words", [
    (NIMENRIX, "DEMO-MACWY-OLD", TODAY - timedelta(days=3), "VERLOPEN"),
    (NIMENRIX, "DEMO-MACWY-01", TODAY - timedelta(days=1), "VERLOPEN"),  # the pack's own date is past
    (REVAXIS, "DEMO-DTP-07", TODAY + timedelta(days=400), "VERKEERD VACCIN: dit is DTP"),
    (NIMENRIX, "DEMO-DTP-07", TODAY + timedelta(days=400), "VERKEERD VACCIN: partij"),
    (NIMENRIX, "", TODAY + timedelta(days=10), "geen partijnummer"),
])
def test_expired_and_wrong_vaccine_packs_are_refused(sc, session_id, gtin, lot, expiry, words):
    check = check_pack(sc, session_id, gtin, lot, expiry)
    assert check.refused
    assert words in check.message


def test_a_lot_not_on_the_list_asks_for_overig(sc, session_id):
    check = check_pack(sc, session_id, NIMENRIX, "NEW-LOT-9", TODAY + timedelta(days=90))
    assert check.verdict is PackVerdict.OVERIG and "overig" in check.message
    with pytest.raises(LotNotSelectable):
        set_current_lot(sc, session_id, "28", "NEW-LOT-9", manual=False, expiry=check.expiry, source="pack")
    change = set_current_lot(sc, session_id, "28", "NEW-LOT-9", manual=True, expiry=check.expiry, source="pack")
    assert change.sentence() == f"Nieuwe partij MenACWY: NEW-LOT-9 (overig), houdbaar tot {check.expiry:%d-%m-%Y}"


def test_an_unknown_gtin_is_asked_once_remembered_and_audited(sc, session_id):
    assert check_pack(sc, session_id, UNKNOWN, "DEMO-MACWY-02", TODAY + timedelta(days=30)).verdict \
        is PackVerdict.UNKNOWN_GTIN
    remember_gtin(sc, UNKNOWN, "28", "Nieuwe verpakking")
    assert check_pack(sc, session_id, UNKNOWN, "DEMO-MACWY-02", TODAY + timedelta(days=30)).verdict is PackVerdict.OK
    assert gtin_table(sc).find(UNKNOWN).vaccine_code == "28"
    with sc.uow(write=False) as uow:
        entry = uow.session.scalars(select(AuditRow).where(AuditRow.action == "add_gtin")).one()
    assert json.loads(entry.after) == {"gtin": UNKNOWN, "vaccine_code": "28", "product": "Nieuwe verpakking"}
    with pytest.raises(DomainError, match="controlecijfer"):
        remember_gtin(sc, "08712345678907", "28")
    assert import_gtins(sc, [("8712345678906", "09", "EAN-13 form")]) == 1  # a 13-digit EAN gets its zero
    assert gtin_table(sc).find(UNKNOWN).vaccine_code == "09"


def test_each_registration_keeps_the_lot_current_when_it_was_scanned(sc, clock, session_id):
    record_scan(sc, session_id, "999900183")
    clock.advance(timedelta(minutes=30))
    set_current_lot(sc, session_id, "28", "DEMO-MACWY-02", source="pack", expiry=TODAY + timedelta(days=30))
    clock.advance(timedelta(minutes=5))
    record_scan(sc, session_id, "999901473")
    record_scan(sc, session_id, "999902003")
    actions.remove(sc, session_id, [_id(sc, "999902003")], "Ziek")
    with sc.uow(write=False) as uow:
        lots = {r.bsn: r.lot_number for r in uow.session.scalars(select(RegistrationRow))}
    assert lots == {"999900183": "DEMO-MACWY-01", "999901473": "DEMO-MACWY-02", "999902003": "DEMO-MACWY-02"}
    uses = doses_per_lot(sc, session_id)
    assert [(u.lot_number, u.doses) for u in uses] == [("DEMO-MACWY-01", 1), ("DEMO-MACWY-02", 1)]
    assert uses[0].times() == "09:00–09:30" and uses[1].times() == "09:30–nu"
    assert uses[1].expiry == TODAY + timedelta(days=30)
    # Accorded, each child's message carries its own lot.
    accord_service.accord(sc, session_id)
    with sc.uow(write=False) as uow:
        payloads = {r.bsn: r.outbox_id for r in uow.session.scalars(select(RegistrationRow))}
        assert payloads["999900183"] != payloads["999901473"]


def test_a_lot_change_is_checked_like_the_setup(sc, session_id):
    with pytest.raises(LotNotSelectable, match="verlopen"):
        set_current_lot(sc, session_id, "28", "DEMO-MACWY-OLD")
    with pytest.raises(LotNotSelectable, match="ander vaccin"):
        set_current_lot(sc, session_id, "28", "DEMO-DTP-07")
    with pytest.raises(DomainError, match="niet gegeven"):
        set_current_lot(sc, session_id, "09", "DEMO-HPV-11")
    with sc.uow(write=False) as uow:
        assert not uow.session.scalars(select(AuditRow).where(AuditRow.action == "change_lot")).all()


def _id(sc, bsn: str) -> int:
    with sc.uow(write=False) as uow:
        return uow.session.scalars(select(RegistrationRow.id).where(RegistrationRow.bsn == bsn)).one()


def test_the_earlier_of_the_packs_and_the_lists_expiry_counts(sc, session_id):
    change = set_current_lot(sc, session_id, "28", "DEMO-MACWY-02", expiry=date(2027, 3, 31))
    until = TODAY + timedelta(days=30)
    assert change.sentence() == f"Nieuwe partij MenACWY: DEMO-MACWY-02, houdbaar tot {until:%d-%m-%Y}"
