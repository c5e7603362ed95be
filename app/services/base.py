"""What every service needs: the database, a clock, the user, the catalogue, the message encoder."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from app.domain.catalogue import Catalogue
from app.domain.clock import SystemClock
from app.domain.message import MessageFacts
from app.domain.roles import Action, Identity, require
from app.store.engine import Database
from app.store.unit_of_work import UnitOfWork

Encoder = Callable[[MessageFacts], str]


def default_station() -> str:
    """This laptop's name on the network: the station registrations made here are known by to the others."""
    try:
        return socket.gethostname()[:100] or "station"
    except OSError:
        return "station"


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def json_encoder(facts: MessageFacts) -> str:
    """Encode message facts as JSON (used when no message builder is configured)."""
    return json.dumps(asdict(facts), default=_json_default, ensure_ascii=False, sort_keys=True)


@dataclass
class ServiceContext:
    db: Database
    catalogue: Catalogue
    user: str = "onbekend"
    clock: object = field(default_factory=SystemClock)
    encoder: Encoder = json_encoder
    message_kind: str = "json"
    target: str = "praeventis"
    # Who is signed in; None means no user management (plain database, tests): every action is allowed.
    identity: Identity | None = None
    # Backups after closing a session (a services.backups.BackupPolicy); None: none (tests, plain tools).
    backups: object | None = None
    # A demo database (opened by the published demo login): every session in it is demo data.
    demo_database: bool = False
    # Per receiver ("praeventis", "vaccinnet") its (encoder, message kind); a session's receiver picks one.
    encoders: dict[str, tuple[Encoder, str]] = field(default_factory=dict)
    # The station (laptop) this context scans for; a shared session names it to the other stations.
    station: str = field(default_factory=default_station)

    def encoder_for(self, receiver: str) -> tuple[Encoder, str, str]:
        """Return (encoder, kind, target) for a session's receiver; without per-receiver encoders the single one."""
        if receiver in self.encoders:
            encoder, kind = self.encoders[receiver]
            return encoder, kind, receiver
        return self.encoder, self.message_kind, self.target

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def roles(self):
        """Return the signed-in user's roles, or None when there is no user management."""
        return None if self.identity is None else self.identity.roles

    def require(self, action: Action) -> None:
        """Raise NotAllowed (a DomainError with a Dutch message) when the user may not do this."""
        require(self.roles, action)

    def uow(self, write: bool = True) -> UnitOfWork:
        """Return a new unit of work for this user at the clock's current time."""
        return UnitOfWork(self.db, self.user, self.now(), write=write)
