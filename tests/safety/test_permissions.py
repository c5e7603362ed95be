"""Permissions declared once per use case and enforced in the services: --url elsewhere, import-lots, restore."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lots import Lot, LotList
from app.domain.registration import ObjectionReason
from app.domain.roles import Action, Identity, NotAllowed, Role, allowed
from app.outbox.hl7.prmm import build_prmm_in010043
from app.outbox.lot_refresh import fetch_lot_list, import_lot_file
from app.outbox.receiver.praeventis import STAND_IN
from app.outbox.sender import send_now
from app.outbox.status_query import request_status
from app.outbox.xmlsafe import serialise
from app.resources import shipped_catalogue
from app.services.actions import register_objection, remove, restore
from app.services.lots import current_lot_list
from app.services.scans import record_scan
from app.settings import OutboxSettings
from app.ui.action_helpers import Key, declarations
from app.ui.session_actions import SessionActions

BSN, OTHER = "999990019", "999990020"
MEDEWERKER = Identity("piet", frozenset({Role.MEDEWERKER}))
PROFESSIONAL = Identity("anna", frozenset({Role.PROFESSIONAL}), "Anna de Jong", "12345678901")
BEHEERDER = Identity("kees", frozenset({Role.BEHEERDER}))


def test_only_the_beheerder_sends_or_asks_anywhere_but_a_configured_receiver(sc, session_id, start_receiver):
    configured, elsewhere = start_receiver(), start_receiver()
    settings = OutboxSettings(url_acceptatie=configured.url())
    sc.identity = MEDEWERKER
    for attempt in (lambda: send_now(sc, settings, url=elsewhere.url()),
                    lambda: request_status(sc, settings, BSN, url=elsewhere.url()),
                    lambda: fetch_lot_list(sc, settings, url=elsewhere.url())):
        with pytest.raises(NotAllowed, match="Beheerder"):
            attempt()
    assert elsewhere.counts == {"stored": 0, "duplicate": 0, "refused": 0} and elsewhere.store.received == 0
    assert send_now(sc, settings, url=configured.url() + "/").ok  # the configured address, spelled otherwise
    sc.identity = BEHEERDER
    assert send_now(sc, settings, url=elsewhere.url()).ok


def _lot_file(tmp_path):
    lots = LotList(datetime(2026, 11, 23), datetime(2026, 12, 24), (Lot("NIEUW-1", "09", date(2027, 5, 1), "HPV"),))
    path = tmp_path / "partijen.xml"
    path.write_text(serialise(build_prmm_in010043(lots, "2d1f6f1e-7d43-4a39-8d54-27d1a3c0a001",
                                                  datetime(2026, 11, 23, 3, 0), STAND_IN, shipped_catalogue())),
                    encoding="utf-8")
    return path


def test_import_lots_needs_its_permission(sc, tmp_path):
    before = current_lot_list(sc)
    sc.identity = MEDEWERKER
    with pytest.raises(NotAllowed, match="partijlijst vervangen"):
        import_lot_file(sc, _lot_file(tmp_path))
    assert current_lot_list(sc) == before
    for identity in (PROFESSIONAL, BEHEERDER):
        sc.identity = identity
        assert import_lot_file(sc, _lot_file(tmp_path)).lots == 1


def test_putting_back_an_objection_is_the_professionals(sc, session_id):
    objected = record_scan(sc, session_id, BSN).registration_ids
    removed = record_scan(sc, session_id, OTHER).registration_ids
    sc.identity = PROFESSIONAL
    register_objection(sc, session_id, objected, ObjectionReason.DECLINED)
    sc.identity = MEDEWERKER
    remove(sc, session_id, removed, "Afwezig")
    with pytest.raises(NotAllowed, match="JGZ-professional"):
        restore(sc, session_id, objected + removed)
    assert restore(sc, session_id, removed) == len(removed)  # taking out is the team's, and so is undoing it
    sc.identity = PROFESSIONAL
    assert restore(sc, session_id, objected) == len(objected)


def test_the_screens_grey_out_from_the_same_declaration():
    declared = {d.key: d for d in declarations(SessionActions)}
    assert declared[Key.IMPORT_LOTS].rights == (Action.IMPORT_LOTS,)
    assert declared[Key.RESTORE].rights == (Action.REMOVE,)
    assert declared[Key.RESTORE].use_case is restore  # the screen reads the right the service itself checks
    assert not allowed(MEDEWERKER.roles, Action.IMPORT_LOTS) and not allowed(MEDEWERKER.roles, Action.SEND_ELSEWHERE)
    assert allowed(BEHEERDER.roles, Action.SEND_ELSEWHERE) and not allowed(PROFESSIONAL.roles, Action.SEND_ELSEWHERE)
