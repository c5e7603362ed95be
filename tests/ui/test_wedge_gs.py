"""A pack's GS1 code through the wedge filter: the GS between fields arrives as scanners really send it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.scanning.gs1 import parse_gs1
from app.settings import ScannerSettings
from app.ui.wedge_filter import WedgeFilter

from .keys import send_key

PACK = "]d2010200000280003317270331" "10X123\x1d21SN0001"


def _gs_event(kind, how: str, stamp: float) -> QKeyEvent:
    """The GS key as a scanner types it: Ctrl+] with text GS (US), Ctrl++ (German), Ctrl+$ (French), bare GS."""
    key, text, modifiers = {
        "ctrl-bracket": (Qt.Key_BracketRight, "\x1d", Qt.ControlModifier),
        "ctrl-bracket-no-text": (Qt.Key_BracketRight, "", Qt.ControlModifier),
        "ctrl-plus": (Qt.Key_Plus, "", Qt.ControlModifier),
        "ctrl-dollar": (Qt.Key_Dollar, "", Qt.ControlModifier),
        "bare": (Qt.Key_unknown, "\x1d", Qt.NoModifier),
    }[how]
    event = QKeyEvent(kind, key, modifiers, text)
    event.setTimestamp(int(stamp))
    return event


def type_scan(widget, text: str, how: str, start: float = 10_000.0) -> None:
    t = start
    for char in text:
        if char == "\x1d":
            target = QApplication.focusWidget() or widget
            override = _gs_event(QEvent.ShortcutOverride, how, t)
            QApplication.sendEvent(target, override)
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(target, _gs_event(kind, how, t))
        else:
            send_key(widget, char, t)
        t += 3


@pytest.fixture
def field(qtbot):
    wedge = WedgeFilter(ScannerSettings(), now_ms=lambda: 10_000.0)
    QApplication.instance().installEventFilter(wedge)
    widget = QWidget()
    layout = QVBoxLayout(widget)
    line = QLineEdit()
    layout.addWidget(line)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    scans = []
    wedge.scanned.connect(scans.append)
    yield line, scans
    QApplication.instance().removeEventFilter(wedge)


@pytest.mark.parametrize("how", ["ctrl-bracket", "ctrl-bracket-no-text", "ctrl-plus", "ctrl-dollar", "bare"])
def test_a_pack_burst_with_gs_arrives_whole(qtbot, field, how):
    line, scans = field
    type_scan(line, PACK + "\r", how)
    qtbot.waitUntil(lambda: len(scans) == 1)
    assert scans[0].text == PACK and scans[0].terminator == "\r" and not scans[0].incomplete
    assert line.text() == ""  # nothing of the pack lands in the focused field
    result = parse_gs1(scans[0].text)
    assert result.ok and result.pack.lot == "X123" and result.pack.serial == "SN0001"


def test_ctrl_plus_outside_a_burst_is_still_a_shortcut_key(qtbot, field):
    line, scans = field
    line.setText("abc")
    event = _gs_event(QEvent.KeyPress, "ctrl-plus", 20_000)
    QApplication.sendEvent(line, event)
    assert scans == [] and line.text() == "abc"
