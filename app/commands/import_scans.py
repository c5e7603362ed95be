"""`prikpost import-scans`: read a scanner's batch memory (one scan per line) into the open session.

A line ends at LF (or CR LF) only: the control characters a code may hold (GS, FS, RS, VT, NEL, ...) stay
inside its line, so two BSNs on one line are refused as the live scan path refuses them, instead of being
split into two scans. The file and each line have a size limit, checked before they are read."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.domain.wording import os_reason
from app.services.scans import OUTCOME_TITLES, Outcome, register_scanned_text

from .common import add_db_argument, fail, open_context, open_session_id, open_station_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-scans", help="lees scans uit het geheugen van een scanner (achteraf)")
    add_db_argument(parser)
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    parser.add_argument("--join", metavar="CODE", default=None,
                        help="registreer als station in een gedeelde sessie: de deelcode van de host (PRIK-…)")
    parser.add_argument("--station", metavar="NAAM", default=None,
                        help="naam van dit station in de gedeelde sessie (standaard de naam van deze laptop)")
    parser.add_argument("--as", dest="as_user", default=None,
                        help="bij --join: wie scant (standaard $PRIKPOST_USER of uw gebruikersnaam op deze laptop)")
    parser.add_argument("file", type=Path, help="tekstbestand met één scan per regel")
    parser.set_defaults(func=run)


# A scanner's batch memory holds a few thousand scans; a 2D code at most a few thousand characters.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LINE_BYTES = 4096
TOO_LONG = "Ongeldige code: de regel is langer dan {limit} tekens en is overgeslagen."


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str | None]]:
    """Yield (line number, text) per LF-ended line; text is None for a line over the size limit."""
    number = 0
    while True:
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):  # skip the rest of the long line, a piece at a time
                chunk = stream.readline(MAX_LINE_BYTES)
            yield number, None
            continue
        yield number, chunk.rstrip(b"\n").removesuffix(b"\r").decode("utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    try:
        size = args.file.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(f"{args.file} is te groot voor een scannergeheugen ({size // 1024 // 1024} MB; "
                        f"hoogstens {MAX_FILE_BYTES // 1024 // 1024} MB). Kies het juiste bestand.")
        stream = args.file.open("rb")
    except OSError as error:
        return fail(f"{args.file} kan niet gelezen worden ({os_reason(error)}).")
    with stream:
        return _import(args, stream)


def _import(args: argparse.Namespace, stream: BinaryIO) -> int:
    context = open_station_context(args) if args.join else open_context(args)
    try:
        session_id = open_session_id(context, args.session)
        counts: dict[Outcome, int] = {}
        lines = _lines(stream)
        while True:
            try:
                number, line = next(lines, (0, ""))
            except OSError as error:
                return fail(f"{args.file} kan niet verder gelezen worden ({os_reason(error)}).")
            if not number:
                break
            if line is None:
                counts[Outcome.INVALID] = counts.get(Outcome.INVALID, 0) + 1
                print(f"regel {number}: {TOO_LONG.format(limit=MAX_LINE_BYTES)}")
                continue
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
