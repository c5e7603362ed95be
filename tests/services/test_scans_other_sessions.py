"""What other sessions on this laptop know: a child vaccinated today elsewhere, and the name of an unknown child."""

import json
from datetime import date, timedelta

from sqlalchemy import select

from app.domain.session import Mode
from app.services.accord import accord, preview_accord
from app.services.actions import remove
from app.services.correction import correct_vaccine_or_lot
from app.services.demo import demo_bsns
from app.services.expected_list import import_expected_list
from app.services.scans import Outcome, record_scan
from app.services.sessions import create_session
from app.store.models import AuditRow, ChildRow
from tests.conftest import make_setup

CSV = (b"BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n"
       b"123456782;Sanne de Vries;14-03-2012;V;3511 AB;2A\n")


def _audits(sc, action):
    with sc.db.reader() as s:
        return [json.loads(a.after) for a in s.scalars(select(AuditRow).where(AuditRow.action == action))]


def _second_session(sc, mode=Mode.BEFORE, day_offset=0):
    setup = make_setup(mode)
    setup = type(setup)(setup.day + timedelta(days=day_offset), setup.organisation, "Tweede school",
                        setup.activity_code, mode, setup.vaccines)
    return create_session(sc, setup)


def test_child_accorded_today_in_another_session_is_registered_with_a_loud_warning(sc, session_id, clock):
    first = record_scan(sc, session_id, "123456782")
    accord(sc, session_id)
    clock.advance(timedelta(minutes=72))
    second = _second_session(sc)
    outcome = record_scan(sc, second, "123456782")
    assert outcome.outcome is Outcome.ALREADY_VACCINATED and outcome.registered
    assert outcome.title == "Vandaag al gevaccineerd"
    assert outcome.message.startswith(
        f"Let op: vandaag al gevaccineerd met MenACWY in sessie Testschool (nr. {session_id}) om 09:00. "
        "Niet opnieuw vaccineren; neem het kind uit (niet gevaccineerd, reden 'Al elders gevaccineerd').")
    # Registered (the nurse must act on it), and the audit says why it is marked.
    assert len(outcome.registration_ids) == 1 and outcome.registration_ids != first.registration_ids
    (audit,) = _audits(sc, "scan_already_vaccinated")
    assert audit["other_session"] == session_id and audit["vaccine_code"] == "28"
    # Scanning again in the second session still says so.
    again = record_scan(sc, second, "123456782")
    assert again.outcome is Outcome.ALREADY_SCANNED and "vandaag al gevaccineerd" in again.message


def test_accord_names_the_child_vaccinated_elsewhere_and_records_it(sc, session_id):
    import_expected_list(sc, session_id, CSV)
    record_scan(sc, session_id, "123456782")
    accord(sc, session_id)
    second = _second_session(sc)
    record_scan(sc, second, "123456782")
    record_scan(sc, second, "999900183")
    preview = preview_accord(sc, second)
    assert preview.already_vaccinated == (f"Sanne de Vries (MenACWY, sessie Testschool (nr. {session_id}) om 09:00)",)
    text = preview.confirmation_text()
    assert "LET OP: 1 kind is vandaag al gevaccineerd in een andere sessie: Sanne de Vries" in text
    assert text.endswith("Doorgaan?")
    accord(sc, second)
    assert [a["bsn"] for a in _audits(sc, "accord_already_vaccinated")] == ["123456782"]


def test_achteraf_mode_asks_to_check_instead_of_forbidding(sc, session_id):
    record_scan(sc, session_id, "123456782")
    accord(sc, session_id)
    outcome = record_scan(sc, _second_session(sc, Mode.AFTER), "123456782")
    assert outcome.outcome is Outcome.ALREADY_VACCINATED
    assert "Controleer of het kind echt twee keer gevaccineerd is" in outcome.message


def test_only_scanned_removed_withdrawn_or_another_day_do_not_warn(sc, session_id):
    b = record_scan(sc, session_id, "999900183")
    remove(sc, session_id, b.registration_ids, "Afwezig")
    c = record_scan(sc, session_id, "111222333")
    accord(sc, session_id)
    # Withdrawn for a correction (here: the same vaccine and lot again), not yet accorded anew.
    correct_vaccine_or_lot(sc, session_id, c.registration_ids, c.registration_ids[0], "28", "DEMO-MACWY-01")
    record_scan(sc, session_id, "123456782")  # only scanned, not accorded
    second = _second_session(sc)
    for bsn in ("123456782", "999900183", "111222333"):
        assert record_scan(sc, second, bsn).outcome is Outcome.NEW, bsn
    assert preview_accord(sc, second).already_vaccinated == ()
    (fourth,) = demo_bsns(1)
    record_scan(sc, session_id, fourth)
    accord(sc, session_id)
    assert record_scan(sc, _second_session(sc, day_offset=1), fourth).outcome is Outcome.NEW


def test_unknown_child_takes_name_and_birth_date_from_its_latest_earlier_session(sc, session_id):
    import_expected_list(sc, session_id, CSV)
    second = _second_session(sc, day_offset=1)
    import_expected_list(sc, second, b"BSN;Naam;Geboortedatum\n999900183;Daan Jansen;01-02-2012\n")
    outcome = record_scan(sc, second, "123456782")
    assert outcome.outcome is Outcome.NOT_EXPECTED
    assert (outcome.name, outcome.birth_date) == ("Sanne de Vries", date(2012, 3, 14))
    with sc.db.reader() as s:
        child = s.scalars(select(ChildRow).where(ChildRow.session_id == second,
                                                 ChildRow.bsn == "123456782")).one()
        assert (child.sex, child.postcode, child.group_name, child.expected) == ("F", "3511 AB", "", False)
    (added,) = [a for a in _audits(sc, "add_child") if a["bsn"] == "123456782"]
    assert added["name"] == "Sanne de Vries" and added["birth_date"] == "2012-03-14"
    assert added["copied_from_session"] == session_id


def test_unknown_child_never_seen_stays_unnamed(sc, session_id):
    outcome = record_scan(sc, session_id, "111222333")
    assert (outcome.name, outcome.birth_date) == ("", None)
