"""The two dialogs of a shared session: the host's code (text and QR) and a station's way in (typed or scanned)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.sharing.join_code import JoinCode, JoinCodeInvalid, parse, qr_image

SHARE_TEXT = ("Sessie {session} wordt gedeeld op {address}. Op een andere laptop op hetzelfde netwerk (wifi of de "
              "hotspot van een telefoon): Sessie › Meedoen met een sessie, en typ deze code of houd de QR-code voor "
              "de camera. Dit venster blijft gewoon scannen.")
JOIN_TEXT = ("Typ of plak de deelcode van de host (PRIK-…), of scan de QR-code uit het deelvenster van de host met "
             "de camera (F8) of een scanner die QR leest.")


def qr_pixmap(code: JoinCode, scale: int = 6) -> QPixmap:
    """Return the code's QR code as a pixmap."""
    image = qr_image(code, scale)
    height, width = image.shape
    return QPixmap.fromImage(QImage(image.data, width, height, image.strides[0], QImage.Format_Grayscale8).copy())


class ShareDialog(QDialog):
    """Show the join code as text to read aloud and as a QR code for a station's camera."""

    def __init__(self, session_id: int, code: JoinCode, parent=None):
        super().__init__(parent)
        self.setObjectName("share_dialog")
        self.setWindowTitle("Sessie delen")
        self.code = code
        layout = QVBoxLayout(self)
        intro = QLabel(SHARE_TEXT.format(session=session_id, address=code.address))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QLabel(code.text())
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.Monospace)
        font.setPointSize(14)
        self.text.setFont(font)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        layout.addWidget(self.text)
        self.qr = QLabel()
        self.qr.setPixmap(qr_pixmap(code))
        self.qr.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.qr)
        copy = QPushButton("Code &kopiëren")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code.text()))
        layout.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class JoinDialog(QDialog):
    """Take a join code, typed, pasted or scanned (the window hands scans to `take_scan`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("join_dialog")
        self.setWindowTitle("Meedoen met een sessie")
        self.code: JoinCode | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(JOIN_TEXT)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = QLineEdit()
        self.field.setPlaceholderText("PRIK-…")
        self.field.setAccessibleName("Deelcode")
        layout.addWidget(self.field)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a00000")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("&Meedoen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    def take_scan(self, text: str) -> None:
        """A scanned QR code or a scanner's burst: use it when it is a join code."""
        self.field.setText(text.strip())
        self.accept()

    def accept(self) -> None:
        try:
            self.code = parse(self.field.text())
        except JoinCodeInvalid as error:
            self.problem.setText(error.message)
            self.field.setFocus()
            return
        super().accept()
