"""Sign-in at start: create the first user of a new database, or log in to an encrypted one."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.domain.errors import DomainError
from app.domain.roles import Role
from app.services import users
from app.services.store_status import DatabaseStatus
from app.store.keys import WrongPassphrase

log = logging.getLogger(__name__)

WRONG_LOGIN = "Gebruikersnaam of wachtwoord klopt niet. Let op Caps Lock en probeer het opnieuw."


def _button_box(dialog: QDialog, ok_text: str, on_ok) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("Annuleren")
    box.accepted.connect(on_ok)
    box.rejected.connect(dialog.reject)
    return box


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setObjectName("error")
    return label


def _secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.Password)
    return field


class FirstUserDialog(QDialog):
    """A new database for real data: its first user is a beheerder, and may be a JGZ-professional too."""

    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.unlocked: users.Unlocked | None = None
        self.setWindowTitle("Prikpost – eerste gebruiker")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Er is nog geen database in {self.db_path}. Maak de eerste gebruiker aan: de beheerder "
                       "van deze laptop. Met het wachtwoord wordt de database versleuteld; zonder dat "
                       "wachtwoord (of dat van een andere gebruiker) opent niemand haar.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.login = QLineEdit()
        self.display_name = QLineEdit()
        self.passphrase = _secret()
        self.repeat = _secret()
        self.professional = QCheckBox("Ik ben ook JGZ-professional (accorderen, bezwaar, correctie)")
        self.big = QLineEdit()
        self.big.setPlaceholderText("11 cijfers")
        self.big.setEnabled(False)
        self.professional.toggled.connect(self.big.setEnabled)
        form.addRow("&Gebruikersnaam:", self.login)
        form.addRow("&Volledige naam:", self.display_name)
        form.addRow("&Wachtwoord:", self.passphrase)
        form.addRow("Wachtwoord &nogmaals:", self.repeat)
        form.addRow("", self.professional)
        form.addRow("&BIG-nummer:", self.big)
        layout.addLayout(form)
        hint = QLabel(f"Kies een wachtwoord van minstens {users.MIN_PASSPHRASE} tekens, bijvoorbeeld een korte zin.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addWidget(_button_box(self, "Database aanmaken", self.create))

    def create(self) -> None:
        """Check the answers and create the encrypted database with this first user."""
        if self.passphrase.text() != self.repeat.text():
            self.error.setText("De twee wachtwoorden zijn niet gelijk.")
            return
        roles = {Role.BEHEERDER} | ({Role.PROFESSIONAL} if self.professional.isChecked() else set())
        if self.professional.isChecked() and not self.big.text().strip():
            self.error.setText("Vul het BIG-nummer in: het komt in de berichten van wat u accordeert.")
            return
        try:
            self.unlocked = users.create_first_user(self.db_path, self.login.text(), self.passphrase.text(),
                                                    self.display_name.text(), frozenset(roles), self.big.text())
        except DomainError as error:
            self.error.setText(error.message)
            return
        log.info("created database %s with first user %s", self.db_path, self.unlocked.login)
        self.accept()


class LoginDialog(QDialog):
    """Offline login: the passphrase is right when it opens the database key."""

    def __init__(self, status: DatabaseStatus, parent=None):
        super().__init__(parent)
        self.status = status
        self.unlocked: users.Unlocked | None = None
        self.setWindowTitle("Prikpost – aanmelden")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        where = QLabel(f"Database: {status.path}")
        where.setWordWrap(True)
        layout.addWidget(where)
        form = QFormLayout()
        self.login = QComboBox()
        self.login.setEditable(True)
        self.login.addItems(list(status.logins))
        self.passphrase = _secret()
        form.addRow("&Gebruikersnaam:", self.login)
        form.addRow("&Wachtwoord:", self.passphrase)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addWidget(_button_box(self, "Aanmelden", self.sign_in))
        self.passphrase.setFocus()

    def sign_in(self) -> None:
        try:
            self.unlocked = users.login(self.status.path, self.login.currentText(), self.passphrase.text())
        except WrongPassphrase:
            log.info("wrong user name or passphrase on %s", self.status.path)  # no name: it may be a passphrase
            self.error.setText(WRONG_LOGIN)
            self.passphrase.clear()
            self.passphrase.setFocus()
            return
        except DomainError as error:
            self.error.setText(error.message)
            return
        self.accept()
