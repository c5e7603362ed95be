"""Hear at once when another station changes the shared session: PostgreSQL's LISTEN/NOTIFY on a thread of its own.

Migration 0009 makes the database NOTIFY `prikpost_changes` with the session's id on every change to its
children or registrations. A ChangeListener keeps one connection listening and calls back (on its own thread:
a window passes a Qt signal's emit) with the session id; a lost connection is made again until it is stopped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CHANNEL = "prikpost_changes"
POLL_S = 0.25  # how long one wait for notifications lasts: stop() is heard within it
RECONNECT_S = 2.0


def connection_options(url: str) -> dict:
    """Return psycopg's connect() keywords for a database URL (its query options included)."""
    parsed = make_url(url)
    options = {"dbname": parsed.database, "user": parsed.username, "password": parsed.password,
               "host": parsed.host, "port": parsed.port}
    options.update({key: value for key, value in parsed.query.items()})
    return {key: value for key, value in options.items() if value is not None}


class ChangeListener:
    """Call `on_change(session_id)` for every change another connection commits to a shared session."""

    def __init__(self, url: str, on_change: Callable[[int], None], on_connected: Callable[[bool], None] | None = None):
        self._options = connection_options(url)
        self._on_change = on_change
        self._on_connected = on_connected or (lambda _up: None)
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="prikpost-listen")
        self._thread.start()

    def wait_listening(self, timeout: float) -> bool:
        """Return True once the listener listens (tests and benches start scanning after that)."""
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(autocommit=True, **self._options) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    self._on_connected(True)
                    while not self._stop.is_set():
                        for notification in connection.notifies(timeout=POLL_S):
                            self._tell(notification.payload)
            except psycopg.Error as error:
                log.warning("listening for changes of the shared session failed: %s", type(error).__name__)
                self._ready.clear()
                self._on_connected(False)
                self._stop.wait(RECONNECT_S)

    def _tell(self, payload: str) -> None:
        try:
            session_id = int(payload)
        except ValueError:
            log.warning("ignoring a change notification without a session id")
            return
        self._on_change(session_id)
