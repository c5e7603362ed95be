"""Move a queued message between states: checked against the one table (domain.outbox_states) and audited."""

from __future__ import annotations

from app.domain.outbox_states import OutboxState, require_move
from app.store.models import OutboxRow
from app.store.unit_of_work import UnitOfWork


def move_message(uow: UnitOfWork, row: OutboxRow, target: OutboxState, action: str, audit: dict | None = None,
                 **changes) -> None:
    """Move an outbox row to `target`, apply changes, and audit it with the message id (and `audit` extras)."""
    before = row.state
    require_move(OutboxState(before), target)
    row.state = target.value
    for name, value in changes.items():
        setattr(row, name, value)
    uow.audit(action, "outbox", row.id, before={"state": before},
              after={"state": target.value, "message_id": row.message_id, **(audit or {})})
