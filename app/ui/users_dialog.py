"""Beheerder: who can open this database — add a user, reset a passphrase, take access away."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from app.domain.professional import ROLE_CODES, missing_for_messages
from app.domain.roles import ROLE_LABELS, Role, format_roles
from app.services import users

from .action_helpers import run_or_tell

log = logging.getLogger(__name__)


class ProfessionalFields:
    """Name and the numbers by which a professional is named in messages: BIG, AGB, UZI and the UZI role."""

    def __init__(self, form: QFormLayout, info=None):
        self.display_name = QLineEdit(info.display_name if info else "")
        self.big = QLineEdit(info.big_number if info else "")
        self.big.setPlaceholderText("11 cijfers (optioneel)")
        self.agb = QLineEdit(info.agb_code if info else "")
        self.agb.setPlaceholderText("8 cijfers: UZI-nummer of AGB-code is nodig om te accorderen")
        self.uzi = QLineEdit(info.uzi_number if info else "")
        self.uzi.setPlaceholderText("9 cijfers: UZI-nummer of AGB-code is nodig om te accorderen")
        self.role_code = QComboBox()
        self.role_code.addItem("(geen: accordeert niet)", "")
        for code, name in ROLE_CODES.items():
            self.role_code.addItem(f"{name} ({code})", code)
        self.role_code.setCurrentIndex(max(0, self.role_code.findData(info.role_code if info else "")))
        form.addRow("&Volledige naam:", self.display_name)
        form.addRow("&BIG-nummer:", self.big)
        form.addRow("A&GB-code:", self.agb)
        form.addRow("&UZI-nummer:", self.uzi)
        form.addRow("Beroeps&rol (UZI):", self.role_code)

    def missing_for_accord(self) -> str:
        """Say what a JGZ-professional still lacks to be named as who accorded ("" when nothing)."""
        return missing_for_messages(self.display_name.text(), self.uzi.text(), self.agb.text(),
                                    self.role_code.currentData() or "")

    def values(self) -> tuple[str, str, str, str, str]:
        return (self.display_name.text(), self.big.text(), self.agb.text(), self.uzi.text(),
                self.role_code.currentData() or "")


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
        self.roles = {role: QCheckBox(ROLE_LABELS[role]) for role in Role}
        self.roles[Role.MEDEWERKER].setChecked(True)
        self.passphrase = _secret()
        self.repeat = _secret()
        form.addRow("&Gebruikersnaam:", self.login)
        role_row = QHBoxLayout()
        for box in self.roles.values():
            role_row.addWidget(box)
        form.addRow("Rollen:", role_row)
        self.professional = ProfessionalFields(form)
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
        missing = self.professional.missing_for_accord()
        if Role.PROFESSIONAL in roles and missing:
            self.error.setText(f"Een JGZ-professional accordeert en wordt in de berichten genoemd: vul {missing} in.")
            return
        name, big, agb, uzi, role_code = self.professional.values()
        try:
            users.add_user(self.services, self.login.text(), roles, self.passphrase.text(), name, big, agb, uzi,
                           role_code)
        except DomainError as error:
            self.error.setText(error.message)
            return
        log.info("user %s added with roles %s", self.login.text().strip(), format_roles(roles))
        self.accept()


class EditUserDialog(QDialog):
    """Change the name and numbers of a user (beheerder); checked and audited by the service."""

    def __init__(self, services, info, parent=None):
        super().__init__(parent)
        self.services = services
        self.login = info.login
        self.setWindowTitle(f"Gegevens van {info.login}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.professional = ProfessionalFields(form, info)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.button(QDialogButtonBox.Ok).setText("Opslaan")
        box.button(QDialogButtonBox.Cancel).setText("Annuleren")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def save(self) -> None:
        try:
            users.set_professional_details(self.services, self.login, *self.professional.values())
        except DomainError as error:
            self.error.setText(error.message)
            return
        self.accept()


class UsersDialog(QDialog):
    """The users of this database in a table, with add, new passphrase and remove."""

    COLUMNS = ("Gebruikersnaam", "Naam", "Rollen", "BIG", "AGB", "UZI", "Beroepsrol", "Pincode")

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
        for text, slot in (("&Toevoegen…", self.add), ("&Gegevens wijzigen…", self.edit),
                           ("Nieuw &wachtwoord…", self.reset),
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
                                           info.uzi_number, ROLE_CODES.get(info.role_code, info.role_code),
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

    def edit(self) -> None:
        login = self.selected_login()
        (info,) = [u for u in users.list_users(self.services) if u.login == login]
        EditUserDialog(self.services, info, self).exec()

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
