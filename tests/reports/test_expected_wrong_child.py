"""A child taken out with 'Verkeerd kind gescand' was not scanned: the expected list must not count it."""

from app.domain.registration import WRONG_CHILD_REASON
from app.reports.model import ReportKind, build_report
from app.services.accord import accord
from app.services.actions import remove
from app.services.correction import correct_not_given
from app.services.expected_list import import_expected_list
from app.services.scans import record_scan

CSV = (b"BSN;Naam;Geboortedatum;Klas\n123456782;Sanne de Vries;14-03-2012;2A\n"
       b"999900183;Daan Jansen;01-02-2012;2B\n")


def _totals(report):
    return dict(report.totals)


def _section_bsns(report, key):
    (section,) = [s for s in report.sections if s.key == key]
    return [row.cells[2] for row in section.rows]


def test_wrong_child_correction_counts_as_not_scanned(sc, two_vaccine_session):
    sid = two_vaccine_session
    import_expected_list(sc, sid, CSV)
    sanne = record_scan(sc, sid, "123456782")
    record_scan(sc, sid, "999900183")
    stranger = record_scan(sc, sid, "111222333")
    accord(sc, sid)
    # The correction as the window makes it: withdraw the message and take out every registration, at once.
    for scan in (sanne, stranger):
        correct_not_given(sc, sid, scan.registration_ids[:1], scan.registration_ids, WRONG_CHILD_REASON)
    report = build_report(sc, sid, ReportKind.EXPECTED)
    totals = _totals(report)
    assert (totals["Verwacht"], totals["Gescand"], totals["Verwacht en gescand"]) == ("2", "1", "1")
    assert (totals["Verwacht maar niet gescand"], totals["Gescand maar niet verwacht"]) == ("1", "0")
    assert _section_bsns(report, "verwacht-niet-gescand") == ["123456782"]
    assert _section_bsns(report, "gescand-niet-verwacht") == []


def test_other_removal_reasons_still_count_as_scanned(sc, session_id):
    import_expected_list(sc, session_id, CSV)
    sanne = record_scan(sc, session_id, "123456782")
    remove(sc, session_id, sanne.registration_ids, "Afwezig")
    totals = _totals(build_report(sc, session_id, ReportKind.EXPECTED))
    assert (totals["Gescand"], totals["Verwacht en gescand"]) == ("1", "1")
