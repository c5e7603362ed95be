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
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy.engine import make_url

from app.domain.errors import DomainError
from app.domain.roles import Action
from app.services.base import ServiceContext
from app.services.permissions import needs
from app.services.sessions import SHARED
from app.store.engine import Database, normalised_url
from app.store.models import PreferenceRow, SessionRow

from . import station, transfer
from .certificate import make_certificate
from .join_code import DEFAULT_USER, JoinCode, fingerprint, new_secret, password_of
from .server import (
    Cluster,
    ServerError,
    ServerSettings,
    free_port,
    grant_station_rows,
    lan_address,
    new_password,
    server_user,
    station_role,
)

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
    # A team's own server (its administrator's URL, no password: libpq takes PGPASSWORD); empty for our own.
    team_server: str = ""
    database: str = ""
    user: str = DEFAULT_USER

    @property
    def code(self) -> JoinCode:
        names = {"database": self.database, "user": self.user} if self.team_server else {}
        return JoinCode(self.address, self.port, bytes.fromhex(self.fingerprint), bytes.fromhex(self.secret), **names)

    @property
    def cluster(self) -> Cluster:
        return Cluster(Path(self.folder))

    def running(self) -> bool:
        """Return True when the session's server runs (a team's server: answers with the pinned certificate)."""
        if not self.team_server:
            return self.cluster.running()
        try:
            return self.code.matches(station.server_certificate(self.code))
        except station.StationError:
            return False

    def local_url(self) -> str:
        """Return the URL the host itself uses: the stations' role through the server folder's own socket.

        On a team's server: as a station does, over TLS pinned to the certificate kept in the folder."""
        if self.team_server:
            root = station.pinned_path(self.code, Path(self.folder))
            return station.database_url(self.code, root).render_as_string(hide_password=False)
        return self.cluster.socket_url(DEFAULT_USER, self.code.password, self.port)

    def team_admin_url(self) -> str:
        """Return the team server administrator's URL, its TLS verified as a station's (the pinned certificate)."""
        url = make_url(self.team_server)
        root = station.pinned_path(self.code, Path(self.folder))
        return url.update_query_dict(station.tls_options(root)).render_as_string()


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
    if existing.running():
        raise AlreadyShared(f"Deze database deelt al sessie {existing.session_id}. Stop dat eerst met "
                            "'prikpost host stop'.")
    raise AlreadyShared(f"Sessie {existing.session_id} is gedeeld geweest en is nog niet teruggehaald. Haal haar "
                        "terug met 'prikpost host stop'.")


@needs(Action.MANAGE_SESSION)
def start(sc: ServiceContext, session_id: int, address: str | None = None, port: int | None = None) -> HostState:
    """Start the session's server, copy the session into it and return how stations reach it."""
    _refuse_unless_shareable(sc, session_id)
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
    _remember(sc, state, carried)
    return state


def _refuse_unless_shareable(sc: ServiceContext, session_id: int) -> None:
    refuse_if_shared(sc)
    with sc.uow(write=False) as uow:
        session = uow.session.get(SessionRow, session_id)
        if session is None or session.status != "open":
            raise DomainError(f"Sessie {session_id} is er niet of is al afgesloten; alleen een open sessie kan "
                              "gedeeld worden.")


def _remember(sc: ServiceContext, state: HostState, carried: transfer.Carried) -> None:
    """Keep the state in the host's own store and freeze the host's copy of the session."""
    with sc.uow() as uow:
        uow.session.merge(PreferenceRow(key=STATE_KEY, value=json.dumps(asdict(state))))
        # The copy here is frozen until it comes back (bring_back puts the shared database's status in its place).
        uow.session.get(SessionRow, state.session_id).status = SHARED
        uow.audit("share_session", "session", state.session_id, before={"status": "open"},
                  after={"status": SHARED, "address": state.address, "port": state.port, "rows": carried.total()})
        uow.commit()
    log.info("sharing session %s on %s:%s (%s rows)", state.session_id, state.address, state.port, carried.total())


NO_TLS = ("De server van het team op {address} biedt geen versleutelde verbinding (TLS). Zet TLS aan op die server "
          "(ssl = on, met een certificaat); zonder TLS deelt Prikpost geen sessie.")


