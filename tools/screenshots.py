"""Start Prikpost under Xvfb on the demo and save a PNG of each screen for review (no assertions).

Usage: .venv/bin/python tools/screenshots.py [OUT_DIR]   (default: bench/out/screenshots)
Needs the Debian packages xvfb and xauth (bash scripts/test.sh installs them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Start a private Xvfb at 1366×768 (the smallest laptop screen we support) and return its display."""
    if not shutil.which("Xvfb"):
        sys.exit("Xvfb ontbreekt: installeer het Debian-pakket xvfb (bash scripts/test.sh doet dat).")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1366x768x24", "-nolisten",
                               "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        return server, f":{pipe.readline().strip()}"


def shoot(out: Path) -> list[Path]:
    """Open every screen on a fresh demo database and save it as PNG."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.scanning.wedge import Scan
    from app.services.scans import record_scan
    from app.ui.dialogs import CorrectionDialog, ObjectionDialog, RemovalDialog
    from app.ui.find_child_dialog import FindChildDialog
    from app.ui.launch import Target, open_context_for_gui
    from app.ui.main_window import MainWindow
    from app.ui.scanner_test_dialog import ScannerTestDialog
    from app.ui.session_setup_dialog import SessionSetupDialog
    from app.ui.sounds import SoundPlayer

    app = QApplication.instance() or QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="prikpost-shots-"))
    os.environ["PRIKPOST_CONFIG_DIR"] = str(work / "config")
    os.environ["PRIKPOST_DATA_DIR"] = str(work / "data")
    context = open_context_for_gui(Target(work / "demo.sqlite", demo=True))
    window = MainWindow(context, sounds=SoundPlayer(enabled=False))
    window.resize(1366, 740)
    window.show()
    saved: list[Path] = []

    def save(widget, name: str) -> None:
        for _ in range(5):
            app.processEvents()
        path = out / f"{len(saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    save(window, "scanning-view-all")
    services = context.services
    children = [c for c in window.view.model._rows if not c.registrations]
    window.show_outcome(record_scan(services, window.session_id, children[0].bsn))
    save(window, "scan-new")
    window.show_outcome(record_scan(services, window.session_id, children[0].bsn))
    save(window, "scan-duplicate")
    window.handle_scanned_text("]C0123456789")
    save(window, "scan-invalid")
    window.show_outcome(record_scan(services, window.session_id, "111222333"))
    save(window, "scan-not-expected")
    for index, label in ((1, "tab-to-do"), (4, "tab-not-vaccinated"), (5, "tab-objection")):
        window.view.tabs.setCurrentIndex(index)
        save(window, label)
    window.view.tabs.setCurrentIndex(0)
    setup = SessionSetupDialog(context, window)
    setup.rows[0].vaccine.setCurrentIndex(setup.rows[0].vaccine.findData("28"))
    setup.show()
    save(setup, "session-setup")
    setup.rows[0].lot.setEditText("DEMO-MACWY-OLD")
    save(setup, "session-setup-expired-lot")
    names = ["Sanne de Vries", "Daan Jansen"]
    for dialog, name in ((RemovalDialog(names, window), "remove-reason"), (ObjectionDialog(names, window), "objection"),
                         (CorrectionDialog("Sanne de Vries", [("28", "MenACWY (28)"), ("02", "DTP (02)")],
                                           ("28", "DEMO-MACWY-01"), window), "correction")):
        dialog.show()
        save(dialog, name)
        dialog.close()
    find = FindChildDialog(services, window.session_id, window)
    find.show()
    find.query.setText("an")
    save(find, "find-child-without-card")
    tester = ScannerTestDialog(context.settings.scanner, window.wedge, window)
    tester.show()
    tester.show_scan(Scan("]C0123456782", None, 41.0, 12.0))
    save(tester, "scanner-test")
    tester.close()
    window.camera_dock.show()
    save(window, "camera-dock")
    from app.services import users
    from app.ui.lock_screen import LockDialog
    from app.ui.sign_in_dialogs import FirstUserDialog, LoginDialog

    first = FirstUserDialog(work / "eigen.sqlite", window)
    first.show()
    save(first, "first-user")
    first.close()
    login = LoginDialog(users.database_status(context.db.path), window)
    login.show()
    save(login, "login")
    login.close()
    lock = LockDialog(services, window.idle, window)
    lock.show()
    save(lock, "lock-screen")
    lock.close()
    QTimer.singleShot(0, window.close)
    context.close()
    return saved


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "out" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    server, display = start_xvfb()
    try:
        os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        for path in shoot(out):
            print(path)
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
