"""Shared helpers for changing registrations with their audit entries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.registration import State, transition
from app.store.models import RegistrationRow
from app.store.unit_of_work import UnitOfWork

REGISTRATION_FIELDS = ("bsn", "vaccine_code", "lot_number", "lot_manual", "state", "objection_reason",
                       "removal_reason", "accorded_by", "outbox_id")


def snapshot(row: RegistrationRow) -> dict:
    """Return the audited fields of a registration."""
    return {name: getattr(row, name) for name in REGISTRATION_FIELDS}


def load(uow: UnitOfWork, session_id: int, registration_ids: Iterable[int]) -> list[RegistrationRow]:
    """Return the registrations of this session with these ids, or raise when one is missing."""
    ids = list(dict.fromkeys(registration_ids))
    if not ids:
        raise DomainError("Selecteer eerst een of meer kinderen.")
    rows = list(uow.session.scalars(
        select(RegistrationRow).where(RegistrationRow.session_id == session_id, RegistrationRow.id.in_(ids))
        .order_by(RegistrationRow.id)))
    if len(rows) != len(ids):
        raise DomainError("Een of meer registraties bestaan niet meer. Ververs de lijst en probeer het opnieuw.")
    return rows


def move(uow: UnitOfWork, row: RegistrationRow, target: State, action: str, **changes) -> None:
    """Move a registration to `target` (checked by the domain), apply changes, and audit it."""
    before = snapshot(row)
    row.state = transition(State(row.state), target).value
    for name, value in changes.items():
        setattr(row, name, value)
    uow.audit(action, "registration", row.id, before=before, after=snapshot(row))
