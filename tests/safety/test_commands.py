"""The user, purge, encrypt and demo commands on real database files."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.services import users
from app.services.demo import demo_children
from app.services.store_status import database_status
from app.store.engine import Database
from app.store.keys import key_path_for
from app.store.models import ChildRow

from .conftest import database_files, leaks


@pytest.fixture
def stdin(monkeypatch):
    def feed(*lines: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    return feed


def test_user_add_creates_first_beheerder_then_adds_with_login(tmp_path, stdin, monkeypatch, capsys):
    path = tmp_path / "team.sqlite"
    stdin("een lange zin als wachtwoord")
    assert main(["user", "add", "--db", str(path), "--name", "Beheerder", "--role", "beheerder"]) == 0
    assert database_status(path).logins == ("beheerder",)

    monkeypatch.setenv("PRIKPOST_USER", "beheerder")
    monkeypatch.setenv("PRIKPOST_PASSPHRASE", "een lange zin als wachtwoord")
    stdin("anna haar eigen zin")
    assert main(["user", "add", "--db", str(path), "--name", "anna", "--role", "jgz-professional",
                 "--big", "12345678901", "--display-name", "Anna de Jong"]) == 0
    assert users.login(path, "anna", "anna haar eigen zin").roles == {users.Role.PROFESSIONAL}
    capsys.readouterr()
    assert main(["user", "list", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "anna\tAnna de Jong\tJGZ-professional\tBIG 12345678901" in out


def test_user_add_refuses_a_short_passphrase_in_dutch(tmp_path, stdin, capsys):
    stdin("kort")
    assert main(["user", "add", "--db", str(tmp_path / "x.sqlite"), "--name", "b", "--role", "beheerder"]) == 1
    assert "minstens 10 tekens" in capsys.readouterr().err
    assert not key_path_for(tmp_path / "x.sqlite").exists()


def test_purge_command_needs_a_beheerder(tmp_path, stdin, monkeypatch, capsys):
    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", "een lange zin als wachtwoord")
    monkeypatch.setenv("PRIKPOST_PASSPHRASE", "een lange zin als wachtwoord")
    assert main(["purge", "--db", str(path), "--days", "30"]) == 0
    assert "geen gegevens" in capsys.readouterr().out
    monkeypatch.setenv("PRIKPOST_PASSPHRASE", "verkeerd wachtwoord")
    assert main(["purge", "--db", str(path)]) == 1
    assert "wachtwoord klopt niet" in capsys.readouterr().err


def test_demo_command_makes_an_encrypted_demo_database(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    assert database_status(path).demo
    first = demo_children(30)[0]
    assert leaks(database_files(path), [first.bsn, first.name]) == []
    unlocked = users.login(path, "demo", "demo")
    db = Database(path, key=unlocked.key)
    try:
        with db.reader() as session:
            assert session.scalar(select(func.count()).select_from(ChildRow)) >= 30
    finally:
        db.close()


def test_encrypt_command_turns_a_plain_database_into_an_encrypted_one(tmp_path, stdin, sc):
    from dataclasses import replace

    from app.services.demo import seed_demo

    plain = Database(tmp_path / "oud.sqlite")  # a plain database, as an older version made them
    seed_demo(replace(sc, db=plain))
    path = plain.path
    plain.close()
    first = demo_children(30)[0]
    assert leaks(database_files(path), [first.bsn])
    stdin("een lange zin als wachtwoord")
    assert main(["encrypt", "--db", str(path), "--name", "beheerder"]) == 0
    assert leaks(database_files(path), [first.bsn, first.name]) == []
    unlocked = users.login(path, "beheerder", "een lange zin als wachtwoord")
    db = Database(path, key=unlocked.key)
    try:
        with db.reader() as session:
            assert session.scalars(select(ChildRow.name).where(ChildRow.bsn == first.bsn)).first() == first.name
    finally:
        db.close()
