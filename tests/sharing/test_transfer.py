"""A session carried to the shared database and back: what the stations did comes home, ids never collide."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.context import load_catalogue
from app.domain.registration import State
from app.services.accord import accord
from app.services.base import ServiceContext
from app.services.demo import demo_bsns
from app.services.scans import record_scan, undo_last_scan
from app.services.sessions import create_session
from app.sharing import transfer
from app.store.engine import Database
from app.store.models import AuditRow, ChildRow, OutboxRow, RegistrationRow
from tests.conftest import make_setup


@pytest.fixture
def shared(postgres_server, clock):
    name = postgres_server.migrated_database()
    database = Database(postgres_server.url(name), upgrade=False)
    yield database
    database.close()
    postgres_server.drop_database(name)


def _all(db: Database, model, **where) -> list:
    with db.reader() as session:
        query = select(model).filter_by(**where).order_by(model.id)
        return list(session.scalars(query))


def test_a_session_goes_to_the_shared_database_and_comes_back_with_the_stations_work(sc, shared, clock):
    a, b, c, d, other = demo_bsns(5)
    session_id = create_session(sc, make_setup(vaccines=(("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07"))))
    record_scan(sc, session_id, a)
    # Another session on the host, busy before and untouched by the sharing: its ids must stay its own.
    elsewhere = create_session(sc, make_setup())
    kept = record_scan(sc, elsewhere, other).registration_ids
    highest = max(r.id for r in _all(sc.db, RegistrationRow))

    carried = transfer.copy_out(sc.db, shared, session_id)
    assert carried.rows["registrations"] == 2 and carried.rows["sessions"] == 1
    assert _all(shared, RegistrationRow, session_id=elsewhere) == []
    audit_after = transfer.highest_audit_id(shared)

    station = ServiceContext(db=shared, catalogue=load_catalogue(), user="vp.tafel-2", clock=clock,
                             station="tafel-2")
    new = record_scan(station, session_id, b).registration_ids + record_scan(station, session_id, c).registration_ids
    assert min(new) > highest  # ids the host's store has never used
    assert accord(station, session_id).children == 3
    record_scan(station, session_id, d)
    assert undo_last_scan(station, session_id) == d  # a scan undone at a station is gone at home too

    with sc.uow() as uow:
        back = transfer.bring_back(shared, uow.session, session_id, audit_after)
        uow.commit()
    assert back.rows["registrations"] == 6 and back.audit_entries > 0
    registrations = _all(sc.db, RegistrationRow, session_id=session_id)
    assert {r.bsn for r in registrations} == {a, b, c}
    assert {r.state for r in registrations} == {State.QUEUED.value}
    assert {r.station for r in registrations if r.bsn in (b, c)} == {"tafel-2"}
    outbox = _all(sc.db, OutboxRow, session_id=session_id)
    assert sorted(o.bsn for o in outbox) == sorted([a, b, c])
    assert {r.outbox_id for r in registrations} == {o.id for o in outbox}
    assert d not in {child.bsn for child in _all(sc.db, ChildRow, session_id=session_id)}
    assert [r.id for r in _all(sc.db, RegistrationRow, session_id=elsewhere)] == list(kept)
    with sc.db.reader() as session:
        actions = list(session.scalars(select(AuditRow.action).where(AuditRow.user == "vp.tafel-2")))
        assert "undo_scan" in actions and actions.count("queue_message") == 3
