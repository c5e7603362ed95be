"""`prikpost import-scans`: read a scanner's batch memory (one scan per line) into the open session.

A line ends at LF (or CR LF) only: the control characters a code may hold (GS, FS, RS, VT, NEL, ...) stay
inside its line, so two BSNs on one line are refused as the live scan path refuses them, instead of being
split into two scans. The file and each line have a size limit, checked before they are read."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import DBAPIError

from app.domain.errors import DomainError
from app.domain.wording import count_noun, os_reason
from app.services.offline_scans import keep_scanned_text, kept_count, replay
from app.services.scans import OUTCOME_TITLES, Outcome, ScanOutcome, register_scanned_text, session_id_kind

from .common import add_db_argument, fail, open_context, open_session_id, open_station_context


def register(subparsers) -> None:
    parser = subparsers.add_parser("import-scans", help="lees scans uit het geheugen van een scanner (achteraf)")
    add_db_argument(parser)
    parser.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    parser.add_argument("--join", metavar="CODE", default=None,
                        help="registreer als station in een gedeelde sessie: de deelcode van de host (PRIK-…); "
                             "met --db worden scans daar bewaard als de host onbereikbaar wordt, en bij een "
                             "volgende run doorgegeven")
    parser.add_argument("--station", metavar="NAAM", default=None,
                        help="naam van dit station in de gedeelde sessie (standaard de naam van deze laptop)")
    parser.add_argument("--as", dest="as_user", default=None,
                        help="bij --join: wie scant (standaard $PRIKPOST_USER of uw gebruikersnaam op deze laptop)")
    parser.add_argument("file", type=Path, help="tekstbestand met één scan per regel")
    parser.set_defaults(func=run)


# A scanner's batch memory holds a few thousand scans; a 2D code at most a few thousand characters.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LINE_BYTES = 4096
log = logging.getLogger(__name__)
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
    if args.join:
        return _import_as_station(args, stream)
    context = open_context(args)
    try:
        session_id = open_session_id(context, args.session)
        card_pattern = context.settings.scanner.card_pattern
        return _read_scans(args, stream, lambda _number, line: register_scanned_text(
            context.services, session_id, line, card_pattern, source="batch"))
    finally:
        context.close()


def _import_as_station(args: argparse.Namespace, stream: BinaryIO) -> int:
    """Register the scans through a shared session; with --db, keep them there when the host goes out of reach.

    A later run with the same --join and --db passes the kept scans on first (replay); a clash with another
    station becomes a conflict the professional resolves in the window (Sessie › Conflicten oplossen…)."""
    # The own store signs in as its own user ($PRIKPOST_USER, or asked); --as names who scans in the shared session.
    own = open_context(argparse.Namespace(**{**vars(args), "as_user": None})) if getattr(args, "db", None) else None
    try:
        context = open_station_context(args)
    except BaseException:
        if own is not None:
            own.close()
        raise
    try:
        session_id = open_session_id(context, args.session)
        card_pattern = context.settings.scanner.card_pattern
        kind = session_id_kind(context.services, session_id)
        shared_store = context.db.url
        # Kept under the station's name in the shared session: the name its registrations will carry.
        local = replace(own.services, station=context.services.station) if own is not None else None
        if local is not None and kept_count(local, shared_store):
            print(f"Eerder bewaarde scans: {replay(local, context.services, shared_store).summary()}")
        lost_at: list[int] = []

        def take(number: int, line: str) -> ScanOutcome:
            if not lost_at:
                try:
                    return register_scanned_text(context.services, session_id, line, card_pattern, source="batch")
                except DBAPIError as error:
                    log.warning("the shared session went out of reach at a line of the batch (%s)",
                                type(error).__name__)
                    if local is None:
                        raise HostLost(LOST_WITHOUT_DB.format(line=number)) from None
                    lost_at.append(number)
                    print(LOST_KEEPING.format(line=number))
            return keep_scanned_text(local, shared_store, session_id, line, card_pattern, kind, source="batch")

        result = _read_scans(args, stream, take)
        if lost_at:
            print(KEPT_LATER.format(scans=count_noun(kept_count(local, shared_store), "scan", "scans")))
        return result
    except HostLost as lost:
        return fail(lost.message)
    finally:
        context.close()
        if own is not None:
            own.close()


class HostLost(DomainError):
    """The shared session went out of reach mid-run and there is no own store (--db) to keep the rest in."""


LOST_WITHOUT_DB = ("De gedeelde sessie is niet meer bereikbaar vanaf regel {line}: die regel en de volgende zijn NIET "
                   "geregistreerd. Lees hetzelfde bestand opnieuw in zodra de host weer bereikbaar is (al "
                   "geregistreerde kinderen worden herkend), of geef --db PAD om scans op deze laptop te bewaren.")
LOST_KEEPING = ("Niet verbonden — scans worden bewaard: vanaf regel {line} komen de scans in de eigen database "
                "(--db) en gaan ze bij een volgende run met dezelfde --join en --db naar de gedeelde sessie.")
KEPT_LATER = ("{scans} bewaard op deze laptop. Geef ze door met dezelfde opdracht (--join en --db) zodra de host "
              "weer bereikbaar is.")


def _read_scans(args: argparse.Namespace, stream: BinaryIO, take: Callable[[int, str], ScanOutcome]) -> int:
    """Pass each line of the batch to `take`, print each outcome and the summary."""
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
        outcome = take(number, line)
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
        who = f" {outcome.name}" if outcome.name else ""
        print(f"regel {number}: {outcome.title}: {outcome.bsn}{who} – {outcome.message}")
    print("Samenvatting: " + ", ".join(f"{n}× {OUTCOME_TITLES[o]}" for o, n in counts.items()) if counts else
          "Geen scans in het bestand.")
    return 0
