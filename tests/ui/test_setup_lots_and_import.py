"""Session setup on a new database (fetch or import the lot list in place) and the skipped lines of an import."""

from __future__ import annotations

import socket
from datetime import datetime

from app.outbox.hl7.prmm import build_prmm_in010043
from app.outbox.receiver.praeventis import STAND_IN
from app.outbox.xmlsafe import serialise
from app.resources import shipped_catalogue
from app.services.demo import demo_lot_list
from app.services.lots import current_lot_list, replace_lot_list
from app.ui.import_report_dialog import ImportProblemsDialog
from app.ui.session_setup_dialog import SessionSetupDialog
from tests.conftest import TODAY

from .test_session_flows import fill_setup

CSV = ("BSN;Naam;Geboortedatum;Klas\n"
       "123456782;Kind Goed;01-02-2012;2A\n"
       "123456789;Kind Elfproef;01-03-2012;2A\n"
       "999900183;Kind Ook Goed;01-04-2012;2A\n"
       "999901473;Kind Toekomst;01-05-2099;2A\n")


def lot_file(tmp_path, received: datetime):
    """Write the demo lots valid on TODAY as the receiver's PRMM_IN010043NL message."""
    message = build_prmm_in010043(demo_lot_list(TODAY, received), "2d1f6f1e-7d43-4a39-8d54-27d1a3c0a001", received,
                                  STAND_IN, shipped_catalogue())
    path = tmp_path / "partijen.xml"
    path.write_text(serialise(message), encoding="utf-8")
    return path


def new_setup(qtbot, window, prompts) -> SessionSetupDialog:
    dialog = SessionSetupDialog(window.context, window, prompts=prompts)
    qtbot.addWidget(dialog)
    fill_setup(dialog, lot="")
    return dialog


def offered(row) -> list[str]:
    return [row.lot.itemText(i) for i in range(row.lot.count())]


def test_setup_on_a_new_database_fetches_the_lot_list_and_refreshes_the_lots_in_place(qtbot, make_window, prompts,
                                                                                    gui_context, start_receiver,
                                                                                    tmp_path):
    window = make_window()
    assert current_lot_list(gui_context.services).received_at is None
    dialog = new_setup(qtbot, window, prompts)
    row = dialog.rows[0]
    assert offered(row) == [] and "Importeer of haal een partijlijst op" in dialog.lot_warning.text()
    assert dialog.fetch_lots_button.text() == "Partijlijst o&phalen"  # Alt+O is Organisatie
    assert dialog.import_lots_button.text() == "Partijlijst &importeren…"
    server = start_receiver(lots_file=lot_file(tmp_path, gui_context.services.now()))
    gui_context.settings.outbox.url_acceptatie = server.url()
    dialog.fetch_lots_button.click()
    assert not dialog.fetch_lots_button.isEnabled() and dialog.lot_note.text() == "Partijlijst ophalen…"
    qtbot.waitUntil(lambda: dialog.fetch_lots_button.isEnabled(), timeout=20000)
    assert "Partijlijst vervangen: 7 partijen" in dialog.lot_note.text()
    assert dialog.lot_warning.text() == ""
    assert "DEMO-MACWY-01" in offered(row) and "DEMO-MACWY-OLD" not in offered(row)
    assert row.lot.currentText() == ""  # two valid MenACWY lots: the nurse chooses, none is picked for her
    row.lot.setEditText("DEMO-MACWY-01")
    assert row.status.text().startswith("✔")
    dialog.start()
    assert dialog.session_id is not None, dialog.error.text()


def test_setup_imports_a_lot_file_and_keeps_the_lot_already_typed(qtbot, make_window, prompts, gui_context,
                                                                 tmp_path):
    window = make_window()
    dialog = new_setup(qtbot, window, prompts)
    row = dialog.rows[0]
    row.lot.setEditText("DEMO-MACWY-02")
    assert row.status.text().startswith("?")  # not known: there is no list yet
    prompts.script("open_file", str(lot_file(tmp_path, gui_context.services.now())))
    dialog.import_lots_button.click()
    assert "DEMO-MACWY-01" in offered(row) and row.lot.currentText() == "DEMO-MACWY-02"
    assert row.status.text().startswith("✔") and dialog.lot_warning.text() == ""
    broken = tmp_path / "kapot.xml"
    broken.write_text("<PRMM_IN010043NL><oeps", encoding="utf-8")
    prompts.script("open_file", str(broken))
    dialog.import_lots_button.click()
    assert dialog.lot_note.text().startswith("✖") and "DEMO-MACWY-01" in offered(row)


