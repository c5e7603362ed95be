"""The administrator alert (R9) in the status bar, for the beheerder only, until the message is handled."""

from __future__ import annotations

from app.domain.roles import Identity, Role
from app.ui.status_bar import StatusBar
from tests.outbox_sync.conftest import queue_children
from tests.store_access import connect


def _give_up_one(sc, session_id) -> None:
    queue_children(sc, session_id, 1)
    with connect(sc.db) as conn:  # as the retry schedule leaves it when exhausted
        conn.execute("update outbox set state = 'given_up', attempts = 8")


def test_the_beheerder_sees_the_alert_in_the_status_bar_until_it_is_handled(qtbot, sc, session_id):
    bar = StatusBar()
    qtbot.addWidget(bar)
    _give_up_one(sc, session_id)
    sc.identity = Identity("kees", frozenset({Role.BEHEERDER}))
    bar.refresh(sc)
    assert not bar.alert.isHidden() and "Beheerder" in bar.alert.text()
    assert "na alle verzendpogingen opgegeven" in bar.alert.toolTip()
    sc.identity = Identity("piet", frozenset({Role.MEDEWERKER}))
    bar.refresh(sc)
    assert bar.alert.isHidden()
    sc.identity = Identity("kees", frozenset({Role.BEHEERDER}))
    with connect(sc.db) as conn:
        conn.execute("update outbox set state = 'pending'")  # resent after the fix
    bar.refresh(sc)
    assert bar.alert.isHidden()


def test_the_messages_screen_lists_the_alert(qtbot, sc, session_id):
    from types import SimpleNamespace

    from PySide6.QtCore import QObject, Signal

    from app.ui.outbox_dialog import OutboxDialog

    class Sync(QObject):
        finished = Signal(str, bool)

    _give_up_one(sc, session_id)
    dialog = OutboxDialog(SimpleNamespace(services=sc), session_id, Sync(), prompts=None)
    qtbot.addWidget(dialog)
    assert not dialog.alert.isHidden() and "1 bericht is na alle verzendpogingen opgegeven" in dialog.alert.text()


def test_the_beheerder_is_told_at_sign_in_and_a_medewerker_is_not(make_window, gui_context, prompts):
    from app.domain.session import Mode
    from app.services.demo import demo_lot_list
    from app.services.lots import replace_lot_list
    from app.services.sessions import create_session
    from tests.conftest import TODAY, make_setup

    services = gui_context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    session_id = create_session(services, make_setup(Mode.BEFORE))
    window = make_window()
    window.tell_admin_alert()
    assert [kind for kind, _ in prompts.asked] == []  # nothing given up: nothing said
    _give_up_one(services, session_id)
    services.identity = Identity("piet", frozenset({Role.MEDEWERKER}))
    window.tell_admin_alert()
    assert [kind for kind, _ in prompts.asked] == []
    services.identity = Identity("kees", frozenset({Role.BEHEERDER}))
    window.tell_admin_alert()
    assert prompts.asked[-1][0] == "info" and "na alle verzendpogingen opgegeven" in prompts.asked[-1][1]
