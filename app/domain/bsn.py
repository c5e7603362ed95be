"""BSN (burgerservicenummer): normalise and validate with the elfproef."""

from __future__ import annotations

import re

from .errors import InvalidBsn

BSN_ROOT = "2.16.840.1.113883.2.4.6.3"
# Digit groups split by single dots or spaces, as Prikpost prints a BSN (1234.56.782) or people type it.
_GROUPED = re.compile(r"[0-9]+(?:[. \u00a0][0-9]+)+")


def elfproef(digits: str) -> bool:
    """Return True when nine digits pass the BSN eleven test."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def invalid_reason(text: str) -> str | None:
    """Return why `text` is not a BSN (in Dutch), or None when it is one."""
    candidate = text.strip()
    if not candidate:
        return "Geen BSN ingevuld."
    if not candidate.isdigit() or not candidate.isascii():
        return f"'{candidate}' bevat andere tekens dan cijfers."
    if len(candidate) > 9:
        return f"'{candidate}' heeft {len(candidate)} cijfers; een BSN heeft er 9."
    if len(candidate) < 8:
        return f"'{candidate}' is te kort voor een BSN (8 of 9 cijfers)."
    padded = candidate.zfill(9)
    if padded == "000000000":
        return "000000000 is geen BSN."
    if not elfproef(padded):
        return f"{padded} is geen geldig BSN (elfproef klopt niet). Controleer de cijfers."
    return None


def normalise_bsn(text: str) -> str:
    """Return the 9-digit BSN for `text`, or raise InvalidBsn with the reason."""
    reason = invalid_reason(text)
    if reason is not None:
        raise InvalidBsn(reason)
    return text.strip().zfill(9)


def is_valid_bsn(text: str) -> bool:
    """Return True when `text` is a valid BSN (8 or 9 digits)."""
    return invalid_reason(text) is None


def format_bsn(bsn: str) -> str:
    """Return the BSN grouped for reading aloud: 1234.56.782."""
    return f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"


def ungroup_bsn(text: str) -> str:
    """Return the digits of a BSN written in groups (1234.56.782, 1234 56 782); other text stripped, unchanged."""
    candidate = text.strip()
    if _GROUPED.fullmatch(candidate):
        return "".join(ch for ch in candidate if ch.isdigit())
    return candidate


# Every form a BSN takes in text: nine digits, eight (Excel dropped the leading zero), ten with a leading zero,
# or grouped with dots or spaces as people write them (1234.56.782, 1234 56 782, 123 456 782, 123.456.782).
_BSN_LIKE = re.compile(r"(?<![0-9])([0-9]{8,10}|[0-9]{4}[. ][0-9]{2}[. ][0-9]{3}|[0-9]{3}[. ][0-9]{3}[. ][0-9]{3})"
                       r"(?![0-9])")


def _bsn_in(digits: str) -> str | None:
    """Return the nine-digit BSN these digits spell (8: leading zero dropped, 10: one added), or None."""
    if len(digits) == 10:
        digits = digits[1:] if digits[0] == "0" else ""
    candidate = digits.zfill(9)
    return candidate if len(digits) in (8, 9) and candidate != "000000000" and elfproef(candidate) else None


def redact_bsns(text: str) -> str:
    """Mask every valid BSN in a text (the log file), in any of its forms, except its last three digits."""
    def mask(match: re.Match[str]) -> str:
        bsn = _bsn_in(match.group(1).replace(".", "").replace(" ", ""))
        return "******" + bsn[-3:] if bsn is not None else match.group(1)
    return _BSN_LIKE.sub(mask, text)
