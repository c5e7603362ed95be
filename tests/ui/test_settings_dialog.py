"""The beheerder's settings: checked, audited, and the certificate password kept out of the JSON file."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import text

from app.context import AppContext
from app.domain.errors import DomainError
from app.domain.roles import Role
from app.outbox.transport import describe_client_certificate
from app.services import users
from app.services.settings_admin import CERT_PASSWORD_KEY, save_settings
from app.ui.settings_dialog import SettingsDialog
from tests.organisation import configured_settings
from tests.outbox_sync.certs import make_certificates

PASSPHRASE = "lange zin als wachtwoord"


@pytest.fixture
def team(tmp_path, monkeypatch):
    path = tmp_path / "team.sqlite"
    context = AppContext.open(path, settings_path=tmp_path / "settings.json", passphrase=PASSPHRASE,
                              login="beheerder")
    yield context
    context.close()


def test_beheerder_saves_settings_and_the_certificate_password_goes_into_the_encrypted_database(qtbot, team,
                                                                                                 tmp_path):
    certs = make_certificates(tmp_path, "p12-geheim")
    dialog = SettingsDialog(team)
    qtbot.addWidget(dialog)
    dialog.editors[("outbox", "client_cert_p12")].setText(str(certs["client.p12"]))
    dialog.editors[("outbox", "client_cert_password")].setText("p12-geheim")
    dialog.editors[("security", "idle_minutes")].setValue(2)
    dialog.check_certificate()
    assert "prikpost-client" in dialog.message.text() and "geldig tot en met" in dialog.message.text()
    dialog.save()
    assert dialog.result() == QDialog.Accepted, dialog.message.text()

    on_disk = json.loads(team.settings_path.read_text())
    assert on_disk["outbox"]["client_cert_password"] == "" and on_disk["security"]["idle_minutes"] == 2
    assert "p12-geheim" not in team.settings_path.read_text()
    assert team.settings.security.idle_minutes == 2  # the open window uses it at once
    team.close()
    reopened = AppContext.open(team.db.path, settings_path=team.settings_path, passphrase=PASSPHRASE,
                               login="beheerder")
    try:
        assert reopened.settings.outbox.client_cert_password == "p12-geheim"
        with reopened.db.reader() as session:
            audit = session.execute(text("select after from audit_log where action = 'change_settings'")).scalar_one()
        assert "idle_minutes" in audit and "p12-geheim" not in audit
    finally:
        reopened.close()
    with pytest.raises(sqlite3.DatabaseError):  # and the database holding it is encrypted
        sqlite3.connect(team.db.path).execute(f"select value from preferences where key = '{CERT_PASSWORD_KEY}'")


def test_wrong_values_are_explained_and_nothing_is_saved(qtbot, team):
    dialog = SettingsDialog(team)
    qtbot.addWidget(dialog)
    dialog.editors[("outbox", "send_window_start")].setText("25:00")
    dialog.editors[("outbox", "url_productie")].setText("http://praeventis.example")
    dialog.save()
    assert not dialog.result()
    assert "verzendvenster" in dialog.message.text() and "https://" in dialog.message.text()
    assert not team.settings_path.exists()


def test_a_wrong_certificate_password_is_named(tmp_path):
    certs = make_certificates(tmp_path, "goed")
    with pytest.raises(DomainError, match="wachtwoord klopt niet"):
        describe_client_certificate(certs["client.p12"], "fout")


def test_only_a_beheerder_changes_settings(team, tmp_path):
    users.add_user(team.services, "anna", frozenset({Role.PROFESSIONAL}), "annas eigen zin", big_number="12345678901")
    anna = AppContext.open(team.db.path, settings_path=tmp_path / "anna.json", passphrase="annas eigen zin",
                           login="anna")
    try:
        with pytest.raises(DomainError, match="Beheerder"):
            save_settings(anna.services, anna.settings, anna.settings, anna.settings_path)
    finally:
        anna.close()


def test_the_demo_login_cannot_change_the_settings_every_database_shares(tmp_path, monkeypatch):

    demo = AppContext.open(tmp_path / "demo.sqlite", settings_path=tmp_path / "settings.json")
    try:
        assert demo.services.demo_database
        changed = configured_settings()
        changed.security.idle_minutes = 0
        with pytest.raises(DomainError, match="demodatabase"):
            save_settings(demo.services, demo.settings, changed, demo.settings_path)
        assert not demo.settings_path.exists()
    finally:
        demo.close()


def test_saved_settings_reach_the_open_window_at_once(qtbot, team, monkeypatch):
    from app.ui import account_actions
    from app.ui.main_window import MainWindow
    from app.ui.sounds import SoundPlayer
    from tests.ui.conftest import ScriptedPrompts

    window = MainWindow(team, prompts=ScriptedPrompts(), sounds=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    assert window.idle.lock.policy.idle_minutes == team.settings.security.idle_minutes

    class SavingDialog(SettingsDialog):
        def exec(self):  # what the beheerder does in the dialog, without a modal loop in the test
            self.editors[("security", "idle_minutes")].setValue(2)
            self.editors[("security", "pin_attempts")].setValue(3)
            self.editors[("scanner", "max_key_gap_ms")].setValue(60)
            self.save()
            return self.result()

    monkeypatch.setattr(account_actions, "SettingsDialog", SavingDialog)
    window.account.edit_settings()
    assert window.idle.lock.policy.idle_minutes == 2 and window.idle.lock.policy.max_pin_attempts == 3
    assert window.wedge.classifier.max_gap == 60
