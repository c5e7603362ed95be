"""Helpers every subcommand shares: open the context from --db, sign in, print Dutch errors."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy.exc import DatabaseError as SqlDatabaseError

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.wording import os_reason
from app.services.store_status import DatabaseStatus, database_status
from app.settings import default_data_dir, default_db_path
from app.store.engine import is_database_url, shown_target
from app.store.integrity import FileKind

log = logging.getLogger(__name__)

# A log record with this extra was already told to the user in Dutch: the log file keeps it, stderr does not.
TOLD_USER = {"told_user": True}


def _driver_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [SqlDatabaseError, sqlite3.DatabaseError, CommandError]
    try:
        import sqlcipher3

        errors.append(sqlcipher3.dbapi2.DatabaseError)
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency; plain databases still work
        pass
    return tuple(errors)


# What SQLite, SQLCipher, SQLAlchemy and Alembic raise for a file that is no (readable) Prikpost database.
DATABASE_ERRORS = _driver_errors()


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """Add --db PATH (the database file) to a parser."""
    # SUPPRESS: a --db given before the subcommand is not reset by the subcommand's own default.
    parser.add_argument("--db", default=argparse.SUPPRESS,
                        help="databasebestand (standaard: in de gegevensmap van de gebruiker); het moet al "
                             "bestaan, behalve bij 'demo' en de eerste 'user add'. Een gedeelde sessie: "
                             "postgresql://gebruiker:wachtwoord@host:5432/database")


def db_target(args: argparse.Namespace) -> Path | str:
    """Return the database named by --db (a file, or a PostgreSQL URL), or the default file."""
    value = getattr(args, "db", None)
    if value and is_database_url(str(value)):
        return str(value)
    return Path(value or default_db_path())


def db_path(args: argparse.Namespace) -> Path:
    """Return the database file named by --db (for what needs a file: encrypt, users), or the default one."""
    target = db_target(args)
    if isinstance(target, str):
        raise DomainError("Deze opdracht werkt op een databasebestand, niet op een gedeelde sessie (URL).")
    return target


class DatabaseUnusable(DomainError):
    """The file is not a Prikpost database, or it is damaged."""


def unusable_database(target: Path | str, error: BaseException | str) -> DatabaseUnusable:
    """Log why the database cannot be used and return the Dutch error for the user."""
    path = shown_target(target)  # a shared session's URL without its password
    if isinstance(error, BaseException):
        log.error("cannot use database %s: %s", path, error, exc_info=error, extra=TOLD_USER)
        detail = str(getattr(error, "orig", None) or error).lower()
    else:
        log.error("cannot use database %s: %s", path, error, extra=TOLD_USER)
        detail = ""
    if is_database_url(target) and ("connect" in detail or "timeout" in detail or "timed out" in detail):
        return DatabaseUnusable(f"De gedeelde sessie op {path} is niet bereikbaar. Controleer of u met hetzelfde "
                                "netwerk verbonden bent als de laptop die de sessie deelt, en probeer het opnieuw.")
    if "locked" in detail or "busy" in detail:
        return DatabaseUnusable(f"Database {path} is in gebruik door een ander programma. Sluit het andere "
                                "Prikpost-venster of de andere opdracht en probeer het opnieuw.")
    if "unable to open" in detail or "readonly" in detail or "disk is full" in detail:
        return DatabaseUnusable(f"Database {path} kan niet geopend of bijgewerkt worden (geen schrijfrechten of "
                                "de schijf is vol). Controleer de map en de vrije ruimte.")
    return DatabaseUnusable(f"{path} is geen Prikpost-database of is beschadigd. Controleer het pad (optie --db), "
                            "of zet de database terug uit een back-up. De details staan in het logbestand "
                            f"{log_file()}.")


def log_file() -> Path:
    """Return the maintainer's log file in the data folder."""
    return default_data_dir() / "prikpost.log"


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """Turn a driver's error about the database file into the Dutch DatabaseUnusable message."""
    try:
        yield
    except DomainError:
        raise
    except DATABASE_ERRORS as error:
        raise unusable_database(path, error) from None


