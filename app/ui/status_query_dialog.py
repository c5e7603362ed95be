"""Ask Praeventis for a child's vaccination status (R11); show it clearly and save it unchanged as PDF."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.context import AppContext
from app.domain.bsn import format_bsn
from app.domain.errors import DomainError
from app.domain.payload import parse_payload
from app.domain.wording import dutch_datetime, os_reason
from app.outbox.status_query import StatusAnswer, request_status
from app.reports.files import write_atomically
from app.reports.status_pdf import status_pdf, status_sections

from .file_dialogs import ask_save_file
from .folders import start_folder
from .tasks import run_in_background

WAIT_FOR_ANSWER = "Bezig met opvragen… Wacht op het antwoord voor dit kind en scan de volgende kaart daarna opnieuw."


def describe(answer: StatusAnswer, vaccine_name) -> str:
    """Return the status as readable Dutch lines, in the same sections as the saved PDF."""
    lines = [f"BSN {format_bsn(answer.status.bsn)}", answer.headline,
             f"Opgevraagd op {dutch_datetime(answer.asked_at)}."]
    for title, _header, rows in status_sections(answer.status, vaccine_name):
        lines += ["", f"{title}:"] + (["  " + "  ·  ".join(row) for row in rows] or ["  geen"])
    if answer.status.receiver_text:
        lines += ["", f"Tekst van Praeventis: {answer.status.receiver_text}"]
    return "\n".join(lines)


NOTE = "Het antwoord wordt alleen getoond en niet in Prikpost overgenomen."


class StatusQueryDialog(QDialog):
    """The answer is shown, and can be saved as PDF, but never merged into Prikpost's own data."""

    def __init__(self, context: AppContext, bsn: str = "", parent=None, save_path_fn=None):
        super().__init__(parent)
        self.context = context
        self.answer: StatusAnswer | None = None
        self._save_path = save_path_fn or self._ask_save_path
        self.setWindowTitle("Vaccinatiestatus opvragen")
        self.bsn = QLineEdit(format_bsn(bsn) if bsn else "")
        self.bsn.setPlaceholderText("BSN")
        self.ask = QPushButton("&Opvragen")
        self.save = QPushButton("Opslaan als &PDF…")
        self.save.setEnabled(False)
        self.result_text = QPlainTextEdit()
        self.result_text.setReadOnly(True)
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("BSN:"))
        row.addWidget(self.bsn, 1)
        row.addWidget(self.ask)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result_text, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.save)
        self.ask.clicked.connect(self.request)
        self.save.clicked.connect(self.save_pdf)
        self.resize(640, 480)

    def request(self) -> None:
        services, settings = self.context.services, self.context.settings.outbox
        bsn = self.bsn.text().strip().replace(".", "").replace(" ", "")  # also as shown: 1234.56.782
        self.ask.setEnabled(False)
        self.bsn.setReadOnly(True)  # the answer that comes back belongs to the BSN shown until then
        self._forget_answer()  # the save button must never save the previous child's answer
        self.result_text.setPlainText("Bezig met opvragen…")
        run_in_background(lambda _report: request_status(services, settings, bsn), self._answered, self._failed)

    def take_scan(self, text: str) -> None:
        """Put the BSN of a scanned card in the BSN field (the window calls this while the dialog is open)."""
        if self.bsn.isReadOnly():
            self.result_text.setPlainText(WAIT_FOR_ANSWER)
            return
        parsed = parse_payload(text, self.context.settings.scanner.card_pattern)
        if parsed.ok:
            self.bsn.setText(format_bsn(parsed.bsn))
            self._forget_answer()
            self.result_text.setPlainText("Kaart gescand. Kies Opvragen om de status op te vragen.")
            self.ask.setFocus()
        else:
            self._forget_answer()  # what is on screen is what can be saved
            self.result_text.setPlainText(f"Gescande kaart niet gebruikt: {parsed.reason}")

    def _forget_answer(self) -> None:
        """Drop the shown answer: nothing to save, and no note about an earlier saved file."""
        self.answer = None
        self.save.setEnabled(False)
        self.note.setText(NOTE)

    def _answered(self, answer: StatusAnswer) -> None:
        self.bsn.setReadOnly(False)
        self.answer = answer
        self.ask.setEnabled(True)
        self.save.setEnabled(True)
        self.note.setText(NOTE)
        self.result_text.setPlainText(describe(answer, self.context.services.catalogue.vaccine_name))

    def _failed(self, error: Exception) -> None:
        self.bsn.setReadOnly(False)
        self.ask.setEnabled(True)
        self._forget_answer()
        self.result_text.setPlainText(error.message if isinstance(error, DomainError) else
                                      "Opvragen is mislukt door een onverwachte fout. Probeer het later opnieuw.")

    def _ask_save_path(self) -> str:
        return ask_save_file(self, "Vaccinatiestatus opslaan", str(start_folder()), "PDF (*.pdf)") or ""

    def save_pdf(self) -> None:
        if self.answer is None:
            return
        name = self._save_path()
        if not name:
            return
        data = status_pdf(self.answer.status, self.answer.asked_at, self.answer.headline,
                          self.context.services.catalogue.vaccine_name)
        try:
            write_atomically(name, data)  # as the lists: private (0600) and never half written
        except OSError as error:
            self.note.setText(f"Opslaan is mislukt: {os_reason(error)}. Kies een andere map.")
            return
        self.note.setText(f"Opgeslagen als {name}.")
