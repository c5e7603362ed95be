"""End to end under Xvfb: the real app window, xdotool typing 50 scans at 3 ms per key with Return."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from app.services.demo import demo_bsns
from tests.store_access import connect, database_errors

from .xvfb import xvfb_display

pytestmark = pytest.mark.xvfb


def _registered(db, bsns) -> int:
    try:
        conn = connect(db)  # the demo database the app makes: encrypted, opened with the demo login's key
    except (OSError, *database_errors()):  # not made yet
        return 0
    try:
        marks = ",".join("?" * len(bsns))
        return conn.execute(f"select count(distinct bsn) from registrations where bsn in ({marks})", bsns).fetchone()[0]
    except database_errors():
        return 0
    finally:
        conn.close()


def _wait_for(condition, timeout_s: float, what: str) -> None:
    # Polling another process's database: no Qt signal can reach this test.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


def _focus_main_window(env) -> None:
    """Focus the visible Prikpost window; a busy machine may map it a moment after xdotool first finds it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "Prikpost"], env=env,
                               capture_output=True, text=True, timeout=60).stdout.split()
        for window in found:
            if subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, capture_output=True,
                              timeout=30).returncode == 0:
                return
        time.sleep(0.5)  # polling another process's window: no Qt signal reaches this test
    raise TimeoutError("the Prikpost window could not be focused")


def test_fifty_wedge_scans_in_the_real_window_are_all_registered(tmp_path):
    db = tmp_path / "e2e.sqlite"
    bsns = demo_bsns(50, start=999_970_000)
    with xvfb_display() as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        app = subprocess.Popen([sys.executable, "-m", "app", "--demo", "--db", str(db)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _focus_main_window(env)
            text = "".join(f"{bsn}\r" for bsn in bsns)
            subprocess.run(["xdotool", "type", "--delay", "3", text], env=env, check=True, timeout=120)
            _wait_for(lambda: _registered(db, bsns) == 50, 60, "50 registrations")
            conn = connect(db)
            assert conn.execute("select count(*) from registrations where source = 'scan' and bsn like '99997%'"
                                ).fetchone()[0] == 100  # two vaccines in the demo session
        except (TimeoutError, IndexError) as error:
            app.kill()
            pytest.fail(f"{error}; registered {_registered(db, bsns)}; app said:\n"
                        f"{app.communicate(timeout=20)[0].decode(errors='replace')[-3000:]}")
        app.terminate()
        output = app.communicate(timeout=20)[0].decode(errors="replace")
        assert "Traceback" not in output, output
