"""Sending, the messages screen, the failure list and the status query, against the real stand-in on 127.0.0.1."""

from __future__ import annotations

import socket

from app.domain.bsn import format_bsn
from app.outbox.receiver.faults import Faults
from app.services.demo import seed_demo
from app.ui.outbox_dialog import MESSAGE_COLUMNS, OutboxDialog
from app.ui.status_query_dialog import StatusQueryDialog
from tests.store_access import connect


def outbox_states(window) -> dict[str, int]:
    with connect(window.context.db) as conn:
        return dict(conn.execute("select state, count(*) from outbox group by state").fetchall())


def demo_window(make_window, gui_context, url):
    gui_context.settings.outbox.url_acceptatie = url
    seed_demo(gui_context.services, 12)
    return make_window()


def test_send_now_acknowledges_everything_and_updates_the_status_bar(qtbot, make_window, gui_context, start_receiver):
    server = start_receiver()
    window = demo_window(make_window, gui_context, server.url())
    assert outbox_states(window) == {"pending": 4}
    with qtbot.waitSignal(window.sync.finished, timeout=20000) as signal:
        window.actions.all["send_now"].trigger()
    assert signal.args[1] is True
    assert outbox_states(window) == {"acknowledged": 4}
    assert "Verzonden 4" in window.status.outbox.text() and "online" in window.status.outbox.text()
    assert "✉ verzonden" in [window.view.model.data(window.view.model.index(r, 4))
                            for r in range(window.view.model.rowCount())]


def test_refused_child_shows_receivers_text_and_is_resent_after_fix(qtbot, make_window, gui_context, start_receiver,
                                                                    prompts):
    first = start_receiver()
    window = demo_window(make_window, gui_context, first.url())
    with connect(window.context.db) as conn:
        refused = conn.execute("select bsn from outbox order by id limit 1").fetchone()[0]
    rejecting = start_receiver(Faults(reject_bsns={refused}))
    window.context.settings.outbox.url_acceptatie = rejecting.url()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    assert outbox_states(window) == {"acknowledged": 3, "needs_action": 1}
    dialog = OutboxDialog(window.context, window.session_id, window.sync, prompts, window)
    qtbot.addWidget(dialog)
    failures = dialog.failures.records
    assert [f.bsn for f in failures] == [refused]
    needing = [m for m in dialog.messages.records if m.state == "needs_action"]
    assert needing and needing[0].last_answer  # the receiver's exact words are shown
    row = dialog.messages.records.index(needing[0])
    dialog.message_table.selectRow(row)
    dialog.resend_selected()
    assert "opnieuw klaargezet" in dialog.note.text()
    window.context.settings.outbox.url_acceptatie = first.url()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        dialog.send_now()
    assert outbox_states(window) == {"acknowledged": 4}
    assert dialog.failures.records == []


def test_status_query_shows_answer_and_saves_it_unchanged_as_pdf(qtbot, make_window, gui_context, start_receiver,
                                                                 tmp_path):
    server = start_receiver()
    window = demo_window(make_window, gui_context, server.url())
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    with connect(window.context.db) as conn:
        bsn = conn.execute("select bsn from outbox limit 1").fetchone()[0]
    target = tmp_path / "status.pdf"
    dialog = StatusQueryDialog(window.context, bsn, window, save_path_fn=lambda: str(target))
    qtbot.addWidget(dialog)
    dialog.request()
    qtbot.waitUntil(lambda: dialog.answer is not None, timeout=20000)
    text = dialog.result_text.toPlainText()
    assert "Gegeven en goedgekeurde vaccinaties" in text and "MenACWY" in text
    dialog.save_pdf()
    assert target.read_bytes().startswith(b"%PDF")


def test_status_query_offline_gives_a_clear_message(qtbot, make_window, gui_context):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    window = demo_window(make_window, gui_context, f"http://127.0.0.1:{closed_port}/praeventis")
    dialog = StatusQueryDialog(window.context, "999990007", window)
    qtbot.addWidget(dialog)
    dialog.request()
    qtbot.waitUntil(lambda: dialog.ask.isEnabled(), timeout=20000)
    assert dialog.answer is None
    assert "Traceback" not in dialog.result_text.toPlainText()
    assert any(word in dialog.result_text.toPlainText().lower() for word in ("verbinding", "offline", "bereik"))


def test_failure_list_resends_and_next_attempt_shows_only_a_scheduled_retry(qtbot, make_window, gui_context,
                                                                          start_receiver, prompts):
    first = start_receiver()
    window = demo_window(make_window, gui_context, first.url())
    with connect(window.context.db) as conn:
        refused, failing = [row[0] for row in conn.execute("select bsn from outbox order by id limit 2")]
    window.context.settings.outbox.url_acceptatie = start_receiver(Faults(reject_bsns={refused})).url()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    # One more message fails on the network: it gets a retry time; waiting and acknowledged ones do not.
    with connect(window.context.db) as conn:
        conn.execute("update outbox set state = 'failed', next_attempt_at = '2026-11-23 09:10:00.000000' "
                     "where bsn = ?", (failing,))
        conn.execute("update outbox set state = 'pending' where bsn not in (?, ?) and id = "
                     "(select max(id) from outbox)", (refused, failing))
    dialog = OutboxDialog(window.context, window.session_id, window.sync, prompts, window)
    qtbot.addWidget(dialog)
    column = [header for header, _getter in MESSAGE_COLUMNS].index("Volgende poging")
    shown = {m.state: dialog.messages.data(dialog.messages.index(row, column))
             for row, m in enumerate(dialog.messages.records)}
    assert shown["failed"] == "23-11-2026 09:10"
    assert shown["pending"] == "" and shown["acknowledged"] == "" and shown["needs_action"] == ""

    dialog.tabs.setCurrentWidget(dialog.failure_table)
    row = [f.bsn for f in dialog.failures.records].index(refused)
    assert dialog.failures.data(dialog.failures.index(row, 2)) == format_bsn(refused)
    dialog.failure_table.selectRow(row)
    dialog.resend_selected()
    assert prompts.errors == []
    assert "1 bericht opnieuw klaargezet" in dialog.note.text()
    with connect(window.context.db) as conn:
        assert conn.execute("select state from outbox where bsn = ?", (refused,)).fetchone() == ("pending",)


def test_send_now_message_survives_the_scheduled_run_and_the_summary_refresh(qtbot, make_window, gui_context,
                                                                             start_receiver):
    window = demo_window(make_window, gui_context, start_receiver().url())
    with qtbot.waitSignal(window.sync.finished, timeout=20000) as signal:
        window.actions.all["send_now"].trigger()
    message = window.status.currentMessage()
    assert message == signal.args[0] and "4 bevestigd" in message
    # What the timers do every minute: a scheduled run (outside the send window at 09:00) and a summary refresh.
    assert window.sync.send_scheduled()
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=20000)
    window._status_timer.timeout.emit()
    assert window.status.currentMessage() == message
    assert window.status.outbox.isVisible() and "Verzonden 4" in window.status.outbox.text()
    assert "Laatst verzonden: 23-11-2026 09:00" in window.status.outbox.toolTip()


def test_fetching_lots_does_not_leave_its_busy_message_behind(qtbot, make_window, gui_context, prompts):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    window = demo_window(make_window, gui_context, f"http://127.0.0.1:{closed_port}/praeventis")
    window.actions.all["fetch_lots"].trigger()
    assert window.status.currentMessage() == "Partijlijst ophalen…"
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=20000)
    assert window.status.currentMessage() == ""
