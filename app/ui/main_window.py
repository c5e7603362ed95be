"""The main window: layout and wiring only."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTableView, QVBoxLayout, QWidget

from app.context import AppContext
from app.services.overview import session_overview
from app.services.sessions import latest_open_session

from .session_table_model import SessionTableModel


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setWindowTitle("Prikpost")
        self.model = SessionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.header = QLabel()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.header)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.resize(1280, 720)
        self.refresh()

    def refresh(self) -> None:
        session = latest_open_session(self.context.services)
        if session is None:
            self.header.setText("Geen open sessie.")
            self.model.set_rows(())
            return
        overview = session_overview(self.context.services, session.id)
        self.header.setText(f"{session.title} – {overview.counters.scanned} gescand")
        self.model.set_rows(overview.children)
