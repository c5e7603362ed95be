"""The facts of one message for one child: what a builder turns into HL7v3 or KMEHR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ChildFacts:
    bsn: str
    name: str
    birth_date: date | None
    sex: str  # "M", "F" or "" when unknown
    postcode: str


def missing_child_data(name: str, birth_date: date | None) -> list[str]:
    """Name (in Dutch) what a message to the registry needs of the child and lacks: its name, its birth date."""
    return [what for what, absent in (("naam", not name.split()), ("geboortedatum", birth_date is None)) if absent]


@dataclass(frozen=True)
class VaccinationFacts:
    vaccine_code: str
    day: date
    lot_number: str  # empty for an objection
    objection_reason: str | None = None  # "1" medical, "2" declined participation
    product_code: str = ""  # CNK code of the product, for Vaccinnet; empty when unknown


@dataclass(frozen=True)
class MessageFacts:
    message_id: str
    created_at: datetime
    session_id: int
    child: ChildFacts
    organisation_name: str
    organisation_id_kind: str  # "URA" or "AGB"
    organisation_id: str
    location: str
    activity_code: str
    day: date
    vaccinations: tuple[VaccinationFacts, ...]
    accorded_by: str
    is_demo: bool = False
    # The professional who accorded: full name, BIG number, UZI number and/or AGB code, UZI role code.
    accorded_by_name: str = ""
    accorded_by_big: str = ""
    accorded_by_agb: str = ""
    accorded_by_uzi: str = ""
    accorded_by_role: str = ""
