"""After importing the expected children: which lines were skipped and why, with their line numbers."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

TEXTS = {
    "title": "Verwachte kinderen: regels om na te kijken",
    "intro": "Deze regels van het bestand zijn niet (helemaal) ingelezen. Verbeter een overgeslagen regel in het "
             "bestand en importeer het opnieuw; regels die al goed waren worden niet dubbel ingelezen. Een kind "
             "dat al geregistreerd is, blijft zoals het is.",
    "line": "Regel",
    "reason": "Reden",
    "whole_file": "hele bestand",
    "copy": "&Kopiëren",
    "close": "&Sluiten",
}


def problem_lines(problems) -> list[tuple[str, str]]:
    """Return (line, reason) texts for the skipped lines; line 0 stands for the whole file."""
    return [(str(p.line) if p.line else TEXTS["whole_file"], p.reason) for p in problems]


class ImportProblemsDialog(QDialog):
    """Show the import summary and every skipped line with its number and reason."""

    def __init__(self, summary: str, problems, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TEXTS["title"])
        self.rows = problem_lines(problems)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        intro = QLabel(TEXTS["intro"])
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setHorizontalHeaderLabels([TEXTS["line"], TEXTS["reason"]])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        for row, (line, reason) in enumerate(self.rows):
            self.table.setItem(row, 0, QTableWidgetItem(line))
            item = QTableWidgetItem(reason)
            item.setToolTip(reason)
            self.table.setItem(row, 1, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        copy = buttons.addButton(TEXTS["copy"], QDialogButtonBox.ActionRole)
        copy.setToolTip("Kopieer de lijst (regel en reden) om haar te plakken, bijvoorbeeld in een e-mail.")
        copy.clicked.connect(self.copy)
        close = buttons.addButton(TEXTS["close"], QDialogButtonBox.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def as_text(self) -> str:
        """Return the summary and the skipped lines as plain text."""
        return "\n".join([self.summary.text(), *(f"{TEXTS['line']} {line}: {reason}" for line, reason in self.rows)])

    def copy(self) -> None:
        QApplication.clipboard().setText(self.as_text())
