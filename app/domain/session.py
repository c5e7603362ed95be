"""A vaccination session: the day, the organisation, the place and the vaccines with their lots."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .errors import DomainError, SessionNotReady
from .person_id import Receiver

URA_ROOT = "2.16.528.1.1007.3.3"
AGB_ROOT = "2.16.840.1.113883.2.4.6.1"


class Mode(enum.Enum):
    """Registered before vaccinating (scan, accord, then vaccinate) or after (vaccinate, collect cards, scan)."""

    BEFORE = "vooraf"
    AFTER = "achteraf"

    @property
    def label(self) -> str:
        """The Dutch word for the mode on screens and lists."""
        return MODE_LABELS[self]


MODE_LABELS = {Mode.BEFORE: "vooraf", Mode.AFTER: "achteraf"}


class OrgIdKind(enum.Enum):
    URA = "URA"
    AGB = "AGB"
    NIHII = "NIHII"  # RIZIV-nummer (Belgium): 8 digits, or 11 with the qualification
    KBO = "KBO"  # ondernemingsnummer (Belgium): 10 digits, mod 97

    @property
    def root(self) -> str:
        return URA_ROOT if self is OrgIdKind.URA else AGB_ROOT

    @property
    def label(self) -> str:
        return "RIZIV" if self is OrgIdKind.NIHII else self.value

    @property
    def receiver(self) -> Receiver:
        """Return the receiver an organisation with this kind of number sends to."""
        return Receiver.VACCINNET if self in (OrgIdKind.NIHII, OrgIdKind.KBO) else Receiver.PRAEVENTIS


def kbo_valid(digits: str) -> bool:
    """Return True for a Belgian enterprise number (KBO): 10 digits, starting with 0 or 1, mod-97 check."""
    return (len(digits) == 10 and digits.isdigit() and digits.isascii() and digits[0] in "01"
            and 97 - int(digits[:8]) % 97 == int(digits[8:]))


def org_id_problem(kind: OrgIdKind, value: str) -> str | None:
    """Return why the organisation number does not fit its kind (in Dutch), or None when it does."""
    digits = value.strip().replace(".", "").replace(" ", "") if kind is OrgIdKind.KBO else value.strip()
    if not digits.isdigit() or not digits.isascii():
        return f"Het {kind.label}-nummer van de organisatie bestaat alleen uit cijfers."
    if kind is OrgIdKind.KBO:
        return None if kbo_valid(digits) else ("Een KBO-nummer (ondernemingsnummer) heeft 10 cijfers, begint met 0 "
                                               "of 1 en heeft een kloppend controlegetal.")
    if kind is OrgIdKind.NIHII:
        return None if len(digits) in (8, 11) else "Een RIZIV-nummer (NIHII) heeft 8 of 11 cijfers."
    return None if len(digits) == 8 else f"Een {kind.value}-nummer heeft 8 cijfers."


@dataclass(frozen=True)
class Organisation:
    name: str
    id_kind: OrgIdKind
    id_value: str

    def validate(self) -> None:
        """Raise a DomainError when the organisation is incomplete."""
        if not self.name.strip():
            raise DomainError("Vul de naam van de JGZ-organisatie in.")
        problem = org_id_problem(self.id_kind, self.id_value)
        if problem is not None:
            raise DomainError(problem)

    @property
    def number(self) -> str:
        """Return the organisation's number as it is stored and sent (a KBO number without its dots)."""
        value = self.id_value.strip()
        return value.replace(".", "").replace(" ", "") if self.id_kind is OrgIdKind.KBO else value


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
    receiver: Receiver = Receiver.PRAEVENTIS

    def validate(self) -> None:
        """Raise a DomainError naming the first thing missing from the setup."""
        self.organisation.validate()
        if self.organisation.id_kind.receiver is not self.receiver:
            kinds = "RIZIV (NIHII) of KBO" if self.receiver is Receiver.VACCINNET else "URA of AGB"
            raise DomainError(f"Een sessie voor {self.receiver.label} noemt de organisatie met een {kinds}-nummer.")
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
