"""INSZ (rijksregisternummer, BIS number): mod 97, the 2000+ rule, BIS months, printed forms; and per receiver."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidBsn
from app.domain.insz import (
    check_digits,
    format_insz,
    invalid_reason,
    is_valid_insz,
    make_insz,
    normalise_insz,
    parts,
    redact_insz,
    ungroup_insz,
)
from app.domain.person_id import IdKind, Receiver, format_number, labelled, normalise, redact_numbers

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
serials = st.integers(min_value=1, max_value=998)


@st.composite
def valid_numbers(draw):
    """A valid INSZ with its birth date: rijksregister or BIS (20 or 40 added to the month), either century."""
    born = draw(birth_dates)
    serial = draw(serials)
    offset = draw(st.sampled_from((0, 20, 40)))
    first = f"{born:%y}{born.month + offset:02d}{born.day:02d}{serial:03d}"
    return first + f"{check_digits(first, born.year >= 2000):02d}", born


def single_digit_changes(number: str):
    for position, digit in enumerate(number):
        for other in "0123456789":
            if other != digit:
                yield position, number[:position] + other + number[position + 1:]


def test_known_numbers_from_both_centuries():
    # 85.07.30-033.28: born 1985, 97 − (850730033 mod 97) = 28.
    assert check_digits("850730033", False) == 28 and is_valid_insz("85073003328")
    # Born from 2000 on: computed over "2" + the first nine digits.
    number = make_insz(date(2012, 3, 5), 123)
    assert number[:9] == "120305123" and int(number[9:]) == 97 - int("2120305123") % 97
    assert parts(number).born_from_2000 and parts(number).year == 2012
    # The same first nine digits with the pre-2000 check digits are the number of someone born in 1912.
    old = "120305123" + f"{check_digits('120305123', False):02d}"
    assert parts(old).year == 1912 and not parts(old).born_from_2000


def test_bis_numbers_add_20_or_40_to_the_month():
    for offset, bis in ((40, True), (20, True)):
        first = f"12{3 + offset:02d}05123"
        number = first + f"{check_digits(first, True):02d}"
        found = parts(number)
        assert found is not None and found.bis is bis and (found.month, found.day) == (3, 5)
    assert make_insz(date(2011, 11, 30), 7, bis=True)[2:4] == "51"
    assert invalid_reason("126305123" + "00") is not None  # month 63: neither a month nor a BIS month


@given(valid_numbers())
def test_every_valid_number_is_accepted_plain_printed_and_grouped(case):
    number, born = case
    assert invalid_reason(number) is None
    assert invalid_reason(number, born) is None
    printed = format_insz(number)
    assert printed[2] == "." and printed[8] == "-" and printed[12] == "."
    for written in (printed, f" {number} ", printed.replace(".", " ").replace("-", " "), number[:6] + "-" +
                    number[6:9] + "." + number[9:]):
        assert ungroup_insz(written) == number
        assert normalise_insz(written) == number


@given(valid_numbers())
def test_with_the_birth_date_known_every_single_digit_change_is_refused(case):
    number, born = case
    for _, changed in single_digit_changes(number):
        assert not is_valid_insz(changed, born), (number, changed)


@given(valid_numbers())
def test_without_the_birth_date_only_the_century_swap_of_the_second_year_digit_passes(case):
    # 6·10⁷ ≡ ±2·10⁹ (mod 97): the second year digit changed by 6 can land on the other century's rule. Every
    # other single-digit change is refused; the birth date (expected list, child's details) refuses that one too.
    number, _ = case
    for position, changed in single_digit_changes(number):
        if is_valid_insz(changed):
            assert position == 1 and abs(int(changed[1]) - int(number[1])) == 6
            assert parts(changed).born_from_2000 != parts(number).born_from_2000


def test_the_century_swap_is_real_and_the_birth_date_refuses_it():
    number = make_insz(date(2003, 1, 1), 1)
    swapped = number[0] + "9" + number[2:]
    assert is_valid_insz(swapped) and parts(swapped).year == 1909
    assert not is_valid_insz(swapped, date(2003, 1, 1))
    assert "past niet bij de geboortedatum 01-01-2003" in invalid_reason(swapped, date(2003, 1, 1))


@pytest.mark.parametrize("text,fragment", [
    ("", "Geen INSZ"), ("1203051234", "10 cijfers"), ("120305123456", "12 cijfers"), ("12030512a45", "andere tekens"),
    ("12133112345", "geboortedatum"), ("12033212345", "geboortedatum"), ("12030500045", "volgnummer 000"),
    ("12030599945", "volgnummer 999"), ("12030512300", "controlegetal"), ("01023012345", "controlegetal"),
])
def test_invalid_numbers_get_a_dutch_reason(text, fragment):
    assert fragment in invalid_reason(text)
    with pytest.raises(InvalidBsn):
        normalise_insz(text)


def test_a_date_that_does_not_exist_is_refused():
    first = "010230001"  # 30 February
    for from_2000 in (True, False):
        assert not is_valid_insz(first + f"{check_digits(first, from_2000):02d}")
    # 29 February 2000 exists, 29 February 1900 does not.
    first = "000229001"
    assert is_valid_insz(first + f"{check_digits(first, True):02d}")
    assert not is_valid_insz(first + f"{check_digits(first, False):02d}")


def test_an_unknown_day_or_month_is_allowed():
    first = "120000045"
    assert is_valid_insz(first + f"{check_digits(first, True):02d}", date(2012, 6, 1))


@given(valid_numbers(), st.text(alphabet="ab :;=\n", max_size=5))
def test_the_log_never_shows_an_insz_in_any_form(case, glue):
    number, _ = case
    for written in (number, format_insz(number), format_insz(number).replace(".", " ").replace("-", " ")):
        line = f"kind{glue}{written}{glue}klaar"
        masked = redact_insz(line)
        assert number not in masked.replace(".", "").replace("-", "").replace(" ", "")
        assert masked.endswith(f"{number[-3:]}{glue}klaar")
        assert redact_numbers(line) == masked


def test_the_receiver_decides_the_number():
    assert Receiver.of("vaccinnet").id_kind is IdKind.INSZ and Receiver.of("Praeventis").id_kind is IdKind.BSN
    assert Receiver.of("") is Receiver.PRAEVENTIS
    insz = make_insz(date(2012, 3, 5), 123)
    assert normalise(IdKind.INSZ, format_insz(insz)) == insz
    assert normalise(IdKind.BSN, "12345672") == "012345672"
    with pytest.raises(InvalidBsn, match="11"):
        normalise(IdKind.INSZ, "123456782")
    with pytest.raises(InvalidBsn, match="een BSN heeft er 9"):
        normalise(IdKind.BSN, insz)
    assert format_number("123456782") == "1234.56.782" and format_number(insz) == format_insz(insz)
    assert labelled(insz) == f"INSZ {format_insz(insz)}" and labelled("123456782") == "BSN 1234.56.782"
