"""The messages screen: per message its state, attempts, next attempt and last answer; and the failure list."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
)

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.outbox_states import RESENDABLE, values
from app.domain.person_id import format_number
from app.domain.wording import count_noun
from app.outbox.queue import resend_after_fix
from app.services.outbox_view import failure_list, list_messages, open_alert

from .record_table_model import RECORD_ROLE, RecordTableModel

MESSAGE_COLUMNS = (
    ("Kind", lambda m: m.child_name or format_number(m.bsn)),
    ("BSN", lambda m: format_number(m.bsn)),
    ("Status", lambda m: m.state_label),
    ("Pogingen", lambda m: m.attempts),
    ("Volgende poging", lambda m: m.retry_at),  # empty unless a retry is really scheduled
    ("Laatste antwoord", lambda m: m.last_answer),
)
FAILURE_COLUMNS = (
    ("Kind", lambda f: f.child_name or format_number(f.bsn)),
    ("Geboortedatum", lambda f: f.birth_date),
    ("BSN", lambda f: format_number(f.bsn)),
    ("Klas", lambda f: f.group_name),
    ("Vaccins", lambda f: f.vaccines),
    ("Status", lambda f: f.state_label),
    ("Reden", lambda f: f.reason),
)


MAX_COLUMN = 220  # a long name or answer never pushes the last column (reason, answer) out of sight


def fit_columns(table: QTableView) -> None:
    """Size the columns to their contents, each but the last at most MAX_COLUMN wide (its tooltip has it whole);
    the last one, the reason or answer, takes the rest of the width and wraps."""
    table.resizeColumnsToContents()
    last = table.model().columnCount() - 1
    for column in range(last):
        if table.columnWidth(column) > MAX_COLUMN:
            table.setColumnWidth(column, MAX_COLUMN)
    table.resizeRowsToContents()


def _table(model: RecordTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


class OutboxDialog(QDialog):
    """Show the outbox of the session (or all sessions) and the failure list (uitvallijst)."""

    def __init__(self, context: AppContext, session_id: int | None, sync, prompts, parent=None):
        super().__init__(parent)
        self.context = context
        self.session_id = session_id
        self.sync = sync
        self.prompts = prompts
        self.setWindowTitle("Berichten en uitvallijst")
        self.messages = RecordTableModel(MESSAGE_COLUMNS, self)
        self.failures = RecordTableModel(FAILURE_COLUMNS, self)
        self.message_table = _table(self.messages)
        self.failure_table = _table(self.failures)
        self.tabs = tabs = QTabWidget()
        tabs.addTab(self.message_table, "&Berichten")
        tabs.addTab(self.failure_table, "&Uitvallijst (niet bevestigd)")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.alert = QLabel("")  # the administrator alert (R9) while a message is given up and not handled
        self.alert.setWordWrap(True)
        send = QPushButton("&Nu verzenden")
        resend = QPushButton("&Opnieuw versturen na herstel")
        resend.setToolTip("Zet de gekozen geweigerde of opgegeven berichten opnieuw klaar, met hetzelfde "
                          "berichtnummer. Kies ze op het tabblad Berichten of Uitvallijst.")
        refresh = QPushButton("&Verversen")
        close = QPushButton("Sluiten")
        buttons = QHBoxLayout()
        for button in (send, resend, refresh):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.alert)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        send.clicked.connect(self.send_now)
        resend.clicked.connect(self.resend_selected)
        refresh.clicked.connect(self.refresh)
        close.clicked.connect(self.accept)
        sync.finished.connect(self._sent)
        self.resize(1100, 560)
        self.refresh()

    def refresh(self) -> None:
        """Reload both lists, keeping the chosen messages chosen (a change elsewhere reloads them any time)."""
        alert = open_alert(self.context.services)
        self.alert.setText(f"⚠ {alert}" if alert else "")
        self.alert.setVisible(alert is not None)
        for table, records in ((self.message_table, list_messages(self.context.services, self.session_id)),
                               (self.failure_table, failure_list(self.context.services, self.session_id))):
            chosen = {index.data(RECORD_ROLE).outbox_id for index in table.selectionModel().selectedRows()}
            table.model().set_records(records)
            fit_columns(table)
            for row, record in enumerate(records):
                if record.outbox_id in chosen:
                    table.selectionModel().select(table.model().index(row, 0),
                                                  QItemSelectionModel.Select | QItemSelectionModel.Rows)

    def send_now(self) -> None:
        if self.sync.send_now():
            self.note.setText("Bezig met verzenden…")
        else:
            self.note.setText("Er wordt al verzonden; wacht even.")

    def _sent(self, summary: str, _ok: bool) -> None:
        self.note.setText(summary)
        self.refresh()

    def resend_selected(self) -> None:
        """Resend the messages chosen on the visible tab: the messages list or the failure list."""
        table = self.tabs.currentWidget()
        chosen = [index.data(RECORD_ROLE) for index in table.selectionModel().selectedRows()]
        ids = [record.outbox_id for record in chosen if record.state in values(RESENDABLE)]
        try:
            if not ids:
                raise DomainError("Kies een bericht met status 'actie nodig' of 'opgegeven' om opnieuw te versturen.")
            count = resend_after_fix(self.context.services, ids)
        except DomainError as error:
            self.prompts.error(error.message)
            return
        self.note.setText(f"{count_noun(count, 'bericht', 'berichten')} opnieuw klaargezet met hetzelfde "
                          "berichtnummer.")
        self.refresh()
