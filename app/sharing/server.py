"""A PostgreSQL server of a shared session: made in a private folder, started, asked, stopped and removed.

The cluster lives in one folder readable by its owner only (0700). Stations reach it over TLS only (pg_hba has
no plain 'host' line), authenticate with scram-sha-256 as a role that is no superuser, and pin the certificate
by the join code. The administrator role is reachable only through the folder's own Unix socket. Run as root
(CI, containers) the server runs as an unprivileged user (PRIKPOST_SERVER_USER, default 'postgres'), because
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import DomainError

from .certificate import Certificate
from .join_code import DEFAULT_DATABASE, DEFAULT_USER

log = logging.getLogger(__name__)

ADMIN = "prikpost_admin"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30

NOT_INSTALLED = ("PostgreSQL is niet geïnstalleerd op deze laptop; dat is nodig om een sessie te delen. Installeer "
                 "het Debian-pakket 'postgresql' (PRIKPOST_HOSTING=1 bash scripts/setup.sh doet dat).")


class ServerError(DomainError):
    """The session's server cannot be made, started or stopped."""


def binaries() -> Path:
    """Return the folder with PostgreSQL's server programs (initdb, pg_ctl), newest version first."""
    found = shutil.which("pg_ctl")
    if found and Path(found).with_name("initdb").exists():
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if not candidates:
        raise ServerError(NOT_INSTALLED)
    return Path(candidates[-1]).parent


def installed() -> bool:
    """Return True when this machine can host a shared session."""
    try:
        binaries()
    except ServerError:
        return False
    return True


def server_user() -> str | None:
    """Return the OS user the server runs as when we are root, else None (it runs as us)."""
    if os.geteuid() != 0:
        return None
    return os.environ.get("PRIKPOST_SERVER_USER", "postgres")


def lan_address() -> str:
    """Return this laptop's address on the network it would use to reach others (127.0.0.1 without one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent, the kernel only picks a route
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def free_port(address: str) -> int:
    """Return a TCP port free on `address` just now."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ServerSettings:
    address: str
    port: int
    admin_password: str
    station_password: str
    database: str = DEFAULT_DATABASE
    station_user: str = DEFAULT_USER


