"""Feedback you cannot miss (issue 13.8): the window fits the work area, notices are never cut off unread,
saves and sends end with a visible result, and the failure list's reason and the table stay in view."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect

from app.outbox.receiver.faults import Faults
from app.services.demo import seed_demo
from app.ui.action_helpers import Key
from app.ui.notices import RecentNoticesDialog
from app.ui.outbox_dialog import OutboxDialog
from app.ui.window_fit import fit_to_work_area
from tests.store_access import connect

LONG = ("Verzonden 3, geweigerd 1: de ontvanger kent het BSN van één kind niet; controleer het nummer in het "
        "dossier en verstuur het bericht opnieuw via Verzenden › Berichten en uitvallijst (F9), daarna Nu verzenden.")


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_the_first_window_lies_inside_the_work_area_frame_and_status_bar_included(qtbot, make_window):
    window = make_window(size=None)  # no remembered geometry: a first start
    area = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()), timeout=5000)
    assert window.frameGeometry().height() > window.geometry().height()  # the frame was counted
    assert area.contains(global_rect(window.statusBar())) and window.statusBar().isVisible()


def test_a_window_larger_than_the_work_area_or_off_it_is_brought_back(qtbot, make_window):
    window = make_window()
    area = window.screen().availableGeometry()
    window.resize(area.width() + 400, area.height() + 300)
    window.move(area.x() - 80, area.y() + 200)
    qtbot.waitUntil(lambda: window.width() > area.width())
    assert fit_to_work_area(window)
    qtbot.waitUntil(lambda: area.contains(window.frameGeometry()))
    assert not fit_to_work_area(window)  # fitted once, it stays


def test_a_long_notice_is_never_cut_unread(qtbot, make_window):
    window = make_window()
    window.resize(1366, 700)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.status.showMessage(LONG, 20000)
    notice = window.status.notice
    qtbot.waitUntil(lambda: notice.width() > 1)
    assert notice.elided and notice.shown_text.endswith("…")  # says it goes on, not a silent cut
    assert LONG in notice.toolTip() and window.status.currentMessage() == LONG
    window.status.showMessage("Partijlijst opgehaald.", 10000)
    dialog = RecentNoticesDialog(window.status, window)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert text.index("Partijlijst opgehaald.") < text.index(LONG)  # newest first, each whole
    assert window.view_keys.all[Key.RECENT_NOTICES].text() == "Recente &meldingen…"


def test_saving_a_list_from_the_menu_says_where_it_is(qtbot, make_window, gui_context, tmp_path, monkeypatch):
    seed_demo(gui_context.services, 12)
    window = make_window()
    target = tmp_path / "gevaccineerd.pdf"
    monkeypatch.setattr("app.ui.report_actions.ask_save_file", lambda *args: str(target))
    window.report_actions["vaccinated:pdf"].trigger()
    qtbot.waitUntil(lambda: str(target) in window.status.currentMessage(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF") and "opgeslagen" in window.status.currentMessage()
    assert any(str(target) in notice.text for notice in window.status.recent)


def test_the_session_report_says_where_it_was_saved(qtbot, make_window, gui_context, tmp_path, monkeypatch):
    seed_demo(gui_context.services, 12)
    window = make_window()
    target = tmp_path / "sessierapport.pdf"
    monkeypatch.setattr("app.ui.session_actions.ask_report_path", lambda parent, suggested: str(target))
    window.actions.all["session_report"].trigger()
    qtbot.waitUntil(lambda: window.banner.title.text() == "Sessierapport opgeslagen", timeout=20_000)
    assert str(target) in window.banner.detail.full_text and target.read_bytes().startswith(b"%PDF")


def test_send_now_ends_with_its_result_in_the_banner(qtbot, make_window, gui_context, start_receiver):
    gui_context.settings.outbox.url_acceptatie = start_receiver(Faults()).url()
    seed_demo(gui_context.services, 12)
    window = make_window()
    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as signal:
        window.actions.all["send_now"].trigger()
    assert window.banner.title.text() == "Verzenden klaar" and window.banner.detail.full_text == signal.args[0]
    window.banner.reset()
    assert window.sync.send_scheduled()  # the timer's own runs do not take the banner
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=20_000)
    assert window.banner.title.text() != "Verzenden klaar"


def test_the_failure_lists_reason_is_in_view_at_1366_pixels(qtbot, make_window, gui_context, prompts):
    seed_demo(gui_context.services, 12)
    window = make_window()
    with connect(gui_context.db) as conn:
        conn.execute("update outbox set state = 'needs_action', last_error = ?", (LONG * 2,))
        conn.execute("update children set name = 'Annemarie Wilhelmina Josephina van den Bergh-Oudshoorn'")
    dialog = OutboxDialog(window.context, window.session_id, window.sync, prompts, window)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 40, 600)
    dialog.tabs.setCurrentWidget(dialog.failure_table)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.failure_table
    reason = table.model().columnCount() - 1
    qtbot.waitUntil(lambda: table.viewport().width() > 1000)
    visible = table.viewport().width() - table.columnViewportPosition(reason)
    assert visible >= 300, (visible, [table.columnWidth(c) for c in range(reason + 1)])
    assert table.horizontalScrollBar().maximum() == 0  # all of it on screen, wrapped


def test_the_camera_panel_leaves_the_table_its_room(qtbot, make_window, gui_context):
    seed_demo(gui_context.services, 12)
    window = make_window()
    window.resize(1366, 700)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.camera_dock.show()  # as Extra › Camera shows it, without opening a camera
    qtbot.waitUntil(lambda: window.camera_dock.isVisible() and window.camera_dock.width() > 1)
    table = window.view.table
    qtbot.waitUntil(lambda: table.width() < 1300)
    assert table.width() >= 2 * window.camera_dock.width(), (table.width(), window.camera_dock.width())
    assert table.width() >= 900
