"""Read a vaccine pack's GS1 element string in every form a scanner or camera gives it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.payload import parse_payload
from app.scanning.gs1 import (
    GS,
    Pack,
    element_string,
    expiry_date,
    gtin_check_digit,
    gtin_valid,
    hri,
    looks_like_pack,
    parse_gs1,
)

TODAY = date(2026, 11, 23)
GTIN = "08712345678906"
CSET82 = "!\"%&'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"

gtins = st.text(alphabet="0123456789", min_size=13, max_size=13).map(lambda d: d + str(gtin_check_digit(d)))
lots = st.text(alphabet=CSET82, min_size=1, max_size=20)
serials = st.text(alphabet=CSET82, min_size=1, max_size=20)  # FMD packs carry a serial
expiries = st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31))
packs = st.builds(Pack, gtin=gtins, lot=lots, expiry=expiries, serial=serials)
orders = st.permutations(["01", "17", "10", "21"]).map(tuple)
prefixes = st.sampled_from(["", "]d2", "]C1", "]Q3", GS, "]d2" + GS])
terminators = st.sampled_from(["", "\r", "\n", "\t", "\r\n"])


def test_a_typical_fmd_pack_in_every_form():
    expected = Pack(GTIN, "X123", date(2027, 3, 31), "SN0001")
    for text in (f"]d20108712345678906172703311" f"0X123{GS}21SN0001",
                 f"0108712345678906{GS}21SN0001{GS}17270300" f"10X123\r",
                 "(01)08712345678906(17)270331(10)X123(21)SN0001",
                 "(01) 08712345678906 (17) 270331 (10) X123 (21) SN0001",
                 "[01]08712345678906[17]270300[10]X123[21]SN0001",
                 f"]C1{GS}0108712345678906172703311" f"0X123{GS}21SN0001"):
        result = parse_gs1(text, TODAY)
        assert result.ok, (text, result.reason)
        assert result.pack == expected
        assert looks_like_pack(text)


@given(packs, orders, prefixes, terminators)
def test_round_trip_in_any_order_and_prefix(pack, order, prefix, terminator):
    text = prefix + element_string(pack, order) + terminator
    result = parse_gs1(text, TODAY if abs(pack.expiry.year - TODAY.year) < 45 else pack.expiry)
    assert result.ok, result.reason
    assert result.pack == pack


@given(packs)
def test_round_trip_human_readable_form(pack):
    assert parse_gs1(hri(pack), pack.expiry).pack == pack


@given(gtins, st.integers(0, 13), st.integers(1, 9))
def test_one_wrong_digit_in_the_gtin_is_refused(gtin, position, shift):
    wrong = gtin[:position] + str((int(gtin[position]) + shift) % 10) + gtin[position + 1:]
    assert not gtin_valid(wrong)
    result = parse_gs1(f"01{wrong}17270331" f"10X1", TODAY)
    assert not result.ok and "controlecijfer" in result.reason


@given(st.text(max_size=60))
def test_never_raises_and_always_explains(text):
    result = parse_gs1(text, TODAY)
    assert result.ok or result.reason


def test_day_00_is_the_end_of_the_month_and_centuries_follow_gs1():
    assert expiry_date("270200", TODAY) == date(2027, 2, 28)
    assert expiry_date("280200", TODAY) == date(2028, 2, 29)
    assert expiry_date("991231", TODAY) == date(1999, 12, 31)
    assert expiry_date("760101", TODAY) == date(2076, 1, 1)
    for bad, words in (("271301", "maand"), ("270231", "bestaat niet"), ("27AB01", "JJMMDD")):
        with pytest.raises(ValueError, match=words):
            expiry_date(bad, TODAY)


def test_reimbursement_numbers_710_to_715_are_read_and_ignored():
    result = parse_gs1(f"]d2010871234567890617270331" f"10X123{GS}710123456789{GS}21SN", TODAY)
    assert result.pack == Pack(GTIN, "X123", date(2027, 3, 31), "SN")


@pytest.mark.parametrize("text, words", [
    ("]d20108712345678906" "11260101" "10X1", "niet kent"),
    ("(01)08712345678906(11)260101", "niet kent"),
    ("]d217270331" "10X1", "geen GTIN"),
    ("]d20108712345678906" "10LOT1234567890123456789012345", "scheidingsteken (GS)"),
    ("]d20108712345678906" "10LOT 1", "tekens die niet"),
    ("(01)0871234567890", "14 tekens"),
    ("]d20108712345678906" "17271301", "maand"),
    ("]d2", "leeg"),
    ("(01)08712345678906(10)A(10)B", "twee verschillende"),
])
def test_refusals_in_dutch(text, words):
    result = parse_gs1(text, TODAY)
    assert not result.ok
    assert words in result.reason


def test_a_call_up_card_is_never_taken_for_a_pack():
    for card in ("123456782", "]C0123456782", "BSN 123456782", "0123456782", "]Q1999900183\r", "]d1123456782",
                 "0123456782\r"):
        assert not looks_like_pack(card), card
        assert parse_payload(card).ok


@given(packs)
def test_a_pack_never_reads_as_a_bsn_when_it_says_gs1(pack):
    assert looks_like_pack("]d2" + element_string(pack))
    assert looks_like_pack(element_string(pack))


def test_the_scanner_test_reads_a_pack_and_says_how_to_set_the_scanner_up():
    from app.scanning.scanner_check import PACK_SETUP, check_scanner
    from app.scanning.wedge import Scan
    from app.settings import ScannerSettings

    good = check_scanner(Scan(f"]d20108712345678906172703311" f"0X123{GS}21SN1", "\r", 40, 3), ScannerSettings())
    assert "Verpakking herkend: GTIN 08712345678906, partij X123, houdbaar tot 31-03-2027, serienummer SN1." \
        in good.advice
    assert PACK_SETUP in good.advice and "Ctrl+]" in PACK_SETUP
    no_gs = check_scanner(Scan("]d20108712345678906" "10X123" "21SN1" "17270331", "\r", 40, 3), ScannerSettings())
    assert any("scheidingsteken (GS)" in line for line in no_gs.advice)
