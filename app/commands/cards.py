"""`prikpost cards OUT.pdf`: print test call-up cards with barcodes and a page of scanner advice."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.wording import count_noun, os_reason
from app.reports.cards import SYMBOLOGIES, write_cards_pdf
from app.settings import Settings, default_settings_path

from .common import add_db_argument, fail, open_context, open_session_id


def register(subparsers) -> None:
    parser = subparsers.add_parser("cards", help="maak testoproepkaarten met barcode (PDF)",
                                   description="Maak oproepkaarten om scanner en camera mee te testen, met een "
                                               "pagina advies voor het instellen van de scanner.")
    parser.add_argument("output", type=Path, metavar="UIT.pdf", help="het PDF-bestand dat wordt gemaakt")
    parser.add_argument("--demo", action="store_true", help="gebruik fictieve demokinderen")
    parser.add_argument("--symbology", choices=SYMBOLOGIES, default="code128",
                        help="soort barcode (standaard code128)")
    parser.add_argument("--children", type=int, default=30, help="aantal demokinderen (standaard 30)")
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open sessie)")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def _children(args: argparse.Namespace):
    if args.demo:
        from app.services.demo import demo_children

        return demo_children(args.children)
    from app.services.overview import session_overview

    context = open_context(args)
    try:
        return list(session_overview(context.services, open_session_id(context, args.session)).children)
    finally:
        context.close()


def run(args: argparse.Namespace) -> int:
    children = _children(args)
    if not children:
        return fail("Er zijn geen kinderen om kaarten voor te maken. Gebruik --demo voor fictieve kinderen.")
    scanner = Settings.load(default_settings_path()).scanner
    try:
        pages = write_cards_pdf(args.output, children, args.symbology, scanner)
    except OSError as error:
        return fail(f"Kan {args.output} niet schrijven: {os_reason(error)}.")
    cards, sheets = count_noun(len(children), "testkaart", "testkaarten"), count_noun(pages, "pagina", "pagina's")
    print(f"{cards} op {sheets} geschreven naar {args.output}.")
    return 0
