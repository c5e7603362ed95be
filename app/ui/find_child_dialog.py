"""Find a child without a card (R3) in this session or earlier ones, then register as after a scan."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from app.domain.person_id import labelled
from app.domain.wording import dutch_date
from app.services.scans import ChildMatch, search_children


class FindChildDialog(QDialog):
    """Search by name, BSN or birth date; `chosen` holds the match when accepted."""

    def __init__(self, services, session_id: int, parent=None):
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.chosen: ChildMatch | None = None
        self.setWindowTitle("Kind zonder kaart zoeken")
        self.query = QLineEdit()
        self.query.setPlaceholderText("naam, BSN of geboortedatum (dd-mm-jjjj)")
        self.results = QListWidget()
        self.hint = QLabel("Niet gevonden? Voer het BSN handmatig in (Ctrl+M); de elfproef wordt gecontroleerd.")
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("&Registreren")
        buttons.button(QDialogButtonBox.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        label = QLabel("&Zoeken:")
        label.setBuddy(self.query)
        layout.addWidget(label)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.query.textChanged.connect(self.search)
        self.results.itemActivated.connect(lambda _item: self.choose())
        self.resize(560, 420)

    def search(self, text: str) -> None:
        self.results.clear()
        for match in search_children(self.services, self.session_id, text):
            born = dutch_date(match.birth_date) or "?"
            where = "deze sessie" if match.in_this_session else "eerdere sessie"
            item = QListWidgetItem(f"{match.name} · {born} · {labelled(match.bsn)} · {match.group_name}"
                                   f" ({where})")
            item.setData(256, match)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def choose(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.chosen = item.data(256)
            self.accept()
