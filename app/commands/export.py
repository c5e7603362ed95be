"""`prikpost export --list vaccinated --format pdf --out FILE`: write a session list without a screen."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.wording import count_noun
from app.reports.export import FORMATS, write_report
from app.reports.model import ReportKind

from .common import add_db_argument, fail, open_context, open_session_id

KINDS = tuple(k.value for k in ReportKind)
LIST_HELP = ("vaccinated: gevaccineerde kinderen; not-vaccinated: niet gevaccineerd en bezwaren; "
             "expected: verwacht en gescand; failures: uitvallijst")


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="schrijf een lijst van een sessie als PDF of CSV",
                                   description="Schrijf een lijst van een sessie naar een PDF- of CSV-bestand. "
                                               "Het bestand bevat BSN's: bewaar het alleen op een veilige plek.")
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open sessie)")
    # No argparse choices: a wrong value gets a Dutch message and exit code 1 like every other error.
    parser.add_argument("--list", dest="kind", required=True, metavar="|".join(k.value for k in ReportKind),
                        help=LIST_HELP)
    parser.add_argument("--format", dest="fmt", default=None, metavar="pdf|csv",
                        help="pdf of csv (standaard: volgens de extensie van --out)")
    parser.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="het bestand dat wordt gemaakt")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str | None:
    if args.fmt:
        return args.fmt.lower()
    suffix = args.out.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def run(args: argparse.Namespace) -> int:
    fmt = _format(args)
    if fmt is None:
        return fail("Geef het formaat met --format pdf of --format csv.")
    if fmt not in FORMATS:
        return fail(f"Onbekend formaat '{args.fmt}'. Kies pdf of csv.")
    if args.kind not in KINDS:
        return fail(f"Onbekende lijst '{args.kind}'. Kies uit: {', '.join(KINDS)}.")
    context = open_context(args)
    try:
        session_id = open_session_id(context, args.session)
        report = write_report(context.services, session_id, args.kind, fmt, args.out)
    finally:
        context.close()
    print(f"{report.title}: {count_noun(len(report.rows), 'regel', 'regels')} geschreven naar {args.out}.")
    return 0
