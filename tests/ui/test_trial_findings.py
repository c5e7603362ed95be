"""Findings of the user trial: status query saving and scans, camera setting, scanner test, status bar, mnemonics."""

from __future__ import annotations

import socket
import stat

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMenu

from app.domain.bsn import format_bsn
from app.reports.files import TEMP_PREFIX
from app.services.demo import demo_lot_list, seed_demo
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.ui.mnemonics import mnemonic, shown_mnemonics
from app.ui.report_actions import add_report_menu
from app.ui.scanner_test_dialog import ScannerTestDialog
from app.ui.session_setup_dialog import SessionSetupDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.status_query_dialog import StatusQueryDialog
from tests.conftest import TODAY, make_setup
from tests.scanning.images import card_frame, empty_frame, write_video
from tests.store_access import connect


class Clock:
    """Milliseconds that advance by `step` on every reading: a slow or fast scanner without waiting."""

    def __init__(self, step: float):
        self.t, self.step = 1000.0, step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/praeventis"


def test_enter_from_a_slow_scanner_keeps_the_scanner_test_open(qtbot, make_window):
    window = make_window()
    window.wedge.now_ms = Clock(150)  # ~150 ms per key: too slow to count as a scan, arrives as typing
    dialog = ScannerTestDialog(window.context.settings.scanner, window.wedge, window)
    qtbot.addWidget(dialog)
    dialog.setWindowModality(Qt.ApplicationModal)  # as exec() shows it
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.typed.setFocus()
    qtbot.waitUntil(dialog.typed.hasFocus)
    qtbot.keyClicks(dialog.typed, "123456782")
    qtbot.keyClick(dialog.typed, Qt.Key_Return)
    qtbot.waitUntil(lambda: not window.wedge.classifier.holding)
    assert dialog.isVisible() and dialog.result() == 0
    assert "trager" in dialog.report.toPlainText() and "123456782" in dialog.report.toPlainText()
    qtbot.keyClick(dialog.report, Qt.Key_Enter)  # Enter elsewhere in the dialog does not close it either
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key_Escape)  # Escape and the button do
    assert not dialog.isVisible()


def test_status_answer_is_saved_privately_and_a_failed_query_leaves_nothing_to_save(qtbot, make_window, gui_context,
                                                                                    start_receiver, tmp_path):
    server = start_receiver()
    gui_context.settings.outbox.url_acceptatie = server.url()
    seed_demo(gui_context.services, 12)
    window = make_window()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    with connect(window.context.db) as conn:
        bsn = conn.execute("select bsn from outbox limit 1").fetchone()[0]
    target = tmp_path / "status.pdf"
    dialog = StatusQueryDialog(window.context, "", window, save_path_fn=lambda: str(target))
    qtbot.addWidget(dialog)
    dialog.take_scan(f"]C0{bsn}\r")  # a card scanned while the dialog is open fills in its BSN
    assert dialog.bsn.text() == format_bsn(bsn)
    dialog.request()
    dialog.take_scan("]C0999900183\r")  # another child's card while the answer is on its way: not taken
    assert dialog.bsn.text() == format_bsn(bsn) and "Wacht op het antwoord" in dialog.result_text.toPlainText()
    qtbot.waitUntil(lambda: dialog.answer is not None, timeout=20000)
    assert dialog.save.isEnabled()
    assert dialog.result_text.toPlainText().startswith(f"BSN {format_bsn(bsn)}")  # the answer names its child
    dialog.save_pdf()
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # as the lists: private, written atomically
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert "Opgeslagen als" in dialog.note.text()

    window.context.settings.outbox.url_acceptatie = closed_url()  # the receiver is gone
    dialog.request()
    qtbot.waitUntil(dialog.ask.isEnabled, timeout=20000)
    assert dialog.answer is None and not dialog.save.isEnabled()  # never the previous child's answer
    assert "Opgeslagen als" not in dialog.note.text()
    assert "Gegeven" not in dialog.result_text.toPlainText()

    dialog.take_scan("12345")
    assert dialog.bsn.text() == format_bsn(bsn) and "niet gebruikt" in dialog.result_text.toPlainText()


