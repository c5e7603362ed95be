"""`prikpost encrypt`: encrypt a plain database of an older version and make its first beheerder."""

from __future__ import annotations

import argparse

from app.domain.errors import DomainError
from app.domain.roles import parse_roles
from app.services import users
from app.services.store_status import database_status
from app.store.keys import key_path_for

from .common import add_db_argument, check_database_file, database_errors, db_path, fail
from .user import read_secret


def register(subparsers) -> None:
    parser = subparsers.add_parser("encrypt", help="versleutel een onversleutelde database",
                                   description="Versleutel een database van een oudere Prikpost-versie. De eerste "
                                               "gebruiker (beheerder) kiest het wachtwoord.")
    add_db_argument(parser)
    parser.add_argument("--name", default="beheerder", help="gebruikersnaam van de beheerder (standaard beheerder)")
    parser.add_argument("--role", default="beheerder", help="rollen (komma's), moet beheerder bevatten")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    try:
        check_database_file(path)
        status = database_status(path)
        if status.kind != "plain":
            raise DomainError("Deze database is al versleuteld." if status.kind == "encrypted"
                              else f"Er is geen database op {path}.")
        roles = parse_roles(args.role)
        passphrase = read_secret(f"Nieuw wachtwoord voor {args.name}: ", confirm=True)
        with database_errors(path):
            unlocked = users.encrypt_plain_database(path, args.name, passphrase, roles)
    except DomainError as error:
        return fail(error.message)
    print(f"Database {path} is versleuteld. Meld u voortaan aan als {unlocked.login}. Bewaar een kopie van "
          f"{key_path_for(path).name} bij de beheerder: zonder dat bestand opent niemand de database.")
    return 0
