"""A cheap marker that changes whenever anything in the database changed, in this process or another."""

from __future__ import annotations

from sqlalchemy import func, select

from app.store.models import AuditRow

from .base import ServiceContext


def change_marker(sc: ServiceContext) -> int:
    """Return the newest audit entry's id: every change is audited in its own transaction and the log is
    append-only, so a different number means another window, command or process changed something."""
    with sc.uow(write=False) as uow:
        return uow.session.scalar(select(func.max(AuditRow.id))) or 0
