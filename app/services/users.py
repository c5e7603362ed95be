"""Users, roles and sign-in: first start, offline login by unwrapping the key, passphrases, PINs, view log.

Before a database is open there is no ServiceContext, so first start and login take the database path;
everything after login takes the ServiceContext of the open database.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.professional import check_role_code, check_uzi_number
from app.domain.roles import Action, Identity, Role, format_roles, parse_roles
from app.domain.wording import count_noun
from app.store.engine import Database
from app.store.keys import (
    DEMO_LOGIN,
    DEMO_PASSPHRASE,
    KeyFile,
    WrongPassphrase,
    hash_secret,
    key_path_for,
    normalise_login,
    verify_secret,
)
from app.store.models import ChildRow, UserRow
from app.store.sign_ins import SignInLog
from app.store.unit_of_work import UnitOfWork

from .base import ServiceContext
from .permissions import needs
from .store_status import ENCRYPTED, NEW, PLAIN, database_status

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 10
DEMO_DISPLAY_NAME = "Demo Verpleegkundige (fictief)"
DEMO_BIG = "99999999999"  # fictional: not in the BIG register
DEMO_UZI = "900000046"  # fictional: the UZI register's test range
DEMO_ROLE_CODE = "30.000"  # verpleegkundige
USER_FIELDS = ("login", "display_name", "role", "big_number", "agb_code", "uzi_number", "role_code", "active")


class PassphraseRequired(DomainError):
    """The database is encrypted and no passphrase was given."""


@dataclass(frozen=True)
class Unlocked:
    """A database key opened by a user's passphrase: hand it to AppContext.open(unlocked=...)."""

    db_path: Path
    key: bytes
    login: str
    roles: frozenset[Role]
    # Failed sign-ins since the last good one, for the audit log once the database is open.
    failed_sign_ins: tuple[dict, ...] = ()

    def __repr__(self) -> str:  # never print the key
        return f"Unlocked({self.db_path}, {self.login!r}, {format_roles(self.roles)!r})"


@dataclass(frozen=True)
class UserInfo:
    login: str
    display_name: str
    roles: frozenset[Role]
    big_number: str
    agb_code: str
    has_pin: bool
    uzi_number: str = ""
    role_code: str = ""


# Guessed first; refused with or without digits and punctuation around them.
WEAK_PASSPHRASES = frozenset({
    "wachtwoord", "password", "welkom", "welkom01", "prikpost", "vaccinatie", "vaccineren", "jgzjgzjgz",
    "qwertyuiop", "azertyuiop", "abcdefghij", "letmein", "geheim", "zomer", "winter", "voorjaar", "najaar",
    "admin", "beheerder", "medewerker", "demo"})


