"""Open the store, SQLite (a file) or PostgreSQL (a URL), and bring its schema to the newest version.

A path is a SQLite file (SQLCipher with a key) with WAL, synchronous=FULL and foreign keys; a URL such as
`postgresql+psycopg://user:secret@host:5432/prikpost` is a PostgreSQL database shared by several stations.
Both run the same models, migrations and services.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN so writers can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(path: Path, mode: int = 0o600) -> None:
    """Narrow a file or folder to this user (where the OS allows); a missing one is left alone."""
    try:
        os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as error:  # e.g. a FAT stick or a share: nothing to gain, nothing lost
        log.info("cannot narrow permissions of %s: %s", path, error.strerror)


def private_folder(folder: Path) -> Path:
    """Create a folder of Prikpost's own (data, backups) readable by this user only, or narrow it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder, 0o700)
    return folder


def _narrow_database_files(path: Path):
    # SQLite gives WAL and SHM the mode of the database file, so narrowing the file at each connect covers
    # every file it makes later; files made by an older version are narrowed here too.
    def on_connect(_dbapi_connection, _record) -> None:
        for suffix in DATABASE_SUFFIXES:
            make_private(path.with_name(path.name + suffix))

    return on_connect


def is_database_url(target: str | Path) -> bool:
    """True for a database URL (postgresql://…), false for a file path."""
    return isinstance(target, str) and "://" in target


def normalised_url(url: str) -> str:
    """Return the URL with psycopg 3 as PostgreSQL's driver; refuse other kinds of database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database URL (only postgresql:// is): {parsed.drivername}")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def shown_target(target: Path | str) -> str:
    """Return a target as it may be logged or shown: a URL without its user and password."""
    if not is_database_url(target):
        return str(target)
    url = make_url(str(target))
    return f"postgresql://{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def engine_for_url(url: str) -> Engine:
    """Return an engine on the PostgreSQL database at `url` (driver psycopg 3).

    PostgreSQL's normal BEGIN serves readers and writers alike: writers that must not overlap rely on row
    locks and on unique indexes (one registration per session, child and vaccine), not on a database lock.
    """
    # pre_ping: a station whose host went away for a moment gets a fresh connection instead of an error.
    return create_engine(normalised_url(url), pool_pre_ping=True)


def _on_begin(connection) -> None:
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _cipher_connector(path: Path, key: bytes):
    """Return a DB-API connect function that keys every SQLCipher connection before anything else."""
    import sqlcipher3

    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    # A raw key ("x'..'") skips SQLCipher's own KDF, so a new connection costs no key derivation.
    statement = f"PRAGMA key = \"x'{key.hex()}'\""

    def connect():
        connection = sqlcipher3.connect(str(path), check_same_thread=False)
        # SQLCipher's own log writes to stderr (e.g. "hmac check failed" for a damaged or foreign file); the
        # error itself still reaches Python, which logs it and tells the user in Dutch.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(statement)
        return connection

    return sqlcipher3, connect


def make_engine(target: Path | str, key: bytes | None = None) -> Engine:
    """Return an engine on the SQLite file at `target` with WAL, synchronous=FULL and foreign keys.

    With a 32-byte `key` the file is a SQLCipher database opened under that raw key; without one it is
    plain SQLite as before. A database URL gives a PostgreSQL engine (`engine_for_url`; no key: the server
    keeps its own files).
    """
    if is_database_url(target):
        if key is not None:
            raise ValueError("a PostgreSQL database is not opened with a SQLCipher key")
        return engine_for_url(str(target))
    path = Path(target)
    if not path.parent.exists():
        private_folder(path.parent)  # a folder Prikpost makes is its own
    if key is None:
        engine = create_engine(f"sqlite:///{path}")
    else:
        module, connect = _cipher_connector(path, key)
        # The file URL keeps the pool a per-engine QueuePool like the plain engine; creator opens the file.
        engine = create_engine(f"sqlite:///{path}", module=module, creator=connect)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "connect", _narrow_database_files(path))
    event.listen(engine, "begin", _on_begin)
    return engine


_MIGRATION_LOCK = 0x7072696B  # "prik": PostgreSQL advisory lock held while the schema is upgraded


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database in place to `revision` (newest by default)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Stations starting together: one upgrades, the others wait and then find the schema current.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the database is at, or None when empty."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """Return the newest schema revision shipped with the app."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class Database:
    """The open database: an engine, migrated at start, and a session factory.

    `target` is a SQLite file (`path` is set) or a PostgreSQL URL (`url` is set, `path` is None: what needs a
    file beside the database, such as the key file, backups or the sender lock, belongs to the host's own file).
    """

    def __init__(self, target: Path | str, upgrade: bool = True, key: bytes | None = None):
        self.url: str | None = normalised_url(str(target)) if is_database_url(target) else None
        self.path: Path | None = None if self.url else Path(target)
        self.key = key
        self.engine = make_engine(self.url or self.path, key)
        if upgrade:
            before = current_revision(self.engine)
            migrate(self.engine)
            after = current_revision(self.engine)
            if before != after:
                log.info("database %s upgraded from %s to %s", self.where, before, after)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = sessionmaker(
            self.engine.execution_options(immediate=True), expire_on_commit=False
        )

    def reader(self) -> Session:
        """Return a session for reading (deferred transaction)."""
        return self._sessions()

    def writer(self) -> Session:
        """Return a session whose transaction takes the write lock at once."""
        return self._writers()

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The file, or the server and database without user or password: safe for the log."""
        return shown_target(self.url or self.path)

    def close(self) -> None:
        self.engine.dispose()
