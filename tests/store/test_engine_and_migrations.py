import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import text

from app.store.engine import Database, current_revision, head_revision, make_engine, migrate
from app.store.models import AuditRow
from app.store.unit_of_work import UnitOfWork


def test_pragmas_wal_full_sync_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_new_database_is_at_head(db):
    assert current_revision(db.engine) == head_revision()


def test_database_of_older_version_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sessions (id, day, org_name, org_id_kind, org_id, location, activity_code, mode, status,"
            " is_demo, created_at) VALUES (7, '2026-11-20', 'JGZ', 'URA', '12345678', 'School', '18', 'vooraf',"
            " 'open', 0, '2026-11-20 08:00:00')"))
    engine.dispose()
    assert "last_error" not in [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(outbox)")]

    upgraded = Database(path)
    try:
        assert current_revision(upgraded.engine) == head_revision()
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT location FROM sessions WHERE id = 7")).scalar() == "School"
            columns = [r[1] for r in conn.execute(text("PRAGMA table_info(outbox)"))]
            assert "last_error" in columns and "ticket" in columns
            assert conn.execute(text("SELECT count(*) FROM preferences")).scalar() == 0
    finally:
        upgraded.close()


def test_upgrade_to_0004_gives_messages_an_empty_ticket_and_the_downgrade_requeues_submitted_ones(tmp_path):
    from alembic import command

    from app.store.engine import alembic_config

    path = tmp_path / "v3.sqlite"
    engine = make_engine(path)
    migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sessions (id, day, org_name, org_id_kind, org_id, location, activity_code, mode, status,"
            " is_demo, created_at) VALUES (7, '2026-11-20', 'JGZ', 'URA', '12345678', 'School', '18', 'vooraf',"
            " 'open', 0, '2026-11-20 08:00:00')"))
        conn.execute(text(
            "INSERT INTO outbox (id, message_id, session_id, bsn, target, kind, state, payload, attempts, created_at)"
            " VALUES (1, 'm1', 7, '123456782', 'vaccinnet', 'KMEHR', 'pending', '<x/>', 0, '2026-11-20 09:00:00')"))
    migrate(engine, "0004")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT state, ticket FROM outbox")).one() == ("pending", None)
        conn.execute(text("UPDATE outbox SET state = 'submitted', ticket = 't1'"))
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT state FROM outbox")).scalar() == "pending"
        assert "ticket" not in [r[1] for r in conn.execute(text("PRAGMA table_info(outbox)"))]
    engine.dispose()


def test_uncommitted_unit_of_work_leaves_nothing(db):
    with UnitOfWork(db, "tester", datetime(2026, 11, 23, 9)) as uow:
        uow.audit("test", "session", 1)
    with db.reader() as session:
        assert session.query(AuditRow).count() == 0


def _declared(conn, table: str) -> dict[str, str]:
    return {row[1]: row[2] for row in conn.execute(text(f"PRAGMA table_info({table})"))}


def test_upgrade_to_0006_widens_the_number_columns_for_an_insz_and_keeps_every_row(tmp_path):
    from alembic import command

    from app.store.engine import alembic_config

    path = tmp_path / "v5.sqlite"
    engine = make_engine(path)
    migrate(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO sessions (id, day, org_name, org_id_kind, org_id, location, activity_code, mode, status,"
            " is_demo, created_at) VALUES (7, '2026-11-20', 'JGZ', 'URA', '12345678', 'School', '18', 'vooraf',"
            " 'open', 0, '2026-11-20 08:00:00')"))
        conn.execute(text("INSERT INTO children (id, session_id, bsn, name, sex, postcode, group_name, expected,"
                          " source) VALUES (1, 7, '123456782', 'Sanne', 'F', '', '2A', 1, 'import')"))
        conn.execute(text(
            "INSERT INTO outbox (id, message_id, session_id, bsn, target, kind, state, payload, attempts, created_at)"
            " VALUES (1, 'm1', 7, '123456782', 'praeventis', 'REPC', 'pending', '<x/>', 0, '2026-11-20 09:00:00')"))
        conn.execute(text(
            "INSERT INTO registrations (id, session_id, child_id, bsn, vaccine_code, lot_number, lot_manual, state,"
            " source, scanned_at, scanned_by, outbox_id) VALUES (1, 7, 1, '123456782', '28', 'L1', 0, 'queued',"
            " 'scan', '2026-11-20 09:00:00', 'x', 1)"))
    migrate(engine, "0006")
    with engine.begin() as conn:
        for table in ("children", "registrations", "outbox"):
            assert _declared(conn, table)["bsn"] == "VARCHAR(11)"
        assert _declared(conn, "sessions")["org_id_kind"] == "VARCHAR(5)"
        assert conn.execute(text("SELECT receiver FROM sessions")).scalar() == "praeventis"
        assert conn.execute(text("SELECT count(*) FROM registrations")).scalar() == 1  # no cascade, nothing lost
        assert conn.execute(text("SELECT bsn FROM children")).scalar() == "123456782"
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        conn.execute(text("INSERT INTO children (session_id, bsn, name, sex, postcode, group_name, expected, source)"
                          " VALUES (7, '12030512345', 'Lotte', 'F', '', '', 0, 'scan')"))
        conn.execute(text("UPDATE sessions SET receiver = 'vaccinnet', org_id_kind = 'NIHII'"))
        config = alembic_config()
        config.attributes["connection"] = conn
        with pytest.raises(RuntimeError, match="Vaccinnet"):  # an INSZ session does not fit the old schema
            command.downgrade(config, "0005")
        conn.execute(text("DELETE FROM children WHERE bsn = '12030512345'"))
        conn.execute(text("UPDATE sessions SET receiver = 'praeventis', org_id_kind = 'URA'"))
        command.downgrade(config, "0005")
    with engine.connect() as conn:
        assert _declared(conn, "children")["bsn"] == "VARCHAR(9)" and "receiver" not in _declared(conn, "sessions")
        assert conn.execute(text("SELECT count(*) FROM registrations")).scalar() == 1
    engine.dispose()
    reopened = Database(path)  # and up again to the head through the normal start
    try:
        assert current_revision(reopened.engine) == head_revision()
    finally:
        reopened.close()
