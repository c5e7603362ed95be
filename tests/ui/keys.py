"""Key events as the window system delivers them: each with its own time stamp (QKeyEvent.timestamp)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

_SPECIAL = {"\r": (Qt.Key_Return, "\r"), "\t": (Qt.Key_Tab, "\t"), "\n": (Qt.Key_Return, "\n")}


def key_of(char: str) -> tuple[int, str]:
    if char in _SPECIAL:
        return _SPECIAL[char]
    return QKeySequence(char)[0].key(), char


def send_key(widget, char: str, stamp: float) -> None:
    """Deliver one key (press and release) typed at window-system time `stamp` (ms), as Python sees it now."""
    key, text = key_of(char)
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        event = QKeyEvent(kind, key, Qt.NoModifier, text)
        event.setTimestamp(int(stamp))
        QApplication.sendEvent(QApplication.focusWidget() or widget, event)


def type_timed(widget, keys: list[tuple[str, float]]) -> None:
    """Deliver (char, stamp) keys one after another, without waiting: Python sees them in one clump,
    as on a busy laptop, while their time stamps say when they were really typed."""
    for char, stamp in keys:
        send_key(widget, char, stamp)


def timed(text: str, start: float = 10_000.0, gaps=None, per_key: float = 3.0) -> list[tuple[str, float]]:
    """Return (char, stamp) pairs: `gaps[i]` ms before character i+1 (default `per_key` each)."""
    out, t = [], start
    for index, char in enumerate(text):
        if index:
            t += gaps[index - 1] if gaps is not None else per_key
        out.append((char, t))
    return out
