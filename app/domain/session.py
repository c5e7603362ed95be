"""A vaccination session: the day, the organisation, the place and the vaccines with their lots."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .errors import DomainError, SessionNotReady

URA_ROOT = "2.16.528.1.1007.3.3"
AGB_ROOT = "2.16.840.1.113883.2.4.6.1"


class Mode(enum.Enum):
    BEFORE = "vooraf"
    AFTER = "achteraf"


class OrgIdKind(enum.Enum):
    URA = "URA"
    AGB = "AGB"

    @property
    def root(self) -> str:
        return URA_ROOT if self is OrgIdKind.URA else AGB_ROOT


@dataclass(frozen=True)
class Organisation:
    name: str
    id_kind: OrgIdKind
    id_value: str

    def validate(self) -> None:
        """Raise a DomainError when the organisation is incomplete."""
        if not self.name.strip():
            raise DomainError("Vul de naam van de JGZ-organisatie in.")
        if not self.id_value.strip().isdigit():
            raise DomainError(f"Het {self.id_kind.value}-nummer van de organisatie bestaat alleen uit cijfers.")
        expected = 8
        if len(self.id_value.strip()) != expected:
            raise DomainError(f"Een {self.id_kind.value}-nummer heeft {expected} cijfers.")


@dataclass(frozen=True)
class SessionVaccine:
    vaccine_code: str
    lot_number: str
    lot_manual: bool = False


@dataclass(frozen=True)
class SessionSetup:
    day: date
    organisation: Organisation
    location: str
    activity_code: str
    mode: Mode
    vaccines: tuple[SessionVaccine, ...]

    def validate(self) -> None:
        """Raise a DomainError naming the first thing missing from the setup."""
        self.organisation.validate()
        if not self.location.strip():
            raise DomainError("Vul de school of locatie in.")
        if not self.activity_code.strip():
            raise DomainError("Kies de soort activiteit.")
        if not self.vaccines:
            raise SessionNotReady("Kies minstens één vaccin met een partijnummer.")
        codes = [v.vaccine_code for v in self.vaccines]
        if len(set(codes)) != len(codes):
            raise DomainError("Elk vaccin mag maar één keer in de sessie staan.")
        for vaccine in self.vaccines:
            if not vaccine.lot_number.strip():
                raise SessionNotReady("Kies voor elk vaccin een partijnummer.")
