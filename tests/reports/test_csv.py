import csv
import io

import pytest

from app.reports.csv_export import read_text, report_csv, safe_cell
from app.reports.model import build_report

from .conftest import FORMULA_NAME, LEADING_ZERO_BSN, TRICKY_NAME


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("kind", ["vaccinated", "not-vaccinated", "expected", "failures"])
def test_every_list_is_excel_csv_with_unique_record_ids(sc, states_session, kind):
    report = build_report(sc, states_session.id, kind)
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbfrecord_id;")
    body = data[3:]
    assert body.count(b"\r\n") == len(report.rows) + 1 and body.replace(b"\r\n", b"").count(b"\n") == 0
    rows = read(data)
    assert len(rows) == len(report.rows) > 0
    assert len({row["record_id"] for row in rows}) == len(rows)
    assert all(row["record_id"] for row in rows)


def test_names_with_semicolon_quotes_and_accents_round_trip(sc, states_session):
    rows = read(report_csv(build_report(sc, states_session.id, "vaccinated")))
    by_bsn = {read_text(row["bsn"]): row for row in rows}
    assert by_bsn[states_session.bsn["tricky"]]["naam"] == TRICKY_NAME
    assert by_bsn[states_session.bsn["refused"]]["naam"] == "Bram Yılmaz"
    assert by_bsn[states_session.bsn["refused"]]["klas"] == "2A"
    assert by_bsn[states_session.bsn["refused"]]["geboortedatum"] == "01-03-2012"


def test_bsn_keeps_its_leading_zero_as_excel_text(sc, states_session):
    data = report_csv(build_report(sc, states_session.id, "vaccinated"))
    assert f'"=""{LEADING_ZERO_BSN}"""'.encode() in data
    rows = read(data)
    assert LEADING_ZERO_BSN in {read_text(row["bsn"]) for row in rows}
    assert all(row["bsn"].startswith('="') for row in rows)


def test_formula_in_a_name_is_neutralised(sc, states_session):
    rows = read(report_csv(build_report(sc, states_session.id, "vaccinated")))
    names = {row["naam"] for row in rows}
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+31612345678", "'+31612345678"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("Anna", "Anna"), ("", ""), ("van der Berg", "van der Berg"), ("a=b", "a=b"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_failure_csv_has_message_ids_state_attempts_and_answer(sc, states_session):
    rows = read(report_csv(build_report(sc, states_session.id, "failures")))
    refused = next(row for row in rows if row["naam"] == "Bram Yılmaz")
    assert refused["status"] == "geweigerd, actie nodig" and refused["pogingen"] == "1"
    assert refused["laatste_antwoord"] == "Kind onbekend bij Praeventis"
    assert len(refused["record_id"]) >= 16 and refused["outbox_id"].isdigit()


RAW_STATES = {"scanned", "objection", "removed", "accorded", "queued", "sending", "acknowledged", "needs_action",
              "withdrawn", "pending", "failed", "given_up", "submitted"}


@pytest.mark.parametrize("kind", ["vaccinated", "not-vaccinated", "expected", "failures"])
def test_status_columns_show_dutch_labels_never_raw_states(sc, states_session, kind):
    rows = read(report_csv(build_report(sc, states_session.id, kind)))
    statuses = {row[name] for row in rows for name in ("status", "lijst", "klas") if name in row}
    words = {word.strip(" ,;:") for status in statuses for word in status.split()}
    assert statuses and not words & RAW_STATES
