"""Open a store: decide from its status how (create, sign in, open as it is) and hand back the open Database.

The one place that turns a target into an open store, for the window (`app/ui/launch.py`), the commands
(`app/commands/common.py`) and the composition root (`app/context.py`):
- a file path: SQLite, under SQLCipher with the key a user's passphrase unwraps from the key file beside it;
  a new file becomes an encrypted demo database (login demo/demo) or, with a passphrase, the first
  beheerder's; a plain file of an older version opens as it is, with a warning;
- a PostgreSQL URL: a shared session's store; the server guards its own files, so no key.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.wording import for_the_user
from app.store.engine import Database, is_database_url

from . import users
from .store_status import ENCRYPTED, NEW, PLAIN, REFUSED, SHARED, DatabaseStatus, database_status

log = logging.getLogger(__name__)

NOT_PRIKPOST = ("{path} is geen Prikpost-database (of is beschadigd, of het sleutelbestand ernaast ontbreekt). "
                "Prikpost opent het niet, zodat er niets aan verandert.")
PASSPHRASE_NEEDED = ("Deze database is versleuteld. Meld u aan met uw gebruikersnaam en wachtwoord (op de "
                     "opdrachtregel: zet PRIKPOST_USER en PRIKPOST_PASSPHRASE).")


def unlock(target: Path | str, passphrase: str | None = None, login: str | None = None,
           status: DatabaseStatus | None = None) -> users.Unlocked | None:
    """Return the key that opens the target, creating a new encrypted database when there is none yet.

    None means the store opens without a key: a plain database of an older version, or a shared PostgreSQL
    store. A new file becomes the encrypted demo database unless a passphrase is given, which makes `login`
    (default 'beheerder') its first beheerder. A demo database opens with the demo login by itself.
    """
    status = status or database_status(target)
    if status.kind == SHARED:
        return None
    if status.kind == REFUSED:
        raise DomainError(NOT_PRIKPOST.format(path=status.path))
    if status.kind == PLAIN:
        log.warning("database %s is not encrypted; encrypt it with 'prikpost encrypt'", status.path,
                    extra=for_the_user(f"database {status.path} is niet versleuteld. Versleutel haar met "
                                       "'prikpost encrypt' voordat u er echte gegevens van kinderen in zet."))
        return None
    if status.kind == NEW:
        if passphrase is None:
            log.warning("new database %s gets the demo login; create the first user for real data", status.path)
            return users.create_demo_user(status.path)
        return users.create_first_user(status.path, login or "beheerder", passphrase)
    assert status.kind == ENCRYPTED
    if passphrase is None and status.demo:
        passphrase, login = users.DEMO_PASSPHRASE, login or users.DEMO_LOGIN
    if passphrase is None:
        raise users.PassphraseRequired(PASSPHRASE_NEEDED)
    return users.login(status.path, login, passphrase)


def open_store(target: Path | str, unlocked: users.Unlocked | None = None) -> Database:
    """Open (and migrate) the store at `target`: a file under the unlocked key (or plain), or a PostgreSQL URL.

    A station joining a shared store signs in on its own encrypted file first; that sign-in (`unlocked`) names
    who works, while the server's own files need no key of ours."""
    if is_database_url(target):
        return Database(target)
    return Database(target, key=unlocked.key if unlocked else None)
