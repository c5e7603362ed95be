"""`prikpost import-lots`: replace the lot list with a PRMM_IN010043NL file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.outbox.lot_refresh import import_lot_file

from .common import add_db_argument, open_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-lots", help="vervang de partijlijst door een PRMM_IN010043NL-bestand")
    add_db_argument(parser)
    parser.add_argument("file", type=Path, help="het bestand met de partijlijst (PRMM_IN010043NL, XML)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        print(import_lot_file(context.services, args.file).summary())
    finally:
        context.close()
    return 0
