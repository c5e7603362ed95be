import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bsn import elfproef, format_bsn, invalid_reason, normalise_bsn, ungroup_bsn
from app.domain.errors import InvalidBsn

VALID = ["123456782", "999900183", "999901473", "999902003", "111222333"]


@pytest.mark.parametrize("bsn", VALID)
def test_spec_examples_pass(bsn):
    assert normalise_bsn(bsn) == bsn


def test_spec_failing_example_gives_reason():
    with pytest.raises(InvalidBsn, match="elfproef"):
        normalise_bsn("123456789")


def test_eight_digits_are_left_padded():
    # 012345672 passes the elfproef; written without its leading zero it has 8 digits.
    assert elfproef("012345672")
    assert normalise_bsn("12345672") == "012345672"


@pytest.mark.parametrize("text,fragment", [
    ("000000000", "geen BSN"), ("", "Geen BSN"), ("12345", "te kort"), ("1234567890", "10 cijfers"),
    ("12345678a", "andere tekens"), ("١٢٣٤٥٦٧٨٢", "andere tekens"),
])
def test_invalid_inputs_have_dutch_reasons(text, fragment):
    assert fragment in invalid_reason(text)


def test_format_groups_digits():
    assert format_bsn("123456782") == "1234.56.782"


def _complete(first8: str) -> str:
    check = sum(int(d) * w for d, w in zip(first8, range(9, 1, -1), strict=True)) % 11
    return first8 + str(check)


valid_bsns = (st.text("0123456789", min_size=8, max_size=8).filter(lambda s: s != "00000000")
              .map(_complete).filter(lambda s: len(s) == 9 and elfproef(s)))


@given(valid_bsns)
def test_every_valid_bsn_is_accepted(bsn):
    assert invalid_reason(bsn) is None


@given(valid_bsns, st.integers(0, 8), st.integers(1, 9))
def test_every_single_digit_change_is_rejected(bsn, position, delta):
    digit = (int(bsn[position]) + delta) % 10
    changed = bsn[:position] + str(digit) + bsn[position + 1:]
    assert invalid_reason(changed) is not None


@pytest.mark.parametrize("text,digits", [
    ("1112.22.333", "111222333"), ("1112 22 333", "111222333"), (" 1234.56.782 ", "123456782"),
    ("111.222.333", "111222333"), ("1112\u00a022\u00a0333", "111222333"), ("123456782", "123456782"),
])
def test_grouped_bsn_as_prikpost_prints_it_is_ungrouped(text, digits):
    assert ungroup_bsn(text) == digits
    assert ungroup_bsn(format_bsn(digits)) == digits


@pytest.mark.parametrize("text", ["1112..22.333", "1112.22.333.", ".111222333", "1112-22-333", "١٢٣٤.٥٦.٧٨٢",
                                  "BSN 111222333", "abc.def"])
def test_other_text_is_not_ungrouped(text):
    assert ungroup_bsn(text) == text.strip()
    assert invalid_reason(ungroup_bsn(text)) is not None


def test_redact_bsns_masks_valid_bsns_only():
    from app.domain.bsn import redact_bsns

    assert redact_bsns("BSN 123456782 en 1234.56.782, bericht 123456789") == \
        "BSN ******782 en ******782, bericht 123456789"
    assert redact_bsns("id 20261124093000123456782") == "id 20261124093000123456782"  # part of a longer number
    assert redact_bsns("1234 56 782; 123 456 782; 123.456.782") == "******782; ******782; ******782"
