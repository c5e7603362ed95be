"""Take a child out (not vaccinated), register an objection, or put a registration back."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.registration import NO_CARD, ObjectionReason, State, require_reason, transition
from app.domain.roles import Action
from app.store.models import ChildRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .closeout import require_not_final
from .permissions import needs
from .registrations import load, move, snapshot
from .sessions import require_ready


@needs(Action.REMOVE)
def remove(sc: ServiceContext, session_id: int, registration_ids: Iterable[int], reason: str) -> int:
    """Mark registrations as not vaccinated with a reason; return how many changed."""
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


@needs(Action.OBJECTION)
def register_objection(sc: ServiceContext, session_id: int, registration_ids: Iterable[int],
                       reason: ObjectionReason) -> int:
    """Register an objection (medical or declined participation); it is sent without a lot."""
    with sc.uow() as uow:
        require_not_final(uow.session.get(SessionRow, session_id))
        rows = load(uow, session_id, registration_ids)
        for row in rows:
            move(uow, row, State.OBJECTION, "objection", objection_reason=reason.value, removal_reason=None)
        uow.commit()
        return len(rows)


def _per_vaccine(uow, session_id: int, bsns: Iterable[str], vaccine_codes: Iterable[str] | None,
                 target: State, action: str, changes: dict) -> int:
    """Apply `target` to the chosen vaccines of these children, registering a vaccine never scanned directly.

    A registration made here has source NO_CARD and no lot: the child is not marked as scanned by it."""
    session_row = require_ready(uow.session.get(SessionRow, session_id))
    offered = [v.vaccine_code for v in session_row.vaccines]
    codes = offered if vaccine_codes is None else [c for c in offered if c in set(vaccine_codes)]
    if not codes:
        raise DomainError("Kies ten minste één vaccin.")
    wanted = list(dict.fromkeys(bsns))
    if not wanted:
        raise DomainError("Selecteer eerst een of meer kinderen.")
    children = {c.bsn: c for c in uow.session.scalars(
        select(ChildRow).where(ChildRow.session_id == session_id, ChildRow.bsn.in_(wanted)))}
    if len(children) != len(wanted):
        raise DomainError("Een of meer kinderen staan niet (meer) in deze sessie. Ververs de lijst en probeer het "
                          "opnieuw.")
    existing = {(r.bsn, r.vaccine_code): r for r in uow.session.scalars(
        select(RegistrationRow).where(RegistrationRow.session_id == session_id, RegistrationRow.bsn.in_(wanted)))}
    changed = 0
    for bsn in wanted:
        for code in codes:
            row = existing.get((bsn, code))
            if row is not None:
                move(uow, row, target, action, **changes)
            else:
                row = RegistrationRow(session_id=session_id, child_id=children[bsn].id, bsn=bsn, vaccine_code=code,
                                      lot_number="", lot_manual=False, state=target.value, source=NO_CARD,
                                      scanned_at=uow.now, scanned_by=uow.user, **changes)
                uow.session.add(row)
                uow.session.flush()
                uow.audit(f"{action}_{NO_CARD}", "registration", row.id, after=snapshot(row))
            changed += 1
    return changed


@needs(Action.REMOVE)
def remove_children(sc: ServiceContext, session_id: int, bsns: Iterable[str], reason: str,
                    vaccine_codes: Iterable[str] | None = None) -> int:
    """Mark these children as not vaccinated for the chosen vaccines (all by default), scanned or not."""
    text = require_reason(reason)
    with sc.uow() as uow:
        count = _per_vaccine(uow, session_id, bsns, vaccine_codes, State.REMOVED, "remove",
                             {"removal_reason": text, "objection_reason": None})
        uow.commit()
        return count


@needs(Action.OBJECTION)
def object_children(sc: ServiceContext, session_id: int, bsns: Iterable[str], reason: ObjectionReason,
                    vaccine_codes: Iterable[str] | None = None) -> int:
    """Register an objection of these children for the chosen vaccines (all by default), scanned or not."""
    with sc.uow() as uow:
        count = _per_vaccine(uow, session_id, bsns, vaccine_codes, State.OBJECTION, "objection",
                             {"objection_reason": reason.value, "removal_reason": None})
        uow.commit()
        return count


@needs(Action.REMOVE)
def restore(sc: ServiceContext, session_id: int, registration_ids: Iterable[int]) -> int:
    """Put removed or objected registrations back to scanned; undoing an objection is the professional's.

    A registration made without a scan goes back to 'nog niet gescand' (it is deleted), unless the child's card
    was scanned for another vaccine: then it becomes scanned with the session's lot, as a scan would have made it.
    """
    with sc.uow() as uow:
        require_not_final(uow.session.get(SessionRow, session_id))
        rows = load(uow, session_id, registration_ids)
        if any(row.state == State.OBJECTION.value for row in rows):
            sc.require(Action.OBJECTION)
        lots = {v.vaccine_code: v for v in uow.session.get(SessionRow, session_id).vaccines}
        for row in rows:
            scan = None
            if row.source == NO_CARD:
                scan = uow.session.scalars(select(RegistrationRow).where(
                    RegistrationRow.child_id == row.child_id, RegistrationRow.source != NO_CARD).limit(1)).first()
            if row.source != NO_CARD:
                move(uow, row, State.SCANNED, "restore", removal_reason=None, objection_reason=None)
            elif scan is not None and row.vaccine_code in lots:
                lot = lots[row.vaccine_code]
                move(uow, row, State.SCANNED, "restore", removal_reason=None, objection_reason=None,
                     lot_number=lot.lot_number, lot_manual=lot.lot_manual, source=scan.source,
                     scanned_at=scan.scanned_at)
            else:
                transition(State(row.state), State.SCANNED)  # refuses what is accorded or sent
                uow.audit(f"restore_{NO_CARD}", "registration", row.id, before=snapshot(row))
                uow.session.delete(row)
        uow.commit()
        return len(rows)
