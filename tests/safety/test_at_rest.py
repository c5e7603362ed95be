"""At rest: database, WAL, SHM, backups, exports and the log only for this user, the data folder 0700; failed
sign-ins audited and slowed down, never locking anyone out for good."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import setup_logging, teardown_logging
from app.reports.files import write_atomically
from app.services import users
from app.settings import default_data_dir
from app.store.backup import make_backup, restore_backup
from app.store.keys import WrongPassphrase
from app.store.models import AuditRow
from app.store.sign_ins import FREE_TRIES, MAX_DELAY_S

PASSPHRASE = "een lange goede zin 42"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_shm_backups_exports_and_log_are_private_and_the_data_folder_0700(open_app, tmp_path):
    data = default_data_dir()
    handlers = setup_logging(verbose=False)
    teardown_logging(handlers)
    db_path = data / "prikpost.sqlite"
    context = open_app(db_path, passphrase=PASSPHRASE, login="kees")
    with context.db.writer() as session:  # a write, so WAL and SHM exist
        session.add(AuditRow(at=datetime(2026, 11, 23), user="kees", action="test", entity="test"))
        session.commit()
    files = [db_path.with_name(db_path.name + suffix) for suffix in ("", "-wal", "-shm")]
    assert all(file.exists() for file in files)
    assert [mode(file) for file in files] == [0o600] * 3
    assert mode(data) == 0o700 and mode(data / "prikpost.log") == 0o600
    backup = make_backup(context.db).path
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
    export = write_atomically(tmp_path / "lijst.csv", b"bsn\n")
    assert mode(export) == 0o600
    context.close()
    restore_backup(backup, db_path)
    assert mode(db_path) == 0o600


def test_files_of_an_older_version_are_narrowed_when_opened(open_app, tmp_path):
    db_path = tmp_path / "oud.sqlite"
    open_app(db_path, passphrase=PASSPHRASE, login="kees").close()
    os.chmod(db_path, 0o644)
    assert mode(db_path) == 0o644
    open_app(db_path, passphrase=PASSPHRASE, login="kees")
    assert mode(db_path) == 0o600


def _audited_failures(db_path: Path, unlocked) -> list[dict]:
    from app.store.engine import Database

    db = Database(db_path, key=unlocked.key)
    try:
        with db.reader() as session:
            rows = session.scalars(select(AuditRow).where(AuditRow.action == "sign_in_failed")).all()
            return [json.loads(row.after) for row in rows]
    finally:
        db.close()


def test_wrong_passphrases_are_slowed_down_then_audited_at_the_next_sign_in(open_app, tmp_path):
    db_path = tmp_path / "team.sqlite"
    users.create_first_user(db_path, "kees", PASSPHRASE)
    start = datetime(2026, 11, 23, 9, 0)
    for attempt in range(FREE_TRIES):  # a few free tries
        with pytest.raises(WrongPassphrase):
            users.login(db_path, "kees" if attempt else "iemand anders", "fout", now=start)
    with pytest.raises(users.SignInDelayed, match=f"{FREE_TRIES} keer na elkaar .* Wacht 1 seconde en"):
        users.login(db_path, "kees", PASSPHRASE, now=start)  # even the right passphrase waits
    with pytest.raises(WrongPassphrase):
        users.login(db_path, "kees", "fout", now=start + timedelta(seconds=1))
    with pytest.raises(users.SignInDelayed, match="Wacht 2 seconden"):  # the wait grows
        users.login(db_path, "kees", PASSPHRASE, now=start + timedelta(seconds=1))
    unlocked = users.login(db_path, "kees", PASSPHRASE, now=start + timedelta(seconds=3))
    assert len(unlocked.failed_sign_ins) == FREE_TRIES + 1
    context = open_app(db_path, unlocked=unlocked)
    context.close()
    failures = _audited_failures(db_path, unlocked)
    # A typed name that is no user is not kept: it may be someone's passphrase typed in the wrong field.
    assert [failure["login"] for failure in failures] == [None] + ["kees"] * FREE_TRIES
    # A good sign-in starts counting again.
    assert not users.login(db_path, "kees", PASSPHRASE, now=start + timedelta(seconds=3)).failed_sign_ins


def test_the_beheerder_is_never_locked_out_for_good(tmp_path):
    db_path = tmp_path / "team.sqlite"
    users.create_first_user(db_path, "kees", PASSPHRASE)
    moment = datetime(2026, 11, 23, 9, 0)
    for _ in range(12):
        moment += timedelta(seconds=MAX_DELAY_S)
        with pytest.raises(WrongPassphrase):
            users.login(db_path, "kees", "fout", now=moment)
    with pytest.raises(users.SignInDelayed, match=f"Wacht {MAX_DELAY_S} seconden"):
        users.login(db_path, "kees", PASSPHRASE, now=moment)
    assert users.login(db_path, "kees", PASSPHRASE, now=moment + timedelta(seconds=MAX_DELAY_S)).login == "kees"


def test_the_sign_in_file_is_private_and_a_damaged_one_keeps_nobody_out(tmp_path):
    db_path = tmp_path / "team.sqlite"
    users.create_first_user(db_path, "kees", PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        users.login(db_path, "kees", "fout")
    side = Path(str(db_path) + ".aanmeldingen")
    assert mode(side) == 0o600
    side.write_text("{kapot", encoding="utf-8")
    assert users.login(db_path, "kees", PASSPHRASE).login == "kees"
