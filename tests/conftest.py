"""Shared fixtures: a real SQLite file per test, a fixed clock, isolated settings."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No per-example deadline (two shared cores make timings noisy). In CI the examples are the same on every
# run (derandomize), so a red CI always means a change broke something; local runs keep exploring new inputs.
settings.register_profile("local", deadline=None, print_blob=True)
settings.register_profile("ci", settings.get_profile("local"), derandomize=True)
settings.load_profile(os.environ.get("PRIKPOST_HYPOTHESIS", "local"))

from app.context import load_catalogue  # noqa: E402
from app.domain.clock import FixedClock  # noqa: E402
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine  # noqa: E402
from app.outbox.receiver.faults import Faults  # noqa: E402
from app.outbox.receiver.server import ReceiverServer  # noqa: E402
from app.services.base import ServiceContext  # noqa: E402
from app.services.demo import demo_lot_list  # noqa: E402
from app.services.lots import replace_lot_list  # noqa: E402
from app.services.sessions import create_session  # noqa: E402
from app.store.engine import Database  # noqa: E402
from tests.organisation import write_configured  # noqa: E402

TODAY = date(2026, 11, 23)
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Keep settings, logs and data of every test out of the user's folders."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PRIKPOST_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("PRIKPOST_CONFIG_DIR", str(base / "config"))
    write_configured(base / "config")  # an organisation that filled in what Praeventis needs


@pytest.fixture(autouse=True)
def _cheap_passphrase_derivation(monkeypatch):
    """New databases are encrypted as users have them; their key files here use a cheap scrypt cost.

    The cost is stored per key entry, so opening them works as always; commands run as subprocesses keep
    the real cost."""
    monkeypatch.setattr("app.store.keys.SCRYPT_N", 2**10)


@pytest.fixture(autouse=True)
def _no_leaked_threads():
    """Fail a test that leaves a thread or a pool task running (napari's conftest does the same)."""
    import sys
    import threading
    import time

    before = set(threading.enumerate())
    yield
    pool = None
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        pool = QThreadPool.globalInstance()
        pool.waitForDone(10_000)
    deadline = time.monotonic() + 10
    # Qt's pool threads show up as dummy threads (checked through the pool above); daemon threads are the
    # stand-in servers' request threads, which may wait on a client's keep-alive socket until it times out.
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon
              and not isinstance(t, threading._DummyThread)]
    for thread in leaked:
        thread.join(max(0.0, deadline - time.monotonic()))
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"the test left threads running: {still}"
    assert pool is None or pool.activeThreadCount() == 0, "the test left a background task running"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, 0))


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the whole test run, started on first use; skips where none is installed."""
    from tests.pg_server import PostgresServer, why_not_available

    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def backend(request) -> str:
    """The store under test: 'sqlite' unless a folder or module parametrises it over BACKENDS."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_target(request, backend, tmp_path):
    """Where the test's store lives: a file, or a fresh database at the newest schema on the test server."""
    if backend == "sqlite":
        yield tmp_path / "prikpost.sqlite"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.migrated_database()
    yield server.url(name)
    server.drop_database(name)


def encrypted_demo_key(path: Path) -> bytes:
    """Give a new database file the key file the app gives it without a first user: the demo login."""
    from app.domain.roles import Role, format_roles
    from app.store.keys import DEMO_LOGIN, DEMO_PASSPHRASE, KeyFile

    _, key = KeyFile.create(path, DEMO_LOGIN, format_roles({Role.PROFESSIONAL, Role.BEHEERDER}), DEMO_PASSPHRASE,
                            demo=True)
    return key


@pytest.fixture
def db(database_target, backend) -> Database:
    """The store as users have it: a SQLCipher file with its key file (the commands open it with the demo
    login), or a database on the PostgreSQL test server."""
    database = Database(database_target, key=encrypted_demo_key(database_target) if backend == "sqlite" else None)
    yield database
    database.close()


@pytest.fixture
def sc(db, clock) -> ServiceContext:
    context = ServiceContext(db=db, catalogue=load_catalogue(), user="verpleegkundige.test", clock=clock)
    replace_lot_list(context, demo_lot_list(TODAY, clock.now()), source="test")
    return context


def make_setup(mode: Mode = Mode.BEFORE, vaccines=(("28", "DEMO-MACWY-01"),), org_kind=OrgIdKind.URA) -> SessionSetup:
    return SessionSetup(TODAY, Organisation("JGZ Testregio", org_kind, "12345678"), "Testschool", "18", mode,
                        tuple(SessionVaccine(code, lot) for code, lot in vaccines))


@pytest.fixture
def session_id(sc) -> int:
    return create_session(sc, make_setup())


@pytest.fixture
def two_vaccine_session(sc) -> int:
    return create_session(sc, make_setup(vaccines=(("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07"))))


@pytest.fixture
def start_receiver(tmp_path):
    """Start stand-in servers on free ports in threads; all are stopped after the test."""
    servers: list[ReceiverServer] = []

    def start(faults: Faults | None = None, **options) -> ReceiverServer:
        server = ReceiverServer(0, tmp_path / f"received{len(servers)}", faults or Faults(), **options)
        server.start_in_thread()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
