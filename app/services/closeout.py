"""Close out a session (Sessie › Sessie afsluiten): a checklist to resolve or consciously waive, then final.

After close-out only the correction use case (R7: withdraw, fix, accord again) changes the session, audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.outbox_states import OutboxState
from app.domain.registration import State
from app.domain.roles import Action
from app.domain.wording import count_noun
from app.store.models import ChildRow, OutboxRow, RegistrationRow, SessionRow

from .base import ServiceContext
from .permissions import needs
from .registrations import snapshot
from .session_lots import doses_per_lot

FINAL = "final"  # sessions.status after close-out ("open", "closed": can be reopened, "final": only corrections)
ABSENT_REASON = "Afwezig"
NOT_ACCORDED = frozenset({State.SCANNED.value, State.OBJECTION.value, State.WITHDRAWN.value})


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    open_count: int  # 0: resolved
    details: tuple[str, ...] = ()
    informative: bool = False  # shown for the record, nothing to resolve (doses per lot)

    @property
    def resolved(self) -> bool:
        return self.informative or self.open_count == 0


def checklist(sc: ServiceContext, session_id: int) -> list[ChecklistItem]:
    """Return what must be resolved or waived before the session is closed out."""
    with sc.uow(write=False) as uow:
        if uow.session.get(SessionRow, session_id) is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        regs = list(uow.session.scalars(select(RegistrationRow).where(RegistrationRow.session_id == session_id)))
        waiting = sorted({(r.child.name or r.bsn) for r in regs if r.state in NOT_ACCORDED})
        with_outcome = {r.child_id for r in regs}
        missing = sorted(c.name or c.bsn for c in uow.session.scalars(
            select(ChildRow).where(ChildRow.session_id == session_id, ChildRow.expected.is_(True)))
            if c.id not in with_outcome)
        unacknowledged = list(uow.session.scalars(select(OutboxRow).where(
            OutboxRow.session_id == session_id, OutboxRow.state != OutboxState.ACKNOWLEDGED.value)))
    uses = doses_per_lot(sc, session_id)
    return [
        ChecklistItem("not_accorded", f"Gescand maar niet geaccordeerd: {count_noun(len(waiting), 'kind', 'kinderen')}",
                      len(waiting), tuple(waiting)),
        ChecklistItem("no_outcome", f"Verwacht zonder uitkomst: {count_noun(len(missing), 'kind', 'kinderen')} "
                                    "(in één stap als 'afwezig' te markeren)", len(missing), tuple(missing)),
        ChecklistItem("unacknowledged", "Berichten nog niet bevestigd door de ontvanger: "
                                        f"{len(unacknowledged)}", len(unacknowledged)),
        ChecklistItem("doses", "Doses per partij", 0,
                      tuple(f"{u.vaccine_name} partij {u.label}: {count_noun(u.doses, 'dosis', 'doses')}, "
                            f"in gebruik {u.times() or '-'}" for u in uses), informative=True),
    ]


@needs(Action.REMOVE)
def mark_absent(sc: ServiceContext, session_id: int, reason: str = ABSENT_REASON) -> int:
    """Register every expected child without an outcome as not vaccinated ('afwezig'); return how many children."""
    with sc.uow() as uow:
        session_row = _open_session(uow, session_id)
        with_outcome = set(uow.session.scalars(select(RegistrationRow.child_id)
                                               .where(RegistrationRow.session_id == session_id)))
        children = [c for c in uow.session.scalars(select(ChildRow).where(
            ChildRow.session_id == session_id, ChildRow.expected.is_(True))) if c.id not in with_outcome]
        for child in children:
            for vaccine in session_row.vaccines:
                row = RegistrationRow(session_id=session_id, child_id=child.id, bsn=child.bsn,
                                      vaccine_code=vaccine.vaccine_code, lot_number="", lot_manual=False,
                                      state=State.REMOVED.value, removal_reason=reason, source="closeout",
                                      scanned_at=uow.now, scanned_by=uow.user)
                uow.session.add(row)
                uow.session.flush()
                uow.audit("mark_absent", "registration", row.id, after=snapshot(row))
        uow.commit()
        return len(children)


@needs(Action.MANAGE_SESSION)
def close_out(sc: ServiceContext, session_id: int, waived: Iterable[str] = ()) -> list[ChecklistItem]:
    """Close the session for good when every checklist item is resolved or waived (audited); back it up."""
    with sc.uow(write=False) as uow:
        found = uow.session.get(SessionRow, session_id)
        if found is not None and found.status == FINAL:
            raise DomainError("Deze sessie is al afgesloten.")
    waived = set(waived)
    items = checklist(sc, session_id)
    open_items = [item for item in items if not item.resolved and item.key not in waived]
    if open_items:
        raise DomainError("Sessie niet afgesloten. Los eerst op of sla bewust over: "
                          + "; ".join(item.title for item in open_items) + ".")
    with sc.uow() as uow:
        row = uow.session.get(SessionRow, session_id)
        if row.status == FINAL:
            raise DomainError("Deze sessie is al afgesloten.")
        before = row.status
        row.status, row.closed_at = FINAL, uow.now
        uow.audit("close_out_session", "session", session_id, before={"status": before},
                  after={"status": FINAL, "waived": {item.title: item.open_count for item in items
                                                     if item.key in waived and not item.resolved}})
        uow.commit()
    from .backups import backup_after_close

    backup_after_close(sc)
    return items


def _open_session(uow, session_id: int) -> SessionRow:
    row = uow.session.get(SessionRow, session_id)
    if row is None:
        raise DomainError(f"Sessie {session_id} bestaat niet.")
    require_not_final(row)
    return row


def require_not_final(row: SessionRow | None) -> None:
    """Raise a Dutch DomainError when the session is closed out: only a correction may change it then."""
    if row is not None and row.status == FINAL:
        raise DomainError("Deze sessie is afgesloten. Alleen corrigeren (Kind › Corrigeren vóór verzending) kan "
                          "nog; dat wordt vastgelegd.")
