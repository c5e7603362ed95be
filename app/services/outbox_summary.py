"""The outbox at a glance for the status bar: counts per state and the last successful send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.domain.outbox_states import OutboxState
from app.store.models import OutboxRow

from .base import ServiceContext


@dataclass(frozen=True)
class OutboxSummary:
    queued: int  # not yet confirmed and nothing to do: waiting, being sent, or to be retried by itself
    sent: int
    failed: int  # the nurse or administrator must act: refused by the receiver or given up (needs_action + given_up)
    needs_action: int
    last_success: datetime | None
    last_attempt_ok: bool | None  # None when nothing was tried yet
    retrying: int = 0  # of `queued`: a send attempt failed and the message is tried again by itself
    given_up: int = 0
    next_attempt: datetime | None = None  # the first scheduled retry

    @property
    def online(self) -> str:
        return {None: "nog niet verbonden", True: "online", False: "offline"}[self.last_attempt_ok]

    def short_text(self) -> str:
        """Return the counts and the connection, short enough for the status bar at 1366 px (details: text())."""
        retrying = f" ({self.retrying} opnieuw)" if self.retrying else ""
        return (f"Wachtrij {self.queued}{retrying} · Verzonden {self.sent} · Mislukt {self.failed}"
                f" · {self.online}")

    def text(self) -> str:
        """Return the whole Dutch summary, for the tooltip."""
        last = self.last_success.strftime("%d-%m-%Y %H:%M") if self.last_success else "nog nooit"
        lines = [f"Wachtrij: {self.queued} (wachten op verzending)"]
        if self.retrying:
            when = f"; volgende poging {self.next_attempt:%d-%m-%Y %H:%M}" if self.next_attempt else ""
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
        last_attempt_ok=None if last is None else last.last_error is None,
        retrying=retrying,
        given_up=given_up,
        next_attempt=next_attempt)
