"""`prikpost host start|status|stop` as a host runs them: a real server, TLS required, the files gone at stop."""

from __future__ import annotations

import stat
from pathlib import Path

import psycopg
import pytest

from app.context import AppContext
from app.sharing import hosting, station
from app.sharing.join_code import JoinCode, parse
from app.sharing.server import ADMIN

from .hosts import demo_store, host_start, needs_postgres, prikpost, station_connection

pytestmark = needs_postgres


def _state(store: Path) -> hosting.HostState:
    context = AppContext.open(store)
    try:
        state = hosting.hosting(context.services)
    finally:
        context.close()
    assert state is not None
    return state


def _refused(**options) -> str:
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(connect_timeout=5, **options).close()
    return str(refused.value)


def test_host_start_status_stop_with_tls_required(tmp_path):
    store = demo_store(tmp_path / "host.db")
    code = parse(host_start(store))
    assert code.host == "127.0.0.1"

    # The host's own copy is frozen while shared: a scan into it would be overwritten when the session comes back.
    (tmp_path / "scans.txt").write_text("123456782\n")
    local = prikpost("import-scans", "--db", store, "--session", "1", tmp_path / "scans.txt")
    assert "Sessie niet gereed" in local.stdout and "wordt gedeeld" in local.stdout

    status = prikpost("host", "status", "--db", store)
    assert parse(status.stdout.strip().splitlines()[-1]) == code

    state = _state(store)
    folder = Path(state.folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "data" / "server.key").stat().st_mode) == 0o600
    hba = (folder / "data" / "pg_hba.conf").read_text()
    assert "hostssl" in hba and not any(line.split()[:1] == ["host"] for line in hba.splitlines())

    # The right code connects, verified and channel-bound; the session is there.
    found, url = station.join(code.text(), tmp_path / "station")
    with station_connection(found, next((tmp_path / "station").glob("*.crt"))) as connection:
        assert connection.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (True,)
        assert connection.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
        assert connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        # A station writes rows, but cannot rewrite the audit log, drop its guard or change the schema.
        for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET after = NULL",
                          "DROP TRIGGER IF EXISTS registrations_notify_change ON registrations",
                          "CREATE TABLE elsewhere (id int)", "DELETE FROM alembic_version"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
            connection.rollback()

    common = dict(host=code.host, port=code.port, dbname=code.database)
    # Without TLS: no pg_hba line lets it in. A wrong secret: scram refuses. The administrator: not over the network.
    assert "no pg_hba.conf entry" in _refused(user=code.user, password=code.password, sslmode="disable", **common)
    assert "password authentication failed" in _refused(user=code.user, password="geraden", sslmode="require",
                                                        **common)
    assert "no pg_hba.conf entry" in _refused(user=ADMIN, password=state.admin_password, sslmode="require", **common)
    # A code naming another certificate (another server, or a machine in between) is refused before connecting.
    wrong = JoinCode(code.host, code.port, bytes(16), code.secret)
    with pytest.raises(station.StationError, match="andere server dan die van de deelcode"):
        station.join(wrong.text(), tmp_path / "elsewhere")
    assert not list((tmp_path / "elsewhere").glob("*.crt"))

    stopped = prikpost("host", "stop", "--db", store)
    assert "terug in deze database" in stopped.stdout
    assert "Niet verwacht: 123456782" in prikpost("import-scans", "--db", store, tmp_path / "scans.txt").stdout
    assert not folder.exists()
    after = prikpost("host", "status", "--db", store, check=False)
    assert after.returncode == 3 and "deelt geen sessie" in after.stdout
    with pytest.raises(station.StationError, match="niet bereikbaar"):
        station.join(code.text(), tmp_path / "station")


def test_a_session_is_shared_once(tmp_path):
    store = demo_store(tmp_path / "host.db")
    host_start(store)
    try:
        again = prikpost("host", "start", "--db", store, "--address", "127.0.0.1", check=False)
        assert again.returncode == 1 and "deelt al sessie" in again.stderr
    finally:
        prikpost("host", "stop", "--db", store)
