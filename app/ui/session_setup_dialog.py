"""Session setup: the day, organisation, school, activity, mode, and a valid lot per vaccine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)
from shiboken6 import isValid

from app.context import AppContext
from app.domain.catalogue import OTHER_ACTIVITY
from app.domain.errors import DomainError
from app.domain.lots import LotStatus
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.domain.wording import dutch_date, os_reason
from app.outbox.lot_refresh import import_lot_file
from app.services.expected_list import import_expected_list, read_expected_file
from app.services.lots import check_session_lot, current_lot_list, lot_list_warning, todays_lot
from app.services.sessions import create_session

from .dialogs import confirm
from .folders import start_folder
from .lot_fetch import fetch_lots_in_background
from .prompts import Prompts
from .ui_state import ui_state

TEXTS = {
    "title": "Nieuwe sessie instellen",
    "overig_confirm": ("Een partij onder 'overig' staat niet op de partijlijst en wordt niet gecontroleerd. "
                       "Gebruik dit alleen voor een partij die nog niet op de lijst kan staan. Doorgaan?"),
    "no_vaccine": "— geen —",
    "fetch_lots": "Partijlijst o&phalen",
    "fetch_lots_tip": "Haal de geldige partijen op bij de ontvanger (zoals Verzenden › Partijlijst ophalen).",
    "fetching": "Partijlijst ophalen…",
    "import_lots": "Partijlijst &importeren…",
    "import_lots_tip": "Lees een partijlijst (PRMM-bestand, .xml) van schijf in.",
}
MAX_VACCINES = 3
CHECK_MARKS = {LotStatus.VALID: "✔", LotStatus.MANUAL: "✎", LotStatus.EXPIRED: "✖",
               LotStatus.WRONG_VACCINE: "✖", LotStatus.UNKNOWN: "?"}


class VaccineRow:
    """One vaccine with its lot, completion while typing, and the lot's validity shown."""

    def __init__(self, dialog: "SessionSetupDialog", grid: QGridLayout, row: int):
        self.dialog = dialog
        self.vaccine = QComboBox()
        self.vaccine.addItem(TEXTS["no_vaccine"], "")
        catalogue = dialog.context.services.catalogue
        for vaccine in sorted(catalogue.vaccines, key=lambda v: (not v.school_age, v.code)):
            self.vaccine.addItem(f"{vaccine.name} ({vaccine.code})", vaccine.code)
        self.lot = QComboBox()
        self.lot.setEditable(True)
        self.lot.setInsertPolicy(QComboBox.NoInsert)
        self.lot.setMinimumWidth(170)
        self.lot.completer().setCompletionMode(QCompleter.PopupCompletion)
        self.lot.completer().setFilterMode(Qt.MatchContains)
        self.manual = QCheckBox("overig")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(260)
        label = QLabel(f"Vaccin &{row + 1}:")
        label.setBuddy(self.vaccine)
        grid.addWidget(label, row, 0)
        grid.addWidget(self.vaccine, row, 1)
        grid.addWidget(self.lot, row, 2)
        grid.addWidget(self.manual, row, 3)
        grid.addWidget(self.status, row, 4)
        self.vaccine.currentIndexChanged.connect(self.fill_lots)
        self.lot.editTextChanged.connect(self.show_check)
        self.manual.toggled.connect(self.on_manual)

    @property
    def code(self) -> str:
        return self.vaccine.currentData() or ""

    def fill_lots(self, keep_typed: bool = False) -> None:
        """Offer only known lots of this vaccine that are not expired on the session date.

        keep_typed: keep a lot the user already typed or chose (after a new lot list arrived)."""
        typed = self.lot.currentText().strip() if keep_typed else ""
        self.lot.blockSignals(True)
        self.lot.clear()
        if self.code:
            lots = current_lot_list(self.dialog.context.services).selectable(self.code, self.dialog.day())
            for lot in lots:
                self.lot.addItem(lot.lot_number)
                self.lot.setItemData(self.lot.count() - 1,
                                     f"{lot.product} – houdbaar t/m {dutch_date(lot.expiry)}", Qt.ToolTipRole)
            remembered = todays_lot(self.dialog.context.services, self.code)
            # With more than one valid lot and none chosen today the nurse chooses: a wrong lot would be on
            # every child of the day.
            self.lot.setEditText(typed or remembered or (lots[0].lot_number if len(lots) == 1 else ""))
            self.lot.lineEdit().setPlaceholderText(f"Kies een partij ({len(lots)} geldig)" if len(lots) > 1 else "")
        self.lot.blockSignals(False)
        self.show_check()

    def on_manual(self, checked: bool) -> None:
        if checked and not self.dialog.ask(TEXTS["overig_confirm"]):
            self.manual.setChecked(False)
        elif checked:
            self.dialog.error.setText("")  # the refusal of the unknown lot no longer holds under 'overig'
        self.show_check()

    def show_check(self) -> None:
        """Show whether the lot is known and valid, with its expiry date."""
        if not self.code:
            self.status.setText("")
            return
        check = check_session_lot(self.dialog.context.services, self.lot.currentText(), self.code,
                                  self.dialog.day(), self.manual.isChecked())
        self.status.setText(f"{CHECK_MARKS[check.status]} {check.message}")

    def value(self) -> SessionVaccine | None:
        if not self.code:
            return None
        return SessionVaccine(self.code, self.lot.currentText().strip(), self.manual.isChecked())


