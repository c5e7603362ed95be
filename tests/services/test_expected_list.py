from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.services.expected_list import import_expected_list, parse_expected_csv
from app.store.models import ChildRow

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
