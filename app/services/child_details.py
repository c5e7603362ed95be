"""Complete a child's details (name, birth date, sex, postcode) before accord: unexpected children come from a scan
with only a BSN, and the message to Praeventis needs the name and birth date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.registration import IN_MESSAGE
from app.domain.roles import Action
from app.domain.text import clean_text
from app.store.models import ChildRow, RegistrationRow

from .base import ServiceContext
from .expected_list import parse_date, postcode_of, sex_of
from .permissions import needs

FIELDS = ("name", "birth_date", "sex", "postcode")


@dataclass(frozen=True)
class ChildDetails:
    name: str
    birth_date: date | None
    sex: str  # "M", "F" or ""
    postcode: str  # "1234 AB" or ""


def read_details(name: str, birth_date: str, sex: str, postcode: str, today: date) -> ChildDetails:
    """Check what the nurse typed; raise a Dutch DomainError naming what is wrong."""
    clean = clean_text(name, 200)
    if not clean:
        raise DomainError("Vul de naam van het kind in (voornaam en achternaam).")
    try:
        born = parse_date(birth_date)
    except (ValueError, OverflowError):
        born = None
    if born is None:
        raise DomainError(f"'{birth_date.strip()}' is geen geboortedatum; schrijf haar als dd-mm-jjjj.")
    if born > today:
        raise DomainError("De geboortedatum ligt in de toekomst.")
    code = postcode_of(postcode)
    if postcode.strip() and not code:
        raise DomainError(f"'{postcode.strip()}' is geen postcode; schrijf haar als 1234 AB.")
    return ChildDetails(clean, born, sex_of(sex), code)


@needs(Action.VIEW_CHILD)
def child_details(sc: ServiceContext, session_id: int, bsn: str) -> ChildDetails:
    """Return what is known of the child now, to start the form with; the look is audited (by child id, no BSN)."""
    with sc.uow() as uow:
        row = _child(uow, session_id, bsn)
        uow.audit("view_child", "child", row.id, after={"session_id": session_id})
        uow.commit()
        return ChildDetails(row.name, row.birth_date, row.sex, row.postcode)


@needs(Action.SCAN)
def complete_child(sc: ServiceContext, session_id: int, bsn: str, details: ChildDetails) -> None:
    """Store the child's details (audited); refused once a message with the old details is queued or sent."""
    with sc.uow() as uow:
        row = _child(uow, session_id, bsn)
        states = set(uow.session.scalars(select(RegistrationRow.state).where(RegistrationRow.child_id == row.id)))
        if states & {state.value for state in IN_MESSAGE}:
            raise DomainError("Dit kind is al geaccordeerd: de gegevens gaan mee in het bericht. Corrigeer het kind "
                              "(Ctrl+K) om de gegevens te wijzigen.")
        before = {f: getattr(row, f) for f in FIELDS}
        row.name, row.birth_date, row.sex, row.postcode = details.name, details.birth_date, details.sex, \
            details.postcode
        uow.audit("complete_child", "child", row.id, before=before, after={f: getattr(row, f) for f in FIELDS})
        uow.commit()


def _child(uow, session_id: int, bsn: str) -> ChildRow:
    row = uow.session.scalars(select(ChildRow).where(ChildRow.session_id == session_id,
                                                     ChildRow.bsn == bsn)).first()
    if row is None:
        raise DomainError("Dit kind hoort niet bij deze sessie.")
    return row
