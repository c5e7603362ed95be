"""`prikpost user add|list|remove`: manage who can open the encrypted database, without a screen.

Passphrases are read with getpass on a terminal, else one per line from stdin. The beheerder who signs in
for `add` and `remove` gives their login with --as (or $PRIKPOST_USER) and their passphrase in
$PRIKPOST_PASSPHRASE or at the prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.roles import ROLE_LABELS, parse_roles
from app.services import users
from app.services.store_status import database_status

from .common import add_db_argument, ask_line, check_database_file, database_errors, db_path, fail


def register(subparsers) -> None:
    parser = subparsers.add_parser("user", help="gebruikers van de versleutelde database beheren",
                                   description="Voeg gebruikers toe, toon of verwijder ze. De eerste gebruiker van "
                                               "een nieuwe database wordt beheerder.")
    add_db_argument(parser)
    actions = parser.add_subparsers(dest="user_action", metavar="add|list|remove", required=True)
    add = actions.add_parser("add", help="gebruiker toevoegen (het wachtwoord wordt gevraagd of van stdin gelezen)")
    add_db_argument(add)
    add.add_argument("--name", required=True, help="gebruikersnaam om mee aan te melden")
    add.add_argument("--role", default="medewerker",
                     help="medewerker, jgz-professional of beheerder (meerdere met komma's)")
    add.add_argument("--display-name", default="", help="volledige naam (komt in de berichten)")
    add.add_argument("--big", default="", help="BIG-nummer (11 cijfers) van een JGZ-professional")
    add.add_argument("--agb", default="", help="AGB-code (8 cijfers)")
    add.add_argument("--uzi", default="", help="UZI-nummer (9 cijfers) van een JGZ-professional")
    add.add_argument("--rolcode", default="", help="UZI-rolcode, bv. 30.000 (verpleegkundige) of 01.070 (jeugdarts)")
    add.add_argument("--as", dest="as_user", default=None, help="uw eigen gebruikersnaam (beheerder)")
    change = actions.add_parser("set", help="naam en nummers van een gebruiker wijzigen (komen in de berichten)")
    add_db_argument(change)
    change.add_argument("--name", required=True, help="gebruikersnaam")
    change.add_argument("--display-name", default="", help="volledige naam")
    change.add_argument("--big", default="", help="BIG-nummer (11 cijfers)")
    change.add_argument("--agb", default="", help="AGB-code (8 cijfers)")
    change.add_argument("--uzi", default="", help="UZI-nummer (9 cijfers)")
    change.add_argument("--rolcode", default="", help="UZI-rolcode, bv. 30.000 of 01.070")
    change.add_argument("--as", dest="as_user", default=None, help="uw eigen gebruikersnaam (beheerder)")
    listing = actions.add_parser("list", help="gebruikers tonen")
    add_db_argument(listing)
    listing.add_argument("--as", dest="as_user", default=None, help="uw eigen gebruikersnaam")
    remove = actions.add_parser("remove", help="toegang van een gebruiker intrekken")
    add_db_argument(remove)
    remove.add_argument("--name", required=True, help="gebruikersnaam")
    remove.add_argument("--as", dest="as_user", default=None, help="uw eigen gebruikersnaam (beheerder)")
    parser.set_defaults(func=run)


def read_secret(prompt: str, confirm: bool = False) -> str:
    """Read a passphrase: hidden on a terminal (asked twice when confirming), else one line from stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Nogmaals: ") != first:
            raise DomainError("De twee wachtwoorden zijn niet gelijk. Er is niets gewijzigd.")
        return first
    line = sys.stdin.readline()
    if not line:
        raise DomainError("Geen wachtwoord ontvangen op stdin.")
    return line.rstrip("\r\n")


def open_signed_in(args: argparse.Namespace) -> AppContext:
    """Open the existing database, asking who signs in when it is encrypted and not a demo."""
    path = db_path(args)
    check_database_file(path)
    status = database_status(path)
    login = getattr(args, "as_user", None) or os.environ.get("PRIKPOST_USER") or None
    passphrase = os.environ.get("PRIKPOST_PASSPHRASE") or None
    if status.needs_login and not status.demo and passphrase is None:
        if login is None and sys.stdin.isatty():
            login = ask_line("Gebruikersnaam: ") or None
        passphrase = read_secret("Wachtwoord: ")
    with database_errors(path):
        return AppContext.open(path, login=login, passphrase=passphrase)


def run(args: argparse.Namespace) -> int:
    handler = {"add": _add, "set": _set, "list": _list, "remove": _remove}[args.user_action]
    try:
        return handler(args)
    except DomainError as error:
        return fail(error.message)


def _set(args: argparse.Namespace) -> int:
    context = open_signed_in(args)
    try:
        users.set_professional_details(context.services, args.name, args.display_name, args.big, args.agb,
                                       args.uzi, args.rolcode)
        print(f"Gegevens van {args.name.strip()} gewijzigd.")
        return 0
    finally:
        context.close()


def _add(args: argparse.Namespace) -> int:
    path = db_path(args)
    roles = parse_roles(args.role)
    if database_status(path).needs_first_user:
        passphrase = read_secret(f"Nieuw wachtwoord voor {args.name}: ", confirm=True)
        users.create_first_user(path, args.name, passphrase, args.display_name, roles, args.big, args.agb,
                                uzi_number=args.uzi, role_code=args.rolcode)
        print(f"Database {path} versleuteld aangemaakt; {args.name} is de eerste gebruiker "
              f"({', '.join(ROLE_LABELS[r] for r in sorted(roles, key=lambda r: r.value))}).")
        return 0
    context = open_signed_in(args)
    try:
        passphrase = read_secret(f"Nieuw wachtwoord voor {args.name}: ", confirm=True)
        info = users.add_user(context.services, args.name, roles, passphrase, args.display_name, args.big, args.agb,
                              args.uzi, args.rolcode)
        print(f"Gebruiker {info.login} toegevoegd.")
        return 0
    finally:
        context.close()


def _list(args: argparse.Namespace) -> int:
    context = open_signed_in(args)
    try:
        for info in users.list_users(context.services):
            roles = ", ".join(ROLE_LABELS[r] for r in sorted(info.roles, key=lambda r: r.value))
            numbers = " ".join(part for part in (f"BIG {info.big_number}" if info.big_number else "",
                                                 f"AGB {info.agb_code}" if info.agb_code else "") if part)
            print(f"{info.login}\t{info.display_name}\t{roles}\t{numbers}".rstrip())
        return 0
    finally:
        context.close()


def _remove(args: argparse.Namespace) -> int:
    context = open_signed_in(args)
    try:
        users.remove_user(context.services, args.name)
        print(f"Gebruiker {args.name} kan de database niet meer openen.")
        return 0
    finally:
        context.close()
