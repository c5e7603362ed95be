"""Start the GUI: pick the database (demo when none exists yet), build the context, show the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from app.context import AppContext
from app.services.demo import seed_demo
from app.services.sessions import list_sessions
from app.settings import default_data_dir, default_db_path

log = logging.getLogger(__name__)


def choose_database(db_path: Path | None, demo: bool) -> tuple[Path, bool]:
    """Return the database to open and whether a demo session must be seeded into it."""
    if demo:
        path = db_path or default_data_dir() / "demo.sqlite"
    else:
        path = db_path or default_db_path()
    return path, demo or not path.exists()


def open_context_for_gui(db_path: Path | None, demo: bool) -> AppContext:
    """Open the context; seed the demo session when asked or when the database is new."""
    path, wants_demo = choose_database(db_path, demo)
    context = AppContext.open(path)
    if wants_demo and not list_sessions(context.services):
        session_id = seed_demo(context.services)
        log.info("seeded demo session %s in %s", session_id, path)
    return context


def run_gui(db_path: Path | None, demo: bool = False) -> int:
    """Run the Qt application until the window closes."""
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Prikpost")
    app.setOrganizationName("Prikpost")
    context = open_context_for_gui(db_path, demo)
    window = MainWindow(context)
    window.show()
    try:
        return app.exec()
    finally:
        context.close()
