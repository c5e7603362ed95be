"""`prikpost host start|status|stop`: share a session with other laptops (stations) on the LAN, without a screen."""

from __future__ import annotations

import argparse

from app.domain.errors import DomainError
from app.sharing import hosting

from .common import add_db_argument, open_context, open_session_id

SHARED = "Sessie {session} wordt gedeeld op {address}."
JOIN_WITH = ("Laat een andere laptop meedoen met deze code (Sessie › Meedoen met een sessie, of "
             "'prikpost import-scans --join CODE BESTAND'):")


def register(subparsers) -> None:
    parser = subparsers.add_parser("host", help="deel een sessie met andere laptops op het netwerk (stations)")
    actions = parser.add_subparsers(dest="host_action", metavar="ACTIE", required=True)
    start = actions.add_parser("start", help="start de server van de sessie en toon de deelcode (laatste regel)")
    add_db_argument(start)
    start.add_argument("--session", type=int, default=None, help="sessienummer (standaard de nieuwste open)")
    start.add_argument("--address", default=None,
                       help="adres op het netwerk waarop stations de server bereiken (standaard dat van deze laptop)")
    start.add_argument("--port", type=int, default=None, help="poort (standaard een vrije)")
    start.add_argument("--server", default=None, metavar="URL",
                       help="deel via de eigen PostgreSQL-server van het team (postgresql://beheerder@adres:poort/"
                            "database; het wachtwoord in PGPASSWORD), in plaats van een server op deze laptop")
    start.set_defaults(func=run_start)
    status = actions.add_parser("status", help="zeg of deze database een sessie deelt, en met welke code")
    add_db_argument(status)
    status.set_defaults(func=run_status)
    stop = actions.add_parser("stop", help="haal de gedeelde sessie terug in deze database en stop de server")
    add_db_argument(stop)
    stop.set_defaults(func=run_stop)


def run_start(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        hosting.refuse_if_shared(context.services)  # before choosing a session: the shared one is no longer open
        session_id = open_session_id(context, args.session)
        if args.server:
            if args.address or args.port:
                raise DomainError("Geef --server of --address/--port, niet beide: de URL zegt waar de server is.")
            state = hosting.start_on_team_server(context.services, session_id, args.server)
        else:
            state = hosting.start(context.services, session_id, address=args.address, port=args.port)
    finally:
        context.close()
    print(SHARED.format(session=state.session_id, address=state.code.address))
    print("Stop met 'prikpost host stop': dan komt alles wat de stations registreerden terug in deze database.")
    print(JOIN_WITH)
    print(state.code.text(), flush=True)
    return 0


def run_status(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        state = hosting.hosting(context.services)
        if state is None:
            print(hosting.NOT_SHARED)
            return 3
        running = state.running()
    finally:
        context.close()
    if not running:
        print(f"Sessie {state.session_id} is gedeeld, maar de server draait niet (meer). Haal de sessie terug met "
              "'prikpost host stop'.")
        return 1
    print(SHARED.format(session=state.session_id, address=state.code.address))
    print(JOIN_WITH)
    print(state.code.text())
    return 0


def run_stop(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        state = hosting.hosting(context.services)
        if state is None:
            raise DomainError(hosting.NOT_SHARED)
        carried = hosting.stop(context.services)
    finally:
        context.close()
    registrations = carried.rows.get("registrations", 0)
    server = ("De sessie is van de server van het team verwijderd; die server draait door." if state.team_server
              else "De server is gestopt en zijn bestanden zijn verwijderd.")
    print(f"Sessie {state.session_id} is terug in deze database ({registrations} registraties, "
          f"{carried.audit_entries} auditregels van de stations). {server}")
    return 0
