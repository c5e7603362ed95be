"""A Vaccinnet session knows its children by INSZ: expected list, scans, manual entry, search, lists and the log."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from app.domain.errors import DomainError
from app.domain.insz import format_insz, make_insz
from app.domain.person_id import Receiver
from app.domain.registration import ObjectionReason
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.logfile import PrivateFormatter
from app.reports.csv_export import report_csv
from app.reports.model import build_report
from app.services import accord as accord_service
from app.services import actions, scans
from app.services.demo import _csv, demo_insz_children
from app.services.expected_list import import_expected_list
from app.services.overview import session_overview
from app.services.scans import register_scanned_text
from app.services.sessions import create_session, get_session
from tests.conftest import TODAY, make_setup

CLB = Organisation("CLB Testregio", OrgIdKind.KBO, "0899.999.949")


def flemish_setup(receiver=Receiver.VACCINNET, organisation=CLB) -> SessionSetup:
    return SessionSetup(TODAY, organisation, "Testschool", "18", Mode.BEFORE,
                        (SessionVaccine("09", "DEMO-HPV-11"),), receiver)


@pytest.fixture
def flemish(sc) -> int:
    return create_session(sc, flemish_setup())


def test_the_receiver_and_the_organisation_number_must_agree(sc):
    with pytest.raises(DomainError, match="URA of AGB"):
        create_session(sc, flemish_setup(Receiver.PRAEVENTIS))
    with pytest.raises(DomainError, match="RIZIV"):
        create_session(sc, flemish_setup(organisation=Organisation("GGD", OrgIdKind.URA, "12345678")))
    with pytest.raises(DomainError, match="KBO"):
        create_session(sc, flemish_setup(organisation=Organisation("CLB", OrgIdKind.KBO, "0899999948")))
    with pytest.raises(DomainError, match="RIZIV"):
        create_session(sc, flemish_setup(organisation=Organisation("CLB", OrgIdKind.NIHII, "1234567")))
    session = get_session(sc, create_session(sc, flemish_setup()))
    assert session.receiver is Receiver.VACCINNET and session.organisation.id_value == "0899999949"


def test_expected_list_reads_the_insz_column_in_printed_form_and_checks_it_against_the_birth_date(sc, flemish):
    children = demo_insz_children(3, TODAY)
    swapped = children[2].bsn[0] + str((int(children[2].bsn[1]) + 6) % 10) + children[2].bsn[2:]
    lines = ["INSZ;Naam;Geboortedatum",
             f"{format_insz(children[0].bsn)};Lotte Peeters;{children[0].birth_date:%d-%m-%Y}",
             f"{children[1].bsn};Arthur Janssens;{children[1].birth_date:%d-%m-%Y}",
             f"{swapped};Marie Maes;{children[2].birth_date:%d-%m-%Y}",
             f"123456782;Sanne de Vries;{children[2].birth_date:%d-%m-%Y}"]
    report = import_expected_list(sc, flemish, "\n".join(lines).encode(), source="test")
    assert report.added == 2 and [problem.line for problem in report.problems] == [4, 5]
    assert "11" in report.problems[1].reason  # a BSN is no INSZ
    refused_bsn_list = import_expected_list(sc, flemish, _csv(children, "BSN"), source="test")
    assert refused_bsn_list.nothing_read and "Geen kolom 'INSZ'" in refused_bsn_list.problems[0].reason


def test_scans_and_manual_entry_take_an_insz_in_any_form_only_in_a_vaccinnet_session(sc, flemish, session_id):
    children = demo_insz_children(4, TODAY)
    import_expected_list(sc, flemish, _csv(children, "INSZ"), source="test")
    printed = format_insz(children[0].bsn)
    assert register_scanned_text(sc, flemish, f"]C0{children[0].bsn}\r").outcome is scans.Outcome.NEW
    assert register_scanned_text(sc, flemish, printed).outcome is scans.Outcome.ALREADY_SCANNED
    assert scans.record_scan(sc, flemish, printed.replace(".", " ").replace("-", " "),
                             source="manual").outcome is scans.Outcome.ALREADY_SCANNED
    assert scans.record_scan(sc, flemish, children[1].bsn[:6] + "-" + children[1].bsn[6:9] + "." +
                             children[1].bsn[9:], source="manual").outcome is scans.Outcome.NEW
    wrong = children[2].bsn[:10] + str((int(children[2].bsn[10]) + 1) % 10)
    assert register_scanned_text(sc, flemish, wrong).outcome is scans.Outcome.INVALID
    assert scans.record_scan(sc, flemish, "123456782").outcome is scans.Outcome.INVALID
    # In a Praeventis session an INSZ is no number at all, a BSN is.
    assert scans.record_scan(sc, session_id, children[2].bsn).outcome is scans.Outcome.INVALID
    assert scans.record_scan(sc, session_id, "123456782").outcome is scans.Outcome.NEW
    # Search finds by part of the INSZ, printed or not, and only children of the same kind of number.
    assert [m.bsn for m in scans.search_children(sc, flemish, children[3].bsn[5:])] == [children[3].bsn]
    assert [m.bsn for m in scans.search_children(sc, flemish, printed[:8])][:1] == [children[0].bsn]
    assert scans.search_children(sc, flemish, "1234567") == []
    assert [m.bsn for m in scans.search_children(sc, session_id, "1234567")] == ["123456782"]


def test_objections_stay_in_prikpost_and_lists_show_the_insz(sc, flemish):
    children = demo_insz_children(3, TODAY)
    import_expected_list(sc, flemish, _csv(children, "INSZ"), source="test")
    scans.record_scan(sc, flemish, children[0].bsn)
    objected = scans.record_scan(sc, flemish, children[1].bsn)
    actions.register_objection(sc, flemish, objected.registration_ids, ObjectionReason.MEDICAL)
    preview = accord_service.preview_accord(sc, flemish)
    assert (preview.children, preview.objections) == (1, 0)
    accord_service.accord(sc, flemish)
    views = {view.bsn: view for view in session_overview(sc, flemish).children}
    assert views[children[1].bsn].registrations[0].state_label == "bezwaar (medisch) – niet naar Vaccinnet"
    with pytest.raises(DomainError, match="bezwaren gaan niet naar Vaccinnet"):
        accord_service.accord(sc, flemish)
    report = build_report(sc, flemish, "not-vaccinated")
    column = [c.title for c in report.columns].index("INSZ")
    (row,) = [row for section in report.sections for row in section.rows]
    assert row.cells[column] == children[1].bsn and report.columns[column].paper_text(row.cells[column]) == \
        format_insz(children[1].bsn)
    assert "niet naar Vaccinnet" in row.cells[5]


def test_csv_of_a_vaccinnet_session_has_an_insz_column_with_the_eleven_digits(sc, flemish):
    children = demo_insz_children(2, TODAY)
    import_expected_list(sc, flemish, _csv(children, "INSZ"), source="test")
    text = report_csv(build_report(sc, flemish, "expected")).decode("utf-8-sig")
    assert "insz" in text.splitlines()[0].split(";") and children[0].bsn in text


def test_the_log_masks_an_insz_in_every_form(caplog):
    number = make_insz(date(2013, 4, 5), 123)
    record = logging.LogRecord("app.services", logging.INFO, __file__, 1, "kind %s en %s", (number,
                               format_insz(number)), None)
    line = PrivateFormatter("%(message)s").format(record)
    assert number not in line and format_insz(number) not in line and line.count(number[-3:]) == 2


def test_a_praeventis_session_is_unchanged(sc):
    session = get_session(sc, create_session(sc, make_setup()))
    assert session.receiver is Receiver.PRAEVENTIS and session.id_kind.label == "BSN"
