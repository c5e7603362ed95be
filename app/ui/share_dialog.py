"""The two dialogs of a shared session: the host's code (text and QR) and a station's way in (typed or scanned)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.sharing.discovery import Browser, FoundHost
from app.sharing.join_code import (
    JoinCode,
    JoinCodeInvalid,
    looks_like_join_code,
    parse,
    parse_secret,
    qr_image,
    secret_text,
)

SHARE_TEXT = ("Sessie {session} wordt gedeeld op {address}. Op een andere laptop op hetzelfde netwerk (wifi of de "
              "hotspot van een telefoon): Sessie › Meedoen met een sessie, en typ deze code of houd de QR-code voor "
              "de camera. Dit venster blijft gewoon scannen.")
JOIN_TEXT = ("Typ of plak de deelcode van de host (PRIK-…), of scan de QR-code uit het deelvenster van de host met "
             "een scanner die QR leest. Staat de host hieronder in de lijst, kies hem dan en typ alleen het geheim.")
SECRET_TEXT = "Geheim (wie de host in de lijst kiest, typt alleen dit): {secret}"
SEARCHING = "Hosts op dit netwerk zoeken…"
PICK_OR_CODE = "Kies een host in de lijst om alleen het geheim te typen, of typ de hele code (PRIK-…)."


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
        self.secret = QLabel(SECRET_TEXT.format(secret=secret_text(code.secret)))
        self.secret.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        layout.addWidget(self.secret)
        copy = QPushButton("Code &kopiëren")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code.text()))
        layout.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class _Found(QObject):
    """Carries the LAN browser's news (its own thread) to the dialog."""

    found = Signal(object)
    gone = Signal(str)


class JoinDialog(QDialog):
    """Take a join code, typed, pasted or scanned (the window hands scans to `take_scan`), or a host found on the
    LAN by mDNS and its secret."""

    def __init__(self, parent=None, browse: bool = True):
        super().__init__(parent)
        self.setObjectName("join_dialog")
        self.setWindowTitle("Meedoen met een sessie")
        self.code: JoinCode | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(JOIN_TEXT)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.hosts = QListWidget()
        self.hosts.setAccessibleName("Gevonden hosts")
        self.hosts.setMaximumHeight(120)
        self.hosts.addItem(SEARCHING)
        layout.addWidget(self.hosts)
        self.field = QLineEdit()
        self.field.setPlaceholderText("PRIK-… of het geheim van de gekozen host")
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
        self._news = _Found()
        self._news.found.connect(self.add_host)
        self._news.gone.connect(self.remove_host)
        self.browser = Browser(self._news.found.emit, self._news.gone.emit) if browse else None
        if self.browser is not None:
            self.browser.start()
        self.finished.connect(self.stop_browsing)

    def stop_browsing(self) -> None:
        if self.browser is not None:
            self.browser.stop()
            self.browser = None

    def add_host(self, host: FoundHost) -> None:
        """Show a host found on the LAN (once per name)."""
        self.remove_host(host.name)
        if self.hosts.count() == 1 and self.hosts.item(0).data(Qt.UserRole) is None:
            self.hosts.clear()  # 'searching…' gives way to the first host
        item = QListWidgetItem(f"{host.label or host.name} · {host.host}:{host.port}")
        item.setData(Qt.UserRole, host)
        self.hosts.addItem(item)
        if self.hosts.currentItem() is None:
            self.hosts.setCurrentItem(item)

    def remove_host(self, name: str) -> None:
        for row in range(self.hosts.count()):
            host = self.hosts.item(row).data(Qt.UserRole)
            if host is not None and host.name == name:
                self.hosts.takeItem(row)
                return

    def chosen_host(self) -> FoundHost | None:
        item = self.hosts.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def take_scan(self, text: str) -> None:
        """A scanned QR code or a scanner's burst: use it when it is a join code."""
        self.field.setText(text.strip())
        self.accept()

    def accept(self) -> None:
        text = self.field.text()
        host = self.chosen_host()
        try:
            if looks_like_join_code(text) or host is None:
                self.code = parse(text)
            else:
                self.code = host.code(parse_secret(text))
        except JoinCodeInvalid as error:
            self.problem.setText(error.message)
            self.field.setFocus()
            return
        super().accept()
