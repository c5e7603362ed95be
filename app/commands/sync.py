"""`prikpost sync`: send every message not yet acknowledged, now, and print a Dutch summary."""

from __future__ import annotations

import argparse

from app.outbox.sender import send_now

from .common import add_db_argument, open_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="verzend nu alle berichten die nog niet bevestigd zijn")
    add_db_argument(parser)
    parser.add_argument("--url", default=None, help="adres van de ontvanger (standaard uit de instellingen)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="berichten per keer uit de wachtrij genomen (elke bevestiging wordt meteen vastgelegd)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        settings = context.settings.outbox
        if args.batch_size:
            settings.send_batch_size = args.batch_size
        report = send_now(context.services, settings, url=args.url)
    finally:
        context.close()
    print(report.summary())
    return 0 if report.ok else 2
