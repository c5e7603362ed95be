"""After an action's dialog the table has the keyboard again, so Down moves to the next child."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QApplication

from tests.ui.test_session_flows import lots, scan_into, select, start_session  # noqa: F401 - fixture


def test_focus_returns_to_the_table_after_taking_a_child_out(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    start_session(qtbot, window)
    scan_into(qtbot, window, window.view.table, "123456782")
    select(window, "123456782")
    window.view.table.clearFocus()  # as when a dialog closed and the window manager gave focus back to nobody
    assert QApplication.focusWidget() is not window.view.table
    prompts.script("removal_reason", "Ziek")
    window.actions.all["remove"].trigger()
    assert QApplication.focusWidget() is window.view.table


def test_manual_entry_keeps_its_focus(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    start_session(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.actions.all["manual_entry"].trigger()
    qtbot.waitUntil(window.view.manual.hasFocus)


def test_two_sessions_a_day_at_one_school_look_different_in_the_chooser(qtbot, make_window, prompts,
                                                                       lots):  # noqa: F811
    window = make_window()
    first = start_session(qtbot, window)
    window.context.services.clock.advance(timedelta(hours=2))
    start_session(qtbot, window, mode_after=True)
    prompts.script("choose", 0)
    window.actions.all["open_session"].trigger()
    labels = prompts.asked[-1][1]
    assert len(labels) == 2 and labels[0] != labels[1]
    assert any("vooraf" in label for label in labels) and any("achteraf" in label for label in labels)
    assert all("MenACWY" in label and "aangemaakt" in label for label in labels)
    assert window.session_id in (first, first + 1)
