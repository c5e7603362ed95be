"""A unit of work: one transaction, committed whole or not at all, with its audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from . import audit
from .engine import Database


class UnitOfWork:
    """Use as `with UnitOfWork(db, user, now) as uow:`; commit is explicit, rollback automatic."""

    def __init__(self, db: Database, user: str, now: datetime, write: bool = True):
        self._db = db
        self._write = write
        self.user = user
        self.now = now
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = self._db.writer() if self._write else self._db.reader()
        self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # An uncommitted write is discarded; a read just closes so loaded rows stay readable.
        if exc_type is not None or (self._write and self.session.in_transaction()):
            self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def audit(self, action: str, entity: str, entity_id: int | None,
              before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Record an audit entry in this transaction."""
        audit.record(self.session, at=self.now, user=self.user, action=action, entity=entity,
                     entity_id=entity_id, before=before, after=after)
