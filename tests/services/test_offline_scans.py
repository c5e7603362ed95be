"""A station without its host keeps scans in its own encrypted store and passes them on when the host is back."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.context import load_catalogue
from app.domain.errors import DomainError
from app.services.base import ServiceContext
from app.services.offline_scans import (
    CONFLICT,
    REPLAYED,
    keep_scan,
    keep_scanned_text,
    kept_count,
    open_conflicts,
    replay,
    resolve_conflict,
)
from app.services.scans import Outcome, record_scan
from app.store.engine import Database
from app.store.models import OfflineScanRow, RegistrationRow
from tests.conftest import encrypted_demo_key

HOST = "postgresql://prikpost:geheim@192.168.1.20:5432/sessie"


@pytest.fixture
def station(tmp_path, clock):
    """The station's own encrypted store, where it keeps scans while the host is out of reach."""
    path = tmp_path / "balie-1.sqlite"
    database = Database(path, key=encrypted_demo_key(path))
    yield ServiceContext(db=database, catalogue=load_catalogue(), user="vp.balie1", clock=clock, station="balie-1")
    database.close()


def _registrations(sc, bsn):
    with sc.db.reader() as session:
        return list(session.scalars(select(RegistrationRow).where(RegistrationRow.bsn == bsn)
                                    .order_by(RegistrationRow.vaccine_code)))


def _local_states(station):
    with station.db.reader() as session:
        return [row.state for row in session.scalars(select(OfflineScanRow))]


def test_kept_scans_are_registered_later_with_their_own_time_and_station(sc, station, two_vaccine_session, clock):
    kept = keep_scan(station, HOST, two_vaccine_session, "123456782")
    assert kept.outcome is Outcome.KEPT and kept.message.startswith("Niet verbonden — scans worden bewaard.")
    again = keep_scan(station, HOST, two_vaccine_session, "123456782")
    assert again.outcome is Outcome.ALREADY_SCANNED and kept_count(station, HOST) == 1
    assert _registrations(sc, "123456782") == []  # nothing reached the host yet
    clock.advance(timedelta(minutes=20))  # the host is back

    report = replay(station, replace(sc, station="host"), HOST)

    assert (report.replayed, report.conflicts, report.refused) == (1, [], [])
    rows = _registrations(sc, "123456782")
    assert [(r.vaccine_code, r.station, r.scanned_by, f"{r.scanned_at:%H:%M}") for r in rows] == [
        ("02", "balie-1", "vp.balie1", "09:00"), ("28", "balie-1", "vp.balie1", "09:00")]
    assert _local_states(station) == [REPLAYED] and kept_count(station, HOST) == 0
    assert replay(station, sc, HOST).replayed == 0  # nothing left to pass on


def test_a_replay_interrupted_after_the_host_committed_is_recognised_not_doubled(sc, station, two_vaccine_session):
    keep_scan(station, HOST, two_vaccine_session, "123456782")
    with station.db.reader() as session:
        scan = session.scalars(select(OfflineScanRow)).one()
    # The host took the scan, then the station died before it marked the scan as passed on.
    record_scan(replace(sc, station="balie-1"), two_vaccine_session, "123456782", at=scan.scanned_at, origin=scan.id)

    report = replay(station, sc, HOST)

    assert (report.replayed, report.conflicts) == (1, [])
    assert len(_registrations(sc, "123456782")) == 2 and _local_states(station) == [REPLAYED]


def test_a_child_registered_meanwhile_on_another_station_becomes_a_conflict_for_the_professional(
        sc, station, two_vaccine_session, clock):
    keep_scan(station, HOST, two_vaccine_session, "123456782")  # 09:00 on balie-1, host out of reach
    clock.advance(timedelta(minutes=5))
    other = record_scan(replace(sc, station="balie-2"), two_vaccine_session, "123456782")  # 09:05 on balie-2
    assert other.outcome is Outcome.NEW

    report = replay(station, sc, HOST)
    again = replay(station, sc, HOST)  # nothing twice

    assert report.replayed == 1 and again.replayed == 0
    assert sorted(c.vaccine_code for c in report.conflicts) == ["02", "28"]
    conflict = report.conflicts[0]
    assert (conflict.kept_station, f"{conflict.kept_at:%H:%M}", conflict.other_station,
            f"{conflict.other_at:%H:%M}") == ("balie-1", "09:00", "balie-2", "09:05")
    assert conflict.sentence("MenACWY") == ("Kind 123456782: MenACWY geregistreerd op balie-2 om 09:05 (gescand) en "
                                            "bewaard op balie-1 om 09:00 toen die niet verbonden was.")
    assert "2 conflicten voor een professional" in report.summary()
    assert [r.station for r in _registrations(sc, "123456782")] == ["balie-2", "balie-2"]  # never merged
    assert _local_states(station) == [CONFLICT]  # and the kept scan is not lost

    with pytest.raises(DomainError, match="wat er is besloten"):
        resolve_conflict(sc, conflict.id, "  ")
    resolve_conflict(sc, conflict.id, "Eén keer gevaccineerd, op balie-2")
    assert [c.vaccine_code for c in open_conflicts(sc, two_vaccine_session)] == [
        c.vaccine_code for c in report.conflicts[1:]]
    resolved = [c for c in open_conflicts(sc, two_vaccine_session, include_resolved=True) if c.id == conflict.id]
    assert resolved[0].resolution == "Eén keer gevaccineerd, op balie-2"
    with pytest.raises(DomainError, match="al opgelost"):
        resolve_conflict(sc, conflict.id, "nogmaals")


def test_the_same_station_scanning_before_and_while_cut_off_is_no_clash(sc, station, two_vaccine_session):
    record_scan(replace(sc, station="balie-1"), two_vaccine_session, "123456782")  # online
    keep_scan(station, HOST, two_vaccine_session, "123456782")  # the connection dropped, the card again
    report = replay(station, sc, HOST)
    assert (report.replayed, report.conflicts) == (1, []) and len(_registrations(sc, "123456782")) == 2


def test_accord_waits_for_an_open_conflict_and_takes_the_child_once_it_is_resolved(sc, station, session_id, clock):
    from app.services.accord import accord, preview_accord

    keep_scan(station, HOST, session_id, "123456782")
    clock.advance(timedelta(minutes=5))
    record_scan(replace(sc, station="balie-2"), session_id, "123456782")
    record_scan(replace(sc, station="balie-2"), session_id, "999900183")
    (conflict,) = replay(station, sc, HOST).conflicts

    for attempt in (preview_accord, accord):
        with pytest.raises(DomainError, match="bij 1 kind staat een conflict open"):
            attempt(sc, session_id)
    other = [r.id for r in _registrations(sc, "999900183")]
    assert accord(sc, session_id, other).children == 1  # the other children can be accorded meanwhile
    resolve_conflict(sc, conflict.id, "Eén keer gevaccineerd, op balie-2")
    assert accord(sc, session_id).children == 1


def test_scanned_text_is_read_as_a_live_scan_is_before_it_is_kept(station, two_vaccine_session):
    misread = keep_scanned_text(station, HOST, two_vaccine_session, "12345678")  # 8 digits: never padded
    assert misread.outcome is Outcome.INVALID and kept_count(station, HOST) == 0
    kept = keep_scanned_text(station, HOST, two_vaccine_session, "]C1123456782\r")
    assert kept.outcome is Outcome.KEPT and kept.bsn == "123456782" and kept_count(station, HOST) == 1
