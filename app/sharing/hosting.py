"""Host a session: start its server, copy it there, give the join code; later bring it back and remove the server.

What the host must remember while the session is shared (where the server is, its secrets, up to where the audit
log was copied) is kept in the host's own encrypted store, not beside the server: a lost folder of the server
tells nobody how to sign in to it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.roles import Action
from app.services.base import ServiceContext
from app.services.permissions import needs
from app.services.sessions import SHARED
from app.store.engine import Database
from app.store.models import PreferenceRow, SessionRow

from . import transfer
from .certificate import make_certificate
from .join_code import DEFAULT_USER, JoinCode, fingerprint, new_secret, password_of
from .server import Cluster, ServerError, ServerSettings, free_port, lan_address, new_password, server_user

log = logging.getLogger(__name__)

STATE_KEY = "sharing.host"


@dataclass(frozen=True)
class HostState:
    session_id: int
    address: str
    port: int
    folder: str
    admin_password: str
    secret: str  # hex
    fingerprint: str  # hex, the join code's part
    started_at: str
    audit_after: int = 0

    @property
    def code(self) -> JoinCode:
        return JoinCode(self.address, self.port, bytes.fromhex(self.fingerprint), bytes.fromhex(self.secret))

    @property
    def cluster(self) -> Cluster:
        return Cluster(Path(self.folder))

    def local_url(self) -> str:
        """Return the URL the host itself uses: the stations' role through the server folder's own socket."""
        return self.cluster.socket_url(DEFAULT_USER, self.code.password, self.port)


class AlreadyShared(DomainError):
    """This database already shares a session."""


class NotShared(DomainError):
    """This database shares no session."""


NOT_SHARED = "Deze database deelt geen sessie (er draait hier geen server voor een gedeelde sessie)."


def server_folder(home: Database) -> Path:
    """Return the private folder for the server of a session of this database.

    Beside the database file, as the database is: the same disk, the same owner. Run as root the server runs as
    another user who may not reach the database's folder; the folder then goes into the temporary folder."""
    if server_user() is None:
        return home.path.with_name(home.path.name + ".gedeeld")
    digest = hashlib.sha256(str(home.path.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"prikpost-gedeeld-{digest}"


def hosting(sc: ServiceContext) -> HostState | None:
    """Return what this database's shared session is, or None when it shares none."""
    with sc.uow(write=False) as uow:
        row = uow.session.get(PreferenceRow, STATE_KEY)
        return HostState(**json.loads(row.value)) if row else None


def refuse_if_shared(sc: ServiceContext) -> None:
    """Raise AlreadyShared when this database shares a session (or shared one not yet brought back)."""
    existing = hosting(sc)
    if existing is None:
        return
    if existing.cluster.running():
        raise AlreadyShared(f"Deze database deelt al sessie {existing.session_id}. Stop dat eerst met "
                            "'prikpost host stop'.")
    raise AlreadyShared(f"Sessie {existing.session_id} is gedeeld geweest en is nog niet teruggehaald. Haal haar "
                        "terug met 'prikpost host stop'.")


@needs(Action.MANAGE_SESSION)
def start(sc: ServiceContext, session_id: int, address: str | None = None, port: int | None = None) -> HostState:
    """Start the session's server, copy the session into it and return how stations reach it."""
    refuse_if_shared(sc)
    with sc.uow(write=False) as uow:
        session = uow.session.get(SessionRow, session_id)
        if session is None or session.status != "open":
            raise DomainError(f"Sessie {session_id} is er niet of is al afgesloten; alleen een open sessie kan "
                              "gedeeld worden.")
    address = address or lan_address()
    port = port or free_port(address)
    certificate = make_certificate([address])
    secret = new_secret()
    settings = ServerSettings(address, port, new_password(), password_of(secret))
    folder = server_folder(sc.db)
    if folder.exists():
        _remove_leftover(folder)
    cluster = Cluster(folder)
    state = HostState(session_id=session_id, address=address, port=port, folder=str(folder),
                      admin_password=settings.admin_password, secret=secret.hex(),
                      fingerprint=fingerprint(certificate.der).hex(), started_at=sc.now().isoformat())
    try:
        cluster.create(settings, certificate)
        cluster.start()
        cluster.add_station_role(settings)
        Database(cluster.admin_url(settings)).close()  # the schema, made and owned by the administrator
        cluster.grant_station(settings)
        shared = Database(state.local_url(), upgrade=False)
        try:
            carried = transfer.copy_out(sc.db, shared, session_id)
            state = HostState(**{**asdict(state), "audit_after": transfer.highest_audit_id(shared)})
        finally:
            shared.close()
    except BaseException:
        _remove_leftover(folder)
        raise
    with sc.uow() as uow:
        uow.session.merge(PreferenceRow(key=STATE_KEY, value=json.dumps(asdict(state))))
        # The copy here is frozen until it comes back (bring_back puts the shared database's status in its place).
        uow.session.get(SessionRow, session_id).status = SHARED
        uow.audit("share_session", "session", session_id, before={"status": "open"},
                  after={"status": SHARED, "address": address, "port": port, "rows": carried.total()})
        uow.commit()
    log.info("sharing session %s on %s:%s (%s rows)", session_id, address, port, carried.total())
    return state


@needs(Action.MANAGE_SESSION)
def stop(sc: ServiceContext) -> transfer.Carried:
    """Bring the shared session back into this database, stop its server and remove its files."""
    state = hosting(sc)
    if state is None:
        raise NotShared(NOT_SHARED)
    cluster = state.cluster
    if not cluster.running():
        if not cluster.data.exists():
            raise ServerError(f"De bestanden van de server van sessie {state.session_id} zijn er niet meer "
                              f"({state.folder}); wat de stations registreerden kan niet teruggehaald worden.")
        cluster.start()  # after a reboot or a crash: start it to bring the session back
    shared = Database(state.local_url(), upgrade=False)
    try:
        # One transaction: the rows come back and the state goes, or neither (a second stop then tries again).
        with sc.uow() as uow:
            carried = transfer.bring_back(shared, uow.session, state.session_id, state.audit_after)
            uow.session.delete(uow.session.get(PreferenceRow, STATE_KEY))
            uow.audit("stop_sharing", "session", state.session_id,
                      after={"rows": carried.total(), "audit_entries": carried.audit_entries})
            uow.commit()
    finally:
        shared.close()
    cluster.remove()
    log.info("session %s is back from its shared server; server removed", state.session_id)
    return carried


def _remove_leftover(folder: Path) -> None:
    leftover = Cluster(folder)
    try:
        leftover.kill()
    except Exception:  # noqa: BLE001 - nothing running is fine too
        pass
    shutil.rmtree(folder, ignore_errors=True)

