"""A station hears another's change at once: NOTIFY from the database (migration 0009), LISTEN on a thread."""

from __future__ import annotations

import queue

import pytest

from app.context import load_catalogue
from app.services.base import ServiceContext
from app.services.scans import record_scan
from app.sharing.live import ChangeListener, connection_options
from app.store.engine import Database

WAIT_S = 30  # a deadline for a busy machine, not a speed figure (bench/bench_shared_session.py measures that)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_scan_on_one_station_is_heard_on_another(sc, database_target, session_id, clock):
    heard: queue.Queue[int] = queue.Queue()
    listener = ChangeListener(database_target, heard.put)
    listener.start()
    other = Database(database_target, upgrade=False)
    try:
        assert listener.wait_listening(WAIT_S)
        station = ServiceContext(db=other, catalogue=load_catalogue(), user="vp.balie-2", clock=clock,
                                 station="balie-2")
        record_scan(station, session_id, "123456782")
        assert heard.get(timeout=WAIT_S) == session_id
        # Two vaccines or one, a scan is one transaction: one notification, not one per row.
        with pytest.raises(queue.Empty):
            heard.get(timeout=1)
    finally:
        listener.stop()
        other.close()


def test_connection_options_carry_the_urls_tls_options():
    url = ("postgresql+psycopg://prikpost_station:geheim@192.168.1.5:5433/prikpost"
           "?sslmode=verify-ca&sslrootcert=/tmp/x.crt&channel_binding=require")
    options = connection_options(url)
    assert options == {"dbname": "prikpost", "user": "prikpost_station", "password": "geheim", "host": "192.168.1.5",
                       "port": 5433, "sslmode": "verify-ca", "sslrootcert": "/tmp/x.crt", "channel_binding": "require"}
