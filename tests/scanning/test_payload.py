"""Parse scanned text into exactly one valid BSN, whatever surrounds it."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.domain.bsn import elfproef
from app.domain.payload import card_pattern_problem, parse_payload

VALID = ["123456782", "999900183", "999901473", "999902003", "111222333", "012345672"]

# BSN digits: any 8 digits, the ninth chosen so the elfproef holds (skipping those that need "10").
bsns = st.lists(st.integers(0, 9), min_size=8, max_size=8).map(
    lambda d: "".join(map(str, d)) + str(sum(x * w for x, w in zip(d, range(9, 1, -1), strict=True)) % 11)
).filter(lambda s: len(s) == 9 and s != "000000000" and elfproef(s))

separators = st.text(alphabet=" \t\r\n\x1d\x1e|;:,/-_=#*()[]{}<>\"'ABCXYZabcxyzéü€", min_size=1, max_size=3)
noise_words = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="0123456789", blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["20120314", "14-03-2012", "2012-03-14", "NL", "BSN:", "GEB", "]C0", "]Q1", "]d2", "\x1d"]),
    st.integers(0, 9_999_999).map(str),
)


def embed(bsn: str, before: list[str], after: list[str], seps: list[str]) -> str:
    """Join noise words, the BSN and more noise, each pair kept apart by a non-digit separator.

    A code that starts with "]" and a letter directly before the BSN starts with an AIM identifier
    whose modifier is the BSN's first digit, as a scanner would send it: no parser can tell that
    from noise, so such examples are left out.
    """
    parts = [*before, bsn, *after]
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        out += seps[index % len(seps)]
        if index + 1 == len(before):  # what stands right before the BSN
            assume(not re.fullmatch(r"[\s\x00-\x1f]*\][A-Za-z]", out))
        out += part
    return out


@given(bsns, st.lists(noise_words, max_size=4), st.lists(noise_words, max_size=4),
       st.lists(separators, min_size=1, max_size=4))
@settings(max_examples=300)
def test_every_valid_bsn_in_noise_is_found(bsn, before, after, seps):
    result = parse_payload(embed(bsn, before, after, seps))
    assert result.bsn == bsn, result.reason


@given(bsns, st.integers(0, 8), st.integers(1, 9), st.lists(noise_words, max_size=4),
       st.lists(noise_words, max_size=4), st.lists(separators, min_size=1, max_size=4))
@settings(max_examples=300)
def test_every_single_digit_change_is_rejected(bsn, position, delta, before, after, seps):
    changed = bsn[:position] + str((int(bsn[position]) + delta) % 10) + bsn[position + 1:]
    result = parse_payload(embed(changed, before, after, seps))
    assert result.bsn is None
    assert result.reason


@given(st.text())
@settings(max_examples=500)
def test_never_raises_on_arbitrary_text(text):
    result = parse_payload(text)
    assert (result.bsn is None) != (result.reason == "")
    assert result.bsn is None or elfproef(result.bsn)


@given(st.text(), st.sampled_from(["", r"(?P<bsn>\d{9})", r"(?P<bsn>", r"K(?P<x>\d)", r"^BSN(?P<bsn>\d+)$"]))
def test_never_raises_with_any_card_pattern(text, pattern):
    assert isinstance(parse_payload(text, pattern).reason, str)


@pytest.mark.parametrize("text", [
    "]C0123456782", "]E0123456782\r", "]Q1123456782", "]d2123456782\n", "]I00123456782",
    "  123456782\t", "\x02123456782\x03", "0123456782", "BSN123456782", "123456782X",
    "JANSEN|123456782|20120314", "123456782\x1d14-03-2012\x1dGROEP 8", "20120314 123456782",
    "Naam: Sem; BSN: 1234.56.782; geb. 14-03-2012", "123456782 123456782",
])
def test_prefixes_suffixes_and_extra_fields_are_tolerated(text):
    assert parse_payload(text).bsn == "123456782"


def test_leading_zero_of_itf_is_restored():
    assert parse_payload("0012345672").bsn == "012345672"


@pytest.mark.parametrize("text", ["12345672", "36625851", "]C036625851", "36625851\r", "BSN 36625851"])
def test_eight_digits_are_never_padded_into_a_bsn(text):
    # 366258515 stalled before its last digit: padded, 036625851 passes the elfproef (another child).
    result = parse_payload(text)
    assert result.bsn is None
    assert parse_payload("036625851").bsn == "036625851"  # the wrong child it would have become


def test_eight_digits_are_refused_with_a_reason_that_says_so():
    assert "8 cijfers" in parse_payload("36625851").reason
    assert "8 cijfers" in parse_payload("K36625851", r"K(?P<bsn>\d+)").reason


@given(bsns)
def test_a_scan_cut_before_its_last_digit_is_never_a_bsn(bsn):
    assert parse_payload(bsn[:8]).bsn is None
    assert parse_payload("0" + bsn[:8]).bsn in (None, "0" + bsn[:8])  # 9 digits: the card's own, never padded


def test_a_date_is_not_taken_for_a_bsn():
    assert parse_payload("20120314").bsn is None
    assert parse_payload("14032012").bsn is None


@pytest.mark.parametrize("text, words", [
    ("", "leeg"),
    ("\r\n", "leeg"),
    ("GEEN NUMMER", "Geen BSN"),
    ("123456789", "elfproef"),
    ("123456782;999900183", "twee verschillende"),
    ("12345678901234", "Geen BSN"),
])
def test_rejections_give_a_dutch_reason(text, words):
    result = parse_payload(text)
    assert result.bsn is None
    assert words in result.reason


def test_control_characters_are_shown():
    assert parse_payload("]C0123456782\r\x1d\n\t").shown == "]C0123456782⏎<GS><LF>⇥"


def test_card_pattern_picks_the_named_group():
    pattern = r"^K(?P<bsn>\d{9})(?P<date>\d{8})$"
    assert parse_payload("K99990018320120314", pattern).bsn == "999900183"
    assert "kaartpatroon" in parse_payload("X99990018320120314", pattern).reason
    assert "elfproef" in parse_payload("K99990018420120314", pattern).reason


def test_card_pattern_problems_are_explained():
    assert card_pattern_problem(r"(?P<bsn>\d{9})") is None
    assert "groep" in card_pattern_problem(r"(\d{9})")
    assert "reguliere expressie" in card_pattern_problem(r"(?P<bsn>\d{9}")
    assert "Instelling" in parse_payload("123456782", r"(\d{9})").reason


def test_bracket_and_letter_glued_to_a_bsn_inside_the_code_do_not_eat_its_first_digit():
    assert parse_payload("]A]A000000012").bsn == "000000012"
    assert parse_payload("NAAM]X012345672").bsn == "012345672"


def test_leading_aim_identifier_is_removed_and_the_nine_digits_read():
    assert parse_payload("]C0012345672").bsn == "012345672"
    assert parse_payload("]C1" + "12345672").bsn is None  # 8 digits after the identifier: refused
