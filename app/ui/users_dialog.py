"""Beheerder: who can open this database — add a user, reset a passphrase, take access away."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.domain.errors import DomainError
from app.domain.roles import ROLE_LABELS, Role, format_roles
from app.services import users

from .action_helpers import run_or_tell

log = logging.getLogger(__name__)


def _secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.Password)
    return field


class AddUserDialog(QDialog):
    """The fields of a new user; `add()` checks them through the service and reports in Dutch."""

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Gebruiker toevoegen")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.login = QLineEdit()
        self.display_name = QLineEdit()
        self.roles = {role: QCheckBox(ROLE_LABELS[role]) for role in Role}
        self.roles[Role.MEDEWERKER].setChecked(True)
        self.big = QLineEdit()
        self.big.setPlaceholderText("11 cijfers (JGZ-professional)")
        self.agb = QLineEdit()
        self.agb.setPlaceholderText("8 cijfers (optioneel)")
        self.passphrase = _secret()
        self.repeat = _secret()
        form.addRow("&Gebruikersnaam:", self.login)
        form.addRow("&Volledige naam:", self.display_name)
        role_row = QHBoxLayout()
        for box in self.roles.values():
            role_row.addWidget(box)
        form.addRow("Rollen:", role_row)
        form.addRow("&BIG-nummer:", self.big)
        form.addRow("A&GB-code:", self.agb)
        form.addRow("&Wachtwoord:", self.passphrase)
        form.addRow("Wachtwoord &nogmaals:", self.repeat)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.button(QDialogButtonBox.Ok).setText("Toevoegen")
        box.button(QDialogButtonBox.Cancel).setText("Annuleren")
        box.accepted.connect(self.add)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def add(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.error.setText("De twee wachtwoorden zijn niet gelijk.")
            return
        roles = frozenset(role for role, box in self.roles.items() if box.isChecked())
        if Role.PROFESSIONAL in roles and not self.big.text().strip():
            self.error.setText("Een JGZ-professional heeft een BIG-nummer: het komt in de berichten.")
            return
        try:
            users.add_user(self.services, self.login.text(), roles, self.passphrase.text(),
                           self.display_name.text(), self.big.text(), self.agb.text())
        except DomainError as error:
            self.error.setText(error.message)
            return
        log.info("user %s added with roles %s", self.login.text().strip(), format_roles(roles))
        self.accept()


class UsersDialog(QDialog):
    """The users of this database in a table, with add, new passphrase and remove."""

    COLUMNS = ("Gebruikersnaam", "Naam", "Rollen", "BIG", "AGB", "Pincode")

    def __init__(self, services, prompts, parent=None):
        super().__init__(parent)
        self.services = services
        self.prompts = prompts
        self.setWindowTitle("Gebruikers")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        for text, slot in (("&Toevoegen…", self.add), ("Nieuw &wachtwoord…", self.reset),
                           ("Toegang &intrekken…", self.remove), ("&Sluiten", self.accept)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: self._guarded(slot))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.reload()

    def _guarded(self, slot) -> None:
        run_or_tell(self.prompts, slot)
        self.reload()

    def reload(self) -> None:
        rows = users.list_users(self.services)
        self.table.setRowCount(len(rows))
        for row, info in enumerate(rows):
            roles = ", ".join(ROLE_LABELS[role] for role in Role if role in info.roles)
            for column, text in enumerate((info.login, info.display_name, roles, info.big_number, info.agb_code,
                                           "ja" if info.has_pin else "")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected_login(self) -> str:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            raise DomainError("Kies eerst één gebruiker in de lijst.")
        return self.table.item(rows.pop(), 0).text()

    def add(self) -> None:
        AddUserDialog(self.services, self).exec()

    def reset(self) -> None:
        login = self.selected_login()
        new = self.prompts.secret("Nieuw wachtwoord", f"Nieuw wachtwoord voor {login} "
                                                      f"(minstens {users.MIN_PASSPHRASE} tekens):")
        if new is None:
            return
        if self.prompts.secret("Nieuw wachtwoord", "Hetzelfde wachtwoord nogmaals:") != new:
            raise DomainError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
        users.reset_passphrase(self.services, login, new)

    def remove(self) -> None:
        login = self.selected_login()
        if self.services.identity is not None and login == self.services.identity.login:
            raise DomainError("U kunt uw eigen toegang niet intrekken; laat een andere beheerder dat doen.")
        if self.prompts.confirm("Toegang intrekken", f"{login} kan de database daarna niet meer openen. "
                                "Wat die gebruiker deed blijft in het logboek staan.", "Toegang intrekken"):
            users.remove_user(self.services, login)
