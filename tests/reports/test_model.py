from datetime import timedelta

import pytest

from app.domain.errors import DomainError
from app.reports.model import ReportKind, build_report, dutch_date
from tests.conftest import TODAY

from .conftest import FORMULA_NAME, LEADING_ZERO_BSN, TRICKY_NAME


def names(report):
    return [row.cells[0] for row in report.rows]


def cell(report, column_title, row):
    index = [c.title for c in report.columns].index(column_title)
    return row.cells[index]


def test_vaccinated_list_has_given_children_by_class_then_name(sc, states_session):
    report = build_report(sc, states_session.id, "vaccinated")
    assert [s.title for s in report.sections] == ["Klas 2A", "Klas 2B", "(geen klas)"]
    assert names(report)[:3] == ["Bram Yılmaz", "Chris Öztürk", "Hanna Kok"]
    assert set(names(report)) == {"Anna Bakker", "Bram Yılmaz", "Chris Öztürk", "Daan Smit", "Hanna Kok",
                                  TRICKY_NAME, FORMULA_NAME, "Nul Voorop"}
    assert "Eva Jansen" not in names(report) and "Fleur Visser" not in names(report)  # removed, objection
    (zero,) = [r for r in report.rows if cell(report, "BSN", r) == LEADING_ZERO_BSN]
    assert cell(report, "Geboortedatum", zero) == "06-07-2012"
    assert cell(report, "Vaccin(s)", zero) == "MenACWY, DTP"
    assert cell(report, "Partij(en)", zero) == "DEMO-MACWY-01, DEMO-DTP-07"
    (refused,) = [r for r in report.rows if r.cells[0] == "Bram Yılmaz"]
    assert cell(report, "Status", refused) == "geweigerd, actie nodig"


def test_vaccinated_totals_header_and_signature(sc, states_session):
    report = build_report(sc, states_session.id, ReportKind.VACCINATED)
    totals = dict(report.totals)
    assert totals["Gevaccineerde kinderen"] == "8"
    assert totals["Vaccin MenACWY"] == "8" and totals["Vaccin DTP"] == "8"
    # Per lot: doses, the lot's expiry and the times it was current (from the session's start here).
    until = f"{TODAY + timedelta(days=200):%d-%m-%Y}"
    assert totals[f"Partij DEMO-MACWY-01 (MenACWY), houdbaar tot {until}, in gebruik 09:00–nu"] == "8"
    assert [value for key, value in totals.items() if key.startswith("Partij DEMO-DTP-07 (DTP), houdbaar")] == ["8"]
    assert totals["Waarvan nog niet geaccordeerd (vaccinaties)"] == "6"  # Hanna, formula name, leading zero
    header = dict(report.header)
    assert header["Datum"] == "23-11-2026" and header["School"] == "Testschool"
    assert "JGZ Testregio" in header["Organisatie"]
    assert "MenACWY partij DEMO-MACWY-01" in header["Vaccins en partijen"] and "DTP partij DEMO-DTP-07" in \
        header["Vaccins en partijen"]
    assert header["Geaccordeerd door"].startswith("verpleegkundige.test")
    assert report.signature is True
    assert report.file_name("pdf") == f"gevaccineerd-2026-11-23-sessie-{states_session.id}.pdf"


def test_not_vaccinated_list_keeps_reasons_and_objections(sc, states_session):
    report = build_report(sc, states_session.id, "not-vaccinated")
    rows = {r.cells[0]: r for r in report.rows}
    assert set(rows) == {"Eva Jansen", "Fleur Visser"}
    assert cell(report, "Reden", rows["Eva Jansen"]) == "Afwezig (ziek)"
    assert cell(report, "Reden", rows["Fleur Visser"]) == "bezwaar: medisch bezwaar"
    totals = dict(report.totals)
    assert totals["Niet gevaccineerd (kinderen)"] == "1" and totals["Met bezwaar (kinderen)"] == "1"
    assert totals["Reden: Afwezig (ziek) (vaccinaties)"] == "2"


def test_expected_list_compares_expected_and_scanned(sc, states_session):
    report = build_report(sc, states_session.id, "expected")
    missing, unexpected = report.sections
    assert [r.cells[0] for r in missing.rows] == ["Gijs de Boer"]
    assert [r.cells[0] for r in unexpected.rows] == [FORMULA_NAME, "Nul Voorop", TRICKY_NAME]
    totals = dict(report.totals)
    assert totals == {"Verwacht": "8", "Gescand": "10", "Verwacht en gescand": "7",
                      "Verwacht maar niet gescand": "1", "Gescand maar niet verwacht": "3"}
    assert report.notes == ()


