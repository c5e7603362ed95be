"""Rotating backups made with VACUUM INTO on the open connection, so they carry the database's encryption."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .engine import Database, make_private, private_folder

log = logging.getLogger(__name__)

PREFIX = "prikpost-"
SUFFIX = ".sqlite"


def default_backup_dir(db_path: Path) -> Path:
    """Return the backup folder beside a database: '<database>.backups'."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".backups")


def list_backups(folder: Path) -> list[Path]:
    """Return the backups in a folder, newest first (names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX)),
                  key=lambda p: p.name, reverse=True)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    removed: tuple[Path, ...]


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def make_backup(db: Database, folder: Path | None = None, keep: int = 10, now: datetime | None = None) -> BackupResult:
    """Write a consistent copy of the database into `folder` and keep only the newest `keep` copies.

    VACUUM INTO runs on a connection keyed like the database, so an encrypted database gives an
    encrypted backup under the same key (the key file beside the database opens both).
    """
    folder = Path(folder) if folder else default_backup_dir(db.path)
    private_folder(folder)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    partial = folder / f".partial-{stamp}{SUFFIX}"
    partial.unlink(missing_ok=True)
    # VACUUM INTO fills an empty file as it finds it: made here, it is readable by this user only.
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    # VACUUM cannot run inside a transaction: use the pooled DB-API connection, which is in autocommit
    # (isolation_level None) and keyed like every other connection of this engine.
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM INTO ?", (str(partial),))
    finally:
        raw.close()
    make_private(partial)
    _fsync(partial)
    os.replace(partial, target)
    removed = []
    for old in list_backups(folder)[max(1, keep):]:
        old.unlink(missing_ok=True)
        removed.append(old)
    log.info("backup %s written, %d old removed", target, len(removed))
    return BackupResult(target, tuple(removed))


def restore_backup(backup: Path, db_path: Path, now: datetime | None = None) -> Path:
    """Replace the (closed) database by a backup; the damaged files are kept aside and their path returned."""
    db_path = Path(db_path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.beschadigd-{stamp}")
    if db_path.exists():
        os.replace(db_path, aside)
        make_private(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    tmp = db_path.with_name(db_path.name + ".restore-tmp")
    shutil.copyfile(backup, tmp)
    make_private(tmp)
    _fsync(tmp)
    os.replace(tmp, db_path)
    return aside
