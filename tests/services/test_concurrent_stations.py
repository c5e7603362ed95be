"""Two stations of a shared session scan the same child at the same moment: the database keeps one registration.

Each station has its own engine on the same PostgreSQL database (as two laptops do). A barrier holds both
just before their first INSERT, so both have read "not yet registered" before either writes: the race is
forced, not hoped for. The one that commits second gets the normal 'al gescand', naming the first station.
"""

import threading

import pytest
from sqlalchemy import event, func, select

from app.context import load_catalogue
from app.services.base import ServiceContext
from app.services.expected_list import import_expected_list
from app.services.scans import Outcome, record_scan
from app.store.engine import Database
from app.store.models import ChildRow, RegistrationRow

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

LIST = b"BSN;Naam;Geboortedatum;Klas\r\n123456782;Sanne de Vries;14-03-2012;2A\r\n"


def _station(target, clock, name: str, barrier: threading.Barrier, table: str):
    database = Database(target, upgrade=False)
    held = threading.local()

    @event.listens_for(database.engine, "before_cursor_execute")
    def _hold(_conn, _cursor, statement, *_args):
        if statement.startswith(f"INSERT INTO {table}") and not getattr(held, "done", False):
            held.done = True
            barrier.wait(timeout=20)

    return ServiceContext(db=database, catalogue=load_catalogue(), user=f"vp.{name}", clock=clock, station=name)


@pytest.mark.parametrize("expected", [True, False], ids=["expected_child", "unexpected_child"])
def test_two_stations_racing_for_the_same_child_leave_one_registration(sc, database_target, clock,
                                                                       two_vaccine_session, expected):
    if expected:
        import_expected_list(sc, two_vaccine_session, LIST)
    barrier = threading.Barrier(2)
    # With the child on the list both stations race to insert its registrations; without, its child row first.
    table = "registrations" if expected else "children"
    stations = [_station(database_target, clock, name, barrier, table) for name in ("balie-1", "balie-2")]
    outcomes: dict[str, object] = {}

    def scan(station: ServiceContext) -> None:
        try:
            outcomes[station.station] = record_scan(station, two_vaccine_session, "123456782")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[station.station] = error

    threads = [threading.Thread(target=scan, args=(station,)) for station in stations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for station in stations:
        station.db.close()

    assert not barrier.broken, "both stations reached their INSERT together"
    results = sorted(outcomes.values(), key=lambda o: getattr(o, "outcome", Outcome.INVALID).value)
    assert [getattr(o, "outcome", o) for o in results] == [Outcome.ALREADY_SCANNED, Outcome.NEW]
    second, first = results
    winner = next(name for name, o in outcomes.items() if o is first)
    assert f"al gescand door {winner} om 09:00" in second.message
    with sc.db.reader() as session:
        rows = list(session.scalars(select(RegistrationRow).where(RegistrationRow.bsn == "123456782")))
        assert sorted(r.vaccine_code for r in rows) == ["02", "28"]
        assert {r.station for r in rows} == {winner}
        assert session.scalar(select(func.count(ChildRow.id)).where(ChildRow.bsn == "123456782")) == 1
