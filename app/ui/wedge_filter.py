"""Application-wide capture of keyboard-wedge scans, whatever widget has focus.

Keys that may belong to a scan are held back; when they turn out to be typing they are replayed, in
order, to the widget they were typed in. The decision itself is pure (app.scanning.wedge).

Keys are timed by `QKeyEvent.timestamp()`, the window system's time of the key: on a busy laptop Python
may see a scanner's keys tens of milliseconds late and in clumps, which says nothing about the scanner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.scanning.wedge import Absorb, Hold, Pass, Release, Scan, WedgeClassifier
from app.settings import ScannerSettings

log = logging.getLogger(__name__)

_MODIFIER_KEYS = {Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta, Qt.Key_AltGr, Qt.Key_CapsLock}
_TERMINATOR_KEYS = {Qt.Key_Return: "\r", Qt.Key_Enter: "\r", Qt.Key_Tab: "\t"}
_SHORTCUT_MODIFIERS = Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier
# A GS1 code's field separator (GS, 0x1D, from FNC1). Scanners type it as Ctrl+] (the US key for GS); X11 then
# gives the text "\x1d". On a layout whose ] sits elsewhere, a scanner set to US sends the same physical key,
# which reads as Ctrl++ (German), Ctrl+$ (French) or Ctrl+* : those count as GS only inside a burst, where no
# shortcut is meant. Ctrl+5 is the terminal's other spelling of GS.
GS = "\x1d"
_GS_KEYS = {Qt.Key_BracketRight}
_GS_KEYS_IN_BURST = {Qt.Key_Plus, Qt.Key_Dollar, Qt.Key_Asterisk, Qt.Key_5}
# Window-system times are 32-bit milliseconds on X11: a jump back this far is a wrap or a new source.
_CLOCK_JUMP_MS = 60_000


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


def takes_text(widget: QWidget | None) -> bool:
    """True when `widget` is a field a person types text into (where held keys would be missed)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QKeySequenceEdit)


class _KeyClock:
    """Map the window system's key times onto our clock, to know 'now' in key time when a timer fires.

    The lag between a key's own time and the moment Python sees it is never negative; the smallest lag
    seen is the best estimate of the offset between the clocks. Erring towards a larger lag only makes
    the filter wait a little longer before it decides a burst has ended; never shorter."""

    def __init__(self, now_ms: Callable[[], float]):
        self.now_ms = now_ms
        self._offset: float | None = None
        self._last: float | None = None

    def key_time(self, event: QKeyEvent) -> float:
        now = self.now_ms()
        stamp = float(event.timestamp())
        if stamp <= 0:  # a synthetic event (tests, replays): only our own clock knows when it came
            stamp = now if self._offset is None else now - self._offset
        if self._last is not None and stamp < self._last - _CLOCK_JUMP_MS:
            self._offset = None  # the window system's clock wrapped or restarted
        lag = now - stamp
        self._offset = lag if self._offset is None else min(self._offset, lag)
        self._last = stamp
        return stamp

    def now(self) -> float:
        now = self.now_ms()
        return now if self._offset is None else now - self._offset


