"""The application-wide wedge capture: scans go to the handler, typing stays in the field.

Keys carry their window-system time stamps and are delivered in one clump, as Python sees them on a busy
laptop; the filter must judge them by their stamps, not by when it gets to see them."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.settings import ScannerSettings
from app.ui.wedge_filter import WedgeFilter

from .keys import send_key, timed, type_timed


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
    settings = ScannerSettings()
    wedge = WedgeFilter(settings, now_ms=clock)
    QApplication.instance().installEventFilter(wedge)
    widget = QWidget()
    layout = QVBoxLayout(widget)
    name, other, button = QLineEdit(), QLineEdit(), QPushButton("Knop")
    for child in (name, other, button):
        layout.addWidget(child)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    scans = []
    wedge.scanned.connect(scans.append)
    yield name, clock, scans, wedge, settings, button
    QApplication.instance().removeEventFilter(wedge)


def texts(scans) -> list[tuple[str, str | None, bool]]:
    return [(scan.text, scan.terminator, scan.incomplete) for scan in scans]


def test_scan_while_name_field_has_focus_goes_to_the_handler(qtbot, form):
    name, clock, scans, *_ = form
    clock.step = 3  # 3 ms per key, as a scanner
    name.setText("Sanne")
    qtbot.keyClicks(name, "123456782")
    qtbot.keyClick(name, Qt.Key_Return)
    assert texts(scans) == [("123456782", "\r", False)]
    assert name.text() == "Sanne"


@pytest.mark.parametrize("stall", [40, 80, 300, 900])
def test_a_stall_before_the_last_digit_gives_the_whole_scan(qtbot, form, stall):
    name, clock, scans, wedge, *_ = form
    type_timed(name, timed("366258515\r", gaps=[3] * 7 + [stall, 3]))
    assert texts(scans) == [("366258515", "\r", False)]
    assert name.text() == "" and not wedge.classifier.holding


def test_a_stall_before_the_last_digit_seen_late_by_a_busy_python(qtbot, form):
    name, clock, scans, wedge, *_ = form
    keys = timed("366258515\r", gaps=[3] * 7 + [60, 3])
    type_timed(name, keys[:8])
    clock.t += 400  # Python was busy for 400 ms; the timer fires before the last keys are seen
    qtbot.waitUntil(lambda: not wedge._timer.isActive() or wedge.classifier.deadline > clock.t, timeout=2000)
    type_timed(name, keys[8:])
    assert texts(scans) == [("366258515", "\r", False)]
    assert name.text() == ""


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("focus", ["field", "button"])
def test_jittered_gaps_give_every_scan_whole(qtbot, form, seed, focus):
    name, clock, scans, wedge, _, button = form
    target = name if focus == "field" else button
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    rng = random.Random(seed)
    cards = ["999900183", "366258515", "123456782"]
    start = 10_000.0
    for card in cards:
        keys = timed(card + "\r", start=start, gaps=[rng.uniform(0, 50) for _ in card])
        type_timed(target, keys)
        start = keys[-1][1] + 300
    assert texts(scans) == [(card, "\r", False) for card in cards]
    assert name.text() == ""


def test_scanner_without_terminator_is_recognised_after_silence(qtbot, form):
    name, clock, scans, wedge, settings, _ = form
    settings.terminator = "geen"
    clock.step = 3
    qtbot.keyClicks(name, "999900183")
    clock.step = 0
    clock.t += 500  # the scanner went quiet; the filter's timer settles it
    qtbot.waitUntil(lambda: texts(scans) == [("999900183", None, False)], timeout=2000)
    assert name.text() == ""


def test_a_burst_whose_terminator_never_comes_is_reported_incomplete_not_registered(qtbot, form):
    name, clock, scans, wedge, settings, _ = form
    type_timed(name, timed("36625851"))
    clock.t += settings.terminator_wait_ms + 100
    qtbot.waitUntil(lambda: bool(scans), timeout=3000)
    assert texts(scans) == [("36625851", None, True)]


def test_person_typing_is_never_taken_for_a_scanner(qtbot, form):
    name, clock, scans, wedge, *_ = form
    clock.step = 150  # a person: 150 ms between keys
    qtbot.keyClicks(name, "Jansen 123456782")
    qtbot.waitUntil(lambda: not wedge.classifier.holding)
    assert scans == []
    assert name.text() == "Jansen 123456782"


@pytest.mark.parametrize("per_key", [20, 40, 60])
def test_fast_typing_then_tab_keeps_the_text_and_moves_on(qtbot, form, per_key):
    name, clock, scans, wedge, settings, _ = form
    settings.terminator = "enter"  # learned in the scanner test: a Tab is typing
    type_timed(name, timed("Jansen-de Vries\t", per_key=per_key))
    qtbot.waitUntil(lambda: not wedge.classifier.holding, timeout=3000)
    assert scans == []
    assert name.text() == "Jansen-de Vries" and not name.hasFocus()


@pytest.mark.parametrize("per_key", [20, 60])
def test_fast_typing_then_a_shortcut_keeps_the_text_in_its_field(qtbot, form, per_key):
    name, clock, scans, wedge, *_ = form
    type_timed(name, timed("/home/anna/lijst 12345678.csv", per_key=per_key))
    qtbot.keyClick(name, Qt.Key_A, Qt.ControlModifier)  # the shortcut arrives while keys are held
    assert name.text() == "/home/anna/lijst 12345678.csv" and name.selectedText() == name.text()
    assert scans == [] and not wedge.classifier.holding


def test_a_held_key_goes_back_to_its_own_field_after_focus_moved(qtbot, form):
    name, clock, scans, wedge, *_ = form
    other = name.parentWidget().findChildren(QLineEdit)[1]
    send_key(name, "a", 10_000)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    clock.t += 500
    qtbot.waitUntil(lambda: not wedge.classifier.holding, timeout=2000)
    assert (name.text(), other.text(), scans) == ("a", "", [])


def test_short_fast_burst_is_replayed_as_typing(qtbot, form):
    name, clock, scans, wedge, *_ = form
    clock.step = 3
    qtbot.keyClicks(name, "abc")
    clock.t += 500
    qtbot.waitUntil(lambda: name.text() == "abc", timeout=2000)
    assert scans == []


def test_shortcuts_pass_through(qtbot, form):
    name, clock, scans, *_ = form
    clock.step = 150
    name.setText("abc")
    qtbot.keyClick(name, Qt.Key_A, Qt.ControlModifier)
    assert name.selectedText() == "abc" and scans == []


def test_keys_held_when_the_window_closes_never_reach_another_window_later(qtbot, form):
    name, clock, scans, wedge, _settings, _button = form
    type_timed(name, timed("1234"))  # held: the start of a scan, or typing
    assert wedge.classifier.holding and wedge._timer.isActive()
    name.window().hide()  # the window closes
    wedge.stop()
    assert not wedge._timer.isActive()  # no decision left that would replay "1234" into whatever has focus next
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    clock.t += 10_000  # long past any decision: a timer that had fired now would replay "1234" into `other`
    wedge._on_timeout()
    assert other.text() == "" and scans == []
