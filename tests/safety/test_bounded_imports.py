"""Imports bounded and total: sizes checked before reading, a bad cell is a bad row, no control character
stored, an unusable lot list never replaces the current one, deep or huge JSON refused in Dutch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.domain.errors import DomainError
from app.domain.lots import Lot, LotList
from app.domain.text import clean_text, has_unwanted
from app.outbox.errors import MessageError
from app.outbox.hl7.prmm import build_prmm_in010043
from app.outbox.jsonsafe import MAX_DEPTH, load_json
from app.outbox.lot_refresh import import_lot_file
from app.outbox.receiver.praeventis import STAND_IN
from app.outbox.vaccinnet_sender import HttpAnswer, read_result, read_ticket
from app.outbox.xmlsafe import serialise
from app.resources import shipped_catalogue
from app.services import accord as accord_service
from app.services import scans
from app.services.expected_list import (
    MAX_BYTES,
    import_expected_list,
    parse_date,
    parse_expected_csv,
    read_expected_file,
)
from app.services.lots import current_lot_list
from app.services.overview import child_overview
from app.store.engine import Database
from tests.organisation import configured_settings


@pytest.fixture
def hl7_sc(sc):
    """The service context with the real HL7v3 encoder (lxml), which refuses control characters."""
    from app.outbox.encoding import make_encoder

    sc.encoder, sc.message_kind = make_encoder(configured_settings(), sc.catalogue)
    return sc


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = "BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n"


@FUZZ
@given(text=st.text(max_size=60))
@example(text="2012-99999999999999999999-01")
@example(text="99999999999999999999-01-2012")
@example(text="01-01-" + "9" * 5000)
def test_a_date_cell_is_a_date_or_a_value_error(text):
    try:
        parse_date(text)
    except ValueError:
        pass


def test_an_overflowing_date_is_one_bad_row_with_its_line_and_the_rest_is_imported(sc, session_id):
    data = (HEADER + "999990019;Anna;01-02-2012;V;3511AB;7A\n"
                     "999990020;Bram;2012-99999999999999999999-01;M;3511AB;7A\n"
                     "999990032;Cas;03-04-2012;M;3511AB;7A\n").encode()
    report = import_expected_list(sc, session_id, data, source="test")
    assert report.added == 2
    assert [(problem.line, "geen datum" in problem.reason) for problem in report.problems] == [(3, True)]


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=7), max_size=8))
def test_any_rows_give_children_and_line_problems_never_an_error(rows):
    text = HEADER + "\n".join(";".join(cell.replace(";", ",") for cell in row) for row in rows)
    children, problems = parse_expected_csv(text.encode("utf-8", errors="surrogatepass"), date(2026, 11, 23))
    for child in children:
        assert not has_unwanted(child.name) and not has_unwanted(child.group_name)
    assert all(problem.line >= 1 and problem.reason for problem in problems)


@FUZZ
@given(text=st.text(max_size=80))
@example(text="Jan\x00\x01 de\x0bVries\u202e\ufffe\x85")
def test_cleaned_text_has_no_control_characters_and_fits_in_xml(text):
    cleaned = clean_text(text)
    assert not has_unwanted(cleaned) and clean_text(cleaned) == cleaned
    etree.Element("name").text = cleaned  # lxml refuses control characters: this raises when one slipped through


def test_control_characters_in_a_name_are_removed_at_the_door_and_accord_goes_on(hl7_sc, session_id):
    name = "Lotte\x07 de\x1b Wit\u202e"
    data = (HEADER + f"999990019;{name};01-02-2012;V;3511AB;7\x00A\n").encode()
    import_expected_list(hl7_sc, session_id, data, source="test")
    scans.record_scan(hl7_sc, session_id, "999990019")
    assert accord_service.accord(hl7_sc, session_id)
    assert child_overview(hl7_sc, session_id, "999990019").name == "Lotte de Wit"


def test_a_large_expected_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "groot.csv"
    with open(path, "wb") as stream:
        stream.truncate(MAX_BYTES * 50)  # 1 GB, sparse: reading it would be the failure
    with pytest.raises(DomainError, match="te groot"):
        read_expected_file(path)


def test_the_import_children_command_refuses_a_large_file_in_dutch(tmp_path):
    db = tmp_path / "p.sqlite"
    Database(db).close()
    path = tmp_path / "groot.csv"
    with open(path, "wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    done = subprocess.run([sys.executable, "-m", "app", "import-children", "--db", str(db), str(path)],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert done.returncode == 1 and "te groot" in done.stderr and "Traceback" not in done.stderr


def _lot_file(tmp_path, lots, valid_until):
    lot_list = LotList(datetime(2025, 1, 1), valid_until, lots)
    path = tmp_path / "partijen.xml"
    path.write_text(serialise(build_prmm_in010043(lot_list, "2d1f6f1e-7d43-4a39-8d54-27d1a3c0a001",
                                                  datetime(2025, 1, 1, 3, 0), STAND_IN, shipped_catalogue())),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("lots, valid_until, reason", [
    ((), datetime(2026, 12, 31), "geen enkele partij"),
    ((Lot("OUD-1", "09", date(2027, 5, 1), "HPV"),), datetime(2025, 10, 19), "periode is voorbij"),
])
def test_an_empty_or_expired_lot_list_is_refused_and_the_current_one_kept(sc, tmp_path, lots, valid_until, reason):
    before = current_lot_list(sc)
    with pytest.raises(DomainError, match=reason):
        import_lot_file(sc, _lot_file(tmp_path, lots, valid_until))
    assert current_lot_list(sc) == before


def test_a_large_lot_file_is_refused_before_it_is_read(sc, tmp_path):
    path = tmp_path / "partijen.xml"
    with open(path, "wb") as stream:
        stream.truncate(1_000_000_000)
    with pytest.raises(DomainError, match="te groot"):
        import_lot_file(sc, path)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=30)


@FUZZ
@given(value=JSON)
def test_json_within_bounds_is_read(value):
    text = json.dumps(value)
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # shallow by construction when there are few brackets
        assert load_json(text.encode()) == value


@FUZZ
@given(raw=st.binary(max_size=300), depth=st.integers(0, 200_000))
@example(raw=b"", depth=100_000)
@example(raw=b'{"a": "[[[[[["}', depth=0)
def test_any_json_answer_is_read_or_refused_in_dutch(raw, depth):
    body = b'{"ticket": "t-1", "status": "done", "persons": ' + b"[" * depth + raw + b"]" * depth + b"}"
    for reader in (lambda: read_result(HttpAnswer(200, body), "t-1"), lambda: read_ticket(HttpAnswer(200, body), 1)):
        try:
            reader()
        except MessageError as error:
            assert error.message.strip()


def test_deep_json_is_refused_with_a_dutch_reason():
    with pytest.raises(MessageError, match="te diep genest"):
        read_result(HttpAnswer(200, b"[" * 100_000 + b"]" * 100_000), "t-1")
    with pytest.raises(MessageError, match="te groot"):
        load_json(b'"' + b"x" * 6_000_000 + b'"')


def test_a_control_character_stored_by_an_older_version_never_blocks_the_accord(hl7_sc, session_id):
    from sqlalchemy import select

    from app.store.models import ChildRow, OutboxRow

    import_expected_list(hl7_sc, session_id, (HEADER + "999990019;Lotte de Wit;01-02-2012;V;3511AB;7A\n").encode(),
                         source="test")
    with hl7_sc.uow() as uow:  # as an older Prikpost stored it, before names were cleaned at the door
        uow.session.scalars(select(ChildRow).where(ChildRow.bsn == "999990019")).one().name = "Lotte\x07 de\x1b Wit"
        uow.commit()
    scans.record_scan(hl7_sc, session_id, "999990019")
    assert accord_service.accord(hl7_sc, session_id).children == 1
    with hl7_sc.db.reader() as session:
        payload = session.scalars(select(OutboxRow.payload)).one()
    assert "<family qualifier=\"BR\">Wit</family>" in payload and "\x07" not in payload
