"""The outbox at a glance for the status bar: counts per state and the last successful send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.store.models import OutboxRow

from .base import ServiceContext


@dataclass(frozen=True)
class OutboxSummary:
    queued: int
    sent: int
    failed: int
    needs_action: int
    last_success: datetime | None
    last_attempt_ok: bool | None  # None when nothing was tried yet

    @property
    def online(self) -> str:
        return {None: "nog niet verbonden", True: "online", False: "offline"}[self.last_attempt_ok]

    def short_text(self) -> str:
        """Return the counts and the connection, short enough to leave room for a message next to it."""
        return (f"Wachtrij {self.queued} · Verzonden {self.sent} · Mislukt {self.failed}"
                f" · Actie nodig {self.needs_action} · {self.online}")

    def text(self) -> str:
        """Return the Dutch status-bar line."""
        last = self.last_success.strftime("%d-%m-%Y %H:%M") if self.last_success else "nog nooit"
        return (f"Wachtrij {self.queued} · Verzonden {self.sent} · Mislukt {self.failed}"
                f" · Actie nodig {self.needs_action} · Laatst verzonden: {last} · {self.online}")


def outbox_summary(sc: ServiceContext) -> OutboxSummary:
    """Count messages per state and tell when the last one was acknowledged."""
    with sc.uow(write=False) as uow:
        counts = dict(uow.session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state)).all())
        last_success = uow.session.scalar(select(func.max(OutboxRow.acknowledged_at)))
        last = uow.session.execute(
            select(OutboxRow.last_attempt_at, OutboxRow.last_error).where(OutboxRow.last_attempt_at.is_not(None))
            .order_by(OutboxRow.last_attempt_at.desc()).limit(1)).first()
    return OutboxSummary(
        # Submitted to Vaccinnet but not yet processed: still in the queue as far as the user is concerned.
        queued=counts.get("pending", 0) + counts.get("sending", 0) + counts.get("submitted", 0),
        sent=counts.get("acknowledged", 0),
        failed=counts.get("failed", 0) + counts.get("given_up", 0),
        needs_action=counts.get("needs_action", 0),
        last_success=last_success,
        last_attempt_ok=None if last is None else last.last_error is None)