def test_failure_list_shows_unacknowledged_messages_with_attempts_and_answer(sc, states_session):
    report = build_report(sc, states_session.id, "failures")
    sections = {s.key: s for s in report.sections}
    assert list(sections) == ["geweigerd, actie nodig", "mislukt, wordt opnieuw geprobeerd", "wacht op verzending"]
    assert [s.title for s in report.sections] == ["Geweigerd, actie nodig", "Mislukt, wordt opnieuw geprobeerd",
                                                  "Wacht op verzending"]
    sections = dict(zip(["needs_action", "failed", "pending"], report.sections, strict=True))
    (refused,) = sections["needs_action"].rows
    assert refused.cells[0] == "Bram Yılmaz"
    assert cell(report, "Laatste antwoord", refused) == "Kind onbekend bij Praeventis"
    assert cell(report, "Pogingen", refused) == "1"
    assert cell(report, "Laatste poging", refused) == "23-11-2026 09:00"
    assert cell(report, "Vaccin(s) (partij)", refused) == "MenACWY (DEMO-MACWY-01), DTP (DEMO-DTP-07)"
    assert [r.cells[0] for r in sections["failed"].rows] == ["Chris Öztürk", "Daan Smit", "Fleur Visser"]
    objection = sections["failed"].rows[2]
    assert cell(report, "Vaccin(s) (partij)", objection) == "MenACWY: bezwaar, DTP: bezwaar"
    (pending,) = sections["pending"].rows
    assert pending.cells[0] == TRICKY_NAME and cell(report, "Pogingen", pending) == "0"
    assert cell(report, "Laatste antwoord", pending) == "nog geen antwoord"
    assert "Anna Bakker" not in names(report)  # acknowledged
    assert dict(report.totals)["Niet bevestigde berichten"] == "5"
    assert len({r.record_id for r in report.rows}) == 5


def test_record_ids_are_unique_and_stable_between_exports(sc, states_session):
    first = build_report(sc, states_session.id, "vaccinated")
    from app.services.scans import record_scan

    record_scan(sc, states_session.id, states_session.bsn["missing"])
    second = build_report(sc, states_session.id, "vaccinated")
    assert len({r.record_id for r in second.rows}) == len(second.rows) == len(first.rows) + 1
    before = {r.record_id: r.cells[2] for r in first.rows}
    after = {r.record_id: r.cells[2] for r in second.rows}
    assert all(after[record_id] == bsn for record_id, bsn in before.items())


def test_empty_session_says_so_and_has_no_rows(sc, session_id):
    report = build_report(sc, session_id, "vaccinated")
    assert report.rows == () and "nog geen kinderen gevaccineerd" in report.empty_text
    expected = build_report(sc, session_id, "expected")
    assert expected.notes and "geen lijst met verwachte kinderen" in expected.notes[0]


def test_unknown_list_or_session_is_a_dutch_error(sc, session_id):
    with pytest.raises(DomainError, match="Onbekende lijst 'foo'"):
        build_report(sc, session_id, "foo")
    with pytest.raises(DomainError, match="Sessie 999 bestaat niet"):
        build_report(sc, 999, "vaccinated")


def test_dutch_date_format():
    from datetime import date

    assert dutch_date(date(2026, 1, 5)) == "05-01-2026" and dutch_date(None) == ""


def test_vaccinated_list_counts_doses_per_lot_with_the_times_each_was_in_use(sc, clock, session_id):
    from app.services.scans import record_scan
    from app.services.session_lots import set_current_lot

    record_scan(sc, session_id, "999900183")
    clock.advance(timedelta(minutes=45))
    set_current_lot(sc, session_id, "28", "DEMO-MACWY-02", source="pack")
    record_scan(sc, session_id, "999901473")
    record_scan(sc, session_id, "999902003")
    report = build_report(sc, session_id, ReportKind.VACCINATED)
    lots = [(key, value) for key, value in report.totals if key.startswith("Partij")]
    first, second = (f"{TODAY + timedelta(days=d):%d-%m-%Y}" for d in (200, 30))
    assert lots == [(f"Partij DEMO-MACWY-01 (MenACWY), houdbaar tot {first}, in gebruik 09:00–09:45", "1"),
                    (f"Partij DEMO-MACWY-02 (MenACWY), houdbaar tot {second}, in gebruik 09:45–nu", "2")]
    assert [row.cells[4] for row in report.rows] == ["DEMO-MACWY-01", "DEMO-MACWY-02", "DEMO-MACWY-02"] or sorted(
        row.cells[4] for row in report.rows) == ["DEMO-MACWY-01", "DEMO-MACWY-02", "DEMO-MACWY-02"]
