"""Wedge bursts through the real window: never a wrong child, never a silent loss, typists keep their text.

Keys carry window-system time stamps and reach Python in one clump, as on a busy laptop."""

from __future__ import annotations

import random
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.demo import demo_lot_list
from app.services.lots import replace_lot_list
from app.services.overview import session_overview
from app.services.scans import Outcome
from app.services.sessions import create_session
from app.ui.main_window import MANUAL_PADDED, SCAN_BEHIND_DIALOG, SCAN_INCOMPLETE
from app.ui.session_setup_dialog import SessionSetupDialog
from tests.conftest import TODAY, make_setup

from .keys import send_key, timed, type_timed


@pytest.fixture
def window(make_window):
    left = QApplication.activeModalWidget()
    assert left is None, (type(left), left.windowTitle(), left.parent())
    window = make_window()
    services = window.context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    window.set_session(create_session(services, make_setup()))
    return window


def now_ms() -> float:
    return time.monotonic() * 1000


def registered(window) -> set[str]:
    return {child.bsn for child in session_overview(window.context.services, window.session_id).children}


def focus(qtbot, widget) -> None:
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


@pytest.mark.parametrize("where", ["table", "search"])
@pytest.mark.parametrize("stall", [40, 150, 700])
def test_a_stall_before_the_last_digit_registers_the_card_not_another_child(qtbot, window, where, stall):
    focus(qtbot, window.view.table if where == "table" else window.view.search)
    type_timed(window.view.table, timed("366258515\r", start=now_ms(), gaps=[3] * 7 + [stall, 3]))
    assert registered(window) == {"366258515"}  # never 036625851
    assert window.sounds.played == [Outcome.NEW] and window.view.search.text() == ""


@pytest.mark.parametrize("seed", range(3))
def test_jittered_scans_into_the_table_all_register(qtbot, window, seed):
    focus(qtbot, window.view.table)
    rng, start = random.Random(seed), now_ms()
    cards = ["366258515", "999900183", "123456782", "999901473"]
    for card in cards:
        keys = timed(card + "\r", start=start, gaps=[rng.uniform(0, 50) for _ in card])
        type_timed(window.view.table, keys)
        start = keys[-1][1] + 200
    assert registered(window) == set(cards)
    assert window.sounds.played == [Outcome.NEW] * 4


def test_eight_scanned_digits_are_refused_aloud(qtbot, window):
    focus(qtbot, window.view.table)
    type_timed(window.view.table, timed("36625851\r", start=now_ms()))
    assert registered(window) == set()
    assert window.sounds.played == [Outcome.INVALID]
    assert "8 cijfers" in window.banner.next_step.text()


def test_a_scan_whose_terminator_never_comes_is_refused_aloud(qtbot, window):
    window.context.settings.scanner.terminator_wait_ms = 200  # a saved setting reaches the open window
    focus(qtbot, window.view.table)
    type_timed(window.view.table, timed("366258515", start=now_ms()))
    qtbot.waitUntil(lambda: window.sounds.played == [Outcome.INVALID], timeout=3000)
    assert registered(window) == set()
    assert window.banner.next_step.text() == SCAN_INCOMPLETE


def test_digits_and_return_on_the_table_are_a_scan_attempt_never_dropped(qtbot, window):
    focus(qtbot, window.view.table)
    type_timed(window.view.table, [("1", 0), ("2", 0)])  # synthetic times: slow, as a person types
    send_key(window.view.table, "\r", 0)
    assert window.sounds.played == [Outcome.INVALID] and registered(window) == set()


def test_without_terminator_set_up_a_quiet_scanner_registers(qtbot, window):
    window.context.settings.scanner.terminator = "geen"
    focus(qtbot, window.view.table)
    type_timed(window.view.table, timed("999900183", start=now_ms()))
    qtbot.waitUntil(lambda: registered(window) == {"999900183"}, timeout=3000)


@pytest.fixture
def setup_dialog(qtbot, window):
    dialog = SessionSetupDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.setWindowModality(Qt.ApplicationModal)  # as exec() shows it
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    return dialog


@pytest.mark.parametrize("per_key", [20, 40, 60])
def test_fast_typing_in_a_dialog_field_keeps_its_text_and_the_tab(qtbot, window, setup_dialog, per_key):
    field = setup_dialog.org_id
    field.clear()
    focus(qtbot, field)
    type_timed(field, timed("12345678\t", start=now_ms(), per_key=per_key))
    qtbot.waitUntil(lambda: not window.wedge.classifier.holding, timeout=3000)
    assert field.text() == "12345678" and not field.hasFocus()
    assert window.prompts.errors == [] and window.sounds.played == []


@pytest.mark.parametrize("per_key", [20, 60])
def test_a_path_typed_fast_then_alt_2_stays_in_its_field(qtbot, window, setup_dialog, per_key):
    field, second = setup_dialog.expected_file, setup_dialog.rows[1].vaccine
    before = second.currentIndex()
    focus(qtbot, field)
    path = "/home/anna/verwacht 2026.csv"
    type_timed(field, timed(path, start=now_ms(), per_key=per_key))
    qtbot.keyClick(field, Qt.Key_2, Qt.AltModifier)
    qtbot.waitUntil(second.hasFocus)
    qtbot.waitUntil(lambda: not window.wedge.classifier.holding, timeout=3000)
    assert field.text() == path and second.currentIndex() == before
    assert window.prompts.errors == []


def test_a_card_scanned_behind_a_dialog_is_refused_aloud(qtbot, window, setup_dialog):
    focus(qtbot, setup_dialog.org_name)
    type_timed(setup_dialog.org_name, timed("366258515\r", start=now_ms()))
    assert window.prompts.errors == [SCAN_BEHIND_DIALOG] and window.sounds.played == [Outcome.INVALID]
    assert registered(window) == set()


@pytest.mark.parametrize("answer", [False, True])
def test_eight_digits_typed_by_hand_show_the_padded_bsn_before_they_count(qtbot, window, prompts, answer):
    prompts.script("confirm", answer)
    window.view.manual.setText("12345672")
    window.view.manual.returnPressed.emit()
    assert prompts.asked == [("confirm", MANUAL_PADDED.format(typed="12345672", bsn="0123.45.672"))]
    assert registered(window) == ({"012345672"} if answer else set())
    assert window.view.manual.text() == ("" if answer else "12345672")


def test_the_scanner_test_learns_the_terminator_and_the_open_window_uses_it(qtbot, window):
    from app.scanning.wedge import Scan
    from app.ui.scanner_test_dialog import ScannerTestDialog

    dialog = ScannerTestDialog(window.context.settings.scanner, window.wedge, window, window.remember_terminator)
    qtbot.addWidget(dialog)
    dialog.show()
    window.wedge.scanned.emit(Scan("366258515", "\t", 30.0, 3.0))
    assert dialog.learn_button.isEnabled()
    qtbot.mouseClick(dialog.learn_button, Qt.LeftButton)
    assert window.context.settings.scanner.terminator == "tab"
    assert "Afsluiter 'tab'" in dialog.report.toPlainText()
    assert window.wedge.classifier.terminators == frozenset({"\t"})
