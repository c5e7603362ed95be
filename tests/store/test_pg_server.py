"""Where PostgreSQL is not installed, the PostgreSQL variants skip and say why."""

from app.sharing import server
from tests import pg_server


def test_without_the_postgresql_package_the_reason_names_it(monkeypatch):
    monkeypatch.setattr(server.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(server.shutil, "which", lambda name: None)
    reason = pg_server.why_not_available()
    assert reason is not None and "'postgresql'" in reason and "scripts/setup.sh test" in reason


def test_with_the_package_installed_the_newest_server_is_used(monkeypatch):
    monkeypatch.setattr(server.shutil, "which", lambda name: None)
    monkeypatch.setattr(server.glob, "glob", lambda pattern: ["/usr/lib/postgresql/9/bin/pg_ctl",
                                                              "/usr/lib/postgresql/15/bin/pg_ctl"])
    assert str(pg_server.server_programs()) == "/usr/lib/postgresql/15/bin"
