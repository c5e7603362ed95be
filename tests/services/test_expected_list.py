import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.domain.registration import ObjectionReason
from app.services.accord import accord
from app.services.actions import register_objection, remove
from app.services.expected_list import import_expected_list, parse_expected_csv
from app.services.scans import record_scan
from app.store.models import AuditRow, ChildRow, OutboxRow

EXCEL_NL = ("\ufeffBSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\r\n"
            "123456782;Sanne de Vries;14-03-2012;V;3511ab;2A\r\n"
            "12345678;Fout Kind;01-01-2012;M;;2A\r\n"
            "999900183;Daan Jansen;31-02-2012;M;;2B\r\n"
            "999901473;Zoë Öztürk;2012-05-06;M;3512 CD;2B\r\n"
            "\r\n"
            "123456782;Dubbel;14-03-2012;V;;2A\r\n").encode("utf-8")


def children(sc, session_id):
    with sc.db.reader() as s:
        return list(s.scalars(select(ChildRow).where(ChildRow.session_id == session_id).order_by(ChildRow.bsn)))


def test_excel_dutch_csv_with_bom_semicolons_and_bad_rows(sc, session_id):
    report = import_expected_list(sc, session_id, EXCEL_NL)
    assert report.added == 2
    assert [(p.line, p.reason.split(" ")[0]) for p in report.problems] == [(3, "012345678"), (4, "Geboortedatum"),
                                                                            (7, "BSN")]
    assert "elfproef" in report.problems[0].reason
    rows = children(sc, session_id)
    assert [(c.bsn, c.name, c.birth_date, c.sex, c.postcode, c.group_name) for c in rows] == [
        ("123456782", "Sanne de Vries", date(2012, 3, 14), "F", "3511 AB", "2A"),
        ("999901473", "Zoë Öztürk", date(2012, 5, 6), "M", "3512 CD", "2B")]


def test_comma_separated_cp1252_file_is_read():
    data = "bsn,naam,geboortedatum,groep\n999902003,Anouk Müller,1-2-2012,7\n".encode("cp1252")
    kids, problems = parse_expected_csv(data)
    assert problems == [] and kids[0].name == "Anouk Müller" and kids[0].group_name == "7"


def test_repeated_import_does_not_duplicate_and_updates(sc, session_id):
    import_expected_list(sc, session_id, EXCEL_NL)
    again = import_expected_list(sc, session_id, EXCEL_NL.replace(b"2A\r\n123", b"2C\r\n123", 1))
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    assert len(children(sc, session_id)) == 2


def test_missing_bsn_column_is_reported_on_line_1():
    kids, problems = parse_expected_csv(b"naam;klas\nSanne;2A\n")
    assert kids == [] and problems[0].line == 1 and "BSN" in problems[0].reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_parser_never_raises_on_arbitrary_bytes(data):
    kids, problems = parse_expected_csv(data)
    assert isinstance(kids, list) and isinstance(problems, list)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=8))
def test_parser_never_raises_on_arbitrary_rows(cells):
    data = ("BSN;Naam;Geboortedatum\n" + ";".join(cells) + "\n").encode("utf-8", errors="replace")
    parse_expected_csv(data)


def test_bsn_written_in_groups_as_prikpost_prints_it_is_read(sc, session_id):
    data = (b"BSN;Naam;Geboortedatum\n1112.22.333;Groep Punt;01-02-2012\n9999 00 183;Groep Spatie;01-02-2012\n"
            b"1234.56.789;Fout Gegroepeerd;01-02-2012\n")
    report = import_expected_list(sc, session_id, data)
    assert report.added == 2
    assert [c.bsn for c in children(sc, session_id)] == ["111222333", "999900183"]
    assert [(p.line, "elfproef" in p.reason) for p in report.problems] == [(4, True)]


def test_birth_date_in_the_future_skips_only_that_row(sc, session_id):
    data = (b"BSN;Naam;Geboortedatum\n111222333;Vandaag Geboren;23-11-2026\n999900183;Morgen Geboren;24-11-2026\n"
            b"999901473;Ver Weg;01-01-2099\n999902003;Gewoon Kind;01-02-2012\n")
    report = import_expected_list(sc, session_id, data)  # the clock says 23-11-2026
    assert report.added == 2
    assert [c.bsn for c in children(sc, session_id)] == ["111222333", "999902003"]
    assert [p.line for p in report.problems] == [3, 4]
    assert report.problems[0].reason.startswith("Geboortedatum 24-11-2026 ligt in de toekomst")


def test_summary_uses_singular_for_one():
    assert parse_summary(added=1, problems=1) == "1 kind ingelezen (1 nieuw, 0 bijgewerkt, 0 ongewijzigd). " \
                                                 "1 regel overgeslagen."
    assert parse_summary(added=2, problems=0) == "2 kinderen ingelezen (2 nieuw, 0 bijgewerkt, 0 ongewijzigd)."


def parse_summary(added: int, problems: int) -> str:
    from app.services.expected_list import ImportReport, RowProblem

    return ImportReport(added=added, problems=[RowProblem(2, "x")] * problems).summary()


def test_garbage_file_reads_nothing(sc, session_id):
    report = import_expected_list(sc, session_id, bytes(range(256)) * 8)
    assert report.nothing_read and report.problems and report.problems[0].line == 1


