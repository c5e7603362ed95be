"""Sessie › Conflicten oplossen…: a scan kept offline clashed with another station's registration of that child.

The professional reads both (station and time), corrects the registration where needed (Kind › Corrigeren), and
writes down what was decided; until then accord refuses the child. Nothing is merged or dropped by itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.domain.errors import DomainError
from app.services.offline_scans import OPEN, open_conflicts, resolve_conflict

EXPLAIN = ("Deze kinderen zijn op twee stations gescand terwijl een station niet verbonden was. Controleer bij het "
           "kind wat er is gebeurd, corrigeer zo nodig de registratie (Kind › Corrigeren) en schrijf op wat er is "
           "besloten. Tot dan kan het kind niet geaccordeerd worden.")
SOLVED = "opgelost: {resolution}"


class ConflictsDialog(QDialog):
    """List the session's conflicts; the chosen open one is resolved with the professional's words."""

    def __init__(self, services, session_id: int, prompts, parent=None):
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.prompts = prompts
        self.setWindowTitle("Conflicten oplossen")
        explain = QLabel(EXPLAIN)
        explain.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.resolution = QLineEdit()
        self.resolution.setPlaceholderText("bijvoorbeeld: één keer gevaccineerd, op balie-2")
        label = QLabel("&Besluit:")
        label.setBuddy(self.resolution)
        self.solve = QPushButton("Als &opgelost vastleggen")
        self.solve.clicked.connect(self.resolve_current)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("&Sluiten")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (explain, self.list, label, self.resolution, self.solve, buttons):
            layout.addWidget(widget)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.resize(640, 420)
        self.load()

    def load(self) -> None:
        """Show the open conflicts first, then the resolved ones with what was decided."""
        self.list.clear()
        conflicts = open_conflicts(self.services, self.session_id, include_resolved=True)
        for view in sorted(conflicts, key=lambda v: v.state != OPEN):
            text = view.sentence(self.services.catalogue.vaccine_name(view.vaccine_code))
            if view.state != OPEN:
                text += " — " + SOLVED.format(resolution=view.resolution)
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, view)
            if view.state != OPEN:
                item.setForeground(Qt.gray)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        item = self.list.currentItem()
        self.solve.setEnabled(item is not None and item.data(Qt.UserRole).state == OPEN)

    def resolve_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            resolve_conflict(self.services, item.data(Qt.UserRole).id, self.resolution.text())
        except DomainError as error:
            self.prompts.error(error.message)
            return
        self.resolution.clear()
        self.load()
