"""Extract exactly one valid BSN from scanned or decoded text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.domain.bsn import elfproef, format_bsn, invalid_reason

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
    if found:
        return found
    # A code holding only 8 digits is a BSN whose leading zero was dropped, unless it reads as a date.
    for cleaned in readings:
        whole = cleaned.strip()
        if len(whole) == 8 and whole.isdigit() and whole.isascii() and not _looks_like_date(whole):
            return [whole.zfill(9)]
    return []


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
    nine = _as_bsn_digits(digits) or (digits.zfill(9) if len(digits) == 8 else digits)
    if nine.isascii() and _is_valid(nine):
        return ParsedPayload(nine, "", shown)
    return ParsedPayload(None, invalid_reason(nine) or "Geen geldig BSN in de code.", shown)


def parse_payload(text: str, card_pattern: str = "") -> ParsedPayload:
    """Return the one valid BSN in scanned text, or the Dutch reason there is none; never raises."""
    shown = show_controls(text)
    after_lead = _LEADING_AIM.sub(" ", text, count=1)
    without_aim = strip_aim_identifiers(after_lead)
    if card_pattern:
        return _parse_with_pattern(without_aim, card_pattern, shown)
    readings = list(dict.fromkeys(_blank_controls(t) for t in (without_aim, after_lead)))
    if not readings[0].strip():
        return ParsedPayload(None, "De gescande code is leeg.", shown)
    return _decide(_candidates(readings), shown)
