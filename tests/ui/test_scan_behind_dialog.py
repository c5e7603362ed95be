"""A scan while a dialog is open is neither typed into the dialog nor registered behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from app.services.overview import session_overview
from app.ui.main_window import SCAN_BEHIND_DIALOG
from tests.ui.test_session_flows import lots, scan_into, start_session  # noqa: F401 - fixture


def test_scan_into_an_open_dialog_is_refused_and_not_registered(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    session_id = start_session(qtbot, window)
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.setWindowModality(Qt.ApplicationModal)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()

    scan_into(qtbot, window, field, "123456782")

    assert field.text() == ""
    assert dialog.isVisible()  # the scanner's Enter did not accept the dialog
    assert prompts.errors == [SCAN_BEHIND_DIALOG]
    assert session_overview(window.context.services, session_id).counters.scanned == 0

    dialog.reject()
    window.activateWindow()
    scan_into(qtbot, window, window.view.table, "123456782")
    assert session_overview(window.context.services, session_id).counters.scanned == 1
