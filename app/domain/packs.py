"""Vaccine packs: which vaccine a GTIN holds, and whether a scanned pack may set a session's lot."""

from __future__ import annotations

import csv
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .catalogue import Catalogue
from .errors import DomainError
from .lots import LotList, LotStatus, check_lot
from .wording import dutch_date


@dataclass(frozen=True)
class PackProduct:
    gtin: str
    vaccine_code: str
    product: str = ""


class GtinTable:
    """GTIN → vaccine: many GTINs per vaccine (pack sizes, makers); the shipped file plus the team's additions."""

    def __init__(self, products: Iterable[PackProduct] = ()):
        self._by_gtin = {p.gtin: p for p in products}

    @classmethod
    def from_file(cls, path: Path) -> "GtinTable":
        """Read the semicolon-separated `gtin;vaccine_code;product` file."""
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        return cls(PackProduct(r["gtin"].strip(), r["vaccine_code"].strip(), (r.get("product") or "").strip())
                   for r in rows if r.get("gtin", "").strip())

    def merged(self, extra: Iterable[PackProduct]) -> "GtinTable":
        """Return this table with `extra` added (an addition wins over the shipped row)."""
        return GtinTable([*self._by_gtin.values(), *extra])

    def find(self, gtin: str) -> PackProduct | None:
        return self._by_gtin.get(gtin)

    def of_vaccine(self, vaccine_code: str) -> list[PackProduct]:
        return [p for p in self._by_gtin.values() if p.vaccine_code == vaccine_code]

    def __len__(self) -> int:
        return len(self._by_gtin)


class PackVerdict(enum.Enum):
    OK = "ok"                       # sets the lot
    OVERIG = "overig"               # lot not on the list: sets it under 'overig' after a confirmation
    UNKNOWN_GTIN = "unknown_gtin"   # ask once which vaccine this GTIN holds
    REFUSED = "refused"             # expired, not a vaccine of this session, lot of another vaccine, incomplete


@dataclass(frozen=True)
class PackCheck:
    verdict: PackVerdict
    message: str
    gtin: str
    lot_number: str = ""
    expiry: date | None = None
    vaccine_code: str = ""
    vaccine_name: str = ""

    @property
    def refused(self) -> bool:
        return self.verdict is PackVerdict.REFUSED


def judge_pack(table: GtinTable, catalogue: Catalogue, lot_list: LotList, gtin: str, lot_number: str,
               expiry: date | None, session_day: date, session_vaccines: Iterable[str]) -> PackCheck:
    """Tell whether a scanned pack may set the current lot of one of the session's vaccines, in Dutch."""
    base = dict(gtin=gtin, lot_number=lot_number, expiry=expiry)
    if not lot_number or expiry is None:
        missing = " en ".join(n for n, absent in (("partijnummer (10)", not lot_number),
                                                  ("houdbaarheidsdatum (17)", expiry is None)) if absent)
        return PackCheck(PackVerdict.REFUSED, f"Deze verpakkingscode heeft geen {missing}. Kies de partij met de "
                                              "hand (Sessie › Partij wisselen).", **base)
    product = table.find(gtin)
    if product is None:
        return PackCheck(PackVerdict.UNKNOWN_GTIN, f"Verpakking met GTIN {gtin} is nog onbekend. Welk vaccin zit "
                                                   "erin?", **base)
    name = catalogue.vaccine_name(product.vaccine_code)
    base.update(vaccine_code=product.vaccine_code, vaccine_name=name)
    codes = list(session_vaccines)
    if product.vaccine_code not in codes:
        given = ", ".join(catalogue.vaccine_name(c) for c in codes) or "geen vaccin"
        return PackCheck(PackVerdict.REFUSED, f"VERKEERD VACCIN: dit is {name}; deze sessie geeft {given}. Gebruik "
                                              "deze verpakking niet.", **base)
    if expiry < session_day:
        return PackCheck(PackVerdict.REFUSED, f"VERLOPEN: {name} partij {lot_number} was houdbaar tot "
                                              f"{dutch_date(expiry)}. Gebruik deze verpakking niet.", **base)
    check = check_lot(lot_list, lot_number, product.vaccine_code, session_day)
    if check.status is LotStatus.VALID:
        return PackCheck(PackVerdict.OK, f"Nieuwe partij {name}: {lot_number}, houdbaar tot {dutch_date(expiry)}",
                         **base)
    if check.status is LotStatus.UNKNOWN:
        return PackCheck(PackVerdict.OVERIG, f"Partij {lot_number} ({name}) staat niet op de partijlijst. Toch "
                                             "gebruiken onder 'overig'?", **base)
    if check.status is LotStatus.WRONG_VACCINE:
        return PackCheck(PackVerdict.REFUSED, f"VERKEERD VACCIN: partij {lot_number} hoort volgens de partijlijst "
                                              f"bij een ander vaccin dan {name}. Gebruik deze verpakking niet.",
                         **base)
    return PackCheck(PackVerdict.REFUSED, f"VERLOPEN: {check.message} Gebruik deze verpakking niet.", **base)


def gtin_check_digit(first13: str) -> int:
    """Return the GS1 mod-10 check digit for the 13 digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(first13)))
    return (10 - total % 10) % 10


def gtin_valid(gtin: str) -> bool:
    """True for 14 ASCII digits whose last is the right check digit."""
    return len(gtin) == 14 and gtin.isascii() and gtin.isdigit() and gtin_check_digit(gtin[:13]) == int(gtin[13])


def require_gtin(gtin: str) -> str:
    """Return the GTIN when it is 14 digits with a right check digit, else raise a Dutch DomainError."""
    text = gtin.strip()
    if len(text) == 13 and text.isdigit():
        text = "0" + text  # a GTIN-13 (EAN) is a GTIN-14 with a leading zero
    if len(text) != 14 or not text.isascii() or not text.isdigit():
        raise DomainError(f"'{gtin}' is geen GTIN: een GTIN heeft 14 cijfers.")
    if not gtin_valid(text):
        raise DomainError(f"GTIN {text} klopt niet: het controlecijfer is fout.")
    return text
