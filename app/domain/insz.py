"""INSZ (rijksregisternummer or BIS number, Belgium): normalise, validate with mod 97, print as YY.MM.DD-SSS.CC.

Eleven digits: birth date YYMMDD, a serial SSS and two check digits CC = 97 − (first nine digits mod 97); for
people born from 2000 on the check is computed over "2" followed by the first nine digits. A BIS number adds 20
(sex unknown) or 40 (sex known) to the month. A month or day of 00 stands for a birth date not fully known.

The number itself does not say its century, so both rules are tried. They overlap in one place:
6·10⁷ ≡ ±2·10⁹ (mod 97), so changing the second year digit by 6 can turn a valid number of one century into a
valid number of the other (03… born 2003 → 09… born 1909). When the birth date is known (an expected list, the
child's details) its century decides the rule and the digits must agree with it: then every single-digit
change is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import InvalidBsn
from .wording import dutch_date

LENGTH = 11
# The printed form (YY.MM.DD-SSS.CC) and the ways people group it: dots, dashes, spaces between the groups.
_GROUPED = re.compile(r"([0-9]{2})[. ]?([0-9]{2})[. ]?([0-9]{2})[-. ]?([0-9]{3})[. ]?([0-9]{2})")
_BIS_OFFSETS = (0, 20, 40)


class InvalidInsz(InvalidBsn):
    """The text is not a valid INSZ (a person's number, as InvalidBsn is for a Dutch one)."""


@dataclass(frozen=True)
class InszParts:
    year: int  # the four-digit birth year the check digits point to
    month: int  # 0 when unknown
    day: int  # 0 when unknown
    serial: int
    bis: bool
    born_from_2000: bool


def check_digits(first_nine: str, born_from_2000: bool) -> int:
    """Return the check number (1..97) of the first nine digits under the century's rule."""
    return 97 - int(("2" if born_from_2000 else "") + first_nine) % 97


def _date_part(digits: str) -> tuple[int, int, bool] | None:
    """Return (month, day, bis) of the YYMMDD digits, or None when month or day cannot be one."""
    month_raw, day = int(digits[2:4]), int(digits[4:6])
    for offset in _BIS_OFFSETS:
        month = month_raw - offset
        if 0 <= month <= 12:
            return (month, day, offset > 0) if day <= 31 else None
    return None


def _exists(year: int, month: int, day: int) -> bool:
    if not month or not day:
        return True  # a birth date not fully known
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def parts(digits: str, birth_date: date | None = None) -> InszParts | None:
    """Return what 11 digits say, or None when they are no valid INSZ (with the birth date when one is known)."""
    if len(digits) != LENGTH or not digits.isdigit() or not digits.isascii():
        return None
    found = _date_part(digits)
    serial = int(digits[6:9])
    if found is None or not 1 <= serial <= 998:
        return None
    month, day, bis = found
    check = int(digits[9:])
    centuries = (True, False) if birth_date is None else (birth_date.year >= 2000,)
    for born_from_2000 in centuries:
        year = (2000 if born_from_2000 else 1900) + int(digits[:2])
        if check != check_digits(digits[:9], born_from_2000) or not _exists(year, month, day):
            continue
        if birth_date is not None and not _agrees(birth_date, year, month, day):
            continue
        return InszParts(year, month, day, serial, bis, born_from_2000)
    return None


def _agrees(birth_date: date, year: int, month: int, day: int) -> bool:
    return birth_date.year == year and month in (0, birth_date.month) and day in (0, birth_date.day)


def is_valid_insz(text: str, birth_date: date | None = None) -> bool:
    """Return True when `text` (plain or printed) is a valid INSZ (and agrees with the birth date when given)."""
    return invalid_reason(text, birth_date) is None


def ungroup_insz(text: str) -> str:
    """Return the eleven digits of an INSZ written in its printed or grouped form; other text stripped, unchanged."""
    candidate = text.strip()
    match = _GROUPED.fullmatch(candidate)
    return "".join(match.groups()) if match else candidate


def invalid_reason(text: str, birth_date: date | None = None) -> str | None:
    """Return why `text` is not an INSZ (in Dutch), or None when it is one."""
    candidate = ungroup_insz(text)
    if not candidate:
        return "Geen INSZ (rijksregisternummer) ingevuld."
    if not candidate.isdigit() or not candidate.isascii():
        return f"'{candidate}' bevat andere tekens dan cijfers."
    if len(candidate) != LENGTH:
        return (f"'{candidate}' heeft {len(candidate)} cijfers; een INSZ (rijksregisternummer) heeft er "
                f"{LENGTH}.")
    if _date_part(candidate) is None:
        return f"{format_insz(candidate)} is geen geldig INSZ: de geboortedatum (JJ.MM.DD) kan niet kloppen."
    if not 1 <= int(candidate[6:9]) <= 998:
        return f"{format_insz(candidate)} is geen geldig INSZ: het volgnummer {candidate[6:9]} bestaat niet."
    if parts(candidate) is None:
        return f"{format_insz(candidate)} is geen geldig INSZ (controlegetal klopt niet). Controleer de cijfers."
    if birth_date is not None and parts(candidate, birth_date) is None:
        return (f"{format_insz(candidate)} past niet bij de geboortedatum {dutch_date(birth_date)}. "
                "Controleer de cijfers.")
    return None


def normalise_insz(text: str, birth_date: date | None = None) -> str:
    """Return the 11-digit INSZ for `text`, or raise InvalidInsz with the reason."""
    reason = invalid_reason(text, birth_date)
    if reason is not None:
        raise InvalidInsz(reason)
    return ungroup_insz(text)


def format_insz(digits: str) -> str:
    """Return an INSZ as it is printed: YY.MM.DD-SSS.CC."""
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"


def make_insz(birth_date: date, serial: int, bis: bool = False) -> str:
    """Return the valid INSZ of a birth date and a serial (1..998); BIS numbers get 40 added to the month."""
    if not 1 <= serial <= 998:
        raise ValueError(f"serial must be 1..998, not {serial}")
    first = f"{birth_date:%y}{birth_date.month + (40 if bis else 0):02d}{birth_date.day:02d}{serial:03d}"
    return first + f"{check_digits(first, birth_date.year >= 2000):02d}"


# Every form an INSZ takes in text: eleven digits, or printed (YY.MM.DD-SSS.CC) or grouped with dots, dashes or spaces.
_INSZ_LIKE = re.compile(r"(?<![0-9])([0-9]{11}|[0-9]{2}[. ][0-9]{2}[. ][0-9]{2}[-. ][0-9]{3}[. ][0-9]{2})(?![0-9])")


def redact_insz(text: str) -> str:
    """Mask every valid INSZ in a text (the log file), in any of its forms, except its last three digits."""
    def mask(match: re.Match[str]) -> str:
        digits = "".join(ch for ch in match.group(1) if ch.isdigit())
        return "********" + digits[-3:] if parts(digits) is not None else match.group(1)
    return _INSZ_LIKE.sub(mask, text)
