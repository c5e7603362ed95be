"""Hostile input: scans, CSV lists and XML answers never crash; they give the module's Dutch error."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain.bsn import elfproef
from app.domain.lots import Lot, LotList
from app.domain.payload import parse_payload
from app.outbox.errors import MessageError
from app.outbox.hl7.mcci import AckDetail, AckKind, build_mcci_in000002, parse_acknowledgement
from app.outbox.hl7.prmm import build_prmm_in010043, parse_lot_list
from app.outbox.hl7.status import (
    GivenVaccination,
    StatusOutcome,
    VaccinationStatus,
    build_status_answer,
    parse_status_answer,
)
from app.outbox.receiver.praeventis import STAND_IN
from app.outbox.xmlsafe import parse_xml, serialise
from app.resources import shipped_catalogue
from app.services.demo import demo_bsns
from app.services.expected_list import parse_expected_csv

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MESSAGE_ID = "5d0e7c2e-6f3a-4c59-9f0e-2f1b8d3c9a41"
REQUEST_ID = "4a4a4a4a-1111-4c2a-9d3e-123456789abc"

LOT_LIST = serialise(build_prmm_in010043(
    LotList(datetime(2024, 3, 5), datetime(2024, 3, 6), (Lot("AB123", "09", date(2025, 1, 31), "Gardasil"),)),
    MESSAGE_ID, datetime(2024, 3, 5, 1), STAND_IN, shipped_catalogue()))
ACK = serialise(build_mcci_in000002("6e6e6e6e-1111-4c2a-9d3e-123456789abc", datetime(2024, 3, 5, 22, 1), STAND_IN,
                                    AckKind.ACCEPT, ("2.16.528.1.1007.99.2110.1", MESSAGE_ID),
                                    (AckDetail("I", "OK", "goed"),)))
STATUS = serialise(build_status_answer(
    VaccinationStatus(StatusOutcome.FOUND, "012345672", REQUEST_ID,
                      given=(GivenVaccination(date(2023, 4, 1), "09", "AB123"),)),
    "4b4b4b4b-1111-4c2a-9d3e-123456789abc", datetime(2024, 3, 5, 10, 1), STAND_IN,
    ("2.16.528.1.1007.99.2110.1", REQUEST_ID), ("2.16.528.1.1007.99.2110.4", REQUEST_ID)))

PARSERS = {
    "lot list": (parse_lot_list, LOT_LIST),
    "acknowledgement": (lambda data: parse_acknowledgement(data, expected_message_id=MESSAGE_ID), ACK),
    "status": (lambda data: parse_status_answer(data, expected_request_id=REQUEST_ID), STATUS),
}

SECRET_MARKER = "GEHEIM-BESTAND-7731"

# Entity expansion ("billion laughs"), external entities (XXE) and parameter entities.
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}' * 10 + '">'
                    for i in range(1, 10))
          + "]><lolz>&lol9;</lolz>")


def hostile_documents(secret_path: str, inner: str) -> list[bytes]:
    """Return entity attacks in plain and UTF-16 form, the latter hiding the DOCTYPE from byte scans."""
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_path}">]>'
           f"{inner.replace('goed', '&x;', 1)}")
    parameter = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file://{secret_path}"> %p;]>'
                 f"{inner}")
    network = '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
    docs = []
    for text in (LAUGHS, xxe, parameter, network):
        docs.append(text.encode("utf-8"))
        docs.append(text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
                    .encode("utf-16"))
    return docs


def _assert_clear_error(error: MessageError) -> None:
    assert isinstance(error.message, str) and len(error.message.strip()) > 5
    assert "Traceback" not in error.message


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_entity_attacks_are_refused_and_never_read_files(name, tmp_path):
    parse, valid = PARSERS[name]
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_MARKER)
    inner = valid.split("?>", 1)[1]
    for document in hostile_documents(str(secret), inner):
        try:
            result = parse(document)
        except MessageError as error:
            _assert_clear_error(error)
            assert SECRET_MARKER not in error.message
        else:
            assert SECRET_MARKER not in repr(result)
            assert "lollollol" not in repr(result)


def test_xmlsafe_parser_resolves_no_entities_even_in_utf16(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_MARKER)
    document = (f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">'
                '<!ENTITY y "yyyyyyyyyy">]><r>&x;&y;</r>').encode("utf-16")
    try:
        root = parse_xml(document)
    except MessageError as error:
        _assert_clear_error(error)
    else:
        assert SECRET_MARKER not in (root.text or "") and "yyyy" not in (root.text or "")


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_valid_messages_still_parse(name):
    parse, valid = PARSERS[name]
    assert parse(valid) is not None


def _mutate(data, document: str) -> str:
    """Apply a few random edits (delete, insert, duplicate) to a valid document."""
    text = document
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        position = data.draw(st.integers(0, len(text)), label="position")
        kind = data.draw(st.sampled_from(["delete", "insert", "duplicate"]), label="kind")
        if kind == "delete":
            text = text[:position] + text[position + data.draw(st.integers(1, 40)):]
        elif kind == "insert":
            text = text[:position] + data.draw(st.text(max_size=30)) + text[position:]
        else:
            text = text[:position] + text[position:position + 60] + text[position:]
    return text


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.data())
def test_mutated_messages_parse_or_give_a_dutch_error(name, data):
    parse, valid = PARSERS[name]
    document = _mutate(data, valid)
    as_bytes = data.draw(st.booleans(), label="bytes")
    try:
        parse(document.encode("utf-8", "surrogatepass") if as_bytes else document)
    except MessageError as error:
        _assert_clear_error(error)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: "<" + t)))
@example(raw=b"")
@example(raw=b"\xff\xfe<\x00")
@example(raw="<a/>" * 10)
def test_random_input_gives_a_dutch_error(name, raw):
    parse, _ = PARSERS[name]
    try:
        parse(raw)
    except MessageError as error:
        _assert_clear_error(error)


@FUZZ
@given(text=st.text(max_size=200))
@example(text="]C0999990019\r")
@example(text="\x00" * 50)
@example(text="9" * 10_000)
def test_scan_parser_never_raises_and_only_returns_valid_bsns(text):
    result = parse_payload(text)
    if result.ok:
        assert len(result.bsn) == 9 and result.bsn.isascii() and elfproef(result.bsn)
    else:
        assert result.reason and result.reason[0].isupper()


@FUZZ
@given(text=st.text(max_size=200), pattern=st.sampled_from(["", r"BSN:(?P<bsn>\d{9})", r"(\d{9})"]))
def test_scan_parser_with_card_pattern_never_raises(text, pattern):
    result = parse_payload(text, pattern)
    assert result.ok or result.reason


@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"\xef\xbb\xbfBSN;Naam\r\n\x00\x00\x00")
@example(data=b'BSN;Naam\n"open quote;\n999990019;X\n')
@example(data=("BSN;Naam\n" + "999990019;" + "x" * 100_000 + "\n").encode())
def test_csv_import_never_raises(data):
    children, problems = parse_expected_csv(data)
    for child in children:
        assert elfproef(child.bsn)
    for problem in problems:
        assert problem.reason.strip() and problem.line >= 0


GOOD = demo_bsns(5, start=999_970_000)
SAFE_CELL = st.text(alphabet=st.characters(blacklist_characters='"\r\n\x00;,', blacklist_categories=("Cs",)),
                    max_size=30)


@FUZZ
@given(garbage=st.lists(st.lists(SAFE_CELL, min_size=1, max_size=8), max_size=6), where=st.integers(0, 5))
def test_csv_garbage_rows_lose_no_valid_child(garbage, where):
    good = [f"{bsn};Kind {index};01-02-2012;M;3511AB;2A" for index, bsn in enumerate(GOOD)]
    bad = [";".join(cells) for cells in garbage if not any(bsn in ";".join(cells) for bsn in GOOD)]
    lines = good[:where] + bad + good[where:]
    data = ("BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n" + "\n".join(lines) + "\n").encode("utf-8")
    children, problems = parse_expected_csv(data)
    assert [child.bsn for child in children if child.bsn in GOOD] == GOOD
    assert all(problem.reason for problem in problems)
