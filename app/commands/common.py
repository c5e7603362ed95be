"""Helpers every subcommand shares: open the context from --db, print Dutch errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.context import AppContext
from app.domain.errors import DomainError


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """Add --db PATH (the database file) to a parser."""
    # SUPPRESS: a --db given before the subcommand is not reset by the subcommand's own default.
    parser.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help="databasebestand (standaard: in de gegevensmap van de gebruiker)")


def open_context(args: argparse.Namespace) -> AppContext:
    """Open the app context on the database named by --db (or the default)."""
    return AppContext.open(getattr(args, "db", None))


def fail(message: str, code: int = 1) -> int:
    """Print a Dutch error message on stderr and return the exit code."""
    print(f"Fout: {message}", file=sys.stderr)
    return code


def run_guarded(handler, args: argparse.Namespace) -> int:
    """Run a command handler; a DomainError becomes a Dutch message and exit code 1."""
    try:
        return handler(args)
    except DomainError as error:
        return fail(error.message)


def open_session_id(context: AppContext, requested: int | None) -> int:
    """Return the requested session id, or the newest open session's id."""
    from app.services.sessions import get_session, latest_open_session

    if requested is not None:
        return get_session(context.services, requested).id
    session = latest_open_session(context.services)
    if session is None:
        raise DomainError("Er is geen open sessie in deze database. Maak eerst een sessie aan.")
    return session.id
