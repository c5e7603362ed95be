"""Small dialogs for the actions: a reason for not vaccinating, an objection, a correction, a confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
)

from app.domain.registration import ObjectionReason

REMOVAL_REASONS = ("Afwezig", "Ziek", "Weigert op de dag zelf", "Uitgesteld (later inhalen)",
                   "Al elders gevaccineerd")


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("Annuleren")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class RemovalDialog(QDialog):
    """Ask why the child(ren) were not vaccinated."""

    def __init__(self, names: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Niet gevaccineerd")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Niet gevaccineerd: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"))
        layout.addWidget(QLabel("&Reden (kies of typ):"))
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(REMOVAL_REASONS)
        layout.itemAt(layout.count() - 1).widget().setBuddy(self.reason)
        layout.addWidget(self.reason)
        layout.addWidget(QLabel("Een uitgestelde vaccinatie is geen bezwaar."))
        layout.addWidget(_buttons(self, "Niet gevaccineerd"))

    def reason_text(self) -> str:
        return self.reason.currentText()


class ObjectionDialog(QDialog):
    """Ask for the reason of an objection: medical (1) or declined participation (2)."""

    def __init__(self, names: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Bezwaar registreren")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Bezwaar voor: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"))
        layout.addWidget(QLabel("Kies de reden:"))
        # No reason is preselected: the nurse must choose one consciously; OK waits for that choice.
        self.medical = QRadioButton("&Medisch bezwaar")
        self.declined = QRadioButton("&Afzien van deelname (principieel)")
        group = QButtonGroup(self)
        group.addButton(self.medical)
        group.addButton(self.declined)
        layout.addWidget(self.medical)
        layout.addWidget(self.declined)
        layout.addWidget(QLabel("Een bezwaar wordt zonder partijnummer aan RIVM-RCP gemeld."))
        buttons = _buttons(self, "Bezwaar registreren")
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setEnabled(False)
        group.buttonToggled.connect(lambda _button, _checked: self.ok_button.setEnabled(self.reason() is not None))
        layout.addWidget(buttons)

    def reason(self) -> ObjectionReason | None:
        if self.medical.isChecked():
            return ObjectionReason.MEDICAL
        if self.declined.isChecked():
            return ObjectionReason.DECLINED
        return None

    def accept(self) -> None:
        if self.reason() is not None:  # Enter must not register an objection without a reason either
            super().accept()


@dataclass(frozen=True)
class CorrectionChoice:
    kind: str  # "vaccine_lot", "not_given", "wrong_child"
    vaccine_code: str = ""
    lot_number: str = ""
    lot_manual: bool = False
    reason: str = ""


class CorrectionDialog(QDialog):
    """Ask what was wrong: vaccine or lot, not given, or the wrong child."""

    def __init__(self, name: str, vaccines: list[tuple[str, str]], current: tuple[str, str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Corrigeren vóór verzending")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Correctie voor {name}. Het klaargezette bericht wordt teruggehaald."))
        self.vaccine_lot = QRadioButton("Verkeerd &vaccin of partij")
        self.not_given = QRadioButton("Toch &niet gegeven")
        self.wrong_child = QRadioButton("Verkeerd &kind gescand")
        self.vaccine_lot.setChecked(True)
        for button in (self.vaccine_lot, self.not_given, self.wrong_child):
            layout.addWidget(button)
        self.vaccine = QComboBox()
        for code, label in vaccines:
            self.vaccine.addItem(label, code)
        self.vaccine.setCurrentIndex(max(0, self.vaccine.findData(current[0])))
        self.lot = QLineEdit(current[1])
        self.lot_manual = QCheckBox("Partij handmatig ('overig')")
        layout.addWidget(QLabel("Vaccin:"))
        layout.addWidget(self.vaccine)
        layout.addWidget(QLabel("Partij:"))
        layout.addWidget(self.lot)
        layout.addWidget(self.lot_manual)
        layout.addWidget(_buttons(self, "Corrigeren"))

    def choice(self) -> CorrectionChoice:
        if self.not_given.isChecked():
            return CorrectionChoice("not_given", reason="Correctie: toch niet gegeven")
        if self.wrong_child.isChecked():
            return CorrectionChoice("wrong_child", reason="Correctie: verkeerd kind gescand")
        return CorrectionChoice("vaccine_lot", self.vaccine.currentData(), self.lot.text().strip(),
                                self.lot_manual.isChecked())


def confirm(parent, title: str, text: str, yes: str) -> bool:
    """Ask a yes/no question with a named yes button; return True on yes."""
    box = QMessageBox(QMessageBox.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.AcceptRole)
    box.addButton("Annuleren", QMessageBox.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_error(parent, message: str) -> None:
    """Show a Dutch error message the user can act on (never a traceback)."""
    QMessageBox.warning(parent, "Prikpost", message)


def show_info(parent, title: str, message: str) -> None:
    """Tell the user something they must read before going on."""
    QMessageBox.information(parent, title, message)
