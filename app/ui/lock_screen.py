"""Auto-lock: hide the children's data after idle time; unlock with the passphrase or a PIN.

The policy (when to lock, how many PIN attempts) is pure in app.domain.idle; this module notes input,
fires a timer exactly when the idle time runs out and shows the lock dialog."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app.domain.errors import DomainError
from app.domain.idle import IdleLock, IdlePolicy, Unlock
from app.services import users

log = logging.getLogger(__name__)

_INPUT_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}


class IdleGuard(QObject):
    """Install on the QApplication; emits `lock_due` once the idle time has passed without input."""

    lock_due = Signal()

    def __init__(self, policy: IdlePolicy, parent=None, now: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.now = now
        self.lock = IdleLock(policy, now())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self._arm()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in _INPUT_EVENTS:
            self.lock.activity(self.now())
        return False

    def activity(self) -> None:
        """Note input the event filter does not see (a scan the wedge filter swallowed, a camera code)."""
        self.lock.activity(self.now())

    def _arm(self) -> None:
        left = self.lock.seconds_left(self.now())
        if left != float("inf"):
            self._timer.start(max(50, int(left * 1000)))

    def _check(self) -> None:
        if self.lock.check(self.now()):
            log.info("screen locked after %.0f idle minutes", self.lock.policy.idle_minutes)
            self.lock_due.emit()
        else:
            self._arm()

    def set_policy(self, policy: IdlePolicy) -> None:
        """Use a new lock time at once (saved settings), counting from the last input as before."""
        self.lock.policy = policy
        self._timer.stop()
        self._arm()

    def stop(self) -> None:
        """Stop counting (the window closed)."""
        self._timer.stop()

    def lock_now(self) -> None:
        self.lock.lock()
        self.lock_due.emit()

    def unlocked(self) -> None:
        """Start counting again after the lock dialog opened."""
        self._arm()


class LockDialog(QDialog):
    """Covers the session until the signed-in user types their passphrase or PIN; cannot be closed."""

    def __init__(self, services, guard: IdleGuard, parent=None):
        super().__init__(parent)
        self.services = services
        self.guard = guard
        self.setObjectName("lock_screen")
        self.setWindowTitle("Prikpost – vergrendeld")
        self.setWindowFlag(Qt.WindowCloseButtonHint, False)
        self.setModal(True)
        identity = services.identity
        who = identity.display_name or identity.login if identity else ""
        layout = QVBoxLayout(self)
        title = QLabel("Scherm vergrendeld")
        font = title.font()
        font.setPointSize(font.pointSize() * 2)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(QLabel(f"Aangemeld: {who}. Typ uw wachtwoord of pincode om verder te gaan."))
        row = QHBoxLayout()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        row.addWidget(self.secret)
        # Return presses the default button; connecting returnPressed too would try every entry twice.
        self.button = QPushButton("&Ontgrendelen")
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.secret.setFocus()

    def try_unlock(self) -> None:
        """A PIN is all digits and 4 to 8 long; anything else is tried as the passphrase."""
        try:
            self._try_unlock()
        except DomainError as error:  # too many wrong tries in a row: wait a little
            self.message.setText(error.message)

    def _try_unlock(self) -> None:
        text, lock, now = self.secret.text(), self.guard.lock, self.guard.now()
        self.secret.clear()
        if not text:
            self.message.setText("Typ uw wachtwoord of pincode.")
            return
        looks_like_pin = text.isdigit() and 4 <= len(text) <= 8
        if looks_like_pin and lock.pin_allowed:
            result = lock.try_pin(users.verify_pin(self.services, text), now)
            if result is not Unlock.UNLOCKED and users.verify_passphrase(self.services, text):
                result = lock.try_passphrase(True, now)  # a passphrase of digits only
        else:
            result = lock.try_passphrase(users.verify_passphrase(self.services, text), now)
            if result is Unlock.WRONG and looks_like_pin:
                result = Unlock.PIN_BLOCKED  # say why the right PIN no longer works
        log.info("unlock attempt: %s", result.value)
        if result is Unlock.UNLOCKED:
            self.guard.unlocked()
            self.accept()
        else:
            self.message.setText(result.message)

    def reject(self) -> None:
        """Escape must not open the screen."""

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.guard.lock.locked:
            event.ignore()
        else:
            super().closeEvent(event)
