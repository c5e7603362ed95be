"""The append-only audit log, written in the same transaction as the change it records."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditRow


def _default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _dump(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, default=_default, ensure_ascii=False, sort_keys=True)


def record(session: Session, *, at: datetime, user: str, action: str, entity: str,
           entity_id: int | None, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> None:
    """Add an audit entry to the session's current transaction."""
    session.add(AuditRow(at=at, user=user, action=action, entity=entity, entity_id=entity_id,
                         before=_dump(before), after=_dump(after)))


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Return the named attributes of a row as a plain dict for the audit log."""
    return {name: getattr(row, name) for name in fields}
