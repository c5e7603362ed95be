"""`prikpost demo`: create a demo session without a screen."""

from __future__ import annotations

import argparse

from app.services.demo import seed_demo

from .common import add_db_argument, open_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="maak een demosessie met fictieve kinderen")
    add_db_argument(parser)
    parser.add_argument("--children", type=int, default=30, help="aantal fictieve kinderen (standaard 30)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        session_id = seed_demo(context.services, args.children)
        print(f"Demosessie {session_id} aangemaakt in {context.db.path} met {max(args.children, 8)} kinderen.")
        return 0
    finally:
        context.close()
