"""Turn a plain SQLite database of an older version into a SQLCipher database under a new key."""

from __future__ import annotations

import os
from pathlib import Path

from .integrity import quick_check


def encrypt_copy(plain: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of a plain database with sqlcipher_export and check it."""
    import sqlcipher3

    target.unlink(missing_ok=True)
    connection = sqlcipher3.connect(str(plain))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    problems = quick_check(target, key)
    if problems:
        target.unlink(missing_ok=True)
        raise RuntimeError(f"encrypted copy failed its check: {problems[:3]}")
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def replace_plain(plain: Path, encrypted: Path) -> None:
    """Put the encrypted copy in place of the plain database and remove the plain files."""
    for suffix in ("-wal", "-shm"):
        Path(str(plain) + suffix).unlink(missing_ok=True)
    os.replace(encrypted, plain)
