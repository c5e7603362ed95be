"""A child's number as the session's receiver knows it: BSN for Praeventis (elfproef), INSZ for Vaccinnet (mod 97).

The store keeps either in the same column (`bsn`, up to 11 characters): 9 digits are a BSN, 11 an INSZ.
"""

from __future__ import annotations

import enum
from datetime import date

from . import bsn as bsn_rules
from . import insz as insz_rules
from .errors import InvalidBsn


class IdKind(enum.Enum):
    BSN = "BSN"
    INSZ = "INSZ"

    @property
    def label(self) -> str:
        """Return the number's Dutch name as the screens, lists and CSV show it."""
        return self.value

    @property
    def length(self) -> int:
        return 9 if self is IdKind.BSN else insz_rules.LENGTH


class Receiver(enum.Enum):
    """Who a session's registrations go to; it decides the child's number and the message."""

    PRAEVENTIS = "praeventis"
    VACCINNET = "vaccinnet"

    @property
    def id_kind(self) -> IdKind:
        return IdKind.INSZ if self is Receiver.VACCINNET else IdKind.BSN

    @property
    def label(self) -> str:
        return "Vaccinnet (Vlaanderen)" if self is Receiver.VACCINNET else "Praeventis (RIVM)"

    @classmethod
    def of(cls, value: str | None) -> "Receiver":
        """Return the receiver of a stored or configured value (Praeventis when empty or unknown)."""
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            return cls.PRAEVENTIS


def kind_of_number(number: str) -> IdKind:
    """Return the kind of a stored number by its length (11 digits: INSZ; otherwise BSN)."""
    return IdKind.INSZ if len(number.strip()) == insz_rules.LENGTH else IdKind.BSN


def ungroup(kind: IdKind, text: str) -> str:
    """Return the digits of a number written in groups (1234.56.782, 05.03.12-123.45); other text unchanged."""
    return insz_rules.ungroup_insz(text) if kind is IdKind.INSZ else bsn_rules.ungroup_bsn(text)


def invalid_reason(kind: IdKind, text: str, birth_date: date | None = None) -> str | None:
    """Return why `text` is not a number of this kind (in Dutch), or None when it is one."""
    if kind is IdKind.INSZ:
        return insz_rules.invalid_reason(text, birth_date)
    return bsn_rules.invalid_reason(text)


def normalise(kind: IdKind, text: str, birth_date: date | None = None) -> str:
    """Return the stored form (9-digit BSN, 11-digit INSZ) or raise InvalidBsn with the Dutch reason."""
    reason = invalid_reason(kind, text, birth_date)
    if reason is not None:
        raise (insz_rules.InvalidInsz if kind is IdKind.INSZ else InvalidBsn)(reason)
    return insz_rules.ungroup_insz(text) if kind is IdKind.INSZ else text.strip().zfill(9)


def format_number(number: str) -> str:
    """Return a stored number grouped for reading: a BSN as 1234.56.782, an INSZ as YY.MM.DD-SSS.CC."""
    digits = number.strip()
    if len(digits) == insz_rules.LENGTH and digits.isdigit():
        return insz_rules.format_insz(digits)
    if len(digits) == 9 and digits.isdigit():
        return bsn_rules.format_bsn(digits)
    return digits


def labelled(number: str) -> str:
    """Return 'BSN 1234.56.782' or 'INSZ 05.03.12-123.45' for a stored number."""
    return f"{kind_of_number(number).label} {format_number(number)}"


def redact_numbers(text: str) -> str:
    """Mask every valid BSN and INSZ in a text (the log file), in any of their forms, except the last three digits."""
    return bsn_rules.redact_bsns(insz_rules.redact_insz(text))
