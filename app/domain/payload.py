"""Extract exactly one valid BSN (or, in a Vaccinnet session, one valid INSZ) from scanned or decoded text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.domain import insz
from app.domain.bsn import elfproef, format_bsn, invalid_reason
from app.domain.person_id import IdKind

from .visible import show_controls

# AIM symbology identifiers (ISO/IEC 15424): "]" + symbology letter + modifier, e.g. ]C0, ]E0, ]Q1, ]d2.
_AIM_IDENTIFIER = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# Scanners put the identifier before the data, so at the start it is certainly one; further on it may
# be text that merely looks like one (a "]A" glued to a BSN starting with 0), so there both readings count.
_LEADING_AIM = re.compile(r"^[\s\x00-\x1f]*\][A-Za-z][0-9A-Za-z]")
# ASCII digits only: \d would also match Arabic-Indic and other digits.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")
# The way Prikpost itself prints a BSN (1234.56.782).
_GROUPED_BSN = re.compile(r"(?<![0-9.])([0-9]{4})\.([0-9]{2})\.([0-9]{3})(?![0-9]|\.[0-9])")


@dataclass(frozen=True)
class ParsedPayload:
    """The outcome of parsing one scan: a BSN, or None and the Dutch reason why not."""

    bsn: str | None
    reason: str
    shown: str

    @property
    def ok(self) -> bool:
        return self.bsn is not None


def strip_aim_identifiers(text: str) -> str:
    """Remove AIM symbology identifiers that scanners may put before the data."""
    return _AIM_IDENTIFIER.sub(" ", text)


def _blank_controls(text: str) -> str:
    # Control characters (GS between fields, CR/LF/Tab from the scanner) separate fields like spaces.
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def _looks_like_date(digits: str) -> bool:
    for year, month, day in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        try:
            if 1900 <= int(year) <= 2100 and date(int(year), int(month), int(day)):
                return True
        except ValueError:
            continue
    return False


def _as_bsn_digits(digits: str) -> str | None:
    """Return the nine BSN digits a run may stand for: 9 digits, or 10 with a leading zero (ITF pads)."""
    if len(digits) == 9:
        return digits
    if len(digits) == 10 and digits.startswith("0"):
        return digits[1:]
    return None


def _candidates(readings: list[str]) -> list[str]:
    found: list[str] = []
    for cleaned in readings:
        found += [nine for nine in map(_as_bsn_digits, _DIGIT_RUN.findall(cleaned)) if nine is not None]
        found += ["".join(groups) for groups in _GROUPED_BSN.findall(cleaned)]
    return found


def _eight_digits(readings: list[str]) -> bool:
    """True when the code holds only 8 digits: a scan cut short, or a BSN without its leading zero.

    Never padded: a burst closed before its last digit, padded with a zero, passes the elfproef about one
    time in eleven as another child's BSN. A card always carries 9 digits (10 with ITF's leading zero)."""
    return any(len(whole := cleaned.strip()) == 8 and whole.isdigit() and whole.isascii()
               and not _looks_like_date(whole) for cleaned in readings)


EIGHT_DIGITS = ("De code heeft 8 cijfers; een oproepkaart heeft er 9. Het laatste cijfer is mogelijk niet "
                "aangekomen: scan de kaart opnieuw, of voer het BSN met de hand in.")


def looks_like_card(text: str) -> bool:
    """True when typed text holds a run of 7 or more digits, as a scanned card would (not a name or a path)."""
    return any(len(run) >= 7 for run in _DIGIT_RUN.findall(_blank_controls(text))) or bool(
        _GROUPED_BSN.search(text)) or bool(_GROUPED_INSZ.search(text))


def _is_valid(nine: str) -> bool:
    return nine != "000000000" and elfproef(nine)


def _decide(candidates: list[str], shown: str) -> ParsedPayload:
    valid = list(dict.fromkeys(c for c in candidates if _is_valid(c)))
    if len(valid) == 1:
        return ParsedPayload(valid[0], "", shown)
    if len(valid) == 2:
        first, second = (format_bsn(bsn) for bsn in valid)
        return ParsedPayload(None, f"De code bevat twee verschillende BSN's ({first} en {second}). "
                                   "Scan de kaart opnieuw of voer het BSN met de hand in.", shown)
    if len(valid) > 2:
        return ParsedPayload(None, f"De code bevat {len(valid)} verschillende BSN's. "
                                   "Voer het BSN met de hand in.", shown)
    if candidates:
        return ParsedPayload(None, invalid_reason(candidates[0]) or "Geen geldig BSN in de code.", shown)
    return ParsedPayload(None, "Geen BSN gevonden in de gescande code.", shown)


def _decide_readings(readings: list[str], shown: str) -> ParsedPayload:
    candidates = _candidates(readings)
    if not candidates and _eight_digits(readings):
        return ParsedPayload(None, EIGHT_DIGITS, shown)
    return _decide(candidates, shown)


@lru_cache(maxsize=8)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def card_pattern_problem(pattern: str) -> str | None:
    """Return why a card pattern cannot be used (in Dutch), or None when it is fine."""
    try:
        compiled = _compile(pattern)
    except re.error as error:
        return f"Het kaartpatroon is geen geldige reguliere expressie: {error}."
    if "bsn" not in compiled.groupindex:
        return "Het kaartpatroon mist de groep (?P<bsn>...) die het BSN aanwijst."
    return None


def _parse_with_pattern(text: str, pattern: str, shown: str) -> ParsedPayload:
    problem = card_pattern_problem(pattern)
    if problem is not None:
        return ParsedPayload(None, f"Instelling klopt niet. {problem}", shown)
    match = _compile(pattern).search(text)
    if match is None or match.group("bsn") is None:
        return ParsedPayload(None, "De code past niet bij het ingestelde kaartpatroon.", shown)
    digits = match.group("bsn").strip()
    if len(digits) == 8 and digits.isdigit():
        return ParsedPayload(None, EIGHT_DIGITS, shown)
    nine = _as_bsn_digits(digits) or digits
    if nine.isascii() and _is_valid(nine):
        return ParsedPayload(nine, "", shown)
    return ParsedPayload(None, invalid_reason(nine) or "Geen geldig BSN in de code.", shown)


# An INSZ as printed (YY.MM.DD-SSS.CC) or grouped with dots, dashes or spaces, not glued to other digits.
_GROUPED_INSZ = re.compile(r"(?<![0-9])([0-9]{2})[. ]([0-9]{2})[. ]([0-9]{2})[-. ]([0-9]{3})[. ]([0-9]{2})(?![0-9])")


def _insz_candidates(readings: list[str]) -> list[str]:
    found: list[str] = []
    for cleaned in readings:
        found += [run for run in _DIGIT_RUN.findall(cleaned) if len(run) == insz.LENGTH]
        found += ["".join(groups) for groups in _GROUPED_INSZ.findall(cleaned)]
    return found


def _decide_insz(readings: list[str], shown: str) -> ParsedPayload:
    candidates = _insz_candidates(readings)
    valid = list(dict.fromkeys(c for c in candidates if insz.is_valid_insz(c)))
    if len(valid) == 1:
        return ParsedPayload(valid[0], "", shown)
    if len(valid) > 1:
        return ParsedPayload(None, f"De code bevat {len(valid)} verschillende INSZ-nummers. "
                                   "Voer het INSZ met de hand in.", shown)
    if candidates:
        return ParsedPayload(None, insz.invalid_reason(candidates[0]) or "Geen geldig INSZ in de code.", shown)
    return ParsedPayload(None, "Geen INSZ (rijksregisternummer) gevonden in de gescande code.", shown)


def parse_payload(text: str, card_pattern: str = "", kind: IdKind = IdKind.BSN) -> ParsedPayload:
    """Return the one valid BSN (or INSZ) in scanned text, or the Dutch reason there is none; never raises."""
    shown = show_controls(text)
    after_lead = _LEADING_AIM.sub(" ", text, count=1)
    without_aim = strip_aim_identifiers(after_lead)
    if kind is IdKind.INSZ:
        readings = list(dict.fromkeys(_blank_controls(t) for t in (without_aim, after_lead)))
        if not readings[0].strip():
            return ParsedPayload(None, "De gescande code is leeg.", shown)
        return _decide_insz(readings, shown)
    if card_pattern:
        return _parse_with_pattern(without_aim, card_pattern, shown)
    readings = list(dict.fromkeys(_blank_controls(t) for t in (without_aim, after_lead)))
    if not readings[0].strip():
        return ParsedPayload(None, "De gescande code is leeg.", shown)
    return _decide_readings(readings, shown)