@needs(Action.MANAGE_SESSION)
def start_on_team_server(sc: ServiceContext, session_id: int, server_url: str) -> HostState:
    """Copy the session into the database of the team's own PostgreSQL server and return how stations reach it.

    `server_url` names its administrator (postgresql://user@host:port/database); the password comes from libpq's
    own sources (PGPASSWORD, ~/.pgpass), never from the URL. The server keeps running after `stop`."""
    _refuse_unless_shareable(sc, session_id)
    url = make_url(normalised_url(server_url))
    if url.password is not None:
        raise DomainError("Zet het wachtwoord niet in de URL van de server; geef het in de omgevingsvariabele "
                          "PGPASSWORD.")
    if not (url.host and url.database and url.username):
        raise DomainError("De URL van de server van het team mist iets: postgresql://beheerder@adres:poort/database.")
    secret = new_secret()
    code = JoinCode(url.host, url.port or 5432, bytes(16), secret, url.database, DEFAULT_USER)
    try:
        code = replace(code, fingerprint=fingerprint(station.server_certificate(code)))
    except station.NoTls:
        raise ServerError(NO_TLS.format(address=code.address)) from None
    folder = server_folder(sc.db)
    if folder.exists():
        _remove_leftover(folder)
    state = HostState(session_id=session_id, address=code.host, port=code.port, folder=str(folder),
                      admin_password="", secret=secret.hex(), fingerprint=code.fingerprint.hex(),
                      started_at=sc.now().isoformat(), team_server=url.render_as_string(),
                      database=code.database, user=code.user)
    try:
        station.pin(code, folder)
        admin = Database(state.team_admin_url())  # migrations to head, as the team's administrator
        try:
            if transfer.holds_session(admin):
                raise ServerError(f"De database {code.database} op de server van het team bevat al een sessie. "
                                  "Geef een lege database, of haal die sessie eerst terug.")
        finally:
            admin.close()
        with _team_admin(state) as connection:
            station_role(connection, code.user, code.password)
            grant_station_rows(connection, code.database, code.user)
        shared = Database(state.local_url(), upgrade=False)
        try:
            carried = transfer.copy_out(sc.db, shared, session_id)
            state = replace(state, audit_after=transfer.highest_audit_id(shared))
        finally:
            shared.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _remember(sc, state, carried)
    return state


@needs(Action.MANAGE_SESSION)
def stop(sc: ServiceContext) -> transfer.Carried:
    """Bring the shared session back into this database, stop its server and remove its files."""
    state = hosting(sc)
    if state is None:
        raise NotShared(NOT_SHARED)
    if state.team_server:
        return _stop_on_team_server(sc, state)
    cluster = state.cluster
    if not cluster.running():
        if not cluster.data.exists():
            raise ServerError(f"De bestanden van de server van sessie {state.session_id} zijn er niet meer "
                              f"({state.folder}); wat de stations registreerden kan niet teruggehaald worden.")
        cluster.start()  # after a reboot or a crash: start it to bring the session back
    carried = _bring_back(sc, state, state.local_url())
    cluster.remove()
    log.info("session %s is back from its shared server; server removed", state.session_id)
    return carried


def _bring_back(sc: ServiceContext, state: HostState, url: str) -> transfer.Carried:
    shared = Database(url, upgrade=False)
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
    return carried


def _stop_on_team_server(sc: ServiceContext, state: HostState) -> transfer.Carried:
    """Bring the session back from the team's server, then remove its rows and the stations' role there."""
    from psycopg import sql

    station_user = sql.Identifier(state.user)
    with _team_admin(state) as connection:  # first: without the administrator's password nothing comes back
        # No station may write after this: its role can no longer sign in, and its connections are ended.
        connection.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(station_user))
        try:
            connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                               (state.user,))
        except Exception as error:  # noqa: BLE001 - an administrator without the right: the role is locked anyway
            log.warning("cannot end the stations' connections on the team's server: %s", type(error).__name__)
        carried = _bring_back(sc, state, state.team_admin_url())
        admin = Database(state.team_admin_url(), upgrade=False)
        try:
            transfer.remove_session(admin, state.session_id)
        finally:
            admin.close()
        connection.execute(sql.SQL("DROP OWNED BY {}").format(station_user))
        connection.execute(sql.SQL("DROP ROLE {}").format(station_user))
    shutil.rmtree(state.folder, ignore_errors=True)
    log.info("session %s is back from the team's server; its rows and role there are removed", state.session_id)
    return carried


def _team_admin(state: HostState):
    """Return a psycopg connection as the team server's administrator (autocommit, TLS verified)."""
    import psycopg

    url = make_url(state.team_admin_url()).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(), autocommit=True, connect_timeout=station.CONNECT_TIMEOUT_S)


def _remove_leftover(folder: Path) -> None:
    leftover = Cluster(folder)
    try:
        leftover.kill()
    except Exception:  # noqa: BLE001 - nothing running is fine too
        pass
    shutil.rmtree(folder, ignore_errors=True)

