"""One classifier and one opener for every database target: files (new, plain, encrypted, refused) and URLs."""

import sqlite3

import pytest

from app.context import AppContext
from app.domain.errors import DomainError
from app.outbox.sender_lock import SenderBusy, sender_lock
from app.services.store_opening import open_store, unlock
from app.services.store_status import ENCRYPTED, NEW, PLAIN, REFUSED, SHARED, database_status
from app.store.engine import Database
from app.store.integrity import FileKind
from tests.conftest import BACKENDS


def test_a_new_file_becomes_an_encrypted_demo_database_and_then_opens_with_the_demo_login(tmp_path):
    path = tmp_path / "nieuw.sqlite"
    assert database_status(path).kind == NEW
    unlocked = unlock(path)
    assert unlocked is not None and unlocked.login == "demo"
    status = database_status(path)
    assert (status.kind, status.demo, status.logins) == (ENCRYPTED, True, ("demo",))
    again = unlock(path)  # the demo database opens by itself
    db = open_store(path, again)
    try:
        assert db.encrypted and db.backend == "sqlite" and again.key == unlocked.key
    finally:
        db.close()
    with pytest.raises(sqlite3.DatabaseError):  # and the file is no plain SQLite
        sqlite3.connect(path).execute("select count(*) from sessions").fetchall()


def test_a_plain_file_of_an_older_version_opens_without_a_key(tmp_path, caplog):
    path = tmp_path / "oud.sqlite"
    Database(path).close()
    assert database_status(path).kind == PLAIN
    assert unlock(path) is None
    assert "is not encrypted" in caplog.text


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.mkdir(), FileKind.FOLDER),
    (lambda p: sqlite3.connect(p).execute("create table klanten (id int)"), FileKind.FOREIGN),
    (lambda p: p.write_bytes(b"\x00garbage" * 100), FileKind.NOT_SQLITE),
])
def test_what_is_no_prikpost_database_is_refused_without_being_changed(tmp_path, make, kind):
    path = tmp_path / "ander.sqlite"
    make(path)
    status = database_status(path)
    assert (status.kind, status.file.kind) == (REFUSED, kind)
    with pytest.raises(DomainError, match="geen Prikpost-database"):
        unlock(path)
    assert not (tmp_path / "ander.sqlite.keys").exists()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_url_is_a_shared_store_opened_by_the_same_context(database_target, tmp_path):
    status = database_status(database_target)
    assert status.shared and status.kind == SHARED and unlock(database_target) is None
    context = AppContext.open(database_target, settings_path=tmp_path / "settings.json")
    try:
        assert context.db.backend == "postgresql" and context.db.path is None
        assert "prikpost-test" not in context.db.where and context.db.where.startswith("postgresql://127.0.0.1:")
    finally:
        context.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_station_signed_in_on_its_own_file_works_under_that_name_in_the_shared_store(database_target, tmp_path):
    from app.domain.roles import Role
    from app.services import users

    own = users.create_first_user(tmp_path / "balie-1.sqlite", "anna", "een lange zin voor de tests", "Anna",
                                  frozenset({Role.PROFESSIONAL, Role.BEHEERDER}))
    context = AppContext.open(database_target, settings_path=tmp_path / "settings.json", unlocked=own)
    try:
        assert context.db.backend == "postgresql" and not context.db.encrypted
        assert context.services.user == "anna" and Role.PROFESSIONAL in context.services.identity.roles
    finally:
        context.close()


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_one_sender_at_a_time_on_either_store(db):
    with sender_lock(db):
        with pytest.raises(SenderBusy):
            with sender_lock(db):
                pass
    with sender_lock(db):  # released: the next run may send
        pass
