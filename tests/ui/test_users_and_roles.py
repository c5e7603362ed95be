"""The beheerder manages users in the window; actions a role may not do are greyed out with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.context import AppContext
from app.domain.roles import Role
from app.services import users
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer
from app.ui.users_dialog import AddUserDialog, UsersDialog

PASSPHRASE = "lange zin als wachtwoord"


@pytest.fixture
def team_db(tmp_path, monkeypatch):
    path = tmp_path / "team.sqlite"
    AppContext.open(path, settings_path=tmp_path / "s.json", passphrase=PASSPHRASE, login="beheerder").close()
    return path


def open_as(tmp_path, path, login, passphrase=PASSPHRASE) -> AppContext:
    return AppContext.open(path, settings_path=tmp_path / "s.json", passphrase=passphrase, login=login)


def test_beheerder_adds_a_professional_who_then_signs_in_with_her_own_passphrase(qtbot, tmp_path, team_db,
                                                                                  prompts):
    context = open_as(tmp_path, team_db, "beheerder")
    try:
        dialog = UsersDialog(context.services, prompts)
        qtbot.addWidget(dialog)
        add = AddUserDialog(context.services, dialog)
        qtbot.addWidget(add)
        add.login.setText("anna")
        add.professional.display_name.setText("Anna de Wit")
        add.roles[Role.MEDEWERKER].setChecked(False)
        add.roles[Role.PROFESSIONAL].setChecked(True)
        add.passphrase.setText("annas eigen zin")
        add.repeat.setText("annas eigen zin")
        add.add()
        assert "UZI-nummer of AGB-code" in add.error.text() and "beroepsrol" in add.error.text()
        assert not add.result()
        add.professional.big.setText("12345678901")
        add.professional.uzi.setText("123456782")
        add.professional.role_code.setCurrentIndex(add.professional.role_code.findData("30.000"))
        add.add()
        assert add.result() == QDialog.Accepted, add.error.text()
        dialog.reload()
        logins = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
        assert logins == ["anna", "beheerder"]
    finally:
        context.close()
    anna = open_as(tmp_path, team_db, "anna", "annas eigen zin")
    try:
        who = anna.services.identity
        assert (who.big_number, who.uzi_number, who.role_code) == ("12345678901", "123456782", "30.000")
    finally:
        anna.close()


def test_beheerder_cannot_revoke_own_access_and_removal_needs_confirmation(qtbot, tmp_path, team_db, prompts):
    context = open_as(tmp_path, team_db, "beheerder")
    try:
        users.add_user(context.services, "piet", frozenset({Role.MEDEWERKER}), "piets lange zin")
        dialog = UsersDialog(context.services, prompts)
        qtbot.addWidget(dialog)
        dialog.table.selectRow(0)  # beheerder (sorted by login)
        dialog._guarded(dialog.remove)
        assert "eigen toegang" in prompts.errors[-1]
        dialog.table.selectRow(1)  # piet
        prompts.script("confirm", True)
        dialog._guarded(dialog.remove)
        assert [u.login for u in users.list_users(context.services)] == ["beheerder"]
    finally:
        context.close()


@pytest.fixture
def medewerker_window(qtbot, tmp_path, team_db, prompts):
    """The window as the medewerker 'piet' sees it."""
    admin = open_as(tmp_path, team_db, "beheerder")
    users.add_user(admin.services, "piet", frozenset({Role.MEDEWERKER}), "piets lange zin")
    admin.close()
    context = open_as(tmp_path, team_db, "piet", "piets lange zin")
    window = MainWindow(context, prompts=prompts, sounds=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    yield window
    context.close()


def test_a_medewerker_sees_accord_objection_and_correction_greyed_out_with_who_may(medewerker_window):
    actions = {**medewerker_window.actions.all, **medewerker_window.account.all}
    for key in ("accord_all", "accord_selected", "objection", "correct", "users"):
        assert not actions[key].isEnabled(), key
    assert "JGZ-professional" in actions["accord_all"].toolTip()
    assert actions["remove"].isEnabled() and actions["new_session"].isEnabled()


def test_the_window_names_who_is_signed_in_and_offers_sign_out(qtbot, tmp_path, team_db, prompts):
    from PySide6.QtWidgets import QLabel

    context = open_as(tmp_path, team_db, "beheerder")
    try:
        window = MainWindow(context, prompts=prompts, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        labels = [label.text() for label in window.status.findChildren(QLabel)]
        assert any(text.startswith("Aangemeld: beheerder (Beheerder)") for text in labels), labels
        window.show()
        window.account.all["sign_out"].trigger()
        assert window.next_database == context.db.path and not window.isVisible()
        # the closed window leaves the database alone: no timer of it runs any more
        assert not window._status_timer.isActive() and not window.sync.timer.isActive()
    finally:
        context.close()


def test_greyed_out_items_say_who_may_in_the_status_bar(medewerker_window):
    assert "alleen voor JGZ-professional" in medewerker_window.actions.all["objection"].statusTip()


def test_beheerder_gives_an_existing_professional_her_uzi_number_and_role(qtbot, tmp_path, team_db, prompts):
    from app.ui.users_dialog import EditUserDialog

    context = open_as(tmp_path, team_db, "beheerder")
    try:
        users.add_user(context.services, "anna", frozenset({Role.PROFESSIONAL}), "annas eigen zin",
                       display_name="Anna de Wit", big_number="12345678901")
        (info,) = [u for u in users.list_users(context.services) if u.login == "anna"]
        edit = EditUserDialog(context.services, info)
        qtbot.addWidget(edit)
        assert edit.professional.big.text() == "12345678901"
        edit.professional.uzi.setText("12345")
        edit.save()
        assert "9 cijfers" in edit.error.text() and not edit.result()
        edit.professional.uzi.setText("123456782")
        edit.professional.role_code.setCurrentIndex(edit.professional.role_code.findData("01.070"))
        edit.save()
        assert edit.result() == QDialog.Accepted, edit.error.text()
        (info,) = [u for u in users.list_users(context.services) if u.login == "anna"]
        assert (info.uzi_number, info.role_code) == ("123456782", "01.070")
    finally:
        context.close()
