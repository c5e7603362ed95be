from datetime import date

from sqlalchemy import func, select

from app.domain.registration import State
from app.services.actions import remove
from app.services.expected_list import import_expected_list
from app.services.scans import Outcome, record_scan, search_children, undo_last_scan
from app.services.sessions import close_session, reopen_session
from app.store.models import AuditRow, RegistrationRow

CSV = "BSN;Naam;Geboortedatum;Klas\n123456782;Sanne de Vries;14-03-2012;2A\n999900183;Daan Jansen;01-02-2012;2B\n"


def _states(sc):
    with sc.db.reader() as s:
        return [r.state for r in s.scalars(select(RegistrationRow).order_by(RegistrationRow.id))]


def test_new_scan_without_expected_list_creates_child(sc, session_id):
    outcome = record_scan(sc, session_id, "123456782")
    assert outcome.outcome is Outcome.NEW and outcome.registered
    assert _states(sc) == [State.SCANNED.value]


def test_scan_of_expected_child_names_it(sc, session_id):
    import_expected_list(sc, session_id, CSV.encode())
    outcome = record_scan(sc, session_id, "999900183")
    assert outcome.outcome is Outcome.NEW
    assert (outcome.name, outcome.birth_date, outcome.group_name) == ("Daan Jansen", date(2012, 2, 1), "2B")
    assert outcome.message.startswith("Accordeer, en vaccineer")  # mode vooraf: accord first, then vaccinate


def test_unexpected_child_is_registered_and_flagged(sc, session_id):
    import_expected_list(sc, session_id, CSV.encode())
    outcome = record_scan(sc, session_id, "111222333")
    assert outcome.outcome is Outcome.NOT_EXPECTED and outcome.registered
    assert "niet op de lijst" in outcome.message


def test_second_scan_is_a_duplicate_and_registers_nothing(sc, session_id):
    record_scan(sc, session_id, "123456782")
    again = record_scan(sc, session_id, "123456782")
    assert again.outcome is Outcome.ALREADY_SCANNED and not again.registered
    assert len(_states(sc)) == 1


def test_two_vaccines_register_two_rows_per_child(sc, two_vaccine_session):
    outcome = record_scan(sc, two_vaccine_session, "123456782")
    assert len(outcome.registration_ids) == 2


def test_invalid_bsn_is_an_outcome_not_an_exception(sc, session_id):
    outcome = record_scan(sc, session_id, "123456789")
    assert outcome.outcome is Outcome.INVALID and "elfproef" in outcome.message
    assert _states(sc) == []


def test_closed_or_missing_session_is_not_ready(sc, session_id):
    close_session(sc, session_id)
    assert record_scan(sc, session_id, "123456782").outcome is Outcome.NOT_READY
    assert record_scan(sc, 999, "123456782").outcome is Outcome.NOT_READY
    reopen_session(sc, session_id)
    assert record_scan(sc, session_id, "123456782").outcome is Outcome.NEW


def test_every_scan_is_audited_in_same_transaction(sc, session_id):
    record_scan(sc, session_id, "123456782")
    with sc.db.reader() as s:
        actions = list(s.scalars(select(AuditRow.action)))
        assert "scan" in actions and "add_child" in actions
        assert s.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.user == sc.user)) >= 2


def test_undo_last_scan_removes_it_and_refuses_processed_ones(sc, session_id):
    record_scan(sc, session_id, "123456782")
    record_scan(sc, session_id, "999900183")
    assert undo_last_scan(sc, session_id) == "999900183"
    assert len(_states(sc)) == 1
    first = record_scan(sc, session_id, "123456782")
    remove(sc, session_id, first.registration_ids, "ziek")
    try:
        undo_last_scan(sc, session_id)
        raise AssertionError("undo should be refused")
    except Exception as error:  # noqa: BLE001
        assert "Corrigeren" in error.message


def test_manual_entry_uses_same_path(sc, session_id):
    outcome = record_scan(sc, session_id, "111222333", source="manual", name="Kind Zonder Kaart")
    assert outcome.outcome is Outcome.NEW and outcome.name == "Kind Zonder Kaart"


def test_search_without_card_finds_by_name_bsn_and_birth_date(sc, session_id):
    import_expected_list(sc, session_id, CSV.encode())
    assert [m.bsn for m in search_children(sc, session_id, "sanne")] == ["123456782"]
    assert [m.bsn for m in search_children(sc, session_id, "99990")] == ["999900183"]
    assert [m.name for m in search_children(sc, session_id, "14-03-2012")] == ["Sanne de Vries"]
    assert search_children(sc, session_id, "x") == []


def test_a_second_scan_names_the_station_that_scanned_first_when_it_was_another(sc, session_id, clock):
    from dataclasses import replace
    from datetime import timedelta

    first = record_scan(replace(sc, station="balie-1"), session_id, "123456782")
    assert first.outcome is Outcome.NEW
    clock.advance(timedelta(minutes=12))  # the second scans come later; the first time is named
    again_here = record_scan(replace(sc, station="balie-1"), session_id, "123456782")
    elsewhere = record_scan(replace(sc, station="balie-2"), session_id, "123456782")
    assert again_here.outcome is elsewhere.outcome is Outcome.ALREADY_SCANNED
    assert "door" not in again_here.message and "Dit kind is al gescand (status: gescand)" in again_here.message
    assert "Dit kind is al gescand door balie-1 om 09:00 (status: gescand)" in elsewhere.message
    with sc.db.reader() as s:
        assert s.scalars(select(RegistrationRow.station)).all() == ["balie-1"]
