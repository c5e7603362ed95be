"""Beheerder: the settings in three tabs (verzenden, scanner, beveiliging), built from the settings' fields."""

from __future__ import annotations

import copy
import logging
from dataclasses import fields
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.catalogue import ACTIVITY_LISTS
from app.domain.errors import DomainError
from app.domain.vaccinnet import HCPARTY_TYPES
from app.outbox.transport import describe_client_certificate
from app.services.settings_admin import demo_editable, save_settings, settings_problems

from .file_dialogs import ask_folder, ask_open_file
from .mnemonics import mnemonic, with_mnemonic

log = logging.getLogger(__name__)

# Paths get a "Bladeren…" button: (file filter, or None for a folder).
PATHS = {"client_cert_p12": "Certificaat (*.p12 *.pfx *.acc-p12)", "ca_bundle": "Certificaten (*.pem *.crt)",
         "schema_dir": None, "backup_dir": None}
CHOICES = {"target": ("praeventis", "vaccinnet"), "environment": ("acceptatie", "productie"),
           "activity_list": ACTIVITY_LISTS, "terminator": ("auto", "enter", "tab", "lf", "geen"),
           "vaccinnet_hcparty_type": HCPARTY_TYPES}
SECRETS = {"client_cert_password"}
# (section, tab title, {field: Dutch label}); fields left out are not shown (kept as they are). The labels get
# Alt-letters when the dialog is built, unique within their tab and apart from the tabs' and buttons' letters.
TABS = (
    ("outbox", "&Verzenden", {
        "target": "Ontvanger", "environment": "Omgeving", "url_acceptatie": "Adres acceptatie",
        "url_productie": "Adres productie", "url_vaccinnet_acceptatie": "Vaccinnet acceptatie",
        "url_vaccinnet_productie": "Vaccinnet productie", "client_cert_p12": "Clientcertificaat (.p12)",
        "client_cert_password": "Certificaatwachtwoord", "ca_bundle": "CA-bundel (leeg: systeem)",
        "timeout_s": "Time-out (s)", "send_window_start": "Verzendvenster vanaf",
        "send_window_end": "Verzendvenster tot", "schema_dir": "Schemamap (controle vóór wachtrij)",
        "sender_application_id": "Afzender-id", "receiver_application_id": "Ontvanger-id",
        "vaccinnet_software_id": "Vaccinnet softwareID", "vaccinnet_hcparty_type": "Vaccinnet soort organisatie",
        "retry_delays_minutes": "Wachttijden (minuten)"}),
    ("outbox", "Or&ganisatie", {
        "oid_root": "OID-root van de organisatie", "organisation_ura": "URA-nummer (8 cijfers)",
        "uzi_server_number": "UZI-servercertificaatnummer (9 cijfers)",
        "organisation_city": "Vestigingsplaats", "activity_list": "Lijst van activiteiten (2012 of 2020)"}),
    ("scanner", "&Scanner", {
        "max_key_gap_ms": "Max. tijd tussen toetsen (ms)", "max_total_ms": "Max. duur van een scan (ms)",
        "min_length": "Min. aantal tekens", "terminator": "Afsluiter (auto = Enter, Tab of LF)",
        "terminator_wait_ms": "Wachten op afsluiter (ms)",
        "terminator_timeout_ms": "Zonder afsluiter: klaar na stilte (ms)",
        "card_pattern": "Kaartpatroon (regex met (?P<bsn>…))", "camera_device": "Camera (nummer of bestand)",
        "camera_dedup_s": "Zelfde kaart telt één keer binnen (s)", "sounds": "Geluiden"}),
    ("security", "&Beveiliging", {
        "idle_minutes": "Vergrendelen na (minuten, 0 = nooit)", "pin_attempts": "Pogingen met pincode",
        "retention_days": "Bewaartermijn (dagen)", "backups_keep": "Aantal back-ups",
        "backup_dir": "Map voor back-ups (leeg: naast de database)"}),
)

SAVE = "&Opslaan"
DEMO_NOTE = ("Demo: u kunt het acceptatieadres, de verzendtijden en de scanner wijzigen. Productieadressen, "
             "certificaten, de organisatie en de beveiliging stelt een beheerder in op de eigen database.")
DEMO_LOCKED = "In de demo niet te wijzigen: dit raakt productie of de eigen database."
CHECK_CERTIFICATE = "Certificaat &controleren"


