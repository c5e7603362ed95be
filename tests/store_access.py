"""Read a database from a test as an outsider would, whether it is encrypted (as users have it) or plain.

`connect(db_or_path)` gives a DB-API connection (sqlite3's interface): for an open `Database` under its own
key; for a file, under the demo key when a key file lies beside it (the new databases the app makes without
a passphrase), else plain.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store.engine import Database
from app.store.keys import DEMO_LOGIN, DEMO_PASSPHRASE, KeyFile, key_path_for

_keys: dict[tuple[Path, float], bytes] = {}


def demo_key(path: Path | str) -> bytes | None:
    """Return the raw key of a demo database file, None for a plain file."""
    path = Path(path)
    if not KeyFile.exists(path):
        return None
    stamp = (path.resolve(), key_path_for(path).stat().st_mtime)
    if stamp not in _keys:
        _keys[stamp] = KeyFile.load(path).unlock(DEMO_LOGIN, DEMO_PASSPHRASE)[0]
    return _keys[stamp]


def connect(target: Database | Path | str, timeout: float = 5.0):
    """Return a DB-API connection to the database file: SQLCipher under its key, or plain SQLite."""
    if isinstance(target, Database):
        path, key = target.path, target.key
    else:
        path, key = Path(target), demo_key(target)
    if key is None:
        return sqlite3.connect(path, timeout=timeout)
    import sqlcipher3

    connection = sqlcipher3.connect(str(path), timeout=timeout)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors either driver raises (for a test that waits while the app holds the file)."""
    import sqlcipher3

    return sqlite3.Error, sqlcipher3.dbapi2.Error
