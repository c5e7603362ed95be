"""Camera scanning through the real capture code (a generated video stands in for the camera) and the scanner test."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.scanning.wedge import Scan
from app.services.demo import demo_lot_list
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.ui.scanner_test_dialog import ScannerTestDialog
from tests.conftest import TODAY, make_setup
from tests.scanning.images import card_frame, empty_frame, write_video
from tests.store_access import connect


def _session(window):
    services = window.context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    window.set_session(create_session(services, make_setup()))


def test_camera_registers_a_card_once_and_outlines_it(qtbot, make_window, tmp_path):
    window = make_window()
    _session(window)
    frames = [empty_frame(1)] + [card_frame("123456782", "Code128", seed=i) for i in range(6)] + [empty_frame(2)]
    window.camera.source.setText(str(write_video(tmp_path / "kaart.avi", frames)))
    with qtbot.waitSignal(window.camera.stopped, timeout=20000):
        window.toggle_camera()
    assert not window.camera.preview.pixmap().isNull()
    rows = connect(window.context.db).execute("select bsn, source from registrations").fetchall()
    assert rows == [("123456782", "scan")]  # six sightings within the window count once


def test_missing_camera_gives_a_message_and_scanning_goes_on(qtbot, make_window, tmp_path):
    window = make_window()
    _session(window)
    window.camera.source.setText(str(tmp_path / "geen-camera.avi"))
    with qtbot.waitSignal(window.camera.stopped, timeout=10000):
        window.toggle_camera()
    assert "bestaat niet" in window.camera.message.text()
    window.view.manual.setText("123456782")
    window.view.manual.returnPressed.emit()
    assert window.banner.title.text() == "Gescand"


def test_scanner_test_shows_control_characters_and_registers_nothing(qtbot, make_window, prompts):
    window = make_window()
    _session(window)
    dialog = ScannerTestDialog(window.context.settings.scanner, window.wedge, window)
    qtbot.addWidget(dialog)
    dialog.setWindowModality(Qt.ApplicationModal)  # as exec() shows it
    dialog.show()
    window.wedge.scanned.emit(Scan("]C0123456782", None, 40.0, 50.0))
    text = dialog.report.toPlainText()
    assert "Ontvangen: ]C0123456782" in text and "geen Enter" in text and "AIM" in text and "traag" in text
    dialog.typed.setText("12345")
    dialog.typed.textEdited.emit("12345\t")
    assert "⇥" in dialog.report.toPlainText()
    assert connect(window.context.db).execute("select count(*) from registrations").fetchone() == (0,)
    assert prompts.errors == []  # the test dialog takes the scan: no "window open" refusal either
    dialog.close()


def test_camera_skips_decoding_an_unchanged_view_and_still_registers_the_card(qtbot, make_window, tmp_path):
    window = make_window()
    _session(window)
    still = empty_frame(1)
    frames = [still] * 20 + [card_frame("123456782", "Code128", seed=i) for i in range(4)] + [empty_frame(2)] * 10
    window.camera.source.setText(str(write_video(tmp_path / "tafel.avi", frames, fps=50.0)))
    with qtbot.waitSignal(window.camera.stopped, timeout=20000):
        window.toggle_camera()
    stats = window.camera.stats
    assert stats.frames == len(frames)
    # The empty table before and after the card: decoded once each (plus at most one check a second).
    assert stats.decoded <= 1 + 4 + 1 + 2, stats
    assert 0 < stats.previews <= stats.decoded
    assert not window.camera.preview.pixmap().isNull()
    rows = connect(window.context.db).execute("select bsn, source from registrations").fetchall()
    assert rows == [("123456782", "scan")]


def test_hidden_camera_panel_renders_no_preview_but_keeps_scanning(qtbot, make_window, tmp_path):
    window = make_window()
    _session(window)
    assert not window.camera.isVisible()  # the camera dock is closed
    frames = [empty_frame(1)] + [card_frame("123456782", "Code128", seed=i) for i in range(3)] + [empty_frame(2)]
    window.camera.source.setText(str(write_video(tmp_path / "kaart.avi", frames, fps=50.0)))
    with qtbot.waitSignal(window.camera.stopped, timeout=20000):
        window.camera.start()
    assert window.camera.stats.frames == len(frames) and window.camera.stats.previews == 0
    assert window.camera.preview.pixmap().isNull()
    rows = connect(window.context.db).execute("select bsn from registrations").fetchall()
    assert rows == [("123456782",)]
