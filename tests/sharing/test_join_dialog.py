"""The join dialog takes a code typed with the usual slips or scanned, and says in Dutch what is wrong."""

from __future__ import annotations

from app.sharing.join_code import JoinCode
from app.ui.share_dialog import JoinDialog, ShareDialog

CODE = JoinCode("192.168.43.17", 54321, bytes(range(16)), bytes(range(100, 112)))


def test_a_mistyped_code_keeps_the_dialog_open_and_says_why(qtbot):
    dialog = JoinDialog()
    qtbot.addWidget(dialog)
    text = CODE.text()
    dialog.field.setText(text[:-1] + ("A" if text[-1] != "A" else "B"))
    dialog.accept()
    assert dialog.result() != JoinDialog.Accepted and dialog.code is None
    assert "De code klopt niet" in dialog.problem.text()
    dialog.field.setText(text.lower().replace("-", " "))
    dialog.accept()
    assert dialog.result() == JoinDialog.Accepted and dialog.code == CODE


def test_a_scanned_code_is_taken_at_once(qtbot):
    dialog = JoinDialog()
    qtbot.addWidget(dialog)
    dialog.take_scan(CODE.text() + "\r")
    assert dialog.result() == JoinDialog.Accepted and dialog.code == CODE


def test_the_share_dialog_shows_the_code_as_text_and_qr(qtbot):
    dialog = ShareDialog(3, CODE)
    qtbot.addWidget(dialog)
    assert dialog.text.text() == CODE.text()
    assert "192.168.43.17:54321" in dialog.findChild(type(dialog.text)).text()
    pixmap = dialog.qr.pixmap()
    assert not pixmap.isNull() and pixmap.width() == pixmap.height() > 100
