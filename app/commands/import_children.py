"""`prikpost import-children`: read the expected-children CSV into a session."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.domain.errors import DomainError
from app.services.expected_list import RowProblem, import_expected_list, read_expected_file

from .common import TOLD_USER, add_db_argument, fail, open_context, open_session_id

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-children", help="lees de lijst van verwachte kinderen (CSV) in",
                                   description="Lees een CSV-bestand (BSN; naam; geboortedatum; geslacht; postcode; "
                                               "groep/klas) in. Foute regels worden overgeslagen en genoemd; kan "
                                               "er geen enkel kind gelezen worden, dan eindigt de opdracht met "
                                               "een fout.")
    add_db_argument(parser)
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    parser.add_argument("file", type=Path, metavar="BESTAND", help="het CSV-bestand met verwachte kinderen")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        data = read_expected_file(args.file)  # the size is checked before a byte is read
    except DomainError as error:
        return fail(error.message)
    context = open_context(args)
    try:
        report = import_expected_list(context.services, open_session_id(context, args.session), data,
                                      source=str(args.file))
    finally:
        context.close()
    if report.nothing_read:
        log.warning("expected list %s: no child read, %d problem(s)", args.file, len(report.problems),
                    extra=TOLD_USER)
        why = "er staan geen kinderen in" if not report.problems else "geen enkele regel is bruikbaar"
        code = fail(f"Uit {args.file} is geen enkel kind ingelezen: {why}.")
        for problem in report.problems:
            print(_problem_line(problem), file=sys.stderr)
        return code
    print(report.summary())
    for problem in report.problems:
        print(_problem_line(problem))
    for note in report.differing:
        print(_problem_line(note))
    return 0


def _problem_line(problem: RowProblem) -> str:
    where = f"regel {problem.line}: " if problem.line else ""  # line 0: the file as a whole
    return f"  {where}{problem.reason}"
