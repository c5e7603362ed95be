"""Beeld › Recente meldingen (declared in view_actions): the status bar's last notices, whole, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from .status_bar import StatusBar

TITLE = "Recente meldingen"
NONE_YET = "Nog geen meldingen sinds Prikpost startte."


class RecentNoticesDialog(QDialog):
    def __init__(self, status: StatusBar, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        intro = QLabel("De meldingen van de statusbalk sinds Prikpost startte, de nieuwste bovenaan.")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.WidgetWidth)  # long notices wrap, never cut
        lines = [f"{notice.at:%H:%M:%S}  {notice.text}" for notice in reversed(status.recent)]
        self.text.setPlainText("\n".join(lines) or NONE_YET)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)

