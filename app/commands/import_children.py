"""`prikpost import-children`: read the expected-children CSV into a session."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.services.expected_list import import_expected_list

from .common import add_db_argument, fail, open_context, open_session_id


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-children", help="lees de lijst van verwachte kinderen (CSV) in")
    add_db_argument(parser)
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    parser.add_argument("file", type=Path)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        return fail(f"{args.file} kan niet gelezen worden ({error.strerror}).")
    context = open_context(args)
    try:
        report = import_expected_list(context.services, open_session_id(context, args.session), data,
                                      source=str(args.file))
    finally:
        context.close()
    print(report.summary())
    for problem in report.problems:
        print(f"  regel {problem.line}: {problem.reason}")
    return 0
