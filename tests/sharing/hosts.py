"""Drive `prikpost` as separate processes, as a host and its stations run: a demo store, the host, station imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.sharing import server

COMMAND_TIMEOUT_S = 180

needs_postgres = pytest.mark.skipif(not server.installed(), reason=server.NOT_INSTALLED)


def environment() -> dict[str, str]:
    """Return the environment for a prikpost process: the test's folders, unbuffered output."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"  # a printed outcome is a committed one: let it reach the test at once
    return env


def prikpost(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run `prikpost ARGS` to the end and return what it printed."""
    result = subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True,
                            env=environment(), timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"prikpost {' '.join(map(str, args))} -> {result.returncode}\n{result.stdout}\n"
                             f"{result.stderr}")
    return result


def station(code: str, name: str, scans: Path) -> subprocess.Popen:
    """Start `prikpost import-scans --join CODE` as station `name`; its outcomes come on stdout, line by line."""
    return subprocess.Popen([sys.executable, "-m", "app", "import-scans", "--join", code, "--station", name,
                             "--as", f"medewerker-{name}", str(scans)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=environment(), stdin=subprocess.DEVNULL)


def demo_store(path: Path) -> Path:
    """Make an encrypted demo store with one open session (30 expected children) and return its path."""
    prikpost("demo", "--db", path)
    return path


def host_start(store: Path) -> str:
    """Share the store's session on 127.0.0.1 and return the join code (the command's last line)."""
    return prikpost("host", "start", "--db", store, "--address", "127.0.0.1").stdout.strip().splitlines()[-1]


def station_connection(code, root: Path):
    """Return a psycopg connection to the shared session as a station makes it (the options it connects with)."""
    import psycopg

    from app.sharing.station import connection_options

    return psycopg.connect(host=code.host, port=code.port, dbname=code.database, user=code.user,
                           password=code.password, **connection_options(code, root))