class SessionSetupDialog(QDialog):
    """Create a session; `session_id` is set when the dialog is accepted."""

    def __init__(self, context: AppContext, parent=None, confirm_fn=confirm, prompts=None):
        super().__init__(parent)
        self.context = context
        self.session_id: int | None = None
        self._confirm = confirm_fn
        # Questions and lists this dialog shows (tests pass scripted answers); real ones open over this dialog.
        self.prompts = prompts or Prompts(self)
        self.import_summary = ""
        self.fetching = False
        self.setWindowTitle(TEXTS["title"])
        state = ui_state(context.settings_path)

        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.org_name = QLineEdit(state.value("setup/org_name", ""))
        self.org_kind = QComboBox()
        # The kind of organisation number decides the receiver: URA/AGB send to Praeventis (children by BSN),
        # RIZIV/KBO to Vaccinnet (children by INSZ).
        for kind in OrgIdKind:
            self.org_kind.addItem(f"{kind.label} ({kind.receiver.label})", kind.value)
        self.org_kind.setCurrentIndex(max(0, self.org_kind.findData(state.value("setup/org_kind", "URA"))))
        self.org_id = QLineEdit(state.value("setup/org_id", ""))
        self.org_id.setPlaceholderText("8 cijfers")
        self.location = QLineEdit(state.value("setup/location", ""))
        self.activity = QComboBox()
        # Only the activities of the list the organisation's setting chooses (2012 or 2020): others are refused.
        activities = context.services.catalogue.activities_of(context.settings.outbox.activity_list)
        for activity in activities:
            label = activity.name if activity.code == OTHER_ACTIVITY else f"{activity.name} ({activity.code})"
            self.activity.addItem(label, activity.code)
        default = "18" if context.settings.outbox.activity_list == "2012" else "41"
        self.activity.setCurrentIndex(max(0, self.activity.findData(state.value("setup/activity", default))))
        self.before = QRadioButton("&Vooraf (scannen, accorderen, dan vaccineren)")
        self.after = QRadioButton("&Achteraf (vaccineren, kaarten verzamelen, dan scannen)")
        after = state.value("setup/mode", Mode.BEFORE.value) == Mode.AFTER.value
        (self.after if after else self.before).setChecked(True)
        self.expected_file = QLineEdit()
        self.expected_file.setPlaceholderText("optioneel: CSV met verwachte kinderen")
        browse = QPushButton("&Bladeren…")
        browse.clicked.connect(self.choose_file)

        form = QFormLayout()
        form.addRow("&Datum:", self.date)
        org = QHBoxLayout()
        org.addWidget(self.org_name, 3)
        org.addWidget(self.org_kind)
        org.addWidget(self.org_id, 1)
        org_label = QLabel("&Organisatie:")
        org_label.setBuddy(self.org_name)
        form.addRow(org_label, org)
        form.addRow("School/&locatie:", self.location)
        form.addRow("Soort ac&tiviteit:", self.activity)
        modes = QVBoxLayout()
        modes.addWidget(self.before)
        modes.addWidget(self.after)
        form.addRow("Registratie:", modes)

        vaccines_box = QGroupBox("Vaccins en partijen van vandaag")
        grid = QGridLayout(vaccines_box)
        self.rows = [VaccineRow(self, grid, i) for i in range(MAX_VACCINES)]
        self.lot_warning = QLabel(lot_list_warning(context.services) or "")
        self.lot_warning.setWordWrap(True)
        self.lot_warning.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.lot_note = QLabel("")  # what the last fetch or import did, or why it failed
        self.lot_note.setWordWrap(True)
        self.fetch_lots_button = QPushButton(TEXTS["fetch_lots"])
        self.fetch_lots_button.setToolTip(TEXTS["fetch_lots_tip"])
        self.fetch_lots_button.clicked.connect(self.fetch_lots)
        self.import_lots_button = QPushButton(TEXTS["import_lots"])
        self.import_lots_button.setToolTip(TEXTS["import_lots_tip"])
        self.import_lots_button.clicked.connect(self.import_lots)
        lot_buttons = QHBoxLayout()
        lot_buttons.addWidget(self.fetch_lots_button)
        lot_buttons.addWidget(self.import_lots_button)
        lot_buttons.addWidget(self.lot_note, 1)
        files = QHBoxLayout()
        files.addWidget(self.expected_file, 1)
        files.addWidget(browse)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Sessie &starten")
        buttons.button(QDialogButtonBox.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(vaccines_box)
        layout.addWidget(self.lot_warning)
        layout.addLayout(lot_buttons)
        expected_label = QLabel("Lijst van verwachte &kinderen:")
        expected_label.setBuddy(self.expected_file)
        layout.addWidget(expected_label)
        layout.addLayout(files)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.date.dateChanged.connect(lambda _d: [row.fill_lots() for row in self.rows])
        first = state.value("setup/vaccines", "")
        for row, code in zip(self.rows, [c for c in str(first).split(",") if c], strict=False):
            row.vaccine.setCurrentIndex(max(0, row.vaccine.findData(code)))

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.LayoutRequest:  # a text changed: the layout has just been redone
            self.fit_height()
        return handled

    def fit_height(self) -> None:
        """Grow when wrapped texts (lot checks, notes) need more lines, instead of squeezing the rows above
        them: the Registratie choices were cut off once the lots' validity was shown."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout and layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def day(self) -> date:
        return self.date.date().toPython()

    def ask(self, text: str) -> bool:
        return self._confirm(self, "Partij onder 'overig'", text, "Ja, handmatige partij")

    # -- a scanned pack --------------------------------------------------------------------------
    def take_pack(self, text: str) -> bool:
        """A vaccine pack scanned while setting up: fill its vaccine's row with its lot; False when refused."""
        from app.services.packs import check_pack_for_setup

        from .pack_intake import decide_pack

        services = self.context.services
        every = [v.code for v in services.catalogue.vaccines]  # the pack chooses the vaccine here
        decision = decide_pack(services, self.prompts, text, self.day(), [row.code for row in self.rows if row.code],
                               judge=lambda gtin, lot, expiry: check_pack_for_setup(services, self.day(), every, gtin,
                                                                                    lot, expiry))
        if not decision.usable:
            self.error.setText(f"✖ {decision.reason}")
            return False
        check = decision.check
        row = next((r for r in self.rows if r.code == check.vaccine_code), None) or next(
            (r for r in self.rows if not r.code), None)
        if row is None:
            self.error.setText(f"✖ Er staan al {len(self.rows)} vaccins in deze sessie; {check.vaccine_name} past er "
                               "niet meer bij.")
            return False
        row.vaccine.setCurrentIndex(row.vaccine.findData(check.vaccine_code))
        row.lot.setEditText(check.lot_number)
        row.manual.blockSignals(True)  # 'overig' was confirmed when the pack was read
        row.manual.setChecked(decision.manual)
        row.manual.blockSignals(False)
        row.show_check()
        self.error.setText("")
        self.lot_note.setText(f"▤ {check.message}" if not decision.manual else
                              f"▤ Partij {check.lot_number} ({check.vaccine_name}) onder 'overig'.")
        return True

    # -- the lot list ----------------------------------------------------------------------------
    def fetch_lots(self) -> None:
        """Fetch the lot list from the receiver off the GUI thread, as Verzenden › Partijlijst ophalen does."""
        if self.fetching:
            return
        self.fetching = True
        self.fetch_lots_button.setEnabled(False)
        self.lot_note.setText(TEXTS["fetching"])

        def done(result) -> None:
            if isValid(self):  # the dialog may have been closed while the list was on its way
                self._lots_arrived(result.summary())

        def failed(reason: str) -> None:
            if isValid(self):
                self._lots_arrived(f"✖ {reason}")

        fetch_lots_in_background(self.context, done, failed)

    def import_lots(self) -> None:
        """Replace the lot list with a PRMM file, as Verzenden › Partijlijst importeren does."""
        name = self.prompts.open_file("Partijlijst importeren", "Partijlijst (*.xml)")
        if not name:
            return
        try:
            result = import_lot_file(self.context.services, Path(name))
        except DomainError as error:
            self.lot_note.setText(f"✖ {error.message}")
            return
        self._lots_arrived(result.summary())

    def _lots_arrived(self, note: str) -> None:
        """Show what happened and refresh the lot choices in place, keeping what the user typed."""
        self.fetching = False
        self.fetch_lots_button.setEnabled(True)
        self.lot_note.setText(note)
        self.lot_warning.setText(lot_list_warning(self.context.services) or "")
        for row in self.rows:
            row.fill_lots(keep_typed=True)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Lijst van verwachte kinderen", str(start_folder()),
                                              "CSV (*.csv *.txt)")
        if name:
            self.expected_file.setText(name)

    def setup(self) -> SessionSetup:
        kind = OrgIdKind(self.org_kind.currentData())
        organisation = Organisation(self.org_name.text(), kind, self.org_id.text().strip())
        vaccines = tuple(v for v in (row.value() for row in self.rows) if v is not None)
        mode = Mode.AFTER if self.after.isChecked() else Mode.BEFORE
        return SessionSetup(self.day(), organisation, self.location.text(), self.activity.currentData(), mode,
                            vaccines, kind.receiver)

    def start(self) -> None:
        """Create the session; on a problem show it in the dialog and keep everything typed."""
        try:
            setup = self.setup()
            data = read_expected_file(Path(self.expected_file.text())) if self.expected_file.text().strip() else None
            self.session_id = create_session(self.context.services, setup)
        except DomainError as error:
            self.error.setText(error.message)
            return
        except OSError as error:
            self.error.setText(f"De lijst kan niet gelezen worden: {os_reason(error)}.")
            return
        if data is not None:
            report = import_expected_list(self.context.services, self.session_id, data, self.expected_file.text())
            self.import_summary = report.summary()
            if report.notes:  # line numbers and reasons, not only a count in the banner
                self.prompts.import_problems(report.summary(), report.notes)
        self.remember(setup)
        self.accept()

    def remember(self, setup: SessionSetup) -> None:
        state = ui_state(self.context.settings_path)
        state.setValue("setup/org_name", setup.organisation.name)
        state.setValue("setup/org_kind", setup.organisation.id_kind.value)
        state.setValue("setup/org_id", setup.organisation.id_value)
        state.setValue("setup/location", setup.location)
        state.setValue("setup/activity", setup.activity_code)
        state.setValue("setup/mode", setup.mode.value)
        state.setValue("setup/vaccines", ",".join(v.vaccine_code for v in setup.vaccines))