class Cluster:
    """One PostgreSQL cluster in a private folder: data/, the socket folder run/ and server.log."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.run_dir = self.folder / "run"
        self.log_file = self.folder / "server.log"

    # --- making it -----------------------------------------------------------------------------------------
    def create(self, settings: ServerSettings, certificate: Certificate) -> None:
        """Make the folder and the cluster: TLS on, scram-sha-256, stations over TLS only."""
        self.folder.mkdir(mode=0o700, parents=False, exist_ok=False)
        os.chmod(self.folder, 0o700)
        self.run_dir.mkdir(mode=0o700)
        self._hand_over(self.folder, self.run_dir)
        password_file = self.folder / "initdb.pw"
        self._write_private(password_file, settings.admin_password.encode())
        try:
            self._run(["initdb", "-D", str(self.data), "-U", ADMIN, f"--pwfile={password_file}",
                       "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-instructions"],
                      "de database van de gedeelde sessie kan niet gemaakt worden")
        finally:
            password_file.unlink(missing_ok=True)
        self._write_private(self.data / "server.crt", certificate.certificate_pem)
        self._write_private(self.data / "server.key", certificate.key_pem)
        listen = settings.address
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(_CONF.format(listen=listen, port=settings.port, run=self.run_dir))
        (self.data / "pg_hba.conf").write_text(_HBA.format(database=settings.database,
                                                           station=settings.station_user), encoding="utf-8")

    def _write_private(self, path: Path, content: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        self._hand_over(path)

    def _hand_over(self, *paths: Path) -> None:
        user = server_user()
        if user is None:
            return
        entry = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # --- running it ----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the server and return once it accepts connections."""
        self._run(["pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-w", "-t", str(START_TIMEOUT_S),
                   "-s", "start"], "de server van de gedeelde sessie start niet", timeout=START_TIMEOUT_S + 10)

    def running(self) -> bool:
        """Return True when the server runs."""
        if not self.data.exists():
            return False
        result = self._call(["pg_ctl", "-D", str(self.data), "status"], timeout=20)
        return result.returncode == 0

    def stop(self) -> None:
        """Stop the server: fast (clients are disconnected, work is saved), else immediate."""
        if not self.running():
            return
        result = self._call(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", str(STOP_TIMEOUT_S),
                             "-s", "stop"], timeout=STOP_TIMEOUT_S + 10)
        if result.returncode != 0 and self.running():
            log.warning("fast stop failed (%s); stopping immediately", result.stderr.strip())
            self._run(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", str(STOP_TIMEOUT_S), "-s",
                       "stop"], "de server van de gedeelde sessie stopt niet", timeout=STOP_TIMEOUT_S + 10)

    def kill(self) -> None:
        """Stop at once, as a power cut would (immediate shutdown: the next start recovers from the WAL)."""
        self._call(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-s", "stop"], timeout=STOP_TIMEOUT_S)

    def remove(self) -> None:
        """Stop the server and delete the folder with everything in it."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=False)

    # --- programs ------------------------------------------------------------------------------------------
    def _command(self, argv: list[str]) -> list[str]:
        program = str(binaries() / argv[0])
        user = server_user()
        prefix = ["runuser", "-u", user, "--"] if user else []
        return prefix + [program] + argv[1:]

    def _call(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess:
        # No PG* variable of the user's (PGDATA, PGPORT…) may point the programs at another server.
        environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        return subprocess.run(self._command(argv), capture_output=True, text=True, timeout=timeout, env=environment,
                              stdin=subprocess.DEVNULL, cwd=self.folder if self.folder.exists() else None)

    def _run(self, argv: list[str], what: str, timeout: float = 120) -> None:
        try:
            result = self._call(argv, timeout)
        except (OSError, subprocess.TimeoutExpired) as error:
            log.error("%s failed: %s", argv[0], error)
            raise ServerError(f"{what[0].upper()}{what[1:]} ({type(error).__name__}).") from None
        if result.returncode != 0:
            log.error("%s failed (%s): %s %s", argv[0], result.returncode, result.stdout[-2000:],
                      result.stderr[-2000:])
            raise ServerError(f"{what[0].upper()}{what[1:]}. De details staan in het logbestand.")

    # --- connecting as the administrator -------------------------------------------------------------------
    def admin_connection(self, password: str, port: int, database: str = "postgres"):
        """Return a psycopg connection as the administrator through the folder's own socket."""
        import psycopg

        return psycopg.connect(host=str(self.run_dir), port=port, user=ADMIN, password=password, dbname=database,
                               autocommit=True, connect_timeout=10)

    def add_station_role(self, settings: ServerSettings) -> None:
        """Make the stations' role (no superuser) and the session's database (the administrator owns it)."""
        from psycopg import sql

        with self.admin_connection(settings.admin_password, settings.port) as connection:
            station_role(connection, settings.station_user, settings.station_password)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings.database)))
            connection.execute(sql.SQL("REVOKE ALL ON DATABASE postgres, template1 FROM PUBLIC"))

    def socket_url(self, user: str, password: str, port: int, database: str = DEFAULT_DATABASE) -> str:
        """Return a database URL through the folder's own Unix socket (how the host itself connects)."""
        from sqlalchemy.engine import URL

        return URL.create("postgresql+psycopg", username=user, password=password, database=database,
                          query={"host": str(self.run_dir), "port": str(port)}).render_as_string(hide_password=False)

    def admin_url(self, settings: ServerSettings) -> str:
        """Return the URL the host migrates the session's database with (the administrator, by the socket)."""
        return self.socket_url(ADMIN, settings.admin_password, settings.port, settings.database)

    def grant_station(self, settings: ServerSettings) -> None:
        """Let stations read and write the session's rows, but not change the schema, its triggers or the audit.

        The tables belong to the administrator, so a station cannot drop the trigger that keeps the audit log
        append-only, nor the one that tells the other stations of a change."""
        with self.admin_connection(settings.admin_password, settings.port, settings.database) as connection:
            grant_station_rows(connection, settings.database, settings.station_user)


def station_role(connection, user: str, password: str) -> None:
    """Make the stations' login role (no superuser), or give the existing one this password."""
    from psycopg import sql

    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    connection.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
        sql.Identifier(user), sql.Literal(password)))


def grant_station_rows(connection, database: str, user: str) -> None:
    """Give the stations' role row rights only in `database` (the connection's own, as its tables' owner)."""
    from psycopg import sql

    for statement in (
        "REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        "GRANT CONNECT ON DATABASE {database} TO {station}",
        "GRANT USAGE ON SCHEMA public TO {station}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {station}",
        "REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {station}",
        "REVOKE UPDATE, DELETE ON audit_log FROM {station}",
        "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {station}",
    ):
        connection.execute(sql.SQL(statement).format(station=sql.Identifier(user), database=sql.Identifier(database)))


def new_password() -> str:
    """Return a random password for the administrator role (never shown; kept in the private folder)."""
    return secrets.token_urlsafe(24)


# Appended to postgresql.conf. The log keeps no statement and no DETAIL (a unique violation's DETAIL names a BSN).
_CONF = """
# --- Prikpost: a shared session's server ---
listen_addresses = '{listen}'
port = {port}
unix_socket_directories = '{run}'
unix_socket_permissions = 0700
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
max_connections = 50
shared_buffers = 32MB
fsync = on
synchronous_commit = on
full_page_writes = on
log_min_error_statement = panic
log_error_verbosity = terse
log_connections = off
log_disconnections = off
"""

# Stations only over TLS with scram-sha-256, only to the session's database; the administrator only by the socket.
_HBA = """# Prikpost: a shared session's server
local   all         prikpost_admin          scram-sha-256
local   {database}  {station}               scram-sha-256
hostssl {database}  {station}   0.0.0.0/0   scram-sha-256
hostssl {database}  {station}   ::/0        scram-sha-256
"""
