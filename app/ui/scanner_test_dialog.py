"""The scanner test screen: shows exactly what the scanner sends and advises on its settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout

from app.domain.visible import show_controls
from app.scanning.scanner_check import check_scanner
from app.scanning.wedge import Scan, terminator_setting
from app.settings import ScannerSettings

INTRO = ("Scan een oproepkaart. Prikpost laat precies zien wat de scanner stuurt (⏎ = Enter, ⇥ = Tab, "
         "<LF>, <GS> …) en geeft advies. Tijdens deze test wordt er niets geregistreerd.")


class ScannerTestDialog(QDialog):
    """Listen to the wedge filter's scans while open; typed (too slow) input is shown too."""

    def __init__(self, settings: ScannerSettings, wedge, parent=None, remember=None):
        super().__init__(parent)
        self.settings = settings
        self.wedge = wedge
        # remember(setting) sets the scanner's terminator as this test learned it and says how, in Dutch.
        self.remember = remember
        self.learned: str | None = None
        self.setWindowTitle("Scannertest")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Kwam de scan hier als getypte tekst binnen? Dan is de scanner te traag.")
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        # A scanner ends its code with Enter: no default button, so Enter never closes the test and its advice
        # stays on screen. Closing: this button or Escape.
        self.close_button = QPushButton("&Sluiten")
        self.close_button.setAutoDefault(False)
        self.close_button.setDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.learn_button = QPushButton("Afsluiter &onthouden")
        self.learn_button.setAutoDefault(False)
        self.learn_button.setEnabled(False)
        self.learn_button.setVisible(remember is not None)
        self.learn_button.clicked.connect(self.remember_terminator)
        buttons = QHBoxLayout()
        buttons.addWidget(self.learn_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.typed)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        self.typed.textEdited.connect(self._typed)
        wedge.scanned.connect(self.show_scan)
        self.finished.connect(lambda _r: wedge.scanned.disconnect(self.show_scan))
        self.resize(640, 420)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            event.accept()  # the end of a (slow) scan, not a request to close
            return
        super().keyPressEvent(event)

    def take_scan(self, text: str) -> None:
        """A card scanned while the test is open is only shown (show_scan), never registered."""

    def take_pack(self, text: str) -> bool:
        """A vaccine pack scanned while the test is open is only shown (show_scan), never used."""
        return True

    def show_scan(self, scan: Scan) -> None:
        check = check_scanner(scan, self.settings)
        lines = [f"Ontvangen: {check.shown}",
                 f"Duur {scan.duration_ms:.0f} ms, grootste pauze tussen tekens {scan.max_gap_ms:.0f} ms",
                 *[f"• {advice}" for advice in check.advice]]
        self.learned = terminator_setting(scan.terminator)
        if self.learned != self.settings.terminator:
            lines.append(f"• Kies Afsluiter onthouden om de afsluiter van deze scanner ({self.learned}) in te stellen.")
        self.learn_button.setEnabled(self.learned != self.settings.terminator)
        self.report.setPlainText("\n".join(lines))

    def remember_terminator(self) -> None:
        """Set the terminator the last scan ended with, so silence ends scans only for a scanner without one."""
        if self.remember is None or self.learned is None:
            return
        message = self.remember(self.learned)
        self.learn_button.setEnabled(False)
        self.report.appendPlainText(f"• {message}")

    def _typed(self, text: str) -> None:
        self.report.setPlainText(
            f"Als typen ontvangen: {show_controls(text)}\n• Dit kwam binnen als gewone toetsaanslagen: de scanner is "
            f"trager dan {self.settings.max_key_gap_ms} ms per teken of de code is korter dan "
            f"{self.settings.min_length} tekens. Zet de typesnelheid van de scanner hoger.")
