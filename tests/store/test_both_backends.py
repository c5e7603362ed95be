"""The schema and its guards on both stores: a SQLite file and a real PostgreSQL server."""

from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.store.engine import Database, alembic_config, current_revision, head_revision, make_engine, migrate
from app.store.models import AuditRow, Base
from app.store.unit_of_work import UnitOfWork
from tests.conftest import BACKENDS

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

SESSION = ("INSERT INTO sessions (day, org_name, org_id_kind, org_id, location, activity_code, mode, status, is_demo,"
           " created_at) VALUES ('2026-11-20', 'JGZ', 'URA', '12345678', 'School', '18', 'vooraf', 'open', false,"
           " '2026-11-20 08:00:00')")


@pytest.fixture
def empty_target(request, backend, tmp_path):
    """An empty database: a new file, or a new database without any table on the test server."""
    if backend == "sqlite":
        yield tmp_path / "empty.sqlite"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


def test_an_empty_database_is_upgraded_to_the_head_with_the_tables_of_the_models(empty_target):
    database = Database(empty_target)
    try:
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        columns = {c["name"] for c in inspect(database.engine).get_columns("registrations")}
        assert "station" in columns  # 0008
    finally:
        database.close()


def test_every_migration_goes_down_to_empty_and_up_again(empty_target):
    engine = make_engine(empty_target)
    try:
        migrate(engine)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert current_revision(engine) is None
        assert "registrations" not in inspect(engine).get_table_names()
        migrate(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_audit_log_refuses_updates_and_deletes_but_allows_the_retention_marker(db):
    with UnitOfWork(db, "tester", datetime(2026, 11, 23, 9)) as uow:
        uow.audit("test", "registration", 1, after={"bsn": "123456782"})
        uow.commit()
    for statement in ('UPDATE audit_log SET "user" = \'x\'', "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
    with db.engine.begin() as connection:  # what retention does after the period: the children's data only
        connection.execute(text("UPDATE audit_log SET after = '{\"verwijderd\": \"bewaartermijn\"}'"))
    with db.reader() as session:
        row = session.query(AuditRow).one()
        assert (row.user, row.after) == ("tester", '{"verwijderd": "bewaartermijn"}')


def test_the_database_refuses_a_second_registration_of_a_child_and_vaccine(sc, session_id):
    from app.services.scans import record_scan

    record_scan(sc, session_id, "123456782")
    with pytest.raises(IntegrityError):
        with sc.db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO registrations (session_id, child_id, bsn, vaccine_code, lot_number, lot_manual, state,"
                " source, scanned_at, scanned_by) SELECT session_id, child_id, bsn, vaccine_code, lot_number,"
                " lot_manual, 'scanned', source, scanned_at, scanned_by FROM registrations"))
    with sc.db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM registrations")).scalar() == 1


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO children (session_id, bsn, name, sex, postcode, group_name, expected, source)"
                " VALUES (999, '123456782', 'x', '', '', '', true, 'import')"))


def test_a_session_row_round_trips_dates_and_booleans(db):
    with db.engine.begin() as connection:
        connection.execute(text(SESSION))
    with db.engine.connect() as connection:
        day, is_demo, created = connection.execute(text("SELECT day, is_demo, created_at FROM sessions")).one()
    assert (str(day), bool(is_demo), str(created)) == ("2026-11-20", False, "2026-11-20 08:00:00")
