"""Entry point: parse the command line, build the context, run the GUI or a subcommand."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from app.commands import COMMANDS
from app.commands.argparse_nl import DutchArgumentParser
from app.commands.common import run_guarded
from app.domain.wording import os_reason
from app.logfile import PrivateFormatter, PrivateRotatingFileHandler
from app.settings import default_data_dir
from app.store.engine import private_folder


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the GUI options and every subcommand."""
    parser = DutchArgumentParser(prog="prikpost", description="Prikpost: vaccinaties registreren op school.")
    parser.add_argument("--db", type=Path, default=None,
                        help="databasebestand (standaard: in de gegevensmap van de gebruiker)")
    parser.add_argument("--demo", action="store_true", help="start op een demodatabase met fictieve kinderen")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="meer logregels: alle meldingen ook op het scherm (stderr) en details in het logbestand")
    subparsers = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    for name in COMMANDS:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


class _StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is at the moment (tests and redirections replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _for_the_user(record: logging.LogRecord) -> bool:
    # Only a record that carries a Dutch text for the user (wording.for_the_user), and that the user has not
    # already read as "Fout: ...": everything else is for the maintainer, in the log file.
    return bool(getattr(record, "user_text", None)) and not getattr(record, "told_user", False)


class _UserFormatter(logging.Formatter):
    """Show a record's Dutch user text on one line; the English message and any traceback stay in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        return f"Let op: {record.user_text}"


def setup_logging(verbose: bool) -> list[logging.Handler]:
    """Log INFO (DEBUG with -v) to prikpost.log in the data folder; stderr shows only notices for the user.

    Without -v, stderr gets only the records marked for the user, in Dutch ("Let op: ..."): what the user
    must read and is not told otherwise. With -v every record goes to stderr as well, as in the log file.
    Returns the handlers added to the root logger, for teardown_logging.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "prikpost", False)]:
        root.removeHandler(handler)
        handler.close()
    file_format = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    stderr = _StderrHandler()
    stderr.setLevel(logging.DEBUG)
    if verbose:
        stderr.setFormatter(file_format)
    else:
        stderr.setFormatter(_UserFormatter())
        stderr.addFilter(_for_the_user)
    handlers: list[logging.Handler] = [stderr]
    try:
        folder = private_folder(default_data_dir())  # the data folder is Prikpost's own: 0700
        path = folder / "prikpost.log"
        logfile = PrivateRotatingFileHandler(path)
        logfile.setLevel(logging.DEBUG if verbose else logging.INFO)
        logfile.setFormatter(PrivateFormatter(file_format._fmt))
        handlers.append(logfile)
    except OSError as error:
        print(f"Let op: het logbestand in {default_data_dir()} kan niet geschreven worden ({os_reason(error)}).",
              file=sys.stderr)
    for handler in handlers:
        handler.prikpost = True
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handlers


def teardown_logging(handlers: list[logging.Handler]) -> None:
    """Remove and close the handlers setup_logging added (the log file is flushed and closed)."""
    root = logging.getLogger()
    for handler in handlers:
        root.removeHandler(handler)
        handler.close()


def main(argv: list[str] | None = None) -> int:
    """Run Prikpost: the GUI without a subcommand, else the subcommand."""
    args = build_parser().parse_args(argv)
    handlers = setup_logging(args.verbose)
    try:
        if args.command is None:
            from app.ui.launch import run_gui

            return run_gui(args.db, demo=args.demo)
        return run_guarded(args.func, args)
    finally:
        teardown_logging(handlers)


def main_gui() -> int:
    """Entry for the gui-script: always the GUI."""
    return main([arg for arg in sys.argv[1:] if arg])


if __name__ == "__main__":
    sys.exit(main())