class WedgeFilter(QObject):
    """Install on the QApplication; emits `scanned(scan)` for every scanner burst.

    A handler that decides a burst was typing after all calls `give_back()` while the signal is being
    delivered: the burst's keys, terminator included, then reach the widget they were typed in."""

    scanned = Signal(object)  # app.scanning.wedge.Scan

    def __init__(self, settings: ScannerSettings, parent=None, now_ms: Callable[[], float] = _monotonic_ms):
        super().__init__(parent)
        self.classifier = WedgeClassifier(settings)
        self.clock = _KeyClock(now_ms)
        self.enabled = True
        self.last_scan_in_text_field = False
        self._held: list[tuple[QWidget | None, int, Qt.KeyboardModifier, str]] = []
        self._scan_keys: list[tuple[QWidget | None, int, Qt.KeyboardModifier, str]] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    @property
    def now_ms(self) -> Callable[[], float]:
        return self.clock.now_ms

    @now_ms.setter
    def now_ms(self, clock: Callable[[], float]) -> None:
        self.clock = _KeyClock(clock)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if self._replaying or not self.enabled:
            return False
        kind = event.type()
        if kind == QEvent.ShortcutOverride:
            if self._is_group_separator(event):
                event.accept()  # a GS inside a scan: the key press comes to us, no shortcut fires
                return True
            # A shortcut (Alt+2, Ctrl+S) is matched before its key press arrives: give held keys back first,
            # so typed text lands in the field it was typed in before the shortcut moves focus.
            if self._held and self._interrupts(event):
                self._apply(self.classifier.flush(), None)
            return False
        if kind != QEvent.KeyPress:
            return False
        focus = QApplication.focusWidget()
        if not isinstance(obj, QWidget) or not (obj is focus or (focus is None and obj.isWindow())):
            return False  # the same key propagating to a parent, or a window-level copy
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        gs = self._is_group_separator(event)
        if not gs and self._interrupts(event):
            self._apply(self.classifier.flush(), None)
            return False
        char = GS if gs else _TERMINATOR_KEYS.get(key) or event.text()
        actions = self.classifier.key(char, self.clock.key_time(event), patient=not takes_text(obj))
        current = (obj, key, event.modifiers(), event.text())
        return self._apply(actions, current)

    def _is_group_separator(self, event) -> bool:
        """True for the keys a scanner sends for GS (see _GS_KEYS); Ctrl+] alone, the others only in a burst."""
        if event.text() == GS:
            return True
        modifiers = event.modifiers()
        if not modifiers & Qt.ControlModifier or modifiers & (Qt.AltModifier | Qt.MetaModifier):
            return False
        return event.key() in _GS_KEYS or (self.classifier.holding and event.key() in _GS_KEYS_IN_BURST)

    @staticmethod
    def _interrupts(event) -> bool:
        """A shortcut or a key that types nothing (arrows, Escape, Backspace): never part of a scan."""
        if event.key() in _MODIFIER_KEYS:
            return False
        if event.modifiers() & _SHORTCUT_MODIFIERS:
            return True
        char = _TERMINATOR_KEYS.get(event.key()) or event.text()
        return len(char) != 1 or (not char.isprintable() and char not in "\r\t\n")

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
                if action.current and current is not None:
                    pending.append(current)
                    swallow = True
                self._replay(pending)
            elif isinstance(action, Scan):
                keys = list(self._held)
                self._held.clear()
                if action.terminator is not None and current is not None:
                    keys.append(current)
                swallow = swallow or action.terminator is not None
                self._emit(action, keys)
            elif isinstance(action, Absorb):
                swallow = True
            elif isinstance(action, Pass):
                swallow = False
        self._schedule()
        return swallow

    def _emit(self, scan: Scan, keys) -> None:
        widget = keys[0][0] if keys else None
        self.last_scan_in_text_field = takes_text(widget)
        log.debug("scan of %d chars in %.0f ms (largest gap %.0f ms, terminator %r, incomplete %s)",
                  len(scan.text), scan.duration_ms, scan.max_gap_ms, scan.terminator, scan.incomplete)
        self._scan_keys = keys
        try:
            self.scanned.emit(scan)
        finally:
            self._scan_keys = []

    def give_back(self, with_terminator: bool = True) -> None:
        """Replay the burst being delivered as typing, to the widget it was typed in (from a scanned handler)."""
        keys = self._scan_keys
        if not with_terminator and keys and keys[-1][1] in _TERMINATOR_KEYS:
            keys = keys[:-1]
        self._scan_keys = []
        self._replay(keys)

    def _replay(self, keys) -> None:
        self._replaying = True
        try:
            for widget, key, modifiers, text in keys:
                target = widget if widget is not None and widget.isVisible() else QApplication.focusWidget()
                target = target or QApplication.activeWindow()
                if target is None:
                    log.warning("a held key had nowhere to go: no widget has focus")
                    continue
                QApplication.sendEvent(target, QKeyEvent(QEvent.KeyPress, key, modifiers, text))
                QApplication.sendEvent(target, QKeyEvent(QEvent.KeyRelease, key, modifiers, text))
        finally:
            self._replaying = False

    def type_into_focus(self, text: str) -> None:
        """Give text to the focused widget as typed keys (control characters left out)."""
        self._replay([(None, Qt.Key_unknown, Qt.NoModifier, char) for char in text if char.isprintable()])

    def stop(self) -> None:
        """The window closes: keys still held belong to it and are dropped; none may reach another window later."""
        self.enabled = False
        self._timer.stop()
        self._held.clear()

    def _schedule(self) -> None:
        deadline = self.classifier.deadline
        if deadline is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, int(deadline - self.clock.now())))

    def _on_timeout(self) -> None:
        # Keys may be waiting in the queue while Python was busy: let them arrive before deciding that the
        # burst went quiet (their own times tell whether it did).
        QApplication.processEvents()
        if self._timer.isActive():
            return  # a key that just arrived rescheduled the decision
        self._apply(self.classifier.tick(self.clock.now()), None)
