"""Small dialogs for the actions: a reason for not vaccinating, an objection, a correction, a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
)

from app.domain.lots import LotCheck, LotStatus
from app.domain.registration import NOT_GIVEN_REASON, WRONG_CHILD_REASON, ObjectionReason
from app.domain.wording import dutch_date

from .mnemonics import CheckBox, RadioButton, with_mnemonic

REMOVAL_REASONS = ("Afwezig", "Ziek", "Weigert op de dag zelf", "Uitgesteld (later inhalen)",
                   "Al elders gevaccineerd")


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText("Annuleren")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


@dataclass(frozen=True)
class VaccineOption:
    code: str
    name: str
    checked: bool = True  # offered ticked: the vaccines every selected child can still be changed for


@dataclass(frozen=True)
class ReasonChoice:
    """The answer of the 'niet gevaccineerd' and objection dialogs: a reason and for which vaccines."""

    reason: str | ObjectionReason
    vaccine_codes: tuple[str, ...] | None = None  # None: every vaccine of the session


class _VaccineBoxes:
    """Tick boxes 'Voor: [x] MenACWY [x] DTP' in a dialog of a session with more than one vaccine."""

    def __init__(self, dialog: QDialog, layout: QVBoxLayout, vaccines: list[VaccineOption], taken: set[str]):
        self.boxes: list[tuple[str, QCheckBox]] = []
        self.changed: list[Callable[[], None]] = []
        if len(vaccines) < 2:
            return
        layout.addWidget(QLabel("Voor welke vaccins (haal het vinkje weg bij een vaccin dat wél gegeven is of "
                                "wordt):"))
        row = QHBoxLayout()
        for option in vaccines:
            box = CheckBox(with_mnemonic(option.name, taken), dialog)
            box.setChecked(option.checked)
            box.toggled.connect(lambda _checked: [call() for call in self.changed])
            row.addWidget(box)
            self.boxes.append((option.code, box))
        row.addStretch(1)
        layout.addLayout(row)

    def codes(self) -> tuple[str, ...] | None:
        if not self.boxes:
            return None
        return tuple(code for code, box in self.boxes if box.isChecked())

    def any_ticked(self) -> bool:
        codes = self.codes()
        return codes is None or bool(codes)


class RemovalDialog(QDialog):
    """Ask why the child(ren) were not vaccinated, and for which vaccines when the session has more."""

    def __init__(self, names: list[str], parent=None, vaccines: list[VaccineOption] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Niet gevaccineerd")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Niet gevaccineerd: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"))
        self.vaccines = _VaccineBoxes(self, layout, vaccines or [], {"r", "n", "a"})
        layout.addWidget(QLabel("&Reden (kies of typ):"))
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(REMOVAL_REASONS)
        self.reason.setInsertPolicy(QComboBox.NoInsert)  # a typed reason is this answer's, not a new choice
        # The editable field keeps Enter from the dialog: Enter takes the reason shown, as OK does.
        self.reason.lineEdit().returnPressed.connect(self.accept)
        layout.itemAt(layout.count() - 1).widget().setBuddy(self.reason)
        layout.addWidget(self.reason)
        layout.addWidget(QLabel("Een uitgestelde vaccinatie is geen bezwaar."))
        buttons = _buttons(self, "Niet gevaccineerd")
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.vaccines.changed.append(lambda: self.ok_button.setEnabled(self.vaccines.any_ticked()))
        layout.addWidget(buttons)
        self.reason.setFocus()

    def reason_text(self) -> str:
        return self.reason.currentText()

    def choice(self) -> ReasonChoice:
        return ReasonChoice(self.reason_text(), self.vaccines.codes())

    def accept(self) -> None:
        if self.vaccines.any_ticked():
            super().accept()


class ObjectionDialog(QDialog):
    """Ask for the reason of an objection: medical (1) or declined participation (2), and for which vaccines."""

    def __init__(self, names: list[str], parent=None, vaccines: list[VaccineOption] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Bezwaar registreren")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Bezwaar voor: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"))
        self.vaccines = _VaccineBoxes(self, layout, vaccines or [], {"m", "a", "b"})
        layout.addWidget(QLabel("Kies de reden:"))
        # No reason is preselected: the nurse must choose one consciously; OK waits for that choice.
        self.medical = RadioButton("&Medisch bezwaar")
        self.declined = RadioButton("&Afzien van deelname (principieel)")
        group = QButtonGroup(self)
        group.addButton(self.medical)
        group.addButton(self.declined)
        layout.addWidget(self.medical)
        layout.addWidget(self.declined)
        layout.addWidget(QLabel("Een bezwaar wordt zonder partijnummer aan RIVM-RCP gemeld."))
        buttons = _buttons(self, "Bezwaar registreren")
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setEnabled(False)
        group.buttonToggled.connect(lambda _button, _checked: self._enable())
        self.vaccines.changed.append(self._enable)
        layout.addWidget(buttons)

    def _enable(self) -> None:
        self.ok_button.setEnabled(self.reason() is not None and self.vaccines.any_ticked())

    def reason(self) -> ObjectionReason | None:
        if self.medical.isChecked():
            return ObjectionReason.MEDICAL
        if self.declined.isChecked():
            return ObjectionReason.DECLINED
        return None

    def choice(self) -> ReasonChoice:
        return ReasonChoice(self.reason(), self.vaccines.codes())

    def accept(self) -> None:
        if self.reason() is not None and self.vaccines.any_ticked():  # Enter must not register without a reason
            super().accept()


@dataclass(frozen=True)
class CorrectionChoice:
    kind: str  # "vaccine_lot", "not_given", "wrong_child"
    vaccine_code: str = ""
    lot_number: str = ""
    lot_manual: bool = False
    reason: str = ""
    # The registration corrected (vaccine_lot, not_given); None when the caller gave no registrations.
    registration_id: int | None = None
    # The registrations the choice takes out (not_given: the chosen one or all; wrong_child: all of the child).
    registration_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CorrectionTarget:
    """One registration of the child that can be corrected: its vaccine and lot."""

    registration_id: int
    vaccine_code: str
    vaccine_name: str
    lot_number: str
    lot_manual: bool = False

    @property
    def label(self) -> str:
        return f"{self.vaccine_name} (partij {self.lot_number or 'onbekend'})"


# Marks for the lot check; the same as the session setup dialog shows (a test keeps them equal).
LOT_MARKS = {LotStatus.VALID: "✔", LotStatus.MANUAL: "✎", LotStatus.EXPIRED: "✖",
             LotStatus.WRONG_VACCINE: "✖", LotStatus.UNKNOWN: "?"}
ALL_REGISTRATIONS = -1  # the 'alle vaccins' entry of the registration choice (for 'toch niet gegeven')


class CorrectionDialog(QDialog):
    """Ask which registration is wrong and what was wrong: vaccine or lot, not given, or the wrong child.

    current: the (vaccine, lot) of the one registration to correct, or the child's registrations to choose from.
    lot_check(lot, vaccine_code, manual) returns the lot's LotCheck, shown while typing."""

    def __init__(self, name: str, vaccines: list[tuple[str, str]],
                 current: tuple[str, str] | list[CorrectionTarget], parent=None,
                 lot_check: Callable[[str, str, bool], LotCheck] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Corrigeren vóór verzending")
        self.lot_check = lot_check
        if isinstance(current, tuple):
            self.targets = [CorrectionTarget(0, current[0], dict(vaccines).get(current[0], current[0]), current[1])]
            self._ids_known = False
        else:
            self.targets = list(current)
            self._ids_known = True
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Correctie voor {name}. Het klaargezette bericht wordt teruggehaald."))
        self.vaccine_lot = QRadioButton("Verkeerd &vaccin of partij")
        self.not_given = QRadioButton("Toch &niet gegeven")
        self.wrong_child = QRadioButton("Verkeerd &kind gescand")
        self.vaccine_lot.setChecked(True)
        for button in (self.vaccine_lot, self.not_given, self.wrong_child):
            layout.addWidget(button)
        # Which registration is corrected: with two vaccines the nurse must see and choose which one.
        self.target_label = QLabel("&Welke vaccinatie corrigeert u?")
        self.target = QComboBox()
        for target in self.targets:
            self.target.addItem(target.label, target.registration_id)
        self.target_label.setBuddy(self.target)
        layout.addWidget(self.target_label)
        layout.addWidget(self.target)
        self.whole_child = QLabel("Alle vaccinaties van dit kind worden uit de sessie genomen "
                                  "(niet gevaccineerd, reden 'verkeerd kind gescand').")
        self.whole_child.setWordWrap(True)
        layout.addWidget(self.whole_child)
        self.vaccine = QComboBox()
        for code, label in vaccines:
            self.vaccine.addItem(label, code)
        self.lot = QLineEdit()
        self.lot_manual = QCheckBox("Partij handmatig ('overig')")
        self.lot_status = QLabel("")
        self.lot_status.setWordWrap(True)
        self.vaccine_caption = QLabel("Juist va&ccin:")
        self.vaccine_caption.setBuddy(self.vaccine)
        self.lot_caption = QLabel("Juiste &partij:")
        self.lot_caption.setBuddy(self.lot)
        self.lot_fields = (self.vaccine_caption, self.vaccine, self.lot_caption, self.lot, self.lot_manual,
                           self.lot_status)
        for widget in self.lot_fields:
            layout.addWidget(widget)
        buttons = _buttons(self, "Corrigeren")
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout.addWidget(buttons)
        self._fill_from_target()
        self.target.currentIndexChanged.connect(self._fill_from_target)
        for button in (self.vaccine_lot, self.not_given, self.wrong_child):
            button.toggled.connect(self._show_kind)
        self.vaccine.currentIndexChanged.connect(self.show_lot_check)
        self.lot.textChanged.connect(self.show_lot_check)
        self.lot_manual.toggled.connect(self.show_lot_check)
        self._show_kind()

    def _current_target(self) -> CorrectionTarget | None:
        index = self.target.currentIndex()
        return self.targets[index] if 0 <= index < len(self.targets) else None

    def _fill_from_target(self) -> None:
        """Start the vaccine and lot fields at the chosen registration's own vaccine and lot."""
        target = self._current_target()
        if target is None:
            return
        self.vaccine.setCurrentIndex(max(0, self.vaccine.findData(target.vaccine_code)))
        self.lot.setText(target.lot_number)
        self.lot_manual.setChecked(target.lot_manual)
        self.show_lot_check()

    def _show_kind(self) -> None:
        """Show the vaccine and lot only for 'verkeerd vaccin of partij'; the choice of vaccine not for 'verkeerd
        kind' (that takes out all of the child's vaccinations)."""
        lot_kind = self.vaccine_lot.isChecked()
        for widget in self.lot_fields:
            widget.setVisible(lot_kind)
        several = len(self.targets) > 1
        all_index = self.target.findData(ALL_REGISTRATIONS)
        if self.not_given.isChecked() and several and self._ids_known and all_index < 0:
            self.target.addItem("Alle vaccinaties van dit kind", ALL_REGISTRATIONS)
        elif not self.not_given.isChecked() and all_index >= 0:
            self.target.removeItem(all_index)
        self.target_label.setVisible(not self.wrong_child.isChecked())
        self.target.setVisible(not self.wrong_child.isChecked())
        self.target.setEnabled(several)
        self.whole_child.setVisible(self.wrong_child.isChecked())
        self.show_lot_check()
        self.adjustSize()

    def check(self) -> LotCheck | None:
        """Return the check of the lot typed for the vaccine chosen (None without a checker)."""
        if self.lot_check is None:
            return None
        return self.lot_check(self.lot.text(), self.vaccine.currentData() or "", self.lot_manual.isChecked())

    def show_lot_check(self) -> None:
        """Show whether the lot is known and valid for the vaccine, as the session setup does; OK waits for it."""
        check = self.check() if self.vaccine_lot.isChecked() else None
        self.lot_status.setText(f"{LOT_MARKS[check.status]} {check.message}" if check else "")
        self.ok_button.setEnabled(check is None or check.usable)

    def accept(self) -> None:
        check = self.check() if self.vaccine_lot.isChecked() else None
        if check is None or check.usable:  # Enter must not accept an unusable lot either
            super().accept()

    def choice(self) -> CorrectionChoice:
        all_ids = tuple(t.registration_id for t in self.targets) if self._ids_known else ()
        chosen = self.target.currentData()
        target_id = chosen if self._ids_known and chosen not in (None, ALL_REGISTRATIONS) else None
        if self.not_given.isChecked():
            ids = all_ids if chosen == ALL_REGISTRATIONS or len(all_ids) <= 1 else (target_id,)
            return CorrectionChoice("not_given", reason=NOT_GIVEN_REASON, registration_id=target_id,
                                    registration_ids=ids)
        if self.wrong_child.isChecked():
            return CorrectionChoice("wrong_child", reason=WRONG_CHILD_REASON, registration_ids=all_ids)
        return CorrectionChoice("vaccine_lot", self.vaccine.currentData(), self.lot.text().strip(),
                                self.lot_manual.isChecked(), registration_id=target_id)


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


class ChildDetailsDialog(QDialog):
    """Complete a child's name, birth date, sex and postcode (a child scanned without being on the list)."""

    def __init__(self, title: str, details, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Gegevens van het kind aanvullen")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        form = QFormLayout()
        self.name = QLineEdit(details.name)
        self.birth_date = QLineEdit(dutch_date(details.birth_date))
        self.birth_date.setPlaceholderText("dd-mm-jjjj")
        self.sex = QComboBox()
        for label, code in (("onbekend", ""), ("jongen", "M"), ("meisje", "F")):
            self.sex.addItem(label, code)
        self.sex.setCurrentIndex(max(0, self.sex.findData(details.sex)))
        self.postcode = QLineEdit(details.postcode)
        self.postcode.setPlaceholderText("1234 AB")
        form.addRow("&Naam:", self.name)
        form.addRow("&Geboortedatum:", self.birth_date)
        form.addRow("G&eslacht:", self.sex)
        form.addRow("&Postcode:", self.postcode)
        layout.addLayout(form)
        layout.addWidget(QLabel("Naam en geboortedatum zijn nodig voor het bericht aan Praeventis."))
        layout.addWidget(_buttons(self, "Opslaan"))

    def values(self) -> tuple[str, str, str, str]:
        return self.name.text(), self.birth_date.text(), self.sex.currentData() or "", self.postcode.text()