def test_camera_setting_changed_in_settings_is_used_without_a_restart(qtbot, make_window, tmp_path):
    window = make_window()
    services = window.context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    window.set_session(create_session(services, make_setup()))
    assert window.camera.source.text() == "0"
    frames = [empty_frame(1)] + [card_frame("123456782", "Code128", seed=i) for i in range(3)] + [empty_frame(2)]
    video = write_video(tmp_path / "kaart.avi", frames, fps=50.0)
    settings = SettingsDialog(window.context, window)
    qtbot.addWidget(settings)
    settings.editors[("scanner", "camera_device")].setText(str(video))
    settings.save()
    assert settings.result() == QDialog.Accepted, settings.message.text()
    with qtbot.waitSignal(window.camera.stopped, timeout=20000):
        window.toggle_camera()  # F8
    assert window.camera.source.text() == str(video) and window.camera.stats.frames == len(frames)
    rows = connect(window.context.db).execute("select bsn from registrations").fetchall()
    assert rows == [("123456782",)]

    typed = tmp_path / "geen-camera.avi"  # a device typed into the panel itself still wins
    window.camera.source.setText(str(typed))
    with qtbot.waitSignal(window.camera.stopped, timeout=10000):
        window.camera.start()
    assert window.camera.source.text() == str(typed) and "bestaat niet" in window.camera.message.text()


def test_a_lot_fetch_that_reaches_the_receiver_marks_online_after_a_failed_send(qtbot, make_window, gui_context,
                                                                                start_receiver):
    gui_context.settings.outbox.url_acceptatie = closed_url()
    seed_demo(gui_context.services, 12)
    window = make_window()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    assert window.status.outbox.text().endswith("· offline")
    gui_context.settings.outbox.url_acceptatie = start_receiver().url()  # the receiver is back
    window.fetch_lots()
    qtbot.waitUntil(lambda: window.status.outbox.text().endswith("· online"), timeout=20000)
    assert "Wachtrij 4" in window.status.outbox.text()  # nothing was sent: only the contact is new


def test_status_bar_fits_next_to_the_signed_in_name_at_1366_pixels(qtbot, make_window, gui_context):
    gui_context.settings.outbox.url_acceptatie = closed_url()
    seed_demo(gui_context.services, 12)  # a lot list, and messages that will be retried: the longest texts
    window = make_window()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    for label in window.status.findChildren(QLabel):  # as the window will: its name through show_user
        if type(label) is QLabel:
            window.status.removeWidget(label)
    window.status.show_user("Aangemeld: Demo Verpleegkundige (fictief) (JGZ-professional, Beheerder)")
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.status.showMessage("Partijlijst opgehaald.")
    labels = (window.status.outbox, window.status.lots, window.status.user)
    qtbot.waitUntil(lambda: all(label.width() > 1 for label in labels))
    assert "opnieuw" in window.status.outbox.text() and "Partijlijst ✔" in window.status.lots.text()
    for label in (window.status.outbox, window.status.lots):
        assert not label.elided, (label.full_text, label.width())  # whole, not "of" or "Partijlijst … 00:2"
    for label in window.status.findChildren(QLabel):
        if label.isVisible():
            shown = getattr(label, "shown_text", label.text())
            assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width(), shown
    window.resize(900, 768)  # too narrow for all: the name ends in '…' and its tooltip has it whole
    qtbot.waitUntil(lambda: window.status.user.elided)
    assert window.status.user.shown_text.endswith("…")
    assert "JGZ-professional, Beheerder" in window.status.user.toolTip()


def test_every_alt_letter_in_the_dialogs_is_used_once(qtbot, gui_context):
    setup = SessionSetupDialog(gui_context)
    qtbot.addWidget(setup)
    setup.show()
    letters = shown_mnemonics(setup)
    assert len(letters) >= 12 and len(letters) == len(set(letters)), sorted(letters)

    settings = SettingsDialog(gui_context)
    qtbot.addWidget(settings)
    settings.show()
    for tab in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(tab)
        letters = shown_mnemonics(settings)
        assert len(letters) >= 8 and len(letters) == len(set(letters)), (tab, sorted(letters))

    menu = QMenu()
    qtbot.addWidget(menu)
    add_report_menu(menu, None, gui_context, lambda: None)
    for entries in [menu.actions()] + [action.menu().actions() for action in menu.actions()]:
        letters = [mnemonic(action.text()) for action in entries]
        assert None not in letters and len(letters) == len(set(letters)), [a.text() for a in entries]


def test_registration_choices_keep_their_height_when_lot_checks_wrap(qtbot, gui_context):
    services = gui_context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    dialog = SessionSetupDialog(gui_context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for index, row in enumerate(dialog.rows):
        row.vaccine.setCurrentIndex(index + 1)
        row.lot.setEditText("ONBEKEND123")  # the longest check: not on the list, choose one or 'overig'
    for button in (dialog.before, dialog.after):
        qtbot.waitUntil(lambda b=button: b.height() >= b.sizeHint().height())
    assert dialog.after.geometry().top() >= dialog.before.geometry().bottom()
