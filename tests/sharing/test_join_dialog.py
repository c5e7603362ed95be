"""The join dialog takes a code typed with the usual slips or scanned, and says in Dutch what is wrong."""

from __future__ import annotations

from app.sharing.discovery import FoundHost
from app.sharing.join_code import JoinCode, secret_text
from app.ui.share_dialog import JoinDialog, ShareDialog

CODE = JoinCode("192.168.43.17", 54321, bytes(range(16)), bytes(range(100, 112)))


def test_a_mistyped_code_keeps_the_dialog_open_and_says_why(qtbot):
    dialog = JoinDialog(browse=False)
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
    dialog = JoinDialog(browse=False)
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


def test_a_host_found_on_the_lan_needs_only_its_secret(qtbot):
    dialog = JoinDialog(browse=False)
    qtbot.addWidget(dialog)
    found = FoundHost("Testschool (laptop-1)", "Testschool 23-11-2026", CODE.host, CODE.port, CODE.fingerprint)
    dialog.add_host(found)
    assert dialog.hosts.count() == 1 and dialog.chosen_host() == found  # 'searching…' made way
    dialog.field.setText(secret_text(CODE.secret).lower())
    dialog.accept()
    assert dialog.result() == JoinDialog.Accepted and dialog.code == CODE
    dialog.remove_host(found.name)
    assert dialog.hosts.count() == 0


def test_the_share_dialog_shows_the_secret_for_a_host_picked_from_the_list(qtbot):
    dialog = ShareDialog(3, CODE)
    qtbot.addWidget(dialog)
    assert secret_text(CODE.secret) in dialog.secret.text()


def test_the_join_dialog_lists_a_host_announced_on_the_lan(qtbot):
    import uuid

    from app.sharing.discovery import Announcer

    label = f"Testschool {uuid.uuid4().hex[:8]}"  # other hosts on this network (other tests) may show up too
    announcer = Announcer(JoinCode("127.0.0.1", 54322, CODE.fingerprint, CODE.secret), label)
    announcer.start()
    dialog = JoinDialog()
    qtbot.addWidget(dialog)

    def ours():
        items = [dialog.hosts.item(row) for row in range(dialog.hosts.count())]
        return [item for item in items if item.text().startswith(label)]

    try:
        qtbot.waitUntil(lambda: len(ours()) == 1, timeout=30_000)
        (item,) = ours()
        assert item.text() == f"{label} · 127.0.0.1:54322"
        dialog.hosts.setCurrentItem(item)
        assert dialog.chosen_host().fingerprint == CODE.fingerprint
    finally:
        dialog.stop_browsing()
        announcer.stop()
