"""A day at the table by keyboard alone: tabs, search field, table, sorting, visible focus, no hidden tab stops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from app.services.demo import seed_demo
from app.services.overview import CHILD_SETS
from app.ui.action_helpers import Key, Menu
from app.ui.session_table_model import COLUMNS
from tests.ui.test_session_flows import BSNS, lots, scan_into, start_session  # noqa: F401 - lots is a fixture


def press(qtbot, window, shortcut: str) -> None:
    """Press a shortcut as the user does, on whatever has focus in the active window."""
    combination = QKeySequence(shortcut)[0]
    qtbot.keyClick(QApplication.focusWidget() or window, combination.key(), combination.keyboardModifiers())


@pytest.fixture
def active_window(qtbot, make_window, gui_context):
    seed_demo(gui_context.services, 60)  # more children than fit: the table scrolls
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.table.setFocus()
    qtbot.waitUntil(window.view.table.hasFocus)
    return window


def test_alt_and_a_number_opens_that_filter_tab(qtbot, active_window):
    tabs = active_window.view.tabs
    shortcuts = [action.shortcut().toString() for action in active_window.view_keys.tabs]
    assert shortcuts[:3] == ["Alt+1", "Alt+2", "Alt+3"] and len(CHILD_SETS) <= 10 and "Alt+0" in shortcuts[9:]
    for index in reversed(range(len(CHILD_SETS))):
        press(qtbot, active_window, shortcuts[index])
        assert tabs.currentIndex() == index


def test_shortcuts_reach_the_search_field_and_the_table(qtbot, active_window):
    view = active_window.view
    assert "Naar dit veld: Ctrl+Shift+F; naar de lijst: Ctrl+Shift+T; tabbladen: Alt+1, Alt+2" in view.search.toolTip()
    press(qtbot, active_window, "Ctrl+Shift+F")
    assert view.search.hasFocus()
    press(qtbot, active_window, "Ctrl+Shift+T")
    assert view.table.hasFocus()
    beeld = [a.text() for a in active_window.menuBar().actions() if a.text() == Menu.BEELD.value]
    assert beeld, "the Beeld menu states the keys"


def test_sorting_by_keyboard_turns_round_and_keeps_the_focused_row_in_view(qtbot, active_window):
    table = active_window.view.table
    header = table.horizontalHeader()
    table.setCurrentIndex(table.model().index(2, 0))
    press(qtbot, active_window, "Ctrl+2")  # by birth date, then by name again
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (1, Qt.AscendingOrder)
    table.setCurrentIndex(table.model().index(2, 0))
    press(qtbot, active_window, "Ctrl+1")
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.AscendingOrder)
    press(qtbot, active_window, "Ctrl+1")  # again: the other way round
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.DescendingOrder)
    assert "aflopend" in active_window.status.currentMessage()
    # The child that had focus moved to the far end of the list: it is scrolled into view.
    assert table.currentIndex().row() > table.viewport().height() // table.rowHeight(0)
    assert table.viewport().rect().contains(table.visualRect(table.currentIndex()))
    bsn = COLUMNS.index("BSN")
    press(qtbot, active_window, f"Ctrl+{bsn + 1}")
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (bsn, Qt.AscendingOrder)
    bsns = [table.model().index(row, bsn).data() for row in range(table.model().rowCount())]
    assert bsns == sorted(bsns)


def test_tab_never_stops_on_something_invisible(qtbot, active_window):
    start = active_window.view.table
    seen = []
    for _step in range(40):
        press(qtbot, active_window, "Tab")
        focus = QApplication.focusWidget()
        assert focus is not None and focus.isVisible(), f"invisible tab stop {focus!r} after {seen}"
        assert focus.window() is active_window
        seen.append(type(focus).__name__)
        if focus is start:
            break
    assert focus is start, f"Tab did not come back to the table: {seen}"
    assert "QLineEdit" in seen  # the search and manual entry fields are reached


def test_ctrl_w_with_children_not_accorded_asks_first_naming_how_many(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    sid = start_session(qtbot, window)
    scan_into(qtbot, window, window.view.search, BSNS[0])
    scan_into(qtbot, window, window.view.search, BSNS[1])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    prompts.script("confirm", False)
    press(qtbot, window, "Ctrl+W")
    assert "2 kinderen van deze sessie zijn gescand" in prompts.asked[-1][1]
    assert "Toch de sessie sluiten?" in prompts.asked[-1][1]
    assert window.session_id == sid  # not closed
    prompts.script("confirm", True)
    window.actions.all[Key.CLOSE_SESSION].trigger()
    assert window.session_id is None


def test_ctrl_p_prints_the_list_of_vaccinated_children(qtbot, make_window, monkeypatch):
    from app.reports.model import ReportKind

    printed = []
    monkeypatch.setattr("app.ui.report_actions.print_report", lambda *args: printed.append(args[3]))
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, window, "Ctrl+P")
    assert printed == [ReportKind.VACCINATED]


@pytest.mark.parametrize("typed", ["", "Ziek"])
def test_enter_in_the_not_vaccinated_dialog_takes_the_reason_shown(qtbot, typed):
    from app.ui.dialogs import RemovalDialog, VaccineOption

    dialog = RemovalDialog(["Daan Jansen"], None, [VaccineOption("28", "MenACWY"), VaccineOption("02", "DTP")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isActiveWindow())
    if typed:
        dialog.reason.lineEdit().selectAll()
        qtbot.keyClicks(QApplication.focusWidget(), typed)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert dialog.choice().reason == (typed or "Afwezig")
    assert dialog.reason.count() == 5  # a typed reason is not added to the choices


def test_alt_letter_then_enter_at_once_registers_the_choice_just_made(qtbot):
    """A fast nurse: Alt+D (untick DTP), Alt+A (declined) and Enter within Qt's 100 ms click animation."""
    from app.domain.registration import ObjectionReason
    from app.ui.dialogs import ObjectionDialog, VaccineOption

    dialog = ObjectionDialog(["Noah Bos"], None, [VaccineOption("28", "MenACWY"), VaccineOption("02", "DTP")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isActiveWindow())
    (_menacwy, dtp) = (box for _code, box in dialog.vaccines.boxes)
    dtp_key = dtp.text()[dtp.text().index("&") + 1]
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        for key in (dtp_key, "A"):
            qtbot.keyClick(QApplication.focusWidget(), getattr(Qt, f"Key_{key.upper()}"), Qt.AltModifier)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert dialog.choice().reason is ObjectionReason.DECLINED and dialog.choice().vaccine_codes == ("28",)
