"""Take a child out (not vaccinated), register an objection, or put a registration back."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.registration import ObjectionReason, State, require_reason
from app.domain.roles import Action
from app.store.models import SessionRow

from .base import ServiceContext
from .closeout import require_not_final
from .registrations import load, move


def remove(sc: ServiceContext, session_id: int, registration_ids: Iterable[int], reason: str) -> int:
    """Mark registrations as not vaccinated with a reason; return how many changed."""
    sc.require(Action.REMOVE)
    with sc.uow() as uow:
        require_not_final(uow.session.get(SessionRow, session_id))  # a correction (R7) removes through remove_rows
        count = remove_rows(uow, session_id, registration_ids, reason)
        uow.commit()
        return count


def remove_rows(uow, session_id: int, registration_ids: Iterable[int], reason: str) -> int:
    """Move registrations to 'not vaccinated' inside the caller's unit of work; return how many."""
    text = require_reason(reason)
    rows = load(uow, session_id, registration_ids)
    for row in rows:
        move(uow, row, State.REMOVED, "remove", removal_reason=text, objection_reason=None)
    return len(rows)


def register_objection(sc: ServiceContext, session_id: int, registration_ids: Iterable[int],
                       reason: ObjectionReason) -> int:
    """Register an objection (medical or declined participation); it is sent without a lot."""
    sc.require(Action.OBJECTION)
    with sc.uow() as uow:
        require_not_final(uow.session.get(SessionRow, session_id))
        rows = load(uow, session_id, registration_ids)
        for row in rows:
            move(uow, row, State.OBJECTION, "objection", objection_reason=reason.value, removal_reason=None)
        uow.commit()
        return len(rows)


def restore(sc: ServiceContext, session_id: int, registration_ids: Iterable[int]) -> int:
    """Put removed or objected registrations back to scanned; undoing an objection is the professional's."""
    sc.require(Action.REMOVE)
    with sc.uow() as uow:
        require_not_final(uow.session.get(SessionRow, session_id))
        rows = load(uow, session_id, registration_ids)
        if any(row.state == State.OBJECTION.value for row in rows):
            sc.require(Action.OBJECTION)
        for row in rows:
            move(uow, row, State.SCANNED, "restore", removal_reason=None, objection_reason=None)
        uow.commit()
        return len(rows)
