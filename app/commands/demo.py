"""`prikpost demo`: create a demo session without a screen."""

from __future__ import annotations

import argparse

from app.domain.person_id import Receiver
from app.domain.wording import count_noun
from app.services.demo import MAX_DEMO_CHILDREN, MIN_DEMO_CHILDREN, check_demo_size, seed_demo

from .common import add_db_argument, open_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="maak een demosessie met fictieve kinderen",
                                   description="Maak een demosessie met fictieve kinderen in elke toestand. Bestaat "
                                               "de database nog niet, dan wordt ze aangemaakt.")
    add_db_argument(parser)
    # No argparse range check: a wrong number gets a Dutch message and exit code 1 like every other error.
    parser.add_argument("--children", type=int, default=30, metavar="AANTAL",
                        help=f"aantal fictieve kinderen, {MIN_DEMO_CHILDREN} tot en met {MAX_DEMO_CHILDREN} "
                             "(standaard 30); een ander aantal wordt geweigerd")
    parser.add_argument("--receiver", choices=[receiver.value for receiver in Receiver], default="praeventis",
                        help="praeventis (standaard): een Nederlandse sessie met BSN's; vaccinnet: een Vlaamse sessie "
                             "van een CLB met INSZ-nummers")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_demo_size(args.children)  # before the database is made
    context = open_context(args, create=True)
    try:
        receiver = Receiver(args.receiver)
        session_id = seed_demo(context.services, args.children, receiver)
        print(f"Demosessie {session_id} voor {receiver.label} aangemaakt in {context.db.path} met "
              f"{count_noun(args.children, 'kind', 'kinderen')}.")
        return 0
    finally:
        context.close()
