from app.ui.launch import open_context_for_gui
from app.ui.main_window import MainWindow
from app.ui.sounds import SoundPlayer


def test_gui_on_new_database_opens_the_demo_session(qtbot, tmp_path):
    context = open_context_for_gui(tmp_path / "new.sqlite", demo=False)
    try:
        window = MainWindow(context, sounds=SoundPlayer(enabled=False))
        qtbot.addWidget(window)
        assert window.view.model.rowCount() == 31
        assert "DEMO" in window.view.header.text()
    finally:
        context.close()


def test_existing_database_is_not_seeded(tmp_path):
    first = open_context_for_gui(tmp_path / "a.sqlite", demo=False)
    first.close()
    second = open_context_for_gui(tmp_path / "a.sqlite", demo=False)
    from app.services.sessions import list_sessions

    assert len(list_sessions(second.services)) == 1
    second.close()
