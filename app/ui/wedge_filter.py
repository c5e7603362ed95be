"""Application-wide capture of keyboard-wedge scans, whatever widget has focus.

Keys that may belong to a scan are held back; when they turn out to be typing they are replayed, in
order, to the widget that had focus. The decision itself is pure (app.scanning.wedge)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.scanning.wedge import Hold, Pass, Release, Scan, WedgeClassifier
from app.settings import ScannerSettings

log = logging.getLogger(__name__)

_MODIFIER_KEYS = {Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta, Qt.Key_AltGr, Qt.Key_CapsLock}
_TERMINATOR_KEYS = {Qt.Key_Return: "\r", Qt.Key_Enter: "\r", Qt.Key_Tab: "\t"}


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class WedgeFilter(QObject):
    """Install on the QApplication; emits `scanned(text)` for every scanner burst."""

    scanned = Signal(object)  # app.scanning.wedge.Scan

    def __init__(self, settings: ScannerSettings, parent=None, now_ms: Callable[[], float] = _monotonic_ms):
        super().__init__(parent)
        self.classifier = WedgeClassifier(settings)
        self.now_ms = now_ms
        self.enabled = True
        self._held: list[tuple[QWidget | None, int, Qt.KeyboardModifier, str]] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if self._replaying or not self.enabled or event.type() != QEvent.KeyPress:
            return False
        focus = QApplication.focusWidget()
        if not isinstance(obj, QWidget) or not (obj is focus or (focus is None and obj.isWindow())):
            return False  # the same key propagating to a parent, or a window-level copy
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            self._apply(self.classifier.flush(), None)
            return False  # a shortcut
        char = _TERMINATOR_KEYS.get(key) or event.text()
        if len(char) != 1 or (not char.isprintable() and char not in "\r\t\n"):
            self._apply(self.classifier.flush(), None)
            return False
        actions = self.classifier.key(char, self.now_ms())
        current = (obj, key, event.modifiers(), event.text())
        return self._apply(actions, current)

    def _apply(self, actions, current) -> bool:
        """Carry out the classifier's actions; return True when the current key is swallowed."""
        swallow = False
        for action in actions:
            if isinstance(action, Hold):
                self._held.append(current)
                swallow = True
            elif isinstance(action, Release):
                pending = list(self._held)
                self._held.clear()
                if current is not None and len(action.text) > len(pending):
                    pending.append(current)
                    swallow = True
                self._replay(pending)
            elif isinstance(action, Scan):
                self._held.clear()
                swallow = True
                log.debug("scan of %d chars in %.0f ms", len(action.text), action.duration_ms)
                self.scanned.emit(action)
            elif isinstance(action, Pass):
                swallow = False
        self._schedule()
        return swallow

    def _replay(self, keys) -> None:
        self._replaying = True
        try:
            for widget, key, modifiers, text in keys:
                target = widget if widget is not None and widget.isVisible() else QApplication.focusWidget()
                if target is not None:
                    QApplication.sendEvent(target, QKeyEvent(QEvent.KeyPress, key, modifiers, text))
                    QApplication.sendEvent(target, QKeyEvent(QEvent.KeyRelease, key, modifiers, text))
        finally:
            self._replaying = False

    def type_into_focus(self, text: str) -> None:
        """Give a burst that was no scan to the focused widget as typed text (without its terminator)."""
        self._replay([(None, Qt.Key_unknown, Qt.NoModifier, char) for char in text if char.isprintable()])

    def _schedule(self) -> None:
        deadline = self.classifier.deadline
        if deadline is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, int(deadline - self.now_ms())))

    def _on_timeout(self) -> None:
        self._apply(self.classifier.tick(self.now_ms()), None)
