"""`prikpost cards OUT.pdf`: print test call-up cards with barcodes and a page of scanner advice."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from app.domain.wording import count_noun, os_reason
from app.reports.cards import SYMBOLOGIES, write_cards_pdf
from app.settings import Settings, default_settings_path

from .common import add_db_argument, fail, open_context, open_session_id


def register(subparsers) -> None:
    parser = subparsers.add_parser("cards", help="maak testoproepkaarten met barcode (PDF)",
                                   description="Maak oproepkaarten om scanner en camera mee te testen, met een "
                                               "pagina advies voor het instellen van de scanner.")
    parser.add_argument("output", type=Path, metavar="UIT.pdf", nargs="?", help="het PDF-bestand dat wordt gemaakt")
    parser.add_argument("--packs", type=Path, metavar="UIT.pdf", default=None,
                        help="maak testverpakkingen (GS1 DataMatrix) van de demopartijen, ook een verlopen partij")
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


def demo_pack_labels(today):
    """Return labels of the demo lots: two MenACWY boxes with different lots, one expired box, DTP and HPV."""
    from app.reports.pack_labels import PackLabel
    from app.services.demo import demo_lot_list
    from app.services.packs import shipped_gtins

    table = shipped_gtins()
    labels = []
    for index, lot in enumerate(demo_lot_list(today, datetime.now()).lots, start=1):
        products = table.of_vaccine(lot.vaccine_code)
        if not products:
            continue
        product = products[index % len(products)]
        expired = lot.expiry < today
        labels.append(PackLabel(product.gtin, lot.lot_number, lot.expiry, f"TEST{index:04d}", product.product,
                                "VERLOPEN: moet geweigerd worden" if expired else ""))
    return labels


def run_packs(out: Path) -> int:
    from datetime import date

    from app.reports.pack_labels import write_pack_labels_pdf

    labels = demo_pack_labels(date.today())
    try:
        pages = write_pack_labels_pdf(out, labels)
    except OSError as error:
        return fail(f"Kan {out} niet schrijven: {os_reason(error)}.")
    packs, sheets = count_noun(len(labels), "testverpakking", "testverpakkingen"), count_noun(pages, "pagina",
                                                                                             "pagina's")
    print(f"{packs} op {sheets} geschreven naar {out}.")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.packs is not None:
        return run_packs(args.packs)
    if args.output is None:
        return fail("Geef het PDF-bestand voor de kaarten, of --packs UIT.pdf voor testverpakkingen.")
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