def check_passphrase_strength(passphrase: str, login: str = "") -> None:
    """Refuse a passphrase that is short or easily guessed, with a Dutch message saying what to choose."""
    text = passphrase.strip()
    advice = "; een zin van een paar woorden is sterk en goed te onthouden."
    if len(text) < MIN_PASSPHRASE:
        raise DomainError(f"Kies een wachtwoord van minstens {MIN_PASSPHRASE} tekens{advice}")
    core = "".join(c for c in text.lower() if c.isalpha())
    if not core or core in WEAK_PASSPHRASES or any(core == word * (len(core) // len(word))
                                                    for word in WEAK_PASSPHRASES if len(core) % len(word) == 0):
        raise DomainError(f"Dit wachtwoord wordt snel geraden{advice}")
    if len(set(text.lower())) < 5:
        raise DomainError(f"Dit wachtwoord herhaalt te weinig verschillende tekens{advice}")
    name = normalise_login(login) if login else ""
    if len(name) >= 3 and len(text.lower().replace(name, "").strip()) < 8:
        raise DomainError(f"Dit wachtwoord bestaat vooral uit de gebruikersnaam{advice}")


def _check_login(login: str) -> str:
    name = normalise_login(login)
    if not name or len(name) > 100 or any(c in name for c in ",\n\r\t"):
        raise DomainError("Kies een gebruikersnaam van 1 tot 100 tekens, zonder komma of tab.")
    return name


def _check_numbers(big_number: str, agb_code: str) -> tuple[str, str]:
    big, agb = big_number.strip(), agb_code.strip()
    if big and not (big.isdigit() and len(big) == 11):
        raise DomainError("Een BIG-nummer bestaat uit 11 cijfers.")
    if agb and not (agb.isdigit() and len(agb) == 8):
        raise DomainError("Een AGB-code bestaat uit 8 cijfers.")
    return big, agb



def create_first_user(db_path: Path, login: str, passphrase: str, display_name: str = "",
                      roles: frozenset[Role] = frozenset({Role.BEHEERDER}), big_number: str = "",
                      agb_code: str = "", now: datetime | None = None, demo: bool = False,
                      uzi_number: str = "", role_code: str = "") -> Unlocked:
    """First start: make the database key, wrap it for the first user (a beheerder) and create the database."""
    db_path = Path(db_path)
    status = database_status(db_path)
    if status.kind == ENCRYPTED:
        raise DomainError("Deze database heeft al gebruikers. Meld u aan, of laat de beheerder u toevoegen.")
    if status.kind == PLAIN:
        raise DomainError("Deze database is nog niet versleuteld. Versleutel haar eerst met 'prikpost encrypt'.")
    if status.kind != NEW:
        raise DomainError(f"{db_path} is geen Prikpost-database; Prikpost maakt er geen nieuwe database van.")
    if not demo:
        check_passphrase_strength(passphrase, login)
        if Role.BEHEERDER not in roles:
            raise DomainError("De eerste gebruiker moet beheerder zijn, zodat er iemand gebruikers kan toevoegen.")
    name = _check_login(login)
    big, agb = _check_numbers(big_number, agb_code)
    uzi, role_code = check_uzi_number(uzi_number), check_role_code(role_code)
    _, key = KeyFile.create(db_path, name, format_roles(roles), passphrase, demo=demo)
    db = Database(db_path, key=key)
    try:
        _insert_user(db, name, display_name, roles, (big, agb, uzi, role_code), now or datetime.now(), actor=name)
    finally:
        db.close()
    return Unlocked(db_path, key, name, frozenset(roles))


def create_demo_user(db_path: Path) -> Unlocked:
    """Create a new encrypted demo database opened by the documented demo login 'demo' / 'demo'."""
    return create_first_user(db_path, DEMO_LOGIN, DEMO_PASSPHRASE, DEMO_DISPLAY_NAME,
                             frozenset({Role.PROFESSIONAL, Role.BEHEERDER}), big_number=DEMO_BIG, demo=True,
                             uzi_number=DEMO_UZI, role_code=DEMO_ROLE_CODE)


def _insert_user(db: Database, login: str, display_name: str, roles, numbers: tuple[str, str, str, str],
                 now: datetime, actor: str) -> None:
    big, agb, uzi, role_code = numbers
    with UnitOfWork(db, actor, now) as uow:
        row = UserRow(login=login, display_name=display_name.strip(), role=format_roles(roles), big_number=big,
                      agb_code=agb, uzi_number=uzi, role_code=role_code, active=True, created_at=now)
        uow.session.add(row)
        uow.session.flush()
        uow.audit("create_user", "user", row.id, after={f: getattr(row, f) for f in USER_FIELDS})
        uow.commit()


def encrypt_plain_database(db_path: Path, login_name: str, passphrase: str,
                           roles: frozenset[Role] = frozenset({Role.BEHEERDER}),
                           now: datetime | None = None) -> Unlocked:
    """Encrypt a plain database of an older version under a new key and make its first beheerder."""
    import secrets

    from app.store.convert import encrypt_copy, replace_plain
    from app.store.keys import KEY_BYTES

    db_path = Path(db_path)
    status = database_status(db_path)
    if status.kind != PLAIN:
        raise DomainError("Deze database is al versleuteld." if status.kind == ENCRYPTED
                          else f"Er is geen database op {db_path}.")
    if Role.BEHEERDER not in roles:
        raise DomainError("De eerste gebruiker moet beheerder zijn.")
    check_passphrase_strength(passphrase, login_name)
    name = _check_login(login_name)
    Database(db_path).close()  # bring the plain database to the newest schema first
    key = secrets.token_bytes(KEY_BYTES)
    tmp = db_path.with_name(db_path.name + ".encrypting")
    encrypt_copy(db_path, tmp, key)
    keyfile, _ = KeyFile.create(db_path, name, format_roles(roles), passphrase, db_key=key)
    try:
        replace_plain(db_path, tmp)
    except OSError:
        keyfile.path.unlink(missing_ok=True)
        raise
    db = Database(db_path, key=key)
    try:
        _insert_user(db, name, "", roles, ("", "", "", ""), now or datetime.now(), actor=name)
    finally:
        db.close()
    return Unlocked(db_path, key, name, frozenset(roles))


class SignInDelayed(DomainError):
    """Too many wrong passphrases in a row: the next try must wait a little (never for good)."""


def login(db_path: Path, login_name: str | None, passphrase: str, now: datetime | None = None) -> Unlocked:
    """Offline login: the passphrase is right when it unwraps the database key.

    After a few wrong tries in a row each next try waits longer (up to a minute); the failures are kept
    beside the database and written into its audit log at the next good sign-in.
    """
    now = now or datetime.now()
    keyfile = KeyFile.load(Path(db_path))
    attempts = SignInLog.for_database(Path(db_path))
    _refuse_while_waiting(attempts, now)
    try:
        key, entry = keyfile.unlock(login_name or None, passphrase)
    except WrongPassphrase:
        # Only a known login is kept: what was typed as a name may be someone's passphrase.
        known = keyfile.entry(login_name) if login_name else None
        attempts.failed(now, known.login if known else "")
        log.warning("sign-in failed on %s (%d in a row)", db_path, attempts.failures)
        raise
    return Unlocked(Path(db_path), key, entry.login, parse_roles(entry.role), tuple(attempts.take_pending()))


def _refuse_while_waiting(attempts: SignInLog, now: datetime) -> None:
    """Raise SignInDelayed, saying how long, while the growing wait after wrong passphrases runs."""
    wait_until = attempts.wait_until()
    if wait_until is not None and now < wait_until:
        seconds = max(1, math.ceil((wait_until - now).total_seconds()))
        raise SignInDelayed(f"Er is {attempts.failures} keer na elkaar een verkeerd wachtwoord gegeven. Wacht "
                            f"{count_noun(seconds, 'seconde', 'seconden')} en probeer het dan opnieuw.")


def audit_failed_sign_ins(db: Database, unlocked: Unlocked, now: datetime | None = None) -> None:
    """Write the failed sign-ins that preceded this one into the audit log (they could not be written before)."""
    if not unlocked.failed_sign_ins:
        return
    with UnitOfWork(db, unlocked.login, now or datetime.now()) as uow:
        for failure in unlocked.failed_sign_ins:
            uow.audit("sign_in_failed", "user", None, after={"login": failure.get("login") or None,
                                                              "at": failure.get("at")})
        uow.commit()


def identity(db: Database, unlocked: Unlocked) -> Identity:
    """Return who is signed in: roles from the key file (authenticated), name and numbers from the database."""
    with db.reader() as session:
        row = session.scalars(select(UserRow).where(UserRow.login == unlocked.login)).first()
    if row is not None and not row.active:
        raise WrongPassphrase("Deze gebruiker is uitgeschakeld. Vraag de beheerder om toegang.")
    if row is None:
        return Identity(unlocked.login, unlocked.roles)
    return Identity(unlocked.login, unlocked.roles, row.display_name, row.big_number, row.agb_code,
                    row.uzi_number, row.role_code)


# -- after login -----------------------------------------------------------------------------------------
def _keyfile(sc: ServiceContext) -> KeyFile:
    if sc.db.key is None:
        raise DomainError("Deze database is niet versleuteld en heeft geen gebruikers. Versleutel haar eerst met "
                          "'prikpost encrypt'.")
    return KeyFile.load(sc.db.path)


def list_users(sc: ServiceContext) -> list[UserInfo]:
    """Return the users who can open this database, by login."""
    keyfile = _keyfile(sc)
    with sc.uow(write=False) as uow:
        rows = {row.login: row for row in uow.session.scalars(select(UserRow))}
    users = []
    for entry in sorted(keyfile.entries, key=lambda e: e.login):
        row = rows.get(entry.login)
        users.append(UserInfo(entry.login, row.display_name if row else "", parse_roles(entry.role),
                              row.big_number if row else "", row.agb_code if row else "",
                              bool(row and row.pin_hash), row.uzi_number if row else "",
                              row.role_code if row else ""))
    return users


@needs(Action.USERS)
def add_user(sc: ServiceContext, login_name: str, roles: frozenset[Role], passphrase: str,
             display_name: str = "", big_number: str = "", agb_code: str = "", uzi_number: str = "",
             role_code: str = "") -> UserInfo:
    """Beheerder: add a user who opens the same database with their own passphrase."""
    keyfile = _keyfile(sc)
    name = _check_login(login_name)
    check_passphrase_strength(passphrase, name)
    big, agb = _check_numbers(big_number, agb_code)
    uzi, role_code = check_uzi_number(uzi_number), check_role_code(role_code)
    if not roles:
        raise DomainError("Kies minstens één rol.")
    if keyfile.entry(name) is not None:
        raise DomainError(f"Gebruiker '{name}' bestaat al. Kies een andere naam of wijzig het wachtwoord.")
    with sc.uow() as uow:
        row = uow.session.scalars(select(UserRow).where(UserRow.login == name)).first()
        if row is None:
            row = UserRow(login=name, created_at=uow.now)
            uow.session.add(row)
        row.display_name, row.role, row.big_number, row.agb_code, row.uzi_number, row.role_code, row.active = (
            display_name.strip(), format_roles(roles), big, agb, uzi, role_code, True)
        uow.session.flush()
        uow.audit("create_user", "user", row.id, after={f: getattr(row, f) for f in USER_FIELDS})
        # The key file is written inside the transaction: a failure there rolls the row back.
        keyfile.put(sc.db.key, name, format_roles(roles), passphrase)
        uow.commit()
    return UserInfo(name, display_name.strip(), frozenset(roles), big, agb, False, uzi, role_code)


@needs(Action.USERS)
def set_professional_details(sc: ServiceContext, login_name: str, display_name: str, big_number: str,
                             agb_code: str, uzi_number: str, role_code: str) -> None:
    """Beheerder: change the name and numbers by which a user is named in messages (audited)."""
    name = normalise_login(login_name)
    big, agb = _check_numbers(big_number, agb_code)
    uzi, role_code = check_uzi_number(uzi_number), check_role_code(role_code)
    with sc.uow() as uow:
        row = uow.session.scalars(select(UserRow).where(UserRow.login == name)).first()
        if row is None or not row.active:
            raise DomainError(f"Gebruiker '{name}' bestaat niet (meer).")
        before = {f: getattr(row, f) for f in USER_FIELDS}
        row.display_name, row.big_number, row.agb_code, row.uzi_number, row.role_code = (
            display_name.strip(), big, agb, uzi, role_code)
        uow.audit("change_user", "user", row.id, before=before, after={f: getattr(row, f) for f in USER_FIELDS})
        uow.commit()


@needs(Action.USERS)
def remove_user(sc: ServiceContext, login_name: str) -> None:
    """Beheerder: take away a user's access (their key entry goes; the row stays for the audit log)."""
    keyfile = _keyfile(sc)
    name = normalise_login(login_name)
    with sc.uow() as uow:
        row = uow.session.scalars(select(UserRow).where(UserRow.login == name)).first()
        if row is not None:
            row.active = False
            row.pin_hash = None
        uow.audit("remove_user", "user", row.id if row else None, before={"login": name})
        keyfile.remove(name)
        uow.commit()


def change_passphrase(sc: ServiceContext, old: str, new: str) -> None:
    """Change the signed-in user's passphrase; the database key stays, only its wrapping changes."""
    keyfile = _keyfile(sc)
    if sc.identity is None:
        raise DomainError("Er is niemand aangemeld.")
    key, entry = keyfile.unlock(sc.identity.login, old)
    check_passphrase_strength(new, entry.login)
    with sc.uow() as uow:
        uow.audit("change_passphrase", "user", None, after={"login": entry.login})
        keyfile.put(key, entry.login, entry.role, new)
        uow.commit()


@needs(Action.USERS)
def reset_passphrase(sc: ServiceContext, login_name: str, new: str) -> None:
    """Beheerder: give a user who forgot their passphrase a new one."""
    keyfile = _keyfile(sc)
    entry = keyfile.entry(login_name)
    if entry is None:
        raise DomainError(f"Gebruiker '{login_name}' bestaat niet.")
    check_passphrase_strength(new, entry.login)
    with sc.uow() as uow:
        uow.audit("reset_passphrase", "user", None, after={"login": entry.login})
        keyfile.put(sc.db.key, entry.login, entry.role, new)
        uow.commit()


def verify_passphrase(sc: ServiceContext, passphrase: str) -> bool:
    """Return True when the passphrase opens the database for the signed-in user (lock screen).

    Wrong tries count with those of the sign-in: after a few in a row each next try waits longer (raises
    SignInDelayed with the wait in Dutch), and every wrong try is in the audit log.
    """
    if sc.db.key is None or sc.identity is None:
        return False
    now = sc.now()
    attempts = SignInLog.for_database(Path(sc.db.path))
    _refuse_while_waiting(attempts, now)
    try:
        key, _ = KeyFile.load(sc.db.path).unlock(sc.identity.login, passphrase)
    except WrongPassphrase:
        key = None
    if key != sc.db.key:
        attempts.failed(now, sc.identity.login)
        log.warning("unlock with a wrong passphrase (%d in a row)", attempts.failures)
        with sc.uow() as uow:
            uow.audit("unlock_failed", "user", None, after={"login": sc.identity.login})
            uow.commit()
        return False
    attempts.take_pending()  # the wrong tries before this one are in the audit log already
    return True


def set_pin(sc: ServiceContext, pin: str) -> None:
    """Set the signed-in user's PIN for the lock screen (4 to 8 digits, kept as a slow salted hash)."""
    if sc.identity is None:
        raise DomainError("Er is niemand aangemeld.")
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise DomainError("Een pincode bestaat uit 4 tot 8 cijfers.")
    with sc.uow() as uow:
        row = uow.session.scalars(select(UserRow).where(UserRow.login == sc.identity.login)).first()
        if row is None:
            raise DomainError("Deze gebruiker staat niet in de database.")
        row.pin_hash = hash_secret(pin)
        uow.audit("set_pin", "user", row.id, after={"login": row.login})
        uow.commit()


def verify_pin(sc: ServiceContext, pin: str) -> bool:
    """Return True when the PIN is the signed-in user's; only unlocks the lock screen of an open database."""
    if sc.identity is None:
        return False
    with sc.uow(write=False) as uow:
        stored = uow.session.scalars(select(UserRow.pin_hash).where(UserRow.login == sc.identity.login)).first()
    return bool(stored) and verify_secret(pin, stored)


@needs(Action.VIEW_CHILD)
def log_status_query(sc: ServiceContext, bsn: str, request_id: str) -> None:
    """Record that the signed-in user asked the registry for a child's vaccination history.

    The child is named by its ids in this laptop's sessions; a child not on the laptop by the last three
    digits of the BSN only, so the audit log (which purging does not empty) carries no full BSN."""
    with sc.uow() as uow:
        child_ids = list(uow.session.scalars(select(ChildRow.id).where(ChildRow.bsn == bsn.strip())))
        uow.audit("status_query", "child", child_ids[0] if child_ids else None,
                  after={"request_id": request_id, "child_ids": child_ids,
                         "bsn_end": "" if child_ids else bsn.strip()[-3:]})
        uow.commit()


def key_file_path(db_path: Path) -> Path:
    """Return where the key file of a database lives (to include it in the beheerder's own backup)."""
    return key_path_for(db_path)
