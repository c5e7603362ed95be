"""Sessie › Sessie afsluiten: the checklist resolved or waived in the dialog, then the report PDF is saved."""

from __future__ import annotations

import io
import stat

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from app.services import closeout
from app.services.expected_list import import_expected_list
from app.services.scans import record_scan
from app.ui.closeout_dialog import CloseOutDialog
from tests.conftest import make_setup

from .test_session_flows import BSNS

CSV = ("BSN;Naam;Geboortedatum;Klas\n"
       f"{BSNS[0]};Sanne de Vries;01-02-2012;2A\n{BSNS[1]};Daan Bakker;03-04-2012;2A\n").encode()


def _session(services):
    from app.services.demo import demo_lot_list
    from app.services.lots import replace_lot_list
    from app.services.sessions import create_session
    from tests.conftest import TODAY

    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    session_id = create_session(services, make_setup())
    import_expected_list(services, session_id, CSV)
    return session_id


def test_open_items_block_until_resolved_or_waived_and_the_report_is_saved(qtbot, gui_context, tmp_path):
    services = gui_context.services
    session_id = _session(services)
    record_scan(services, session_id, BSNS[0])  # scanned, not accorded
    target = tmp_path / "rapport.pdf"
    dialog = CloseOutDialog(services, session_id, ask_path=lambda suggested: str(target))
    qtbot.addWidget(dialog)
    assert set(dialog.waive) == {"not_accorded", "no_outcome"}
    dialog.close_out()
    assert "Los eerst op" in dialog.message.text() and not dialog.result() and not target.exists()

    dialog.mark_absent()  # the expected child who never came: afwezig in one step
    assert set(dialog.waive) == {"not_accorded"} and not dialog.absent.isEnabled()
    dialog.waive["not_accorded"].setChecked(True)
    dialog.close_out()  # the report is written off the GUI thread, with a busy indicator
    assert not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=20_000)
    assert dialog.report_path == target and stat.S_IMODE(target.stat().st_mode) == 0o600
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Sessierapport" in text and "Doses per partij" in text and "Handtekening" in text
    assert "Bewust overgeslagen" in text and "Niet gevaccineerd" in text
    assert closeout.checklist(services, session_id)  # still readable after close-out
    again = CloseOutDialog(services, session_id, ask_path=lambda suggested: None)
    qtbot.addWidget(again)
    again.close_out()
    assert "al afgesloten" in again.message.text()
