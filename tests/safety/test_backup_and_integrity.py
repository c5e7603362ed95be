"""Backups when a session closes, rotation, the integrity check at start and recovery from a backup."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.services.backups import BackupPolicy, backup_now, recover_from_backup, startup_check
from app.services.demo import seed_demo
from app.services.sessions import close_session
from app.store.backup import default_backup_dir, list_backups
from app.store.models import ChildRow, RegistrationRow


def _corrupt(path, offset: int = 4096 + 100, size: int = 64) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xa5" * size)


def test_closing_a_session_writes_an_encrypted_backup(tmp_path, open_app):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    session_id = seed_demo(context.services)
    assert list_backups(default_backup_dir(path)) == []
    close_session(context.services, session_id)
    backups = list_backups(default_backup_dir(path))
    assert len(backups) == 1
    assert not backups[0].read_bytes().startswith(b"SQLite format 3")


def test_backups_rotate_keeping_the_newest(tmp_path, open_app, fixed_clock):
    context = open_app(tmp_path / "demo.sqlite")
    policy = BackupPolicy(keep=3)
    made = []
    for _ in range(5):
        fixed_clock.advance(timedelta(minutes=1))
        made.append(backup_now(context.services, policy).path)
    assert list_backups(default_backup_dir(context.db.path)) == list(reversed(made[-3:]))


def test_damaged_database_is_reported_in_dutch_and_recovered_from_the_last_backup(tmp_path, open_app):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    session_id = seed_demo(context.services)
    key = context.db.key
    with context.db.reader() as session:
        registrations = session.scalar(select(func.count()).select_from(RegistrationRow))
    close_session(context.services, session_id)
    context.close()
    assert startup_check(path, key).ok

    _corrupt(path)
    check = startup_check(path, key)
    assert not check.ok and check.can_recover
    assert "beschadigd" in check.message and "back-up" in check.message
    assert check.problems

    result = recover_from_backup(path, key)
    assert result.damaged_kept_at.exists()
    assert "teruggezet" in result.message
    assert startup_check(path, key).ok
    reopened = open_app(path)
    with reopened.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(RegistrationRow)) == registrations
        assert session.scalar(select(func.count()).select_from(ChildRow)) > 0


def test_damaged_database_without_backup_says_so(tmp_path, open_app):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    seed_demo(context.services)
    key = context.db.key
    context.close()
    _corrupt(path)
    check = startup_check(path, key)
    assert not check.ok and not check.can_recover
    assert "geen back-up" in check.message


def test_recovery_skips_a_damaged_backup(tmp_path, open_app, fixed_clock):
    path = tmp_path / "demo.sqlite"
    context = open_app(path)
    seed_demo(context.services)
    older = backup_now(context.services).path
    fixed_clock.advance(timedelta(minutes=5))
    newer = backup_now(context.services).path
    key = context.db.key
    context.close()
    _corrupt(newer)
    _corrupt(path)
    assert recover_from_backup(path, key).restored_from == older