def _child(sc, session_id, bsn):
    return next(c for c in children(sc, session_id) if c.bsn == bsn)


def _data(child):
    return (child.name, child.birth_date, child.sex, child.postcode, child.group_name)


ORIGINAL = b"BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n999900183;Daan Jansen;01-02-2012;M;3511 AB;2B\n"
OTHER = b"BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n999900183;Andere Naam;05-05-2011;V;1234 XY;3C\n"


def _scanned(sc, sid):
    return record_scan(sc, sid, "999900183").registration_ids


def _accorded(sc, sid):
    ids = _scanned(sc, sid)
    accord(sc, sid, ids)
    return ids


def _removed(sc, sid):
    return remove(sc, sid, _scanned(sc, sid), "Afwezig (ziek)")


def _objection(sc, sid):
    return register_objection(sc, sid, _scanned(sc, sid), ObjectionReason.DECLINED)


def _sent(sc, sid):
    _accorded(sc, sid)
    with sc.db.writer() as s:
        s.execute(OutboxRow.__table__.update().values(state="acknowledged"))
        s.commit()


@pytest.mark.parametrize("register", [_scanned, _accorded, _removed, _objection, _sent])
def test_a_registered_child_is_never_changed_by_a_new_import(sc, session_id, register):
    import_expected_list(sc, session_id, ORIGINAL)
    register(sc, session_id)
    kept = _data(_child(sc, session_id, "999900183"))
    report = import_expected_list(sc, session_id, OTHER)
    assert _data(_child(sc, session_id, "999900183")) == kept == ("Daan Jansen", date(2012, 2, 1), "M", "3511 AB",
                                                                 "2B")
    assert (report.added, report.updated, report.unchanged, report.registered) == (0, 0, 0, 1)
    assert "1 kind al geregistreerd: niet gewijzigd." in report.summary()
    assert [(n.line, n.reason) for n in report.differing] == [
        (2, "BSN 999900183 is al geregistreerd; de naam, geboortedatum, geslacht, postcode en klas in het bestand "
            "wijken af en zijn niet overgenomen.")]
    with sc.db.reader() as s:
        child_audits = list(s.scalars(select(AuditRow).where(AuditRow.action == "import_child")))
    assert len(child_audits) == 1  # only the first import wrote the child


def test_the_trial_row_with_another_name_and_no_birth_date_changes_nothing(sc, session_id):
    import_expected_list(sc, session_id, ORIGINAL)
    _accorded(sc, session_id)
    with sc.db.reader() as s:
        sent = json.loads(s.scalars(select(OutboxRow.payload)).one())["child"]
    report = import_expected_list(sc, session_id, b"BSN;Naam;Geboortedatum\n999900183;Andere Naam;\n")
    assert report.updated == 0 and report.nothing_read  # the row without a birth date is skipped
    report = import_expected_list(sc, session_id, b"BSN;Naam;Geboortedatum\n999900183;Andere Naam;01-01-2011\n")
    assert (report.updated, report.registered) == (0, 1)
    child = _child(sc, session_id, "999900183")
    # The list shows what the receiver got in the message.
    assert (child.name, child.birth_date.isoformat()) == (sent["name"], sent["birth_date"]) == ("Daan Jansen",
                                                                                               "2012-02-01")


def test_a_scanned_child_not_on_the_list_becomes_expected_but_keeps_its_data(sc, session_id):
    record_scan(sc, session_id, "999900183", source="manual", name="Zoals Gescand", birth_date=date(2012, 1, 1))
    report = import_expected_list(sc, session_id, OTHER)
    child = _child(sc, session_id, "999900183")
    assert child.expected and child.name == "Zoals Gescand" and child.birth_date == date(2012, 1, 1)
    assert report.registered == 1 and report.updated == 0


def test_an_empty_cell_never_blanks_a_stored_value_of_an_unregistered_child(sc, session_id):
    import_expected_list(sc, session_id, ORIGINAL)
    report = import_expected_list(sc, session_id, b"BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n"
                                                  b"999900183;;01-02-2012;;;3A\n")
    assert (report.updated, report.registered) == (1, 0)
    assert _data(_child(sc, session_id, "999900183")) == ("Daan Jansen", date(2012, 2, 1), "M", "3511 AB", "3A")
    with sc.db.reader() as s:
        last = s.scalars(select(AuditRow).where(AuditRow.action == "import_child").order_by(AuditRow.id.desc())).first()
    assert json.loads(last.before) == {"group_name": "2B"} and json.loads(last.after) == {"group_name": "3A"}


def test_a_file_without_a_birth_date_column_is_refused_on_line_1():
    kids, problems = parse_expected_csv(b"BSN;Naam\n999900183;Daan\n")
    assert kids == [] and problems[0].line == 1 and "Geboortedatum" in problems[0].reason


def test_a_row_without_a_birth_date_is_skipped_with_its_line(sc, session_id):
    report = import_expected_list(sc, session_id, b"BSN;Naam;Geboortedatum\n999900183;Daan;\n"
                                                  b"111222333;Anna;01-02-2012\n")
    assert report.added == 1 and [c.bsn for c in children(sc, session_id)] == ["111222333"]
    assert [(p.line, p.reason) for p in report.problems] == [
        (2, "Geboortedatum ontbreekt bij BSN 999900183; vul die in het bestand in (dd-mm-jjjj).")]
