"""`prikpost import-scans`: read a scanner's batch memory (one scan per line) into the open session."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.wording import os_reason
from app.scanning.intake import register_scanned_text
from app.services.scans import OUTCOME_TITLES, Outcome

from .common import add_db_argument, fail, open_context, open_session_id


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-scans", help="lees scans uit het geheugen van een scanner (achteraf)")
    add_db_argument(parser)
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    parser.add_argument("file", type=Path, help="tekstbestand met één scan per regel")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        lines = args.file.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError as error:
        return fail(f"{args.file} kan niet gelezen worden ({os_reason(error)}).")
    context = open_context(args)
    try:
        session_id = open_session_id(context, args.session)
        counts: dict[Outcome, int] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            outcome = register_scanned_text(context.services, session_id, line,
                                            context.settings.scanner.card_pattern, source="batch")
            counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
            who = f" {outcome.name}" if outcome.name else ""
            print(f"regel {number}: {outcome.title}: {outcome.bsn}{who} – {outcome.message}")
    finally:
        context.close()
    print("Samenvatting: " + ", ".join(f"{n}× {OUTCOME_TITLES[o]}" for o, n in counts.items()) if counts else
          "Geen scans in het bestand.")
    return 0
