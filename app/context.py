"""The one composition root: settings, database and services, built once and passed down."""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from pathlib import Path

from app.domain.catalogue import Catalogue
from app.domain.clock import SystemClock
from app.outbox.encoding import make_encoder
from app.resources import shipped_catalogue
from app.services.base import ServiceContext
from app.settings import Settings, default_db_path, default_settings_path
from app.store.engine import Database

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
    def open(cls, db_path: Path | None = None, settings_path: Path | None = None, clock=None) -> "AppContext":
        """Open (and migrate) the database and wire the services."""
        settings_path = settings_path or default_settings_path()
        settings = Settings.load(settings_path)
        db = Database(Path(db_path) if db_path else default_db_path())
        services = ServiceContext(db=db, catalogue=load_catalogue(), user=_user(settings),
                                  clock=clock or SystemClock(), target=settings.outbox.target)
        _install_message_encoder(services, settings)
        log.info("opened database %s", db.path)
        return cls(settings, settings_path, db, services)

    def close(self) -> None:
        self.db.close()


def _install_message_encoder(services: ServiceContext, settings: Settings) -> None:
    """Use the HL7v3 (or KMEHR) builder for queued messages."""
    services.encoder, services.message_kind = make_encoder(settings, services.catalogue)
