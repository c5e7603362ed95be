"""End to end under a real window manager (openbox on Xvfb, 1366×768 with a 40-pixel taskbar): the real app on
a demo session, driven by keyboard only with xdotool: a card scanned as a wedge burst, accord, the messages
screen. Screenshots of each state are saved in the test's folder; the window, status bar included, must lie
inside the work area."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.store_access import connect, database_errors

from .test_xvfb_scan import _focus_main_window
from .xvfb import screenshot, window_manager, work_area, xvfb_display

pytestmark = pytest.mark.xvfb
TASKBAR = 40


def _query(db, sql: str, *args):
    try:
        conn = connect(db)  # the demo database the app makes: encrypted, opened with the demo login's key
    except (OSError, *database_errors()):  # not made yet
        return []
    try:
        return conn.execute(sql, args).fetchall()
    except database_errors():  # the app has not made its tables yet
        return []
    finally:
        conn.close()


def _wait_for(condition, what: str, timeout_s: float = 60):
    # Another process (the app, the window manager): no Qt signal reaches this test, so it polls.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


def _xdotool(env, *args) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=60).stdout


def _visible_window(env, name: str) -> str | None:
    found = _xdotool(env, "search", "--onlyvisible", "--name", name).split()
    return found[-1] if found else None


def _geometry(env, window: str) -> dict[str, int]:
    """The client area of the window in screen coordinates (xwininfo's absolute corner; xdotool's adds the frame
    twice under a reparenting window manager), and its frame's extents."""
    info = subprocess.run(["xwininfo", "-id", window], env=env, capture_output=True, text=True, timeout=30).stdout
    values = {key.strip(): value.strip() for key, _sep, value in
              (line.partition(":") for line in info.splitlines()) if value.strip().lstrip("-").isdigit()}
    extents = subprocess.run(["xprop", "-id", window, "_NET_FRAME_EXTENTS"], env=env, capture_output=True,
                             text=True, timeout=30).stdout
    left, right, top, bottom = ((int(v) for v in extents.split("=", 1)[1].split(",")) if "=" in extents
                                else (0, 0, 0, 0))
    return {"x": int(values["Absolute upper-left X"]), "y": int(values["Absolute upper-left Y"]),
            "width": int(values["Width"]), "height": int(values["Height"]),
            "left": left, "right": right, "top": top, "bottom": bottom}


def test_a_day_at_the_table_by_keyboard_under_a_window_manager(tmp_path):
    db = tmp_path / "dag.sqlite"
    shots = tmp_path / "schermafdrukken"
    shots.mkdir()
    with xvfb_display("1366x768x24") as display, window_manager(display, tmp_path, taskbar=TASKBAR):
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        area_x, area_y, area_width, area_height = work_area(display)
        assert (area_width, area_height) == (1366, 768 - TASKBAR)  # the taskbar is kept free
        app = subprocess.Popen([sys.executable, "-m", "app", "--demo", "--db", str(db)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _focus_main_window(env)
            window = _visible_window(env, "Prikpost")

            def settled():  # framed by openbox, and fitted inside the work area by the app
                geometry = _geometry(env, window)
                return geometry if geometry["top"] and geometry["y"] - geometry["top"] >= area_y and \
                    geometry["y"] + geometry["height"] + geometry["bottom"] <= area_y + area_height else None

            geometry = _wait_for(settled, "the window inside the work area", 30)
            # The status bar is the bottom of the client area: above the taskbar, the title bar on the screen.
            assert geometry["y"] + geometry["height"] <= area_y + area_height - geometry["bottom"]
            assert geometry["x"] - geometry["left"] >= area_x and geometry["y"] - geometry["top"] >= area_y
            assert geometry["x"] + geometry["width"] + geometry["right"] <= area_x + area_width
            assert geometry["width"] >= 1200 and geometry["height"] >= 600  # and it uses the room it has
            screenshot(display, shots / "1-start.png")

            todo = _wait_for(lambda: _query(db, "select bsn from children where id not in "
                                                "(select child_id from registrations) order by id"), "the demo")
            bsn = todo[0][0]
            subprocess.run(["xdotool", "type", "--delay", "3", f"{bsn}\r"], env=env, check=True, timeout=60)
            _wait_for(lambda: _query(db, "select 1 from registrations r join children c on c.id = r.child_id "
                                         "where c.bsn = ?", bsn), "the scan")
            screenshot(display, shots / "2-gescand.png")

            _xdotool(env, "key", "--clearmodifiers", "ctrl+shift+Return")  # Accorderen › Alles accorderen
            _wait_for(lambda: _visible_window(env, "Accorderen"), "the accord question")
            screenshot(display, shots / "3-accorderen.png")
            _xdotool(env, "key", "Return")  # the default button: Accorderen
            _wait_for(lambda: _query(db, "select 1 from outbox where bsn = ?", bsn), "the accorded child's message")
            screenshot(display, shots / "4-geaccordeerd.png")

            _xdotool(env, "key", "F9")  # Verzenden › Berichten en uitvallijst
            _wait_for(lambda: _visible_window(env, "Berichten en uitvallijst"), "the messages screen")
            screenshot(display, shots / "5-berichten.png")
            _xdotool(env, "key", "Escape")
            _wait_for(lambda: not _visible_window(env, "Berichten en uitvallijst"), "the messages screen to close")
        except (TimeoutError, IndexError, KeyError) as error:
            app.kill()
            pytest.fail(f"{error}; app said:\n{app.communicate(timeout=20)[0].decode(errors='replace')[-3000:]}")
        app.terminate()
        output = app.communicate(timeout=20)[0].decode(errors="replace")
    assert "Traceback" not in output, output
    assert sorted(path.name for path in shots.iterdir()) == [
        "1-start.png", "2-gescand.png", "3-accorderen.png", "4-geaccordeerd.png", "5-berichten.png"]
    assert all(path.stat().st_size > 10_000 for path in shots.iterdir())  # real pictures, not empty screens
