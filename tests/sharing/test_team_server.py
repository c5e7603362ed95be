"""`prikpost host start --server URL`: the session shared on the team's own PostgreSQL server, which keeps running."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from app.context import AppContext
from app.services.demo import demo_bsns
from app.sharing.join_code import DEFAULT_USER, parse
from app.store.models import RegistrationRow
from tests.pg_server import PASSWORD, SUPERUSER, PostgresServer, why_not_available

from .hosts import demo_store, needs_postgres, prikpost

pytestmark = needs_postgres


@pytest.fixture
def team_server():
    """The team's own server: TLS on (a certificate for 127.0.0.1), scram-sha-256, an administrator with a password."""
    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    server = PostgresServer(tls=True).start()
    yield server
    server.stop()


def _scanned(store) -> set[str]:
    context = AppContext.open(store)
    try:
        with context.services.uow(write=False) as uow:
            return {row.bsn for row in uow.session.scalars(select(RegistrationRow))}
    finally:
        context.close()


def _team(server: PostgresServer, database: str, query: str):
    with psycopg.connect(host="127.0.0.1", port=server.port, user=SUPERUSER, password=PASSWORD, dbname=database,
                         sslmode="require") as connection:
        return connection.execute(query).fetchall()


def test_a_session_shared_on_the_team_server_comes_back_and_the_server_keeps_running(tmp_path, team_server,
                                                                                     monkeypatch):
    store = demo_store(tmp_path / "host.db")
    database = team_server.create_database()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{team_server.port}/{database}"

    started = prikpost("host", "start", "--db", store, "--server", url)
    code = parse(started.stdout.strip().splitlines()[-1])
    assert (code.host, code.port, code.database, code.user) == ("127.0.0.1", team_server.port, database, DEFAULT_USER)
    assert PASSWORD not in started.stdout + started.stderr
    assert parse(prikpost("host", "status", "--db", store).stdout.strip().splitlines()[-1]) == code
    # The stations' role has row rights only.
    assert _team(team_server, database, f"SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = '{code.user}'") \
        == [(False, False)]

    # Another host cannot put its session in the same database while this one is shared there.
    other = prikpost("host", "start", "--db", demo_store(tmp_path / "other.db"), "--server", url, check=False)
    assert other.returncode != 0 and "bevat al een sessie" in other.stdout + other.stderr

    # A station joins by the code (the team's certificate pinned) and registers a child.
    child = demo_bsns(31)[30]
    (tmp_path / "scans.txt").write_text(f"{child}\n")
    joined = prikpost("import-scans", "--join", code.text(), "--station", "tafel-1", "--as", "medewerker-tafel-1",
                      tmp_path / "scans.txt")
    assert child in joined.stdout
    assert _team(team_server, database, f"SELECT count(*) FROM registrations WHERE bsn = '{child}'")[0][0] > 0
    assert child not in _scanned(store)

    stopped = prikpost("host", "stop", "--db", store)
    assert "die server draait door" in stopped.stdout
    assert child in _scanned(store)
    # The team's server still runs; the session's rows and the stations' role are gone from it.
    assert _team(team_server, database, "SELECT count(*) FROM sessions") == [(0,)]
    assert _team(team_server, database, "SELECT count(*) FROM registrations") == [(0,)]
    assert _team(team_server, "postgres", f"SELECT 1 FROM pg_roles WHERE rolname = '{code.user}'") == []
    assert "deelt geen sessie" in prikpost("host", "status", "--db", store, check=False).stdout

    # The same database shares again (a fresh secret: the old code no longer signs in).
    again = parse(prikpost("host", "start", "--db", store, "--server", url).stdout.strip().splitlines()[-1])
    assert again.secret != code.secret and again.fingerprint == code.fingerprint
    prikpost("host", "stop", "--db", store)


def test_a_team_server_without_tls_or_with_a_password_in_the_url_is_refused(tmp_path, postgres_server, monkeypatch):
    store = demo_store(tmp_path / "host.db")
    database = postgres_server.create_database()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)

    plain = prikpost("host", "start", "--db", store, "--server",
                     f"postgresql://{SUPERUSER}@127.0.0.1:{postgres_server.port}/{database}", check=False)
    assert plain.returncode != 0
    assert "geen versleutelde verbinding (TLS)" in plain.stdout + plain.stderr
    with_password = prikpost("host", "start", "--db", store, "--server",
                             f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:{postgres_server.port}/{database}",
                             check=False)
    assert with_password.returncode != 0 and "PGPASSWORD" in with_password.stdout + with_password.stderr
    assert "deelt geen sessie" in prikpost("host", "status", "--db", store, check=False).stdout
