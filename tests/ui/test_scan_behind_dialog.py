"""A scan while a dialog is open is neither typed into the dialog nor registered behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from app.services.overview import session_overview
from app.ui.main_window import SCAN_BEHIND_DIALOG
from tests.ui.test_session_flows import lots, scan_into, start_session  # noqa: F401 - fixture


class FieldDialog(QDialog):
    """A modal dialog with one text field, as the app's own dialogs have."""

    def __init__(self, parent):
        super().__init__(parent)
        self.field = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.field)


def show_modal(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)  # closed after the test: a modal dialog left open would take the next test's scans
    dialog.setWindowModality(Qt.ApplicationModal)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_scan_into_an_open_dialog_is_refused_and_not_registered(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    session_id = start_session(qtbot, window)
    dialog = show_modal(qtbot, FieldDialog(window))
    field = dialog.field

    scan_into(qtbot, window, field, "123456782")

    assert field.text() == ""
    assert dialog.isVisible()  # the scanner's Enter did not accept the dialog
    assert prompts.errors == [SCAN_BEHIND_DIALOG]
    assert session_overview(window.context.services, session_id).counters.scanned == 0

    dialog.reject()
    window.activateWindow()
    scan_into(qtbot, window, window.view.table, "123456782")
    assert session_overview(window.context.services, session_id).counters.scanned == 1


def test_fast_typing_that_is_no_card_reaches_the_dialogs_field(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    start_session(qtbot, window)
    dialog = show_modal(qtbot, FieldDialog(window))
    field = dialog.field

    scan_into(qtbot, window, field, "geheim-wachtwoord")  # a password manager types as fast as a scanner

    assert field.text() == "geheim-wachtwoord"
    assert prompts.errors == []


def test_a_scan_on_the_lock_screen_says_the_screen_is_locked(qtbot, tmp_path, monkeypatch, prompts):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.ui.lock_screen import LockDialog
    from app.ui.main_window import SCAN_WHILE_LOCKED, MainWindow
    from app.ui.sounds import SoundPlayer

    context = AppContext.open(tmp_path / "t.sqlite", settings_path=tmp_path / "s.json",
                              passphrase="lange zin als wachtwoord", login="beheerder")
    try:
        window = MainWindow(context, prompts=prompts, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)

        def while_locked():
            lock = QApplication.activeModalWidget()
            if not isinstance(lock, LockDialog):
                QTimer.singleShot(20, while_locked)
                return
            lock.activateWindow()
            scan_into(qtbot, window, lock.secret, "123456782")
            lock.secret.setText("lange zin als wachtwoord")
            lock.try_unlock()

        QTimer.singleShot(0, while_locked)
        window.lock_screen()
        assert prompts.errors == [SCAN_WHILE_LOCKED]
    finally:
        context.close()


def test_a_dialog_that_asks_for_a_child_takes_the_scanned_card(qtbot, make_window, prompts, lots):  # noqa: F811
    class AsksForChild(FieldDialog):
        def __init__(self, parent):
            super().__init__(parent)
            self.taken: list[str] = []

        def take_scan(self, text: str) -> None:
            self.taken.append(text)

    window = make_window()
    session_id = start_session(qtbot, window)
    dialog = show_modal(qtbot, AsksForChild(window))
    scan_into(qtbot, window, dialog.field, "123456782")
    assert [text.strip() for text in dialog.taken] == ["123456782"] and prompts.errors == []
    assert session_overview(window.context.services, session_id).counters.scanned == 0


def test_a_camera_read_behind_an_open_dialog_is_refused_too(qtbot, make_window, prompts, lots):  # noqa: F811
    window = make_window()
    session_id = start_session(qtbot, window)
    show_modal(qtbot, QDialog(window))
    window.camera.detected.emit("123456782")
    assert prompts.errors == [SCAN_BEHIND_DIALOG]
    assert session_overview(window.context.services, session_id).counters.scanned == 0
