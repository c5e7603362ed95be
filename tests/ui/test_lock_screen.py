"""Auto-lock: after idle time the data is hidden until the passphrase or PIN is typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.context import AppContext
from app.domain.idle import IdlePolicy
from app.services import users
from app.ui.lock_screen import IdleGuard, LockDialog
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer

PASSPHRASE = "lange zin als wachtwoord"


class Now:
    def __init__(self):
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def signed_in(tmp_path, monkeypatch):
    context = AppContext.open(tmp_path / "team.sqlite", settings_path=tmp_path / "settings.json",
                              passphrase=PASSPHRASE, login="beheerder")
    yield context
    context.close()


def lock_again(qtbot, signed_in, guard) -> LockDialog:
    guard.lock_now()
    dialog = LockDialog(signed_in.services, guard)
    qtbot.addWidget(dialog)
    return dialog


def locked_with_pin(qtbot, signed_in, max_pin_attempts: int = 5) -> tuple[IdleGuard, LockDialog]:
    """Set the PIN 4321, lock, and return the guard and the lock dialog."""
    users.set_pin(signed_in.services, "4321")
    guard = IdleGuard(IdlePolicy(idle_minutes=5, max_pin_attempts=max_pin_attempts), now=Now())
    return guard, lock_again(qtbot, signed_in, guard)


def test_idle_guard_locks_exactly_after_the_idle_time_and_input_postpones_it(qtbot):
    now = Now()
    guard = IdleGuard(IdlePolicy(idle_minutes=1), now=now)
    now.value += 50
    guard.activity()
    now.value += 50  # 100 s since start, 50 s since input
    guard._check()
    assert not guard.lock.locked
    now.value += 11
    with qtbot.waitSignal(guard.lock_due, timeout=1000):
        guard._check()
    assert guard.lock.locked


def test_lock_dialog_unlocks_with_pin_or_passphrase_and_ignores_escape(qtbot, signed_in):
    guard, dialog = locked_with_pin(qtbot, signed_in)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.isVisible() and guard.lock.locked

    dialog.secret.setText("1234")
    dialog.try_unlock()
    assert guard.lock.locked and "klopt niet" in dialog.message.text() and dialog.secret.text() == ""
    dialog.secret.setText("4321")
    dialog.try_unlock()
    assert not guard.lock.locked and dialog.result() == QDialog.Accepted

    dialog = lock_again(qtbot, signed_in, guard)
    dialog.secret.setText(PASSPHRASE)
    dialog.try_unlock()
    assert not guard.lock.locked


def test_too_many_wrong_pins_leave_only_the_passphrase(qtbot, signed_in):
    guard, dialog = locked_with_pin(qtbot, signed_in, max_pin_attempts=2)
    for wrong in ("1111", "2222"):
        dialog.secret.setText(wrong)
        dialog.try_unlock()
    assert "wachtwoord" in dialog.message.text()
    dialog.secret.setText("4321")
    dialog.try_unlock()
    assert guard.lock.locked  # the right PIN no longer opens it, and the screen says why
    assert "Te vaak een verkeerde pincode" in dialog.message.text()
    dialog.secret.setText(PASSPHRASE)
    dialog.try_unlock()
    assert not guard.lock.locked


def test_locking_the_window_hides_the_table_and_closes_open_questions(qtbot, signed_in):
    window = MainWindow(signed_in, sounds=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    question = QDialog(window)
    question.setWindowTitle("Niet gevaccineerd")
    question.show()
    seen = {}

    def while_locked():
        lock = QApplication.activeModalWidget()
        if not isinstance(lock, LockDialog):
            QTimer.singleShot(20, while_locked)
            return
        seen["table_visible"] = window.centralWidget().isVisible()
        seen["question_visible"] = question.isVisible()
        lock.secret.setText(PASSPHRASE)
        lock.try_unlock()

    QTimer.singleShot(0, while_locked)
    window.account.all["lock_screen"].trigger()
    assert seen == {"table_visible": False, "question_visible": False}
    assert window.centralWidget().isVisible() and not window.idle.lock.locked


def test_return_tries_the_entry_once(qtbot, signed_in):
    guard, dialog = locked_with_pin(qtbot, signed_in)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.secret.setFocus()
    qtbot.keyClicks(dialog.secret, "1111")
    qtbot.keyClick(dialog.secret, Qt.Key_Return)
    assert guard.lock.wrong_pins == 1
    assert "klopt niet" in dialog.message.text()


def test_wrong_passphrases_on_the_lock_screen_are_audited_and_slowed_down(qtbot, signed_in):
    from datetime import datetime, timedelta

    from sqlalchemy import func, select

    from app.domain.clock import FixedClock
    from app.store.models import AuditRow

    clock = FixedClock(datetime(2026, 11, 23, 9, 0))
    signed_in.services.clock = clock
    guard = IdleGuard(IdlePolicy(idle_minutes=5), now=Now())
    dialog = lock_again(qtbot, signed_in, guard)
    for _ in range(5):
        dialog.secret.setText("geen goed wachtwoord")
        dialog.try_unlock()
        assert "klopt niet" in dialog.message.text()
    dialog.secret.setText(PASSPHRASE)
    dialog.try_unlock()  # even the right one waits its turn
    assert guard.lock.locked and "Wacht 1 seconde" in dialog.message.text()
    with signed_in.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditRow)
                              .where(AuditRow.action == "unlock_failed")) == 5
    clock.set(clock.now() + timedelta(seconds=2))
    dialog.secret.setText(PASSPHRASE)
    dialog.try_unlock()
    assert not guard.lock.locked
