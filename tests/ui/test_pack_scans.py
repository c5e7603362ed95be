"""Scanning a vaccine pack sets the lot: through the wedge (GS as Ctrl+]), the camera, the setup dialog and by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.scanning.gs1 import Pack, element_string
from app.services.demo import demo_lot_list
from app.services.lots import replace_lot_list
from app.services.sessions import create_session
from app.ui.session_setup_dialog import SessionSetupDialog
from tests.conftest import TODAY, make_setup
from tests.store_access import connect

from .conftest import complete_unnamed

NIMENRIX, MENQUADFI, REVAXIS, CERVARIX = "02000002800019", "02000002800033", "02000000200040", "02000000900063"
SECOND_BOX = Pack(MENQUADFI, "DEMO-MACWY-02", TODAY + timedelta(days=30), "SN-0002")


@pytest.fixture
def window(make_window):
    window = make_window()
    services = window.context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    window.set_session(create_session(services, make_setup()))
    return window


def wedge_scan(qtbot, window, text: str) -> None:
    """Type a code as a wedge scanner does, with each GS sent as Ctrl+] and Enter at the end."""
    widget = window.view.table
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    with qtbot.waitSignal(window.wedge.scanned, timeout=3000):
        for char in text:
            if char == "\x1d":
                qtbot.keyClick(widget, Qt.Key_BracketRight, Qt.ControlModifier)
            else:
                qtbot.keyClicks(widget, char)
        qtbot.keyClick(widget, Qt.Key_Return)


def rows(window, sql, *args):
    return connect(window.context.db).execute(sql, args).fetchall()


def current_lot(window) -> str:
    return rows(window, "select lot_number from session_vaccines where session_id = ?", window.session_id)[0][0]


def test_mid_session_lot_change_end_to_end_into_the_messages(qtbot, window, prompts):
    wedge_scan(qtbot, window, "999900183")
    wedge_scan(qtbot, window, "]d2" + element_string(SECOND_BOX, ("01", "10", "17", "21")))
    assert window.banner.title.full_text == "Nieuwe partij MenACWY"
    until = f"{SECOND_BOX.expiry:%d-%m-%Y}"
    assert window.banner.detail.full_text == f"Nieuwe partij MenACWY: DEMO-MACWY-02, houdbaar tot {until}"
    assert window.sounds.played[-1] == "pack" and current_lot(window) == "DEMO-MACWY-02"
    wedge_scan(qtbot, window, "999901473")
    assert "DEMO-MACWY-02" in window.view.header.text() and "doses" in window.view.header.text()
    complete_unnamed(window, prompts)
    prompts.script("confirm", True)
    window.actions.all["accord_all"].trigger()
    payloads = dict(rows(window, "select bsn, payload from outbox"))
    assert "DEMO-MACWY-01" in payloads["999900183"] and "DEMO-MACWY-02" not in payloads["999900183"]
    assert "DEMO-MACWY-02" in payloads["999901473"] and "DEMO-MACWY-01" not in payloads["999901473"]


@pytest.mark.parametrize("pack, words", [
    (Pack(NIMENRIX, "DEMO-MACWY-OLD", TODAY - timedelta(days=3)), "VERLOPEN"),
    (Pack(REVAXIS, "DEMO-DTP-07", TODAY + timedelta(days=400)), "VERKEERD VACCIN"),
    (Pack(CERVARIX, "DEMO-HPV-11", TODAY + timedelta(days=300)), "VERKEERD VACCIN"),
])
def test_expired_or_wrong_vaccine_pack_is_refused_loudly(qtbot, window, pack, words):
    wedge_scan(qtbot, window, "]d2" + element_string(pack))
    assert window.banner.pack_refused and words in window.banner.detail.full_text
    assert window.sounds.played[-1] == "pack_refused" and current_lot(window) == "DEMO-MACWY-01"


def test_an_unknown_gtin_is_asked_once(qtbot, window, prompts):
    pack = Pack("08712345678906", "DEMO-MACWY-02", TODAY + timedelta(days=30))
    prompts.script("choose", 0)  # MenACWY, the session's vaccine, is offered first
    wedge_scan(qtbot, window, "]d2" + element_string(pack))
    assert current_lot(window) == "DEMO-MACWY-02"
    assert [q for q, _ in prompts.asked].count("choose") == 1
    window.lots.handle_pack("(01)08712345678906(17)" + f"{pack.expiry:%y%m%d}" + "(10)DEMO-MACWY-01")
    assert [q for q, _ in prompts.asked].count("choose") == 1 and current_lot(window) == "DEMO-MACWY-01"


def test_a_lot_not_on_the_list_needs_a_confirmation(qtbot, window, prompts):
    prompts.script("confirm", False, True)
    text = "]d2" + element_string(Pack(NIMENRIX, "BOX-NEW-1", TODAY + timedelta(days=60)))
    wedge_scan(qtbot, window, text)
    assert current_lot(window) == "DEMO-MACWY-01" and window.banner.pack_refused
    wedge_scan(qtbot, window, text)
    assert rows(window, "select lot_number, lot_manual from session_vaccines") == [("BOX-NEW-1", 1)]
    assert "(overig)" in window.banner.detail.full_text


def test_the_camera_path_sets_the_lot(qtbot, window):
    from app.scanning.decode import pack_decoder
    from tests.scanning.images import pack_frame

    frame = pack_frame(f"(01){MENQUADFI}(17){SECOND_BOX.expiry:%y%m%d}(10)DEMO-MACWY-02(21)SN9", seed=3)
    (code,) = pack_decoder().read_raw(frame)
    window.camera.detected.emit(code.text)
    assert current_lot(window) == "DEMO-MACWY-02" and window.sounds.played[-1] == "pack"


def test_change_lot_by_hand_with_f4(qtbot, window, prompts):
    action = window.lots.all["change_lot"]
    assert action.shortcut().toString() == "F4"
    prompts.script("choose", 0)  # the listed lots by expiry: DEMO-MACWY-02 first, then DEMO-MACWY-01
    action.trigger()
    listed = prompts.asked[-1][1]
    assert [item.split(" – ")[0] for item in listed[:2]] == ["DEMO-MACWY-02", "DEMO-MACWY-01"]
    assert listed[-1].startswith("Andere partij") and current_lot(window) == "DEMO-MACWY-02"
    prompts.script("choose", len(listed) - 1)
    prompts.script("text", "HAND-77")
    prompts.script("confirm", True)
    action.trigger()
    assert rows(window, "select lot_number, lot_manual from session_vaccines") == [("HAND-77", 1)]
    sources = [s for (s,) in rows(window, "select source from lot_periods order by id")]
    assert sources == ["setup", "hand", "hand"]


def test_a_pack_scanned_in_the_setup_dialog_fills_its_vaccine(qtbot, window):
    dialog = SessionSetupDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    for row in dialog.rows:
        row.vaccine.setCurrentIndex(0)
    window.lots.take_pack("]d2" + element_string(SECOND_BOX))
    assert dialog.rows[0].code == "28" and dialog.rows[0].lot.currentText() == "DEMO-MACWY-02"
    assert dialog.rows[0].status.text().startswith("✔")
    window.lots.take_pack("]d2" + element_string(Pack(NIMENRIX, "DEMO-MACWY-OLD", TODAY - timedelta(days=3))))
    assert "VERLOPEN" in dialog.error.text() and window.sounds.played[-1] == "pack_refused"
    assert dialog.rows[0].lot.currentText() == "DEMO-MACWY-02"
    dialog.reject()