def check_database_file(path: Path | str, create: bool = False) -> DatabaseStatus:
    """Refuse a database that does not exist (unless `create`), is a folder, or plainly is no Prikpost database.

    Return its status; a shared session's URL is judged by its server when it is opened."""
    try:
        status = database_status(path)
    except OSError as error:
        log.error("cannot read database %s: %s", path, error, extra=TOLD_USER)
        raise DomainError(f"Database {path} kan niet gelezen worden ({os_reason(error)}).") from None
    check = status.file
    if status.shared:
        return status
    if check.kind is FileKind.MISSING and not create:
        log.warning("database %s does not exist; not creating it", path, extra=TOLD_USER)
        raise DomainError(f"Database {path} bestaat niet. Controleer het pad (optie --db); Prikpost maakt hier "
                          "geen nieuwe, lege database. Een nieuwe database maakt u met 'prikpost demo' of "
                          "'prikpost user add'.")
    if check.kind is FileKind.FOLDER:
        raise DomainError(f"{path} is een map, geen databasebestand. Geef met --db het bestand zelf.")
    if check.kind is FileKind.EMPTY and not create:
        raise unusable_database(path, "no SQLite header (empty file)")
    if check.kind in (FileKind.NOT_SQLITE, FileKind.FOREIGN):
        raise unusable_database(path, check.detail)
    # MISSING or EMPTY with create becomes a new database; KEYED is judged when its key opens it.
    return status


def ask_line(prompt: str) -> str:
    """Ask one visible line on the terminal; the prompt goes to stderr so stdout stays the command's output."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        return input().strip()
    except EOFError:
        raise DomainError("Aanmelden afgebroken: er is niets ingevoerd.") from None


def ask_credentials(status: DatabaseStatus, login: str | None,
                    passphrase: str | None) -> tuple[str | None, str | None]:
    """On a terminal, ask who signs in to an encrypted database when the environment did not say it."""
    if passphrase is not None or not sys.stdin.isatty():
        return login, passphrase  # without a terminal, opening says in Dutch which variables to set
    if not status.needs_login or status.demo:
        return login, passphrase
    if login is None:
        login = ask_line(f"Gebruikersnaam voor {status.path.name}: ") or None
    try:
        passphrase = getpass.getpass("Wachtwoord: ")
    except EOFError:
        raise DomainError("Aanmelden afgebroken: er is geen wachtwoord ingevoerd.") from None
    return login, passphrase


def open_context(args: argparse.Namespace, create: bool = False) -> AppContext:
    """Open the app context on the database named by --db (or the default), signing in when it is encrypted.

    The database must exist unless `create`. The user comes from --as or $PRIKPOST_USER and the passphrase
    from $PRIKPOST_PASSPHRASE; on a terminal the missing ones are asked.
    """
    target = db_target(args)
    status = check_database_file(target, create)
    login = getattr(args, "as_user", None) or os.environ.get("PRIKPOST_USER") or None
    passphrase = os.environ.get("PRIKPOST_PASSPHRASE") or None
    login, passphrase = ask_credentials(status, login, passphrase)
    with database_errors(target):
        return AppContext.open(target, passphrase=passphrase, login=login)


def open_station_context(args: argparse.Namespace) -> AppContext:
    """Join the shared session of --join CODE as a station named --station, scanning as a medewerker (--as).

    A batch import only registers scans, so whoever runs it gets a medewerker's rights there, no more."""
    from app.domain.roles import Identity, Role
    from app.services.base import default_station
    from app.sharing.station import join

    login = getattr(args, "as_user", None) or os.environ.get("PRIKPOST_USER") or _os_user()
    station = (getattr(args, "station", None) or default_station()).strip()[:100]
    _code, url = join(args.join)
    return AppContext.open_station(url, Identity(login, frozenset({Role.MEDEWERKER})), station)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "station"


def fail(message: str, code: int = 1) -> int:
    """Print a Dutch error message on stderr and return the exit code."""
    print(f"Fout: {message}", file=sys.stderr)
    return code


def run_guarded(handler, args: argparse.Namespace) -> int:
    """Run a command handler; any error becomes a Dutch message, a log line and exit code 1, never a traceback."""
    command = getattr(args, "command", None) or "?"
    try:
        return handler(args)
    except DomainError as error:
        log.warning("%s: %s", command, error.message, extra=TOLD_USER)
        return fail(error.message)
    except DATABASE_ERRORS as error:
        # Damage found after opening (a bad page deep in the file) is the same story as at opening.
        return fail(unusable_database(db_target(args), error).message)
    except Exception as error:  # noqa: BLE001 - the last line of defence: a Dutch message, the details logged
        log.exception("%s failed unexpectedly", command, extra=TOLD_USER)
        return fail(f"Er ging iets onverwachts mis ({type(error).__name__}). De details staan in het logbestand "
                    f"{log_file()}; geef dat bestand aan de beheerder.")


def open_session_id(context: AppContext, requested: int | None) -> int:
    """Return the requested session id, or the newest open session's id."""
    from app.services.sessions import get_session, latest_open_session

    if requested is not None:
        return get_session(context.services, requested).id
    session = latest_open_session(context.services)
    if session is None:
        raise DomainError("Er is geen open sessie in deze database. Maak eerst een sessie aan.")
    return session.id
