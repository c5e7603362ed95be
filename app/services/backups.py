"""Backups after closing a session, the integrity check at start, and recovery from the newest good backup."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.errors import DomainError
from app.store.backup import BackupResult, default_backup_dir, list_backups, make_backup, restore_backup
from app.store.integrity import quick_check

from .base import ServiceContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupPolicy:
    keep: int = 10
    folder: Path | None = None

    def folder_for(self, db_path: Path) -> Path:
        return self.folder or default_backup_dir(db_path)


def backup_now(sc: ServiceContext, policy: BackupPolicy | None = None) -> BackupResult:
    """Write an encrypted backup of the open database and drop the oldest beyond the policy's count."""
    policy = policy or sc.backups or BackupPolicy()
    result = make_backup(sc.db, policy.folder_for(sc.db.path), policy.keep, sc.now())
    with sc.uow() as uow:
        uow.audit("backup", "database", None, after={"file": result.path.name, "removed": len(result.removed)})
        uow.commit()
    return result


def backup_after_close(sc: ServiceContext) -> BackupResult | None:
    """Called when a session closes: back up when a policy is set; a failure is logged, never raised."""
    if sc.backups is None or sc.db.path is None:
        return None  # a shared session's store is kept by its host, whose own file is backed up
    try:
        return backup_now(sc)
    except Exception:  # noqa: BLE001 - the session is closed already; a failed backup must not undo that
        log.exception("backup after closing a session failed")
        return None


@dataclass(frozen=True)
class StartupCheck:
    """The result of the integrity check at start, with the Dutch text the screen or command shows."""

    ok: bool
    message: str
    problems: tuple[str, ...] = ()
    backups: tuple[Path, ...] = ()

    @property
    def can_recover(self) -> bool:
        return not self.ok and bool(self.backups)


def startup_check(db_path: Path, key: bytes | None, backup_dir: Path | None = None) -> StartupCheck:
    """Check the database file before opening it (PRAGMA integrity_check and foreign keys)."""
    db_path = Path(db_path)
    backups = tuple(list_backups(backup_dir or default_backup_dir(db_path)))
    if not db_path.exists():
        return StartupCheck(True, "Nieuwe database.", (), backups)
    try:
        problems = quick_check(db_path, key)
    except Exception as error:  # noqa: BLE001 - any driver error means the file cannot be trusted
        problems = [f"De database kon niet gelezen worden ({error})."]
    if not problems:
        return StartupCheck(True, "De database is in orde.", (), backups)
    log.error("integrity check of %s failed: %s", db_path, problems[:10])
    if backups:
        newest = backups[0].name
        message = ("De database is beschadigd. Prikpost kan de laatste back-up terugzetten "
                   f"({newest}); wat na die back-up is gescand moet dan opnieuw worden ingevoerd. "
                   "Het beschadigde bestand blijft bewaard voor de beheerder.")
    else:
        message = ("De database is beschadigd en er is geen back-up. Start Prikpost niet opnieuw op deze "
                   "database en neem contact op met de beheerder.")
    return StartupCheck(False, message, tuple(problems[:20]), backups)


@dataclass(frozen=True)
class RecoveryResult:
    restored_from: Path
    damaged_kept_at: Path
    message: str


def recover_from_backup(db_path: Path, key: bytes | None, backup_dir: Path | None = None,
                        now: datetime | None = None) -> RecoveryResult:
    """Put the newest backup that passes the integrity check in place of the damaged (closed) database."""
    db_path = Path(db_path)
    for backup in list_backups(backup_dir or default_backup_dir(db_path)):
        try:
            if quick_check(backup, key):
                continue
        except Exception:  # noqa: BLE001 - a damaged or foreign backup: try the next one
            continue
        aside = restore_backup(backup, db_path, now)
        stamp = backup.name.removeprefix("prikpost-")[:15]
        when = f"{stamp[6:8]}-{stamp[4:6]}-{stamp[0:4]} {stamp[9:11]}:{stamp[11:13]}"
        message = (f"De back-up van {when} is teruggezet. Controleer de sessies van daarna en scan of voer "
                   f"ontbrekende kinderen opnieuw in. Het beschadigde bestand staat in {aside.name}.")
        log.warning("restored %s from %s; damaged file kept at %s", db_path, backup, aside)
        return RecoveryResult(backup, aside, message)
    raise DomainError("Er is geen bruikbare back-up gevonden. Neem contact op met de beheerder.")
