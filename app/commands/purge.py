"""`prikpost purge`: remove children's data whose messages were acknowledged longer ago than the retention."""

from __future__ import annotations

import argparse

from app.services.retention import purge_expired

from .common import add_db_argument
from .user import open_signed_in


def register(subparsers) -> None:
    parser = subparsers.add_parser("purge", help="ruim oude, bevestigde gegevens van kinderen op",
                                   description="Verwijder registraties en berichten die langer dan de bewaartermijn "
                                               "geleden bevestigd zijn. Niet verzonden gegevens blijven staan.")
    add_db_argument(parser)
    parser.add_argument("--days", type=int, default=None,
                        help="bewaartermijn in dagen (standaard uit de instellingen, 90)")
    parser.add_argument("--as", dest="as_user", default=None, help="uw gebruikersnaam (beheerder)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    context = open_signed_in(args)
    try:
        days = args.days if args.days is not None else context.settings.security.retention_days
        print(purge_expired(context.services, days).message)
        return 0
    finally:
        context.close()
