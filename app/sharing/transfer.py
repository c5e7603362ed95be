"""Carry one session between the host's encrypted store and the shared server's database, rows and ids alike.

Out: the session with its vaccines, children, registrations, messages and lot periods, plus the lot list and the
team's pack codes, into the (empty, migrated) shared database; each id sequence there starts above the highest
id the host's store holds, so whatever the stations add keeps its id when it comes back. Back: the shared
database is the truth for the session: its rows replace the host's copy (new ones added, changed ones updated,
ones the stations removed removed) and the audit entries the stations wrote are appended to the host's log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.store.engine import Database
from app.store.models import (
    AuditRow,
    Base,
    ChildRow,
    LotListMetaRow,
    LotPeriodRow,
    LotRow,
    OutboxRow,
    PackGtinRow,
    RegistrationConflictRow,
    RegistrationRow,
    SessionRow,
    SessionVaccineRow,
)

log = logging.getLogger(__name__)

# Rows of the session itself (the shared database is their truth while it is shared), parents first.
SESSION_TABLES: tuple[type[Base], ...] = (SessionRow, SessionVaccineRow, ChildRow, OutboxRow, RegistrationRow,
                                          RegistrationConflictRow, LotPeriodRow)
# Reference data every station needs (lots to choose, pack codes to recognise); copied out, merged back.
SHARED_TABLES: tuple[type[Base], ...] = (LotRow, LotListMetaRow, PackGtinRow)


@dataclass
class Carried:
    """How many rows went each way, per table; the audit entries appended on the way back."""

    rows: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0

    def total(self) -> int:
        return sum(self.rows.values())


def _session_filter(table: Table, session_id: int):
    return table.c.id == session_id if table.name == SessionRow.__tablename__ else table.c.session_id == session_id


def _rows(connection: Connection, model: type[Base], session_id: int | None) -> list[dict]:
    table = model.__table__
    query = select(table)
    if session_id is not None:
        query = query.where(_session_filter(table, session_id))
    return [dict(row._mapping) for row in connection.execute(query.order_by(*table.primary_key.columns))]


def copy_out(source: Database, target: Database, session_id: int) -> Carried:
    """Copy the session and the reference data from the host's store into the empty shared database."""
    carried = Carried()
    with source.engine.connect() as reading, target.engine.begin() as writing:
        for model in SESSION_TABLES + SHARED_TABLES:
            rows = _rows(reading, model, session_id if model in SESSION_TABLES else None)
            if rows:
                writing.execute(insert(model.__table__), rows)
            carried.rows[model.__tablename__] = len(rows)
        for model in Base.metadata.sorted_tables:
            _start_ids_above(reading, writing, model)
    log.info("copied session %s to the shared database: %s rows", session_id, carried.total())
    return carried


def _start_ids_above(reading: Connection, writing: Connection, table: Table) -> None:
    """Let the shared database hand out ids above any the host's store (or the copy) already uses."""
    columns = list(table.primary_key.columns)
    if len(columns) != 1 or not columns[0].autoincrement or columns[0].type.python_type is not int:
        return
    column = columns[0]
    sequence = writing.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                               {"table": table.name, "column": column.name}).scalar()
    if sequence is None:
        return
    highest = max(reading.execute(select(func.max(column))).scalar() or 0,
                  writing.execute(select(func.max(table.c[column.name]))).scalar() or 0)
    writing.execute(text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": highest + 1})


def bring_back(shared: Database, home: Session, session_id: int, audit_after: int = 0) -> Carried:
    """Replace the host's copy of the session by the shared database's, and append the stations' audit entries.

    `home` is a session on the host's store in a write transaction; the caller commits.
    `audit_after`: the highest audit id the shared database had when the session was copied out (none of its
    own then): only entries above it are appended.
    """
    carried = Carried()
    with shared.engine.connect() as reading:
        writing = home.connection()
        fresh = {model: _rows(reading, model, session_id if model in SESSION_TABLES else None)
                 for model in SESSION_TABLES + SHARED_TABLES}
        # Children last, parents first: remove what the stations removed, then upsert what they kept or added.
        for model in reversed(SESSION_TABLES):
            table = model.__table__
            keep = [row["id"] for row in fresh[model]]
            writing.execute(delete(table).where(_session_filter(table, session_id), table.c.id.not_in(keep)))
        for model in SESSION_TABLES + SHARED_TABLES:
            carried.rows[model.__tablename__] = _upsert(writing, model.__table__, fresh[model])
        entries = [dict(row._mapping) for row in reading.execute(
            select(AuditRow.__table__).where(AuditRow.id > audit_after).order_by(AuditRow.id))]
        for entry in entries:
            entry.pop("id")
        if entries:
            writing.execute(insert(AuditRow.__table__), entries)
        carried.audit_entries = len(entries)
    log.info("brought session %s back from the shared database: %s rows, %s audit entries", session_id,
             carried.total(), carried.audit_entries)
    return carried


def _upsert(connection: Connection, table: Table, rows: list[dict]) -> int:
    """Insert rows or update them in place by primary key; return how many."""
    keys = [column.name for column in table.primary_key.columns]
    for row in rows:
        match = [table.c[key] == row[key] for key in keys]
        exists = connection.execute(select(*(table.c[key] for key in keys)).where(*match)).first()
        if exists:
            connection.execute(table.update().where(*match).values(
                {name: value for name, value in row.items() if name not in keys}))
        else:
            connection.execute(insert(table).values(row))
    return len(rows)


def highest_audit_id(database: Database) -> int:
    """Return the newest audit entry's id (0 when there is none)."""
    with database.engine.connect() as connection:
        return connection.execute(select(func.max(AuditRow.id))).scalar() or 0


def remove_session(shared: Database, session_id: int) -> None:
    """Delete the session's rows and the reference data from a shared database that stays (a team's own server)."""
    with shared.engine.begin() as writing:
        for model in reversed(SESSION_TABLES):
            table = model.__table__
            writing.execute(delete(table).where(_session_filter(table, session_id)))
        for model in reversed(SHARED_TABLES):
            writing.execute(delete(model.__table__))
    log.info("removed session %s from the shared database", session_id)


def holds_session(shared: Database) -> bool:
    """Return True when the shared database holds a session already."""
    with shared.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(SessionRow.__table__)).scalar() > 0
