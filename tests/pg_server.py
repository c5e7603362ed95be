"""A real PostgreSQL server for the tests and benches: initdb and pg_ctl in a temporary folder, on 127.0.0.1.

Debian's `postgresql` package provides the programs (scripts/setup.sh test installs it). initdb refuses to run
as root, so under root (here and in CI) the server runs as the `postgres` user the package creates, in a
folder handed to that user. Each test gets a fresh database, copied from a template migrated once to head.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from app.sharing import server

SUPERUSER = "prikpost"
PASSWORD = "prikpost-test"  # only ever on 127.0.0.1 and for a throw-away cluster


def server_programs() -> Path | None:
    """Return PostgreSQL's bin folder (the one hosting uses), or None when the server is not installed."""
    return server.binaries() if server.installed() else None


def why_not_available() -> str | None:
    """Return why no test server can be started here, or None when it can."""
    if server_programs() is None:
        return "PostgreSQL is niet geïnstalleerd (Debian-pakket 'postgresql'; scripts/setup.sh test installeert het)"
    if os.geteuid() == 0 and not _postgres_user():
        return "als root is een gebruiker 'postgres' nodig om de testserver onder te draaien"
    return None


def _postgres_user() -> tuple[int, int] | None:
    """Return the uid and gid of the user the server runs as under root (as hosting runs it), None if missing."""
    import pwd

    try:
        entry = pwd.getpwnam(server.server_user() or "postgres")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


class PostgresServer:
    """One throw-away cluster; `url(name)` gives a postgresql+psycopg URL of one of its databases."""

    def __init__(self, durable: bool = False, tls: bool = False, certificate=None):
        self.bin = server_programs()
        if self.bin is None:
            raise RuntimeError(why_not_available())
        self.durable = durable  # fsync and synchronous_commit on, as a real host runs (benches); off for tests
        # ssl on, with a self-signed certificate for 127.0.0.1 (a team's own server), or the given one (a Certificate)
        self.tls = tls or certificate is not None
        self.certificate = certificate
        self._owner = _postgres_user() if os.geteuid() == 0 else None
        # Under root the server's user must reach its folder: /tmp, not a TMPDIR only root may enter.
        self.folder = Path(tempfile.mkdtemp(prefix="prikpost-pg-", dir="/tmp" if self._owner else None))
        self.data = self.folder / "data"
        self.port = server.free_port("127.0.0.1")
        self._counter = 0
        self._lock = threading.Lock()
        self.template: str | None = None

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self._owner is not None:
            command = ["runuser", "-u", server.server_user(), "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def start(self) -> "PostgresServer":
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD)
        if self._owner is not None:
            for path in (self.folder, password_file):
                os.chown(path, *self._owner)
        self._run(self.bin / "initdb", "-D", self.data, "-U", SUPERUSER, "--pwfile", password_file,
                  "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if self.tls:
            options += self._certificate_options()
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log", "-o", options, "-w",
                  "start")
        return self

    def _certificate_options(self) -> str:
        from app.sharing.certificate import make_certificate

        certificate = self.certificate or make_certificate(["127.0.0.1"])
        for name, content in (("server.crt", certificate.certificate_pem), ("server.key", certificate.key_pem)):
            path = self.folder / name
            path.write_bytes(content)
            path.chmod(0o600)
            if self._owner is not None:
                os.chown(path, *self._owner)
        return f" -c ssl=on -c ssl_cert_file={self.folder / 'server.crt'} -c ssl_key_file={self.folder / 'server.key'}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, password=PASSWORD,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)

    def create_database(self, template: str | None = None) -> str:
        """Create a new empty database (or a copy of `template`) and return its name."""
        with self._lock:
            self._counter += 1
            name = f"test_{self._counter}"
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def migrated_database(self) -> str:
        """Create a database at the newest schema (a copy of a template migrated once) and return its name."""
        if self.template is None:
            from app.store.engine import Database

            name = self.create_database()
            Database(self.url(name)).close()
            self.template = name
        return self.create_database(template=self.template)
