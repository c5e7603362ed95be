"""Each action is declared once; menus, toolbar, role gating and the who-may notice are built from it."""

from __future__ import annotations

from PySide6.QtWidgets import QToolBar

from app.domain.roles import allowed
from app.ui.action_helpers import Key, Menu
from app.ui.role_gate import who_may
from tests.ui.test_keyboard import press
from tests.ui.test_users_and_roles import medewerker_window, team_db  # noqa: F401 - fixtures


def action_sets(window):
    return (window.actions, window.lots, window.sharing, window.view_keys, window.account)


def test_every_key_is_declared_once_and_sits_in_its_menu_and_toolbar_place(make_window):
    window = make_window()
    declared = [(actions, d) for actions in action_sets(window) for d in actions.declared.values()]
    keys = [d.key for _actions, d in declared]
    assert sorted(keys) == sorted(Key) and len(keys) == len(set(keys))
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert list(menus)[:len(Menu)] == [menu.value for menu in Menu]
    for actions, d in declared:
        assert actions.all[d.key] in menus[d.menu.value].actions(), d.key
    kind = [a for a in menus[Menu.KIND.value].actions() if not a.isSeparator()]
    assert kind.index(window.actions.all[Key.FIND_CHILD]) < kind.index(window.actions.all[Key.UNDO_SCAN])
    toolbar = window.findChild(QToolBar, "actions")
    assert [a.iconText() for a in toolbar.actions()] == [
        "Alles accorderen", "Selectie accorderen", "Niet gevaccineerd", "Bezwaar", "Corrigeren", "Scan ongedaan",
        "Kind zoeken"]


def test_what_a_role_may_not_do_is_greyed_out_and_its_shortcut_says_who_may(qtbot, medewerker_window):  # noqa: F811
    window = medewerker_window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    roles = window.context.services.roles
    refused = []
    for actions in action_sets(window):
        for key, d in actions.declared.items():
            action = actions.all[key]
            if all(allowed(roles, right) for right in d.rights):
                continue
            refused.append(key)
            assert not action.isEnabled(), key
            assert f"{d.name}: alleen voor {who_may(d.rights)}" == action.toolTip() == action.statusTip()
            if d.shortcut:  # a greyed-out action does not fire: its keys tell in the status bar who may
                window.status.clearMessage()
                press(qtbot, window, d.shortcut)
                assert window.status.currentMessage() == action.statusTip(), key
    assert {Key.ACCORD_ALL, Key.ACCORD_SELECTED, Key.OBJECTION, Key.CORRECT, Key.IMPORT_LOTS, Key.USERS,
            Key.SETTINGS} <= set(refused)
    assert "JGZ-professional of Beheerder" in window.actions.all[Key.IMPORT_LOTS].toolTip()
    # The keys of an action the role may do run it (no notice competing for them).
    window.status.clearMessage()
    window.prompts.errors.clear()
    press(qtbot, window, "Ctrl+D")
    assert window.prompts.errors and window.status.currentMessage() == ""
    assert not window.disabled_shortcuts.shortcuts[Key.REMOVE].isEnabled()
    assert window.disabled_shortcuts.shortcuts[Key.OBJECTION].isEnabled()


def test_without_sign_in_the_lock_shortcut_says_why_nothing_happens(qtbot, make_window, plain_gui_context):
    window = make_window(plain_gui_context)  # a plain database: no users, nothing to unlock with
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert not window.account.all[Key.LOCK_SCREEN].isEnabled()
    press(qtbot, window, "Ctrl+L")
    assert window.status.currentMessage() == ("Scherm vergrendelen: alleen op een versleutelde database met "
                                              "gebruikers, na aanmelden")


def test_no_two_actions_of_the_window_share_keys(make_window):
    from PySide6.QtGui import QAction, QKeySequence

    window = make_window()
    keys = [action.shortcut().toString(QKeySequence.PortableText) for action in window.findChildren(QAction)
            if not action.shortcut().isEmpty()]
    doubles = sorted({key for key in keys if keys.count(key) > 1})
    assert doubles == [] and len(keys) > 40