def _editor(name: str, value):
    if name in CHOICES:
        box = QComboBox()
        box.addItems(list(CHOICES[name]))
        box.setCurrentText(value)
        return box
    if isinstance(value, bool):
        box = QCheckBox()
        box.setChecked(value)
        return box
    if isinstance(value, int):
        box = QSpinBox()
        box.setRange(0, 100_000)
        box.setValue(value)
        return box
    if isinstance(value, float):
        box = QDoubleSpinBox()
        box.setRange(0, 100_000)
        box.setDecimals(1)
        box.setValue(value)
        return box
    field = QLineEdit(", ".join(map(str, value)) if isinstance(value, list) else str(value))
    if name in SECRETS:
        field.setEchoMode(QLineEdit.Password)
    return field


def _read(editor, default):
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return type(default)(editor.value())
    text = editor.text().strip()
    if isinstance(default, list):
        items = [part.strip() for part in text.split(",") if part.strip()]
        if default and isinstance(default[0], int):
            try:
                return [int(part) for part in items]
            except ValueError:
                raise DomainError(f"Vul alleen hele getallen in, gescheiden door komma's: '{text}'.") from None
        return items
    return text


class SettingsDialog(QDialog):
    """Edit a copy of the settings; Opslaan checks and saves them through the service (audited)."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Instellingen")
        self.resize(820, 600)  # addresses and paths stay readable
        self.editors: dict[tuple[str, str], QWidget] = {}
        layout = QVBoxLayout(self)
        demo = context.services.demo_database
        if demo:
            note = QLabel(DEMO_NOTE)
            note.setWordWrap(True)
            layout.addWidget(note)
        self.tabs = QTabWidget()
        always = {mnemonic(text) for text in (*(title for _s, title, _l in TABS), SAVE)}
        for section, title, labels in TABS:
            page = QWidget()
            form = QFormLayout(page)
            values = getattr(context.settings, section)
            taken = always | ({mnemonic(CHECK_CERTIFICATE)} if title == "&Verzenden" else set())
            for name, label in labels.items():
                editor = _editor(name, getattr(values, name))
                self.editors[(section, name)] = editor
                field = self._with_browse(name, editor) if name in PATHS else editor
                if demo and not demo_editable(section, name):
                    field.setEnabled(False)
                    field.setToolTip(DEMO_LOCKED)
                form.addRow(with_mnemonic(label, taken) + ":", field)  # the label's buddy is the field
            if title == "&Verzenden":
                check = QPushButton(CHECK_CERTIFICATE)
                check.clicked.connect(self.check_certificate)
                form.addRow("", check)
            self.tabs.addTab(page, title)
        layout.addWidget(self.tabs)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        box.button(QDialogButtonBox.Save).setText(SAVE)
        box.button(QDialogButtonBox.Cancel).setText("Annuleren")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def _with_browse(self, name: str, editor: QLineEdit) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor)
        row.setFocusProxy(editor)  # the label's Alt-letter goes to the field, not the row around it
        button = QPushButton("Bladeren…")  # no Alt-letter: there are several on a tab
        button.clicked.connect(lambda _checked=False: self._browse(name, editor))
        layout.addWidget(button)
        return row

    def _browse(self, name: str, editor: QLineEdit) -> None:
        start = editor.text() or str(Path.home())
        if PATHS[name] is None:
            chosen = ask_folder(self, "Kies een map", start)
        else:
            chosen = ask_open_file(self, "Kies een bestand", start, PATHS[name])
        if chosen:
            editor.setText(chosen)

    def edited(self):
        """Return a copy of the settings with the values in the editors."""
        settings = copy.deepcopy(self.context.settings)
        for section, _title, labels in TABS:
            values = getattr(settings, section)
            defaults = {item.name: getattr(values, item.name) for item in fields(values)}
            for name in labels:
                setattr(values, name, _read(self.editors[(section, name)], defaults[name]))
        return settings

    def check_certificate(self) -> None:
        try:
            settings = self.edited()
            self.message.setText(describe_client_certificate(settings.outbox.client_cert_p12,
                                                             settings.outbox.client_cert_password))
        except DomainError as error:
            self.message.setText(error.message)

    def save(self) -> None:
        try:
            new = self.edited()
            problems = settings_problems(new)
            if problems:
                raise DomainError("\n".join(problems))
            save_settings(self.context.services, self.context.settings, new, self.context.settings_path)
        except DomainError as error:
            log.info("settings not saved: %s", error.message)
            self.message.setText(error.message)
            return
        self.accept()
