"""Start of the GUI: which database, sign-in, a damaged file, a second window on the same database."""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.services.sessions import list_sessions
from app.settings import default_data_dir, default_db_path
from app.ui.launch import ALREADY_OPEN, Target, _hold_lock, choose_database, open_context_for_gui, run_gui
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer


def test_first_start_without_a_database_opens_the_demo_beside_the_own_database():
    target = choose_database(None, demo=False)
    assert target == Target(default_data_dir() / "demo.sqlite", True)
    default_db_path().parent.mkdir(parents=True, exist_ok=True)
    default_db_path().write_bytes(b"")
    assert choose_database(None, demo=False) == Target(default_db_path(), False)
    assert choose_database(None, demo=True).demo


def test_an_explicit_path_is_the_teams_own_database(tmp_path):
    assert choose_database(tmp_path / "school.sqlite", demo=False) == Target(tmp_path / "school.sqlite", False)
    assert choose_database(tmp_path / "oefen.sqlite", demo=True) == Target(tmp_path / "oefen.sqlite", True)


def test_gui_on_a_new_demo_database_opens_the_demo_session(qtbot, tmp_path):
    context = open_context_for_gui(Target(tmp_path / "new.sqlite", True))
    try:
        window = MainWindow(context, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        assert window.view.model.rowCount() == 31
        assert "DEMO" in window.view.header.text()
    finally:
        context.close()


def test_existing_database_is_not_seeded_again(tmp_path):
    open_context_for_gui(Target(tmp_path / "a.sqlite", True)).close()
    second = open_context_for_gui(Target(tmp_path / "a.sqlite", True))
    try:
        assert len(list_sessions(second.services)) == 1
    finally:
        second.close()


def _answer_modal(fill) -> None:
    """Fill in the dialog the launch code is about to run modally, once it is up."""
    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, attempt)
        else:
            fill(dialog)
    QTimer.singleShot(0, attempt)


def test_a_new_own_database_is_created_by_its_first_beheerder(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "school.sqlite"

    def fill(dialog):
        dialog.login.setText("beheerder")
        dialog.display_name.setText("Bea Heerder")
        dialog.passphrase.setText("lange zin als wachtwoord")
        dialog.repeat.setText("lange zin als wachtwoord")
        dialog.create()

    _answer_modal(fill)
    context = open_context_for_gui(Target(path, False))
    try:
        assert context.db.encrypted
        assert context.services.identity.login == "beheerder"
        assert list_sessions(context.services) == []  # real data only: no demo children
    finally:
        context.close()

    def sign_in(dialog):
        dialog.login.setEditText("beheerder")
        dialog.passphrase.setText("fout wachtwoord")
        dialog.sign_in()
        assert "klopt niet" in dialog.error.text() and dialog.isVisible()
        dialog.passphrase.setText("lange zin als wachtwoord")
        dialog.sign_in()

    _answer_modal(sign_in)
    context = open_context_for_gui(Target(path, False))
    try:
        assert context.services.identity.display_name == "Bea Heerder"
    finally:
        context.close()


def test_a_damaged_database_gives_a_dutch_message_and_exit_code_1(qtbot, tmp_path, prompts):
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(os.urandom(8192))
    assert run_gui(path, prompts=prompts) == 1
    assert len(prompts.errors) == 1 and "beschadigd" in prompts.errors[0]
    assert "Traceback" not in prompts.errors[0]


def test_a_second_window_on_the_same_database_is_refused(qtbot, tmp_path, prompts):
    path = tmp_path / "open.sqlite"
    held = _hold_lock(path)
    assert held is not None
    try:
        assert run_gui(path, prompts=prompts) == 1
        assert prompts.errors == [ALREADY_OPEN.format(path=path)]
    finally:
        held.unlock()


def test_a_damaged_demo_database_is_put_back_from_its_backup_when_the_user_agrees(qtbot, tmp_path, prompts):
    from app.services.backups import backup_now

    path = tmp_path / "demo.sqlite"
    context = open_context_for_gui(Target(path, True))
    sessions = len(list_sessions(context.services))
    backup_now(context.services)
    context.close()
    with path.open("r+b") as handle:  # overwrite pages in the middle of the file
        handle.seek(4096)
        handle.write(os.urandom(8192))
    prompts.script("confirm", True)
    context = open_context_for_gui(Target(path, True), None, prompts)
    try:
        assert len(list_sessions(context.services)) == sessions
        assert "beschadigd" in prompts.asked[0][1]
        assert prompts.asked[1][0] == "info" and "teruggezet" in prompts.asked[1][1]
    finally:
        context.close()


def test_another_programs_sqlite_file_is_refused_and_left_unchanged(qtbot, tmp_path, prompts):
    import hashlib
    import sqlite3

    path = tmp_path / "agenda.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("create table afspraken (id integer primary key, wie text)")
    connection.commit()
    connection.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert run_gui(path, prompts=prompts) == 1
    assert len(prompts.errors) == 1 and "ander programma" in prompts.errors[0]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_an_encrypted_database_without_its_key_file_says_so_and_offers_no_restore(qtbot, tmp_path, prompts,
                                                                                   monkeypatch):
    from app.services import users

    path = tmp_path / "team.sqlite"
    users.create_first_user(path, "beheerder", "lange zin als wachtwoord")
    users.key_file_path(path).rename(tmp_path / "elders.keys")
    assert run_gui(path, prompts=prompts) == 1
    assert "sleutelbestand team.sqlite.keys" in prompts.errors[0]
    assert [question for question, _ in prompts.asked] == []  # no backup offered in its place


def test_cancelling_the_sign_in_to_another_database_goes_back_to_the_one_before(qtbot, tmp_path, prompts):
    from app.ui.sign_in_dialogs import FirstUserDialog

    demo = tmp_path / "demo.sqlite"
    seen: list = []

    def windows():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]

    def step():
        shown = windows()
        modal = QApplication.activeModalWidget()
        if isinstance(modal, FirstUserDialog):
            modal.reject()  # the user changes their mind
        elif shown:
            window = shown[0]
            seen.append(window.context.db.path)
            if len(seen) == 1:
                window.switch_database(tmp_path / "eigen.sqlite")
            else:
                window.close()
                return
        QTimer.singleShot(20, step)

    QTimer.singleShot(0, step)
    assert run_gui(demo, demo=True, prompts=prompts) == 0
    assert seen == [demo, demo]  # back on the demo after cancelling, then closed normally
    assert not (tmp_path / "eigen.sqlite").exists()
