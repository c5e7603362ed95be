"""The open window follows the database: what a command, a sync or another window changes shows by itself."""

from __future__ import annotations

import os
import subprocess
import sys

from app.context import AppContext
from app.domain.clock import FixedClock
from app.services import accord as accord_service
from app.services import users
from app.services.changes import change_marker
from app.services.demo import demo_bsns, seed_demo
from app.services.overview import ChildStatus
from app.services.scans import record_scan
from app.ui.outbox_dialog import OutboxDialog
from app.ui.record_table_model import RECORD_ROLE
from tests.conftest import TODAY
from tests.store_access import connect
from tests.ui.conftest import GUI_LOGIN, GUI_PASSPHRASE


def status_of(window, bsn: str):
    row = window.view.model.row_of_bsn(bsn)
    return None if row is None else window.view.model.child_at(row).status


def second_station(gui_context) -> AppContext:
    """Another window or process on the same database file: its own connections, its own commits."""
    from datetime import datetime

    unlocked = users.login(gui_context.db.path, GUI_LOGIN, GUI_PASSPHRASE)
    return AppContext.open(gui_context.db.path, settings_path=gui_context.settings_path, unlocked=unlocked,
                           clock=FixedClock(datetime.combine(TODAY, datetime.min.time()).replace(hour=10)))


def test_a_scan_made_through_another_connection_shows_in_the_table_and_counters(qtbot, make_window, gui_context):
    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    todo = demo_bsns(9)[8]  # the demo leaves the last third to be scanned
    assert status_of(window, todo) is ChildStatus.TO_DO
    counters_before = window.view.counters.text()
    other = second_station(gui_context)
    try:
        assert record_scan(other.services, session_id, todo).registered
    finally:
        other.close()
    qtbot.waitUntil(lambda: status_of(window, todo) is ChildStatus.SCANNED, timeout=5000)
    assert window.view.counters.text() != counters_before


def test_a_command_in_another_process_shows_in_the_open_window(qtbot, make_window, gui_context, tmp_path):
    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    todo = demo_bsns(9)[7]
    scans = tmp_path / "scanner.txt"
    scans.write_text(f"{todo}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "import-scans", "--db", str(gui_context.db.path),
                           "--session", str(session_id), str(scans)], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"PRIKPOST_USER": GUI_LOGIN, "PRIKPOST_PASSPHRASE": GUI_PASSPHRASE})
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: status_of(window, todo) is ChildStatus.SCANNED, timeout=5000)


def test_the_window_does_not_reload_when_nothing_changed(qtbot, make_window, gui_context):
    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    reloads = []
    window.db_watch.changed.connect(lambda: reloads.append(1))
    window.db_watch.poll()
    window.db_watch.poll()
    assert reloads == []
    other = second_station(gui_context)
    try:
        record_scan(other.services, session_id, demo_bsns(9)[8])
    finally:
        other.close()
    window.db_watch.poll()
    assert reloads == [1] and window.db_watch._seen == change_marker(gui_context.services)


def test_the_open_messages_screen_follows_a_send_elsewhere(qtbot, make_window, gui_context, monkeypatch):
    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    grown = []

    def watch_while_open(dialog):
        before = len(dialog.messages.records)
        other = second_station(gui_context)
        try:  # another station accords one more child: its message appears in the open list
            outcome = record_scan(other.services, session_id, demo_bsns(9)[8])
            accord_service.accord(other.services, session_id, list(outcome.registration_ids))
        finally:
            other.close()
        qtbot.waitUntil(lambda: len(dialog.messages.records) == before + 1, timeout=5000)
        grown.append(len(dialog.messages.records) - before)
        dialog.accept()
        return 0

    monkeypatch.setattr(OutboxDialog, "exec", watch_while_open)
    window.show_messages()
    assert grown == [1]


def test_a_reload_of_the_messages_screen_keeps_the_chosen_messages(qtbot, make_window, gui_context, prompts):
    """The screen reloads by itself when something changes elsewhere: what the user chose stays chosen."""
    session_id = seed_demo(gui_context.services, 12)
    window = make_window()
    window.set_session(session_id)
    dialog = OutboxDialog(window.context, window.session_id, window.sync, prompts, window)
    qtbot.addWidget(dialog)
    table = dialog.message_table
    table.selectRow(1)
    chosen = dialog.messages.records[1].outbox_id
    other = second_station(gui_context)
    try:  # another station accords one more child while the user is choosing
        outcome = record_scan(other.services, session_id, demo_bsns(12)[11])
        accord_service.accord(other.services, session_id, list(outcome.registration_ids))
    finally:
        other.close()
    count = len(dialog.messages.records)
    dialog.refresh()
    assert len(dialog.messages.records) == count + 1
    kept = [index.data(RECORD_ROLE).outbox_id for index in table.selectionModel().selectedRows()]
    assert kept == [chosen]


def test_a_reload_by_itself_leaves_the_keyboard_on_its_row(qtbot, make_window, gui_context):
    from PySide6.QtCore import Qt

    from app.ui.session_table_model import CHILD_ROLE

    session_id = seed_demo(gui_context.services, 30)
    window = make_window()
    window.set_session(session_id)
    table = window.view.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    for _ in range(6):
        qtbot.keyClick(table, Qt.Key_Down)
    on = table.currentIndex().data(CHILD_ROLE).bsn
    other = second_station(gui_context)
    try:
        record_scan(other.services, session_id, demo_bsns(30)[29])
    finally:
        other.close()
    qtbot.waitUntil(lambda: status_of(window, demo_bsns(30)[29]) is ChildStatus.SCANNED, timeout=5000)
    assert table.currentIndex().data(CHILD_ROLE).bsn == on
    row = table.currentIndex().row()
    qtbot.keyClick(table, Qt.Key_Down)
    assert table.currentIndex().row() == row + 1  # the next row, not the first


def test_a_session_removed_elsewhere_is_let_go(qtbot, make_window, gui_context):

    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    with connect(gui_context.db) as conn:  # as a purge by another process would, audited
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("delete from sessions where id = ?", (session_id,))
        conn.execute("insert into audit_log (at, user, action, entity, entity_id) "
                     "values ('2026-11-23 10:00:00', 'ander', 'purge_session', 'session', ?)", (session_id,))
    qtbot.waitUntil(lambda: window.session_id is None, timeout=5000)
    assert window.view.model.rowCount() == 0


def test_the_window_s_own_scan_does_not_reload_the_table_but_another_s_does(qtbot, make_window, gui_context):
    session_id = seed_demo(gui_context.services, 9)
    window = make_window()
    window.set_session(session_id)
    polls, reloads = [], []
    window.db_watch.timer.timeout.connect(lambda: polls.append(1))  # after the watch's own poll
    window.db_watch.changed.connect(lambda: reloads.append(1))
    window.db_watch.timer.setInterval(50)
    own, other_child = demo_bsns(9)[8], demo_bsns(9)[7]

    window.handle_scanned_text(own)
    assert status_of(window, own) is ChildStatus.SCANNED
    qtbot.waitUntil(lambda: len(polls) >= 3, timeout=5000)
    assert reloads == []  # the window's own scan is shown already: no second reload of the whole table

    other = second_station(gui_context)
    try:
        assert record_scan(other.services, session_id, other_child).registered
    finally:
        other.close()
    qtbot.waitUntil(lambda: reloads == [1], timeout=5000)
    assert status_of(window, other_child) is ChildStatus.SCANNED
