"""What a database target is before anything opens it: the one classifier the window and the commands share.

A target is a file path (SQLite, SQLCipher when a key file lies beside it) or a PostgreSQL URL (a shared
session's store on a host). The status says whether it is new, plain (an older version's unencrypted file),
encrypted (with who can log in and whether it is the demo), shared, or something Prikpost must not open.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.store.engine import is_database_url
from app.store.integrity import FileCheck, FileKind, classify
from app.store.keys import KeyFile

log = logging.getLogger(__name__)

NEW, PLAIN, ENCRYPTED, SHARED, REFUSED = "new", "plain", "encrypted", "shared", "refused"


@dataclass(frozen=True)
class DatabaseStatus:
    """What is at a database target: the window picks first start, login or open; the commands refuse early."""

    target: Path | str
    kind: str  # NEW, PLAIN, ENCRYPTED, SHARED (a PostgreSQL URL) or REFUSED (see `file`)
    demo: bool = False
    logins: tuple[str, ...] = ()
    file: FileCheck = FileCheck(FileKind.MISSING)  # what the file itself holds (MISSING for a URL)

    @property
    def path(self) -> Path:
        """The database file (only for a file target)."""
        return Path(self.target)

    @property
    def shared(self) -> bool:
        return self.kind == SHARED

    @property
    def needs_first_user(self) -> bool:
        return self.kind == NEW

    @property
    def needs_login(self) -> bool:
        return self.kind == ENCRYPTED


def database_status(target: Path | str) -> DatabaseStatus:
    """Say what the target holds, reading only the file's header, schema and key file (OSError: unreadable).

    A file whose schema cannot be read counts as plain Prikpost: the integrity check that follows says it is
    damaged and offers a backup, instead of refusing it as foreign.
    """
    if is_database_url(target):
        return DatabaseStatus(str(target), SHARED)
    path = Path(target)
    try:
        found = classify(path)
    except sqlite3.Error as error:
        log.warning("%s: schema unreadable (%s)", path, error)
        found = FileCheck(FileKind.PRIKPOST, f"schema unreadable: {error}")
    if found.kind is FileKind.KEYED:
        keyfile = KeyFile.load(path)
        return DatabaseStatus(path, ENCRYPTED, keyfile.demo, tuple(keyfile.logins()), found)
    if found.kind in (FileKind.MISSING, FileKind.EMPTY):
        return DatabaseStatus(path, NEW, file=found)
    if found.kind is FileKind.PRIKPOST:
        return DatabaseStatus(path, PLAIN, file=found)
    return DatabaseStatus(path, REFUSED, file=found)  # a folder, another program's data, no header and no keys
