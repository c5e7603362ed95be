"""Lot numbers (partijnummers) and the rules for choosing one."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import DomainError, LotNotSelectable
from .wording import dutch_date, dutch_datetime


@dataclass(frozen=True)
class Lot:
    lot_number: str
    vaccine_code: str
    expiry: date
    product: str = ""


@dataclass(frozen=True)
class LotList:
    """The receiver's list of valid lots with its validity window."""

    valid_from: datetime | None
    valid_until: datetime | None
    lots: tuple[Lot, ...] = field(default_factory=tuple)
    received_at: datetime | None = None

    def find(self, lot_number: str) -> list[Lot]:
        """Return all lots with this number (any vaccine)."""
        wanted = lot_number.strip().upper()
        return [lot for lot in self.lots if lot.lot_number.upper() == wanted]

    def selectable(self, vaccine_code: str, on: date) -> list[Lot]:
        """Return the lots of this vaccine not expired on the given date."""
        return sorted(
            (lot for lot in self.lots if lot.vaccine_code == vaccine_code and lot.expiry >= on),
            key=lambda lot: (lot.expiry, lot.lot_number),
        )

    def is_from(self, day: date) -> bool:
        """Return True when the list was received on that day."""
        return self.received_at is not None and self.received_at.date() == day


def refuse_unusable(lot_list: LotList, now: datetime) -> None:
    """Raise a Dutch DomainError when a new lot list must not replace the current one (no lots, or expired)."""
    kept = "De huidige partijlijst blijft in gebruik."
    if not lot_list.lots:
        raise DomainError(f"De nieuwe partijlijst bevat geen enkele partij. {kept}")
    until = lot_list.valid_until
    if until is not None and until.replace(tzinfo=None) < now.replace(tzinfo=None):
        raise DomainError(f"De nieuwe partijlijst was geldig tot {dutch_datetime(until)}; die periode is voorbij. "
                          f"{kept}")


class LotStatus(enum.Enum):
    VALID = "geldig"
    EXPIRED = "verlopen"
    WRONG_VACCINE = "ander vaccin"
    UNKNOWN = "onbekend"
    MANUAL = "overig (handmatig)"


@dataclass(frozen=True)
class LotCheck:
    status: LotStatus
    message: str
    lot: Lot | None = None

    @property
    def usable(self) -> bool:
        return self.status in (LotStatus.VALID, LotStatus.MANUAL)


def check_lot(lot_list: LotList, lot_number: str, vaccine_code: str, on: date, manual: bool = False,
              vaccine_name: Callable[[str], str] | None = None) -> LotCheck:
    """Tell whether a lot may be used for this vaccine on this date, with a Dutch message.

    vaccine_name: the catalogue's names, so a lot of another vaccine says which one it belongs to."""
    number = lot_number.strip()
    if not number:
        return LotCheck(LotStatus.UNKNOWN, "Geen partijnummer ingevuld.")
    matches = lot_list.find(number)
    # 'Overig' is for a lot the list does not know; a listed lot keeps the list's verdict (expired stays refused).
    if not matches and manual:
        return LotCheck(LotStatus.MANUAL, f"Partij {number} is handmatig ingevoerd onder 'overig'.")
    if not matches:
        return LotCheck(LotStatus.UNKNOWN, f"Partij {number} staat niet op de partijlijst. "
                                           "Kies een partij uit de lijst of gebruik 'overig'.")
    of_vaccine = [lot for lot in matches if lot.vaccine_code == vaccine_code]
    if not of_vaccine:
        if vaccine_name is None:
            return LotCheck(LotStatus.WRONG_VACCINE, f"Partij {number} hoort bij een ander vaccin.", matches[0])
        return LotCheck(LotStatus.WRONG_VACCINE, f"Partij {number} hoort bij {vaccine_name(matches[0].vaccine_code)}, "
                                                 f"niet bij {vaccine_name(vaccine_code)}.", matches[0])
    lot = max(of_vaccine, key=lambda item: item.expiry)
    if lot.expiry < on:
        return LotCheck(LotStatus.EXPIRED, f"Partij {number} is verlopen op {dutch_date(lot.expiry)}.", lot)
    return LotCheck(LotStatus.VALID, f"Partij {number} is geldig tot en met {dutch_date(lot.expiry)}.", lot)


def require_selectable(lot_list: LotList, lot_number: str, vaccine_code: str, on: date,
                       manual: bool = False) -> LotCheck:
    """Return the check when the lot is usable, else raise LotNotSelectable."""
    result = check_lot(lot_list, lot_number, vaccine_code, on, manual)
    if not result.usable:
        raise LotNotSelectable(result.message)
    return result
