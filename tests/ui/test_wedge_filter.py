"""The application-wide wedge capture: scans go to the handler, typing stays in the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.settings import ScannerSettings
from app.ui.wedge_filter import WedgeFilter


class Clock:
    def __init__(self):
        self.t = 1000.0
        self.step = 0.0

    def __call__(self) -> float:
        self.t += self.step
        return self.t


@pytest.fixture
def form(qtbot):
    clock = Clock()
    wedge = WedgeFilter(ScannerSettings(), now_ms=clock)
    QApplication.instance().installEventFilter(wedge)
    widget = QWidget()
    layout = QVBoxLayout(widget)
    name, other = QLineEdit(), QLineEdit()
    layout.addWidget(name)
    layout.addWidget(other)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    scans = []
    wedge.scanned.connect(lambda scan: scans.append(scan.text))
    yield name, clock, scans, wedge
    QApplication.instance().removeEventFilter(wedge)


def test_scan_while_name_field_has_focus_goes_to_the_handler(qtbot, form):
    name, clock, scans, _ = form
    clock.step = 3  # 3 ms per key, as a scanner
    name.setText("Sanne")
    qtbot.keyClicks(name, "123456782")
    qtbot.keyClick(name, Qt.Key_Return)
    assert scans == ["123456782"]
    assert name.text() == "Sanne"


def test_person_typing_is_never_taken_for_a_scanner(qtbot, form):
    name, clock, scans, wedge = form
    clock.step = 150  # a person: 150 ms between keys
    qtbot.keyClicks(name, "Jansen 123456782")
    qtbot.waitUntil(lambda: not wedge.classifier.holding)
    assert scans == []
    assert name.text() == "Jansen 123456782"


def test_scanner_without_terminator_is_recognised_after_silence(qtbot, form):
    name, clock, scans, wedge = form
    clock.step = 3
    qtbot.keyClicks(name, "999900183")
    clock.step = 0
    clock.t += 500  # the scanner went quiet; the filter's timer settles it
    qtbot.waitUntil(lambda: scans == ["999900183"], timeout=2000)
    assert name.text() == ""


def test_short_fast_burst_is_replayed_as_typing(qtbot, form):
    name, clock, scans, wedge = form
    clock.step = 3
    qtbot.keyClicks(name, "abc")
    clock.t += 500
    qtbot.waitUntil(lambda: name.text() == "abc", timeout=2000)
    assert scans == []


def test_shortcuts_pass_through(qtbot, form):
    name, clock, scans, _ = form
    clock.step = 150
    name.setText("abc")
    qtbot.keyClick(name, Qt.Key_A, Qt.ControlModifier)
    assert name.selectedText() == "abc" and scans == []
