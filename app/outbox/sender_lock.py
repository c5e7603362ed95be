"""One sender per database at a time, so recovering "sending" rows can never touch another sender's work."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from app.domain.errors import DomainError

log = logging.getLogger(__name__)


BUSY = ("Er wordt al verzonden vanuit deze database (door een ander Prikpost-venster of 'prikpost sync'). Wacht "
        "tot dat klaar is en probeer het opnieuw.")


class SenderBusy(DomainError):
    """Another Prikpost process is already sending from this database."""


class SenderLock:
    """An exclusive lock file next to the database; the operating system releases it when the process dies."""

    def __init__(self, db_path: Path):
        self.path = Path(str(db_path) + ".sender.lock")
        self._handle = None

    def __enter__(self) -> "SenderLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            _lock(handle)
        except OSError:
            handle.close()
            log.warning("sender lock %s is held by another process", self.path)
            raise SenderBusy(BUSY) from None
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


class SharedSenderLock:
    """The same rule on a shared PostgreSQL store: a session-level advisory lock, held on its own connection.

    The server releases it when the connection ends, also when the sending process dies."""

    KEY = 0x7072696C  # one number for "the sender" of this database

    def __init__(self, engine):
        self._engine = engine
        self._connection = None

    def __enter__(self) -> "SharedSenderLock":
        connection = self._engine.connect()
        held = connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({self.KEY})").scalar()
        connection.commit()
        if not held:
            connection.close()
            log.warning("sender lock of the shared database is held by another station")
            raise SenderBusy(BUSY)
        self._connection = connection
        return self

    def __exit__(self, *exc) -> None:
        if self._connection is not None:
            try:
                self._connection.exec_driver_sql(f"SELECT pg_advisory_unlock({self.KEY})")
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None


def sender_lock(db) -> SenderLock | SharedSenderLock:
    """Return the lock that keeps a database to one sender: a lock file beside a file, or PostgreSQL's advisory
    lock."""
    return SenderLock(db.path) if db.path is not None else SharedSenderLock(db.engine)


if os.name == "nt":  # pragma: no cover - exercised on Windows laptops only
    import msvcrt

    def _lock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
