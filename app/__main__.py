"""Entry point: parse the command line, build the context, run the GUI or a subcommand."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from app.commands import COMMANDS
from app.commands.common import run_guarded
from app.settings import default_data_dir


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the GUI options and every subcommand."""
    parser = argparse.ArgumentParser(prog="prikpost", description="Prikpost: vaccinaties registreren op school.")
    parser.add_argument("--db", type=Path, default=None,
                        help="databasebestand (standaard: in de gegevensmap van de gebruiker)")
    parser.add_argument("--demo", action="store_true", help="start op een demodatabase met fictieve kinderen")
    parser.add_argument("-v", "--verbose", action="store_true", help="meer logregels")
    subparsers = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    for name in COMMANDS:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


def setup_logging(verbose: bool) -> None:
    """Log to stderr and to a file in the data folder for the maintainer."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    try:
        folder = default_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(folder / "prikpost.log", encoding="utf-8"))
    except OSError:
        pass
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=handlers,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    """Run Prikpost: the GUI without a subcommand, else the subcommand."""
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    if args.command is None:
        from app.ui.launch import run_gui

        return run_gui(args.db, demo=args.demo)
    return run_guarded(args.func, args)


def main_gui() -> int:
    """Entry for the gui-script: always the GUI."""
    return main([arg for arg in sys.argv[1:] if arg])


if __name__ == "__main__":
    sys.exit(main())
