"""Encryption at rest: no BSN or name in the raw files, wrong passphrases change nothing, keys rewrap."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.roles import Role
from app.services import users
from app.services.backups import backup_now
from app.services.demo import demo_children, seed_demo
from app.services.store_status import database_status
from app.store.engine import Database
from app.store.keys import DEMO_PASSPHRASE, KeyFile, WrongPassphrase, key_path_for
from app.store.models import ChildRow
from tests.conftest import TODAY

from .conftest import database_files, hashes, leaks

BOTH = frozenset({Role.BEHEERDER, Role.PROFESSIONAL})
FIRST = demo_children(30, TODAY)[0]
SECRETS = [FIRST.bsn, FIRST.name, "Onverwacht Kind"]


def test_plain_database_without_key_still_works_as_before(tmp_path):
    db = Database(tmp_path / "plain.sqlite")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert not db.encrypted
    finally:
        db.close()
    assert (tmp_path / "plain.sqlite").read_bytes().startswith(b"SQLite format 3\x00")


def test_plain_demo_database_shows_the_bsn_so_the_scan_below_can_fail(tmp_path, fixed_clock):
    from app.context import load_catalogue
    from app.services.base import ServiceContext

    db = Database(tmp_path / "plain.sqlite")
    try:
        seed_demo(ServiceContext(db=db, catalogue=load_catalogue(), clock=fixed_clock))
        assert leaks(database_files(db.path), SECRETS)
    finally:
        db.close()


def test_encrypted_demo_database_reveals_no_bsn_or_name_in_db_wal_shm(tmp_path, open_app):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    seed_demo(context.services)
    assert context.db.encrypted
    with context.db.reader() as session:
        assert session.scalars(select(ChildRow.name).where(ChildRow.bsn == FIRST.bsn)).first() == FIRST.name
    files = [p for p in database_files(path) if not p.name.endswith(".keys")]
    assert {p.name for p in files} >= {"demo.sqlite", "demo.sqlite-wal", "demo.sqlite-shm"}
    assert path.with_name("demo.sqlite-wal").stat().st_size > 0
    assert leaks(files, SECRETS) == []
    assert not path.read_bytes().startswith(b"SQLite format 3")
    context.close()
    assert leaks(database_files(path), SECRETS) == []


def test_backup_is_encrypted_with_the_same_key(tmp_path, open_app):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    seed_demo(context.services)
    result = backup_now(context.services)
    assert leaks([result.path], SECRETS) == []
    backup = Database(result.path, upgrade=False, key=context.db.key)
    try:
        with backup.reader() as session:
            assert session.scalars(select(ChildRow.name).where(ChildRow.bsn == FIRST.bsn)).first() == FIRST.name
    finally:
        backup.close()


def test_wrong_passphrase_gives_dutch_message_and_changes_no_file(tmp_path, open_app):
    path = tmp_path / "team.sqlite"
    unlocked = users.create_first_user(path, "Beheerder", "een lange zin als wachtwoord", roles=BOTH)
    context = open_app(path, unlocked=unlocked)
    seed_demo(context.services)
    context.close()
    before = hashes(tmp_path)

    with pytest.raises(WrongPassphrase) as error:
        users.login(path, "beheerder", "verkeerd wachtwoord!")
    assert "wachtwoord klopt niet" in error.value.message
    with pytest.raises(WrongPassphrase):
        AppContext.open(path, settings_path=tmp_path / "settings.json", login="beheerder",
                        passphrase="nog een verkeerde")
    with pytest.raises(WrongPassphrase):
        users.login(path, "iemand-anders", "een lange zin als wachtwoord")
    # Only the count of failed sign-ins beside the database changed (for the delay and the audit log).
    after = hashes(tmp_path)
    assert after.pop("team.sqlite.aanmeldingen") and after == before

    reopened = open_app(path, login="beheerder", passphrase="een lange zin als wachtwoord")
    assert reopened.services.identity.login == "beheerder"
    assert users.list_users(reopened.services)[0].login == "beheerder"


def test_encrypted_database_without_passphrase_asks_for_one(tmp_path, monkeypatch):
    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    monkeypatch.delenv("PRIKPOST_PASSPHRASE", raising=False)
    with pytest.raises(users.PassphraseRequired) as error:
        AppContext.open(path, settings_path=tmp_path / "settings.json")
    assert "versleuteld" in error.value.message


def test_added_user_and_changed_passphrase_open_the_same_key(tmp_path, open_app):
    from app.domain.roles import Identity

    path = tmp_path / "team.sqlite"
    first = users.create_first_user(path, "beheerder", "een lange zin als wachtwoord", roles=BOTH)
    context = open_app(path, unlocked=first)
    seed_demo(context.services)
    users.add_user(context.services, "Anna", frozenset({Role.PROFESSIONAL}), "anna haar eigen zin",
                   display_name="Anna de Jong", big_number="12345678901")
    anna = users.login(path, "anna", "anna haar eigen zin")
    assert anna.key == first.key and anna.roles == {Role.PROFESSIONAL}

    context.services.identity = Identity("anna", anna.roles)
    users.change_passphrase(context.services, "anna haar eigen zin", "een nieuwe zin voor anna")
    with pytest.raises(WrongPassphrase):
        users.login(path, "anna", "anna haar eigen zin")
    assert users.login(path, "anna", "een nieuwe zin voor anna").key == first.key
    context.close()

    reopened = open_app(path, login="anna", passphrase="een nieuwe zin voor anna")
    assert reopened.services.identity.big_number == "12345678901"
    assert reopened.services.identity.display_name == "Anna de Jong"
    with reopened.db.reader() as session:
        assert session.scalars(select(ChildRow.name).where(ChildRow.bsn == FIRST.bsn)).first() == FIRST.name


def test_editing_a_role_in_the_key_file_makes_that_entry_useless(tmp_path):
    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    keys = key_path_for(path)
    data = json.loads(keys.read_text())
    data["users"][0]["role"] = "jgz-professional,beheerder"
    keys.write_text(json.dumps(data))
    with pytest.raises(WrongPassphrase):
        users.login(path, "beheerder", "een lange zin als wachtwoord")


def test_damaged_key_file_gives_dutch_message(tmp_path):
    from app.store.keys import KeyFileError

    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    key_path_for(path).write_text("{niet json")
    with pytest.raises(KeyFileError) as error:
        users.login(path, "beheerder", "een lange zin als wachtwoord")
    assert "sleutelbestand" in error.value.message


def test_new_database_is_an_encrypted_demo_opened_with_the_demo_passphrase(tmp_path, open_app):
    path = tmp_path / "new.sqlite"
    context = open_app(path)
    assert context.db.encrypted
    assert KeyFile.load(path).demo
    assert users.login(path, "demo", DEMO_PASSPHRASE).key == context.db.key
    assert context.services.identity.login == "demo"


def test_legacy_plain_database_opens_as_is(tmp_path, open_app):
    path = tmp_path / "old.sqlite"
    Database(path).close()
    context = open_app(path)
    assert not context.db.encrypted
    assert context.services.identity is None
    assert not key_path_for(path).exists()


def test_gui_start_on_a_new_database_is_one_step_and_encrypted(tmp_path):
    from app.services.sessions import list_sessions
    from app.ui.launch import choose_database, open_context_for_gui

    target = choose_database(None, demo=False)  # nothing in the data folder yet: the demo database
    assert target.demo and not target.path.exists()
    context = open_context_for_gui(target)
    try:
        assert context.db.encrypted and database_status(context.db.path).demo
        assert [s.is_demo for s in list_sessions(context.services)] == [True]
        assert leaks(database_files(context.db.path), SECRETS) == []
    finally:
        context.close()


def test_a_professional_gets_uzi_number_and_role_and_then_accords_in_messages(tmp_path, open_app):
    path = tmp_path / "team.sqlite"
    first = users.create_first_user(path, "beheerder", "een lange zin als wachtwoord", roles=BOTH)
    context = open_app(path, unlocked=first)
    users.add_user(context.services, "anna", frozenset({Role.PROFESSIONAL}), "anna haar eigen zin",
                   display_name="Anna de Jong", big_number="12345678901")
    with pytest.raises(DomainError, match="UZI-nummer bestaat uit 9 cijfers"):
        users.set_professional_details(context.services, "anna", "Anna de Jong", "", "", "1234", "30.000")
    with pytest.raises(DomainError, match="beroepsrol"):
        users.set_professional_details(context.services, "anna", "Anna de Jong", "", "", "123456782", "77.777")
    users.set_professional_details(context.services, "anna", "Anna de Jong", "12345678901", "", "123456782",
                                   "30.000")
    context.close()
    anna = open_app(path, login="anna", passphrase="anna haar eigen zin")
    who = anna.services.identity
    assert (who.uzi_number, who.role_code, who.big_number) == ("123456782", "30.000", "12345678901")
