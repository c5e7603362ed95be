"""The one composition root: settings, database and services, built once and passed down."""

from __future__ import annotations

import getpass
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from app.domain.catalogue import Catalogue
from app.domain.clock import SystemClock
from app.domain.errors import DomainError
from app.domain.roles import Identity
from app.outbox.encoding import make_encoder, make_encoders
from app.resources import shipped_catalogue
from app.services import store_opening
from app.services import users as user_service
from app.services.base import ServiceContext
from app.services.settings_admin import load_certificate_password
from app.services.store_status import database_status
from app.settings import Settings, default_db_path, default_settings_path
from app.store.engine import Database, is_database_url

log = logging.getLogger(__name__)


def load_catalogue() -> Catalogue:
    """Return the vaccine and activity catalogue shipped in resources/."""
    return shipped_catalogue()


def _user(settings: Settings) -> str:
    if settings.user_name:
        return settings.user_name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "onbekend"


@dataclass
class AppContext:
    settings: Settings
    settings_path: Path
    db: Database
    services: ServiceContext

    @classmethod
    def open(cls, db_path: Path | str | None = None, settings_path: Path | None = None, clock=None, *,
             passphrase: str | None = None, login: str | None = None,
             unlocked: user_service.Unlocked | None = None) -> "AppContext":
        """Open (and migrate) the database and wire the services.

        `db_path` is a file or a PostgreSQL URL (a shared session's store); `app.services.store_opening`
        decides how it opens.
        An encrypted database (a key file beside it) opens with `unlocked` (from users.login or
        users.create_first_user), else with `passphrase` (or $PRIKPOST_PASSPHRASE) and optional `login`
        (or $PRIKPOST_USER); a demo database falls back to the demo passphrase. A plain database from an
        older version opens as it is. A new database becomes an encrypted demo database (login 'demo',
        passphrase 'demo') unless a passphrase is given, which makes `login` its first beheerder.
        """
        settings_path = settings_path or default_settings_path()
        settings = Settings.load(settings_path)
        target = db_path if is_database_url(db_path) else Path(db_path) if db_path else default_db_path()
        unlocked = unlocked or _unlock(target, passphrase, login)
        db = store_opening.open_store(target, unlocked)
        try:
            identity = user_service.identity(db, unlocked) if unlocked else None
            if unlocked:
                user_service.audit_failed_sign_ins(db, unlocked)
        except Exception:
            db.close()
            raise
        services = ServiceContext(db=db, catalogue=load_catalogue(),
                                  user=identity.login if identity else _user(settings),
                                  clock=clock or SystemClock(), target=settings.outbox.target, identity=identity,
                                  demo_database=database_status(target).demo)
        _install_message_encoder(services, settings)
        load_certificate_password(services, settings.outbox)
        _install_backups(services, settings)
        log.info("opened %s database %s", "shared" if db.url else "encrypted" if db.encrypted else "plain", db.where)
        return cls(settings, settings_path, db, services)

    @classmethod
    def open_station(cls, url: str, identity: Identity | None, station: str,
                     settings_path: Path | None = None) -> "AppContext":
        """Open a shared session's database as a station: the host made its schema; this laptop's version must match.

        `identity` is whoever scans here (signed in on this laptop, or a medewerker named on the command line);
        None only for a laptop without user management (a plain database)."""
        from app.store.engine import current_revision, head_revision

        settings_path = settings_path or default_settings_path()
        settings = Settings.load(settings_path)
        db = Database(url, upgrade=False)
        try:
            if current_revision(db.engine) != head_revision():
                raise DomainError("De gedeelde sessie draait op een andere versie van Prikpost dan deze laptop. Werk "
                                  "beide laptops bij naar dezelfde versie.")
        except Exception:
            db.close()
            raise
        services = ServiceContext(db=db, catalogue=load_catalogue(), identity=identity, station=station,
                                  user=identity.login if identity else _user(settings), target=settings.outbox.target)
        _install_message_encoder(services, settings)
        log.info("joined shared session at %s as station %s", db.where, station)
        return cls(settings, settings_path, db, services)

    def close(self) -> None:
        self.db.close()


def _install_message_encoder(services: ServiceContext, settings: Settings) -> None:
    """Use the HL7v3 (or KMEHR) builder for queued messages."""
    services.encoder, services.message_kind = make_encoder(settings, services.catalogue)
    services.encoders = make_encoders(settings, services.catalogue)


def _unlock(target: Path | str, passphrase: str | None, login: str | None) -> user_service.Unlocked | None:
    """Return the key of the target, with the passphrase and login from the environment when not given."""
    passphrase = passphrase if passphrase is not None else os.environ.get("PRIKPOST_PASSPHRASE") or None
    login = login or os.environ.get("PRIKPOST_USER") or None
    return store_opening.unlock(target, passphrase, login)


def _install_backups(services: ServiceContext, settings: Settings) -> None:
    """Make an encrypted backup each time a session is closed, keeping the newest few."""
    from app.services.backups import BackupPolicy

    folder = Path(settings.security.backup_dir) if settings.security.backup_dir else None
    services.backups = BackupPolicy(keep=settings.security.backups_keep, folder=folder)
