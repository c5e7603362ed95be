"""One sender per database at a time, so recovering "sending" rows can never touch another sender's work."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from app.domain.errors import DomainError

log = logging.getLogger(__name__)


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
            raise SenderBusy("Er wordt al verzonden vanuit deze database (door een ander Prikpost-venster of "
                             "'prikpost sync'). Wacht tot dat klaar is en probeer het opnieuw.") from None
        self._handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


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
