"""The large banner showing the last scan's outcome with icon, words and colour (never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from app.domain.bsn import format_bsn, is_valid_bsn
from app.services.scans import Outcome, ScanOutcome

# Icon, background, text colour per outcome; the title word always says the same as the colour.
STYLES = {
    Outcome.NEW: ("✔", "#1b5e20", "#ffffff"),
    Outcome.ALREADY_SCANNED: ("↻", "#0d47a1", "#ffffff"),
    Outcome.NOT_EXPECTED: ("⚠", "#f9a825", "#000000"),
    Outcome.INVALID: ("✖", "#b71c1c", "#ffffff"),
    Outcome.NOT_READY: ("⏸", "#4a148c", "#ffffff"),
}
IDLE_TEXT = "Klaar om te scannen. Scan een oproepkaart of typ een BSN."


class ScanBanner(QFrame):
    """Show one scan outcome in large type."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("scanBanner")
        self.icon = QLabel("▣")
        self.icon.setAlignment(Qt.AlignCenter)
        self.icon.setMinimumWidth(90)
        self.title = QLabel("Klaar")
        self.detail = QLabel(IDLE_TEXT)
        self.detail.setWordWrap(True)
        self.next_step = QLabel("")
        self.next_step.setWordWrap(True)
        for label, size in ((self.icon, 44), (self.title, 26), (self.detail, 17), (self.next_step, 15)):
            font = label.font()
            font.setPointSize(size)
            font.setBold(label is not self.next_step)
            label.setFont(font)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.detail)
        text.addWidget(self.next_step)
        layout = QHBoxLayout(self)
        layout.addWidget(self.icon)
        layout.addLayout(text, 1)
        self.outcome: Outcome | None = None
        self.reset()

    def reset(self) -> None:
        """Return to the neutral 'ready' state, e.g. when another session is opened."""
        self.outcome = None
        self.icon.setText("▣")
        self.title.setText("Klaar")
        self.detail.setText(IDLE_TEXT)
        self.next_step.setText("")
        self._paint("#37474f", "#ffffff")

    def _paint(self, background: str, foreground: str) -> None:
        self.setStyleSheet(f"#scanBanner {{ background: {background}; border-radius: 8px; }}"
                           f"#scanBanner QLabel {{ color: {foreground}; }}")

    def show_outcome(self, outcome: ScanOutcome) -> None:
        """Show the outcome: what happened, which child, and what happens next."""
        self.outcome = outcome.outcome
        icon, background, foreground = STYLES[outcome.outcome]
        self.icon.setText(icon)
        self.title.setText(outcome.title)
        if outcome.registered or outcome.outcome is Outcome.ALREADY_SCANNED:
            born = outcome.birth_date.strftime("%d-%m-%Y") if outcome.birth_date else "geboortedatum onbekend"
            name = outcome.name or "(naam onbekend)"
            group = f" · klas {outcome.group_name}" if outcome.group_name else ""
            self.detail.setText(f"{name} · {born} · BSN {format_bsn(outcome.bsn)}{group}")
        else:
            read = format_bsn(outcome.bsn) if is_valid_bsn(outcome.bsn) and len(outcome.bsn) == 9 else outcome.bsn
            self.detail.setText(read and f"Gelezen: {read}" or "")
        self.next_step.setText(outcome.message)
        self._paint(background, foreground)

    def show_message(self, title: str, message: str) -> None:
        """Show a neutral message (e.g. after an action)."""
        self.outcome = None
        self.icon.setText("ℹ")
        self.title.setText(title)
        self.detail.setText(message)
        self.next_step.setText("")
        self._paint("#37474f", "#ffffff")
