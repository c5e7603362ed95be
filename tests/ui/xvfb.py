"""Start a private Xvfb display for tests that need a real X window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest


@contextmanager
def xvfb_display(size: str = "1366x768x24"):
    """Yield a DISPLAY string of a fresh Xvfb server, stopped afterwards."""
    if not shutil.which("Xvfb") or not shutil.which("xdotool"):
        pytest.skip("Xvfb and xdotool are needed (Debian packages xvfb, xdotool; scripts/setup.sh test installs them)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <margins><top>0</top><bottom>{bottom}</bottom><left>0</left><right>0</right></margins>
  <focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>
</openbox_config>
"""

SCREENSHOT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["screenshot", "-platform", "xcb"])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1], "PNG") else 1)
"""


@contextmanager
def window_manager(display: str, folder, taskbar: int = 40):
    """Run openbox on the display with `taskbar` pixels kept free at the bottom, as a desktop's panel does;
    yield once its work area (_NET_WORKAREA) is announced."""
    import time

    if not shutil.which("openbox") or not shutil.which("xprop"):
        pytest.skip("openbox and xprop are needed (Debian packages openbox, x11-utils; scripts/setup.sh test)")
    rc = folder / "openbox-rc.xml"
    rc.write_text(OPENBOX_RC.format(bottom=taskbar), encoding="utf-8")
    env = {**os.environ, "DISPLAY": display}
    manager = subprocess.Popen(["openbox", "--config-file", str(rc)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while work_area(display) is None:  # another process: no signal reaches this test, so it polls
            if time.monotonic() > deadline or manager.poll() is not None:
                pytest.fail("openbox did not start")
            time.sleep(0.1)
        yield manager
    finally:
        manager.terminate()
        manager.wait(timeout=10)


def work_area(display: str) -> tuple[int, int, int, int] | None:
    """The window manager's work area (x, y, width, height) of the first desktop, or None before it has one."""
    found = subprocess.run(["xprop", "-root", "_NET_WORKAREA"], env={**os.environ, "DISPLAY": display},
                           capture_output=True, text=True, timeout=30).stdout
    if "=" not in found:
        return None
    x, y, width, height = (int(part) for part in found.split("=", 1)[1].split(",")[:4])
    return x, y, width, height


def screenshot(display: str, path) -> None:
    """Save the whole screen as PNG (Qt's own screen grab, in a process of its own on that display)."""
    subprocess.run([sys.executable, "-c", SCREENSHOT, str(path)], check=True, timeout=60,
                   env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}, capture_output=True)
