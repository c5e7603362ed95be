"""Sessie › Sessie afsluiten: the close-out checklist, resolved or consciously waived, then the session report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
)

from app.domain.errors import DomainError
from app.domain.wording import os_reason
from app.reports.files import write_atomically
from app.reports.session_report_pdf import session_report_pdf
from app.services import closeout
from app.services.session_report import session_report_facts

from .file_dialogs import ask_save_file
from .folders import start_folder
from .tasks import run_with_progress

log = logging.getLogger(__name__)

AskPath = Callable[[str], str | None]


def suggested_report_path(facts) -> Path:
    """Return where the report of a session is offered to be saved: Documents, named after school and day."""
    return start_folder() / f"sessierapport-{facts.location}-{facts.day:%Y-%m-%d}.pdf".replace(" ", "-")


def save_session_report(parent, services, session_id: int, ask_path: AskPath, on_saved: Callable[[Path], None],
                        on_failed: Callable[[str], None]) -> QProgressDialog | None:
    """Ask where, then write the session's report off the GUI thread with a busy indicator (returned; None when
    the user cancelled); on_saved(file) or on_failed(Dutch reason) follows on the GUI thread."""
    facts = session_report_facts(services, session_id)
    path = ask_path(str(suggested_report_path(facts)))
    if not path:
        return None
    made_at = services.now()

    def failed(error: Exception) -> None:
        if isinstance(error, OSError):
            log.warning("session report not written: %s", error.strerror)
        on_failed(os_reason(error) if isinstance(error, OSError) else
                  error.message if isinstance(error, DomainError) else "een onverwachte fout")

    # Written through a private temporary file: the report is readable by this user only.
    return run_with_progress(parent, f"Sessierapport wordt opgeslagen in {path}…",
                             lambda: write_atomically(path, session_report_pdf(facts, made_at)), on_saved, failed)


def ask_report_path(parent, suggested: str) -> str | None:
    """Ask where to save the session report (Qt's own dialog, in Dutch)."""
    return _ask_path(parent, suggested)


def _ask_path(parent, suggested: str) -> str | None:
    return ask_save_file(parent, "Sessierapport opslaan", suggested, "PDF (*.pdf)")


class CloseOutDialog(QDialog):
    """Show what is still open; each open item must be resolved or waived before the session closes for good."""

    def __init__(self, services, session_id: int, parent=None, ask_path: AskPath | None = None):
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.ask_path = ask_path or (lambda suggested: _ask_path(self, suggested))
        self.report_path: Path | None = None
        self.setWindowTitle("Sessie afsluiten")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Na het afsluiten kan alleen nog gecorrigeerd worden (vastgelegd). Los open punten op "
                                "of sla ze bewust over."))
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        self.absent = QPushButton("Rest als &afwezig markeren")
        self.absent.clicked.connect(self.mark_absent)
        layout.addWidget(self.absent)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.close_button = box.button(QDialogButtonBox.Ok)
        self.close_button.setText("Sessie &afsluiten en rapport opslaan")
        box.button(QDialogButtonBox.Cancel).setText("Annuleren")
        box.accepted.connect(self.close_out)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.waive: dict[str, QCheckBox] = {}
        self.reload()

    def reload(self) -> None:
        """Show the checklist as the store has it now."""
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self.waive.clear()
        self.items = closeout.checklist(self.services, self.session_id)
        for row, item in enumerate(self.items):
            mark = "ℹ" if item.informative else ("✓" if item.resolved else "⚠")
            label = QLabel(f"{mark} {item.title}")
            label.setToolTip("\n".join(item.details))
            label.setWordWrap(True)
            self.grid.addWidget(label, row, 0)
            if not item.resolved:
                box = QCheckBox("bewust overslaan")
                self.grid.addWidget(box, row, 1)
                self.waive[item.key] = box
        self.absent.setEnabled(any(i.key == "no_outcome" and not i.resolved for i in self.items))

    def mark_absent(self) -> None:
        try:
            count = closeout.mark_absent(self.services, self.session_id)
        except DomainError as error:
            self.message.setText(error.message)
            return
        self.message.setText(f"{count} verwachte kinderen zonder uitkomst staan nu op 'afwezig'.")
        self.reload()

    def close_out(self) -> None:
        waived = [key for key, box in self.waive.items() if box.isChecked()]
        try:
            closeout.close_out(self.services, self.session_id, waived)
        except DomainError as error:
            self.message.setText(error.message)
            return
        self.close_button.setEnabled(False)  # closed now; the report is being written
        saving = save_session_report(self, self.services, self.session_id, self.ask_path, self._saved,
                                     self._not_saved)
        if saving is None:  # no place chosen: closed without a report (it can be saved later)
            self.accept()

    def _saved(self, path: Path) -> None:
        self.report_path = path
        self.accept()

    def _not_saved(self, reason: str) -> None:
        self.message.setText(f"De sessie is afgesloten, maar het rapport kon niet worden opgeslagen ({reason}). "
                             "Sla het opnieuw op via Sessie › Sessierapport opslaan.")
