"""Subcommands on missing, damaged, foreign and encrypted database files: Dutch messages, exit 1, no traceback."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest

from app.__main__ import main
from app.services import users
from app.store.keys import key_path_for

PASSPHRASE = "een lange zin als wachtwoord"
DAMAGED = "is geen Prikpost-database of is beschadigd"


def argv(command: str, db: Path, tmp_path: Path) -> list[str]:
    """Return a full command line for a subcommand on the database `db`, with the input files it needs."""
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam\n111222333;Kind\n", encoding="utf-8")
    scans = tmp_path / "scans.txt"
    scans.write_text("111222333\n", encoding="utf-8")
    return {
        "demo": ["demo", "--db", str(db), "--children", "8"],
        "import-children": ["import-children", "--db", str(db), str(csv)],
        "import-scans": ["import-scans", "--db", str(db), str(scans)],
        "import-lots": ["import-lots", "--db", str(db), str(tmp_path / "partijen.xml")],
        "sync": ["sync", "--db", str(db)],
        "export": ["export", "--db", str(db), "--list", "vaccinated", "--format", "csv", "--out",
                   str(tmp_path / "uit.csv")],
        "cards": ["cards", "--db", str(db), str(tmp_path / "kaarten.pdf")],
        "purge": ["purge", "--db", str(db)],
        "user add": ["user", "add", "--db", str(db), "--name", "anna"],
        "user list": ["user", "list", "--db", str(db)],
        "user remove": ["user", "remove", "--db", str(db), "--name", "anna"],
        "encrypt": ["encrypt", "--db", str(db)],
    }[command]


NEED_A_DATABASE = ["import-children", "import-scans", "import-lots", "sync", "export", "cards", "purge", "user list",
                   "user remove", "encrypt"]
EVERY_DATABASE_COMMAND = ["demo", "user add", *NEED_A_DATABASE]


def log_text() -> str:
    return (Path(os.environ["PRIKPOST_DATA_DIR"]) / "prikpost.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", NEED_A_DATABASE)
def test_a_database_that_does_not_exist_is_refused_not_created(command, tmp_path, capsys):
    db = tmp_path / "bestaat-niet.sqlite"
    assert main(argv(command, db, tmp_path)) == 1
    err = capsys.readouterr().err
    assert f"Fout: Database {db} bestaat niet." in err and "Traceback" not in err
    assert not db.exists() and not key_path_for(db).exists()
    assert not db.with_name(db.name + "-wal").exists()


def test_the_default_database_must_exist_too(tmp_path, capsys):
    assert main(["sync"]) == 1
    assert "bestaat niet" in capsys.readouterr().err
    assert not (Path(os.environ["PRIKPOST_DATA_DIR"]) / "prikpost.sqlite").exists()


def test_demo_still_creates_its_database(tmp_path, capsys):
    db = tmp_path / "nieuw" / "demo.sqlite"
    assert main(argv("demo", db, tmp_path)) == 0
    assert db.exists()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _text_file(path: Path) -> None:
    path.write_text("Dit is een boodschappenlijst, geen database.\n" * 20, encoding="utf-8")


def _other_programs_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recepten (naam TEXT)")
    connection.commit()
    connection.close()


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("content", [_random_bytes, _text_file, _other_programs_sqlite])
@pytest.mark.parametrize("command", EVERY_DATABASE_COMMAND)
def test_a_file_that_is_no_prikpost_database_is_refused_in_dutch(command, content, tmp_path, capsys):
    db = tmp_path / "kapot.sqlite"
    content(db)
    before = db.read_bytes()
    assert main(argv(command, db, tmp_path)) == 1
    err = capsys.readouterr().err
    assert f"Fout: {db} {DAMAGED}" in err
    assert "Traceback" not in err and "ERROR" not in err  # the details are in the log file
    assert db.read_bytes() == before and not key_path_for(db).exists()
    assert f"cannot use database {db}" in log_text()


@pytest.mark.parametrize("command", NEED_A_DATABASE)
def test_an_empty_file_is_no_database_either(command, tmp_path, capsys):
    db = tmp_path / "leeg.sqlite"
    _empty_file(db)
    assert main(argv(command, db, tmp_path)) == 1
    assert DAMAGED in capsys.readouterr().err
    assert db.read_bytes() == b""


def test_a_damaged_encrypted_database_is_refused_without_sqlcipher_noise(tmp_path, capfd, monkeypatch):
    db = tmp_path / "versleuteld.sqlite"
    users.create_first_user(db, "beheerder", PASSPHRASE)
    for extra in db.parent.glob(db.name + "-*"):
        extra.unlink()
    _random_bytes(db)
    monkeypatch.setenv("PRIKPOST_PASSPHRASE", PASSPHRASE)
    assert main(["sync", "--db", str(db)]) == 1
    err = capfd.readouterr().err
    assert f"Fout: {db} {DAMAGED}" in err
    assert "Traceback" not in err and "hmac check failed" not in err and "ERROR" not in err
    assert "file is not a database" in log_text()


def test_a_folder_is_no_database(tmp_path, capsys):
    assert main(["sync", "--db", str(tmp_path)]) == 1
    assert "is een map, geen databasebestand" in capsys.readouterr().err


# -- signing in to an encrypted database -----------------------------------------------------------------
class Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the lines a user would type."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def team_db(tmp_path, monkeypatch):
    """An encrypted database with one beheerder, and no sign-in in the environment."""
    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", PASSPHRASE)
    monkeypatch.delenv("PRIKPOST_USER", raising=False)
    monkeypatch.delenv("PRIKPOST_PASSPHRASE", raising=False)
    return path


@pytest.fixture
def typed(monkeypatch):
    """Make stdin a terminal on which the user types `name` and, hidden, `passphrase`; return the prompts."""
    prompts: list[str] = []

    def type_in(name: str, passphrase: str) -> list[str]:
        monkeypatch.setattr("sys.stdin", Terminal(name + "\n"))
        monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or passphrase)
        return prompts

    return type_in


def test_on_a_terminal_the_command_asks_who_signs_in(team_db, typed, capsys):
    prompts = typed("beheerder", PASSPHRASE)
    assert main(["sync", "--db", str(team_db)]) == 0
    captured = capsys.readouterr()
    assert prompts == ["Wachtwoord: "]
    assert "Gebruikersnaam voor team.sqlite: " in captured.err  # the prompt stays out of the output
    assert "Gebruikersnaam" not in captured.out and "geen berichten om te verzenden" in captured.out


def test_a_user_name_from_the_environment_is_not_asked_again(team_db, typed, monkeypatch, capsys):
    monkeypatch.setenv("PRIKPOST_USER", "beheerder")
    prompts = typed("dit wordt niet gelezen", PASSPHRASE)
    assert main(["sync", "--db", str(team_db)]) == 0
    assert prompts == ["Wachtwoord: "] and "Gebruikersnaam" not in capsys.readouterr().err


def test_a_wrong_passphrase_on_the_terminal_is_a_dutch_error(team_db, typed, capsys):
    typed("beheerder", "niet het goede wachtwoord")
    assert main(["sync", "--db", str(team_db)]) == 1
    err = capsys.readouterr().err
    assert "Fout: De gebruikersnaam of het wachtwoord klopt niet" in err and "Traceback" not in err


def test_a_wrong_passphrase_from_the_environment_is_a_dutch_error(team_db, monkeypatch, capsys):
    monkeypatch.setenv("PRIKPOST_PASSPHRASE", "niet het goede wachtwoord")
    assert main(["export", "--db", str(team_db), "--list", "vaccinated", "--format", "csv", "--out",
                 str(team_db.parent / "uit.csv")]) == 1
    assert "wachtwoord klopt niet" in capsys.readouterr().err


def test_without_a_terminal_the_command_says_which_variables_to_set(team_db, capsys):
    assert main(["sync", "--db", str(team_db)]) == 1  # pytest's stdin is no terminal
    assert "PRIKPOST_USER en PRIKPOST_PASSPHRASE" in capsys.readouterr().err


def test_a_demo_database_opens_without_asking(tmp_path, typed, monkeypatch, capsys):
    db = tmp_path / "demo.sqlite"
    users.create_demo_user(db)
    monkeypatch.delenv("PRIKPOST_PASSPHRASE", raising=False)
    prompts = typed("", "")
    assert main(["sync", "--db", str(db)]) == 0
    assert prompts == [] and "Gebruikersnaam" not in capsys.readouterr().err


def test_stopping_at_the_user_name_prompt_is_a_dutch_error(team_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", Terminal(""))  # Ctrl+D at the first question
    assert main(["sync", "--db", str(team_db)]) == 1
    assert "Aanmelden afgebroken" in capsys.readouterr().err


@pytest.mark.parametrize("error, words", [
    (sqlite3.OperationalError("database is locked"), "is in gebruik door een ander programma"),
    (sqlite3.OperationalError("unable to open database file"), "kan niet geopend of bijgewerkt worden"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "geen schrijfrechten"),
    (sqlite3.DatabaseError("database disk image is malformed"), DAMAGED),
])
def test_each_driver_error_gets_its_own_dutch_reason(error, words, tmp_path):
    from app.commands.common import unusable_database

    assert words in unusable_database(tmp_path / "x.sqlite", error).message
