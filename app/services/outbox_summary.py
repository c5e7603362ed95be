"""The outbox at a glance for the status bar: counts per state, the last successful send, and whether the
receiver was reachable the last time anything (a send, a status query, a lot list fetch) contacted it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.domain.outbox_states import OutboxState
from app.domain.wording import dutch_datetime
from app.store.models import OutboxRow, PreferenceRow

from .base import ServiceContext

CONTACT_KEY = "receiver:last_contact"  # "<ISO time>|1" (reached) or "|0" (not reached)


def record_contact(sc: ServiceContext, reached: bool) -> None:
    """Remember that a status query or lot list fetch did (or did not) reach the receiver just now.

    Sends leave their own trace in the outbox; the status bar takes whichever contact is the latest."""
    with sc.uow() as uow:
        uow.session.merge(PreferenceRow(key=CONTACT_KEY, value=f"{sc.now().isoformat()}|{int(reached)}"))
        uow.commit()


def _recorded_contact(session) -> tuple[datetime, bool] | None:
    row = session.get(PreferenceRow, CONTACT_KEY)
    if row is None:
        return None
    when, _, reached = row.value.partition("|")
    try:
        return datetime.fromisoformat(when).replace(tzinfo=None), reached == "1"
    except ValueError:
        return None


@dataclass(frozen=True)
class OutboxSummary:
    queued: int  # not yet confirmed and nothing to do: waiting, being sent, or to be retried by itself
    sent: int
    failed: int  # the nurse or administrator must act: refused by the receiver or given up (needs_action + given_up)
    needs_action: int
    last_success: datetime | None
    last_attempt_ok: bool | None  # the latest contact (send, status query, lot fetch) got through; None: none yet
    retrying: int = 0  # of `queued`: a send attempt failed and the message is tried again by itself
    given_up: int = 0
    next_attempt: datetime | None = None  # the first scheduled retry

    @property
    def online(self) -> str:
        return {None: "nog niet verbonden", True: "online", False: "offline"}[self.last_attempt_ok]

    def text(self) -> str:
        """Return the whole Dutch summary, for the tooltip."""
        last = dutch_datetime(self.last_success) if self.last_success else "nog nooit"
        lines = [f"Wachtrij: {self.queued} (wachten op verzending)"]
        if self.retrying:
            when = f"; volgende poging {dutch_datetime(self.next_attempt)}" if self.next_attempt else ""
            lines.append(f"  waarvan {self.retrying} na een mislukte poging, wordt vanzelf opnieuw geprobeerd{when}")
        lines += [f"Verzonden en bevestigd: {self.sent}",
                  f"Mislukt: {self.failed} (actie nodig {self.needs_action}: geweigerd door de ontvanger;"
                  f" opgegeven {self.given_up}: beheerder gewaarschuwd)",
                  f"Laatst verzonden: {last} · {self.online}"]
        return "\n".join(lines)


def outbox_summary(sc: ServiceContext) -> OutboxSummary:
    """Count messages per state and tell when the last one was acknowledged."""
    with sc.uow(write=False) as uow:
        counts = dict(uow.session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state)).all())
        last_success = uow.session.scalar(select(func.max(OutboxRow.acknowledged_at)))
        next_attempt = uow.session.scalar(select(func.min(OutboxRow.next_attempt_at))
                                          .where(OutboxRow.state == OutboxState.FAILED.value))
        last = uow.session.execute(
            select(OutboxRow.last_attempt_at, OutboxRow.last_error).where(OutboxRow.last_attempt_at.is_not(None))
            .order_by(OutboxRow.last_attempt_at.desc()).limit(1)).first()
        contact = _recorded_contact(uow.session)
    attempt = None if last is None else (last.last_attempt_at.replace(tzinfo=None), last.last_error is None)
    # The latest contact tells; at the same moment the recorded one wins, as it is written after the operation.
    latest = max((c for c in (contact, attempt) if c is not None), key=lambda c: c[0], default=None)
    retrying = counts.get(OutboxState.FAILED.value, 0)
    needs_action = counts.get(OutboxState.NEEDS_ACTION.value, 0)
    given_up = counts.get(OutboxState.GIVEN_UP.value, 0)
    return OutboxSummary(
        # Submitted to Vaccinnet but not yet processed, or to be retried by itself: still in the queue as far
        # as the user is concerned. Only what needs someone to act counts as failed.
        queued=sum(counts.get(state.value, 0) for state in (OutboxState.PENDING, OutboxState.SENDING,
                                                            OutboxState.SUBMITTED, OutboxState.FAILED)),
        sent=counts.get(OutboxState.ACKNOWLEDGED.value, 0),
        failed=needs_action + given_up,
        needs_action=needs_action,
        last_success=last_success,
        last_attempt_ok=None if latest is None else latest[1],
        retrying=retrying,
        given_up=given_up,
        next_attempt=next_attempt)
