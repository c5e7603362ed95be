"""A hostile receiver on 127.0.0.1: no answer may exhaust memory or time, none may count a message as sent."""

from __future__ import annotations

import tracemalloc

import pytest

from app.domain.errors import DomainError
from app.outbox.bounded import Deadline
from app.outbox.lot_refresh import fetch_lot_list
from app.outbox.receiver.hostile import HostileReceiver
from app.outbox.sender import send_now
from app.outbox.sender_lock import SenderLock
from app.outbox.status_query import request_status
from app.outbox.transport import HttpTransport, TransportError
from app.outbox.vaccinnet_sender import HttpVaccinnetClient
from app.services.lots import current_lot_list
from tests.organisation import configured
from tests.store_access import connect

from .conftest import queue_children, states

CAP = 1_000_000


@pytest.fixture
def hostile(tmp_path):
    servers: list[HostileReceiver] = []

    def start(mode: str, **options) -> HostileReceiver:
        options = {"bomb_mb": 64, "huge_mb": 64, "trickle_s": 0.05, **options}
        server = HostileReceiver(mode, tmp_path / f"hostile{len(servers)}", **options)
        server.start_in_thread()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def bounded_settings(server, **changes):
    from app.settings import OutboxSettings

    settings = configured(OutboxSettings(url_acceptatie=server.url(), request_deadline_s=1.0, run_deadline_s=60.0,
                                         max_answer_bytes=CAP, timeout_s=5.0))
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def attempts_and_errors(db_path) -> list[tuple[str, int, str]]:
    with connect(db_path) as conn:
        return conn.execute("select state, attempts, coalesce(last_error, '') from outbox order by id").fetchall()


def assert_lock_free(db_path) -> None:
    with SenderLock(db_path):  # raises SenderBusy when a run left it held
        pass


@pytest.mark.parametrize("mode, reason", [
    ("gzip_bomb", "groter dan 1 MB (ook na uitpakken)"),
    ("huge", "groter dan 1 MB"),
    ("endless", "groter dan 1 MB"),
    ("trickle", "niet op tijd"),
    ("trickle_headers", "niet op tijd"),
    ("silent", "niet op tijd"),
])
def test_a_hostile_answer_fails_the_message_for_a_later_retry_and_frees_the_lock(hl7_sc, session_id, hostile,
                                                                                 mode, reason):
    queue_children(hl7_sc, session_id, 2)
    server = hostile(mode)
    tracemalloc.start()
    try:
        report = send_now(hl7_sc, bounded_settings(server))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.acknowledged == 0 and report.failed == 2 and not report.ok
    assert states(hl7_sc.db) == {"failed": 2}
    assert all(reason in error and attempts == 1 for _state, attempts, error in attempts_and_errors(hl7_sc.db.path))
    assert peak < 20 * CAP  # a 64 MB body or bomb never sits in memory whole
    assert_lock_free(hl7_sc.db.path)


def test_mutated_acknowledgements_never_count_as_sent(hl7_sc, session_id, hostile):
    queue_children(hl7_sc, session_id, 12)
    server = hostile("mutated")
    report = send_now(hl7_sc, bounded_settings(server))
    assert report.acknowledged == 0 and report.failed == 12
    assert states(hl7_sc.db) == {"failed": 12}
    assert all(error for _state, _attempts, error in attempts_and_errors(hl7_sc.db.path))
    assert_lock_free(hl7_sc.db.path)


def test_the_run_deadline_stops_the_run_and_puts_unposted_messages_back_without_an_attempt(hl7_sc, session_id,
                                                                                          hostile):
    queue_children(hl7_sc, session_id, 6)
    server = hostile("trickle")
    # Each request may take 1 s; the whole run 2.5 s: at most three messages are posted, the rest waits.
    report = send_now(hl7_sc, bounded_settings(server, run_deadline_s=2.5))
    rows = attempts_and_errors(hl7_sc.db.path)
    posted = [row for row in rows if row[1] == 1]
    waiting = [row for row in rows if row[1] == 0]
    assert report.stopped_at_deadline and not report.ok and "duurde te lang" in report.summary()
    assert report.acknowledged == 0 and report.failed == len(posted)
    assert waiting and all(state == "pending" for state, _attempts, _error in waiting)
    assert len(posted) + len(waiting) == 6 and server.requests == len(posted)
    assert_lock_free(hl7_sc.db.path)


def test_an_expired_run_deadline_sends_nothing(hl7_sc, session_id, hostile):
    server = hostile("silent")
    transport = HttpTransport(server.url(), 5.0, request_deadline_s=60, run_deadline=Deadline.after(0.001))
    with transport, pytest.raises(TransportError, match="niet op tijd"):
        while True:  # the deadline is a millisecond away: the first or a next call is refused
            transport.send(b"<x/>")
    assert server.requests <= 1


def test_a_bounded_client_reads_a_normal_gzip_answer(receiver):
    import gzip

    from app.outbox.bounded import read_bounded

    class Answer:
        headers = {"Content-Encoding": "gzip"}

        def iter_raw(self, _size):
            data = gzip.compress(b"<ok/>" * 1000) + gzip.compress(b"<en-nog-een/>")
            yield from (data[i:i + 7] for i in range(0, len(data), 7))

    assert read_bounded(Answer(), CAP, Deadline()) == b"<ok/>" * 1000 + b"<en-nog-een/>"


def test_vaccinnet_answers_are_bounded_too(hostile):
    server = hostile("gzip_bomb")
    client = HttpVaccinnetClient(server.url("/vaccinnet"), 5.0, request_deadline_s=1.0, max_answer_bytes=CAP)
    try:
        with pytest.raises(TransportError, match="groter dan"):
            client.result("ticket-1")
    finally:
        client.close()


def test_a_hostile_lot_list_keeps_the_current_one(sc, hostile):
    before = current_lot_list(sc)
    server = hostile("endless")
    with pytest.raises(DomainError, match="groter dan"):
        fetch_lot_list(sc, bounded_settings(server))
    assert current_lot_list(sc) == before


def test_a_hostile_status_answer_is_refused_in_dutch(sc, hostile):
    server = hostile("trickle")
    with pytest.raises(TransportError, match="niet op tijd"):
        request_status(sc, bounded_settings(server), "123456782")