def test_failed_fetch_says_why_in_the_dialog_and_allows_another_try(qtbot, make_window, prompts, gui_context):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        gui_context.settings.outbox.url_acceptatie = f"http://127.0.0.1:{probe.getsockname()[1]}/praeventis"
    window = make_window()
    dialog = new_setup(qtbot, window, prompts)
    dialog.fetch_lots()
    qtbot.waitUntil(lambda: dialog.fetch_lots_button.isEnabled(), timeout=20000)
    assert dialog.lot_note.text().startswith("✖") and "Traceback" not in dialog.lot_note.text()
    assert offered(dialog.rows[0]) == [] and prompts.errors == []


def start_with_expected_list(qtbot, make_window, prompts, gui_context, tmp_path):
    """Start a session from the setup dialog with CSV as its expected list; return window, dialog and the file."""
    replace_lot_list(gui_context.services, demo_lot_list(TODAY, gui_context.services.now()), "test")
    csv = tmp_path / "lijst.csv"
    csv.write_text(CSV, encoding="utf-8")
    window = make_window()
    dialog = new_setup(qtbot, window, prompts)
    dialog.rows[0].lot.setEditText("DEMO-MACWY-01")
    dialog.expected_file.setText(str(csv))
    dialog.start()
    return window, dialog, csv


def test_skipped_lines_of_the_expected_list_are_listed_with_line_and_reason(qtbot, make_window, prompts,
                                                                           gui_context, tmp_path):
    window, dialog, csv = start_with_expected_list(qtbot, make_window, prompts, gui_context, tmp_path)
    assert dialog.session_id is not None, dialog.error.text()
    ((summary, problems),) = [detail for question, detail in prompts.asked if question == "import_problems"]
    assert "2 regels overgeslagen" in summary
    assert [line for line, _reason in problems] == [3, 5]
    assert "elfproef" in problems[0][1].lower() and "toekomst" in problems[1][1]

    # The same from Sessie › Verwachte kinderen importeren, in the window.
    window.set_session(dialog.session_id)
    prompts.script("open_file", str(csv))
    window.actions.all["import_expected"].trigger()
    assert prompts.errors == []
    assert [a[1][1] for a in prompts.asked if a[0] == "import_problems"][-1] == problems
    assert "2 regels overgeslagen" in window.banner.detail.full_text


def test_problems_dialog_shows_every_line_number_and_reason(qtbot, gui_context):
    from app.services.expected_list import parse_expected_csv

    _children, problems = parse_expected_csv(CSV.encode("utf-8"), TODAY)
    dialog = ImportProblemsDialog("2 kinderen ingelezen. 2 regels overgeslagen.", problems)
    qtbot.addWidget(dialog)
    table = dialog.table
    shown = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert shown == [("3", problems[0].reason), ("5", problems[1].reason)]
    assert table.horizontalHeaderItem(0).text() == "Regel" and table.horizontalHeaderItem(1).text() == "Reden"
    dialog.copy()
    assert f"Regel 5: {problems[1].reason}" in dialog.as_text()


def test_a_registered_child_whose_data_differ_is_listed_and_left_as_it_is(qtbot, make_window, prompts,
                                                                          gui_context, tmp_path):
    from app.services.overview import child_overview
    from app.services.scans import record_scan

    window, dialog, csv = start_with_expected_list(qtbot, make_window, prompts, gui_context, tmp_path)
    window.set_session(dialog.session_id)
    record_scan(gui_context.services, dialog.session_id, "123456782")
    csv.write_text(CSV.replace("Kind Goed", "Iemand Anders"), encoding="utf-8")
    prompts.script("open_file", str(csv))
    window.actions.all["import_expected"].trigger()
    notes = [a[1][1] for a in prompts.asked if a[0] == "import_problems"][-1]
    assert any("al geregistreerd" in reason for _line, reason in notes), notes
    assert child_overview(gui_context.services, dialog.session_id, "123456782").name == "Kind Goed"
