"""Integrity checks on a database file, made on a raw connection before the app opens it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from .keys import key_path_for

SQLITE_HEADER = b"SQLite format 3\x00"


def read_header(path: Path) -> bytes:
    """Return the first bytes of a file as far as they tell whether it is a plain SQLite database."""
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def foreign_tables(path: Path) -> list[str]:
    """Return the tables of a plain SQLite file that is not Prikpost's (empty for Prikpost's or an empty file).

    Opening such a file would add Prikpost's tables to another program's data."""
    import sqlite3

    connection = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        tables = sorted(row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        connection.close()
    return [] if not tables or "alembic_version" in tables else tables


class FileKind(enum.Enum):
    """What lies at a database path before anything opens it."""

    MISSING = "missing"
    FOLDER = "folder"
    KEYED = "keyed"  # a key file beside it: an encrypted database, only its key tells more
    EMPTY = "empty"
    NOT_SQLITE = "not_sqlite"  # no SQLite header and no key file: damaged, another format, or the key file lost
    FOREIGN = "foreign"  # plain SQLite without Prikpost's schema: another program's data
    PRIKPOST = "prikpost"


@dataclass(frozen=True)
class FileCheck:
    kind: FileKind
    detail: str = ""  # for the log: the header or the foreign tables


def classify(path: Path) -> FileCheck:
    """Say what a database path holds, reading only its header and schema; OSError when it cannot be read.

    The commands and the window decide from this what to open, create or refuse."""
    path = Path(path)
    if not path.exists():
        return FileCheck(FileKind.MISSING)
    if not path.is_file():
        return FileCheck(FileKind.FOLDER)
    if key_path_for(path).exists():
        return FileCheck(FileKind.KEYED)
    header = read_header(path)
    if not header:
        return FileCheck(FileKind.EMPTY)
    if header != SQLITE_HEADER:
        return FileCheck(FileKind.NOT_SQLITE, f"no SQLite header (starts with {header!r})")
    tables = foreign_tables(path)
    if tables:
        return FileCheck(FileKind.FOREIGN, f"SQLite file without Prikpost's schema (tables: {tables[:5]})")
    return FileCheck(FileKind.PRIKPOST)


def probe(path: Path, key: bytes | None) -> None:
    """Open a database file read-only under `key` and read its schema; raises when unusable."""
    connection = _raw_connect(path, key, readonly=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def _raw_connect(path: Path, key: bytes | None, readonly: bool = False):
    uri = f"file:{Path(path).as_posix()}{'?mode=ro' if readonly else ''}"
    if key is None:
        import sqlite3

        return sqlite3.connect(uri, uri=True)
    import sqlcipher3

    connection = sqlcipher3.connect(uri, uri=True)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def quick_check(path: Path, key: bytes | None) -> list[str]:
    """Return the problems `PRAGMA integrity_check` and `foreign_key_check` find (empty: healthy)."""
    connection = _raw_connect(path, key)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        problems = [] if rows == ["ok"] else rows
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} rij {rowid} verwijst naar een ontbrekende {parent}")
        return problems
    finally:
        connection.close()
