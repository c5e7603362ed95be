"""pytest-qt flows through the real window, dialogs and database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QToolBar, QToolButton

from app.domain.registration import ObjectionReason
from app.scanning.wedge import Scan
from app.services.child_details import ChildDetails, complete_child
from app.services.demo import demo_lot_list, seed_demo
from app.services.lots import replace_lot_list
from app.services.scans import Outcome
from app.services.sessions import create_session, list_sessions
from app.ui.dialogs import CorrectionChoice
from app.ui.find_child_dialog import FindChildDialog
from app.ui.scan_banner import IDLE_TEXT
from app.ui.scanner_test_dialog import ScannerTestDialog
from app.ui.session_setup_dialog import SessionSetupDialog
from app.ui.session_table_model import COLUMNS
from app.ui.status_query_dialog import StatusQueryDialog
from tests.conftest import TODAY, make_setup
from tests.store_access import connect
from tests.ui.conftest import complete_unnamed

BSNS = ["123456782", "999900183", "999901473", "999902003", "111222333"]


@pytest.fixture
def lots(gui_context):
    replace_lot_list(gui_context.services, demo_lot_list(TODAY, gui_context.services.now()), "test")


def fill_setup(dialog: SessionSetupDialog, mode_after=False, lot="DEMO-MACWY-01"):
    dialog.date.setDate(TODAY)
    dialog.org_name.setText("JGZ Testregio")
    dialog.org_id.setText("12345678")
    dialog.location.setText("Testschool")
    (dialog.after if mode_after else dialog.before).setChecked(True)
    row = dialog.rows[0]
    row.vaccine.setCurrentIndex(row.vaccine.findData("28"))
    row.lot.setEditText(lot)
    for other in dialog.rows[1:]:
        other.vaccine.setCurrentIndex(0)


def start_session(qtbot, window, mode_after=False, csv_path=None) -> int:
    dialog = SessionSetupDialog(window.context, window)
    qtbot.addWidget(dialog)
    fill_setup(dialog, mode_after)
    if csv_path:
        dialog.expected_file.setText(str(csv_path))
    dialog.start()
    assert dialog.result() == QDialog.Accepted, dialog.error.text()
    window.set_session(dialog.session_id)
    return dialog.session_id


def scan_into(qtbot, window, widget, bsn: str) -> None:
    """Type a scan as a wedge scanner does: a fast burst and Return, into whatever has focus."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    with qtbot.waitSignal(window.wedge.scanned, timeout=2000):
        qtbot.keyClicks(widget, bsn)
        qtbot.keyClick(widget, Qt.Key_Return)


def select(window, bsn: str) -> None:
    window.view.select_bsn(bsn)
    assert [c.bsn for c in window.selected_children()] == [bsn]


def db_rows(window, sql):
    return connect(window.context.db).execute(sql).fetchall()


def test_lot_validity_is_shown_and_expired_lot_refused(qtbot, make_window, lots):
    window = make_window()
    dialog = SessionSetupDialog(window.context, window)
    qtbot.addWidget(dialog)
    fill_setup(dialog, lot="DEMO-MACWY-01")
    assert dialog.rows[0].status.text().startswith("✔") and "geldig tot en met" in dialog.rows[0].status.text()
    offered = [dialog.rows[0].lot.itemText(i) for i in range(dialog.rows[0].lot.count())]
    assert "DEMO-MACWY-OLD" not in offered and "DEMO-MACWY-01" in offered
    dialog.rows[0].lot.setEditText("DEMO-MACWY-OLD")
    assert dialog.rows[0].status.text().startswith("✖") and "verlopen" in dialog.rows[0].status.text()
    dialog.start()
    assert dialog.session_id is None and "verlopen" in dialog.error.text()
    assert db_rows(window, "select count(*) from sessions") == [(0,)]


def test_overig_lot_needs_confirmation(qtbot, make_window, lots):
    window = make_window()
    answers = iter([False, True])
    dialog = SessionSetupDialog(window.context, window, confirm_fn=lambda *a: next(answers))
    qtbot.addWidget(dialog)
    fill_setup(dialog, lot="NIEUW-123")
    dialog.rows[0].manual.setChecked(True)
    assert not dialog.rows[0].manual.isChecked()
    dialog.rows[0].manual.setChecked(True)
    assert dialog.rows[0].manual.isChecked() and dialog.rows[0].status.text().startswith("✎")
    dialog.start()
    assert db_rows(window, "select lot_number, lot_manual from session_vaccines") == [("NIEUW-123", 1)]


def test_vooraf_end_to_end(qtbot, make_window, prompts, lots, tmp_path):
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam;Geboortedatum;Klas\n" + "".join(
        f"{b};Kind {i};01-0{i + 1}-2012;2A\n" for i, b in enumerate(BSNS[:4])), encoding="utf-8-sig")
    window = make_window()
    start_session(qtbot, window, csv_path=csv)
    assert window.view.model.rowCount() == 4
    for bsn in BSNS:
        scan_into(qtbot, window, window.view.search, bsn)
    assert window.view.search.text() == ""  # scans never end up in the search field
    assert window.banner.outcome is Outcome.NOT_EXPECTED  # 111222333 is not on the list
    assert window.view.model.rowCount() == 5

    select(window, BSNS[0])
    prompts.script("removal_reason", "Ziek")
    window.actions.all["remove"].trigger()
    select(window, BSNS[1])
    prompts.script("objection", ObjectionReason.MEDICAL)
    window.actions.all["objection"].trigger()
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    assert "4 kinderen" in prompts.asked[-1][1] and "MenACWY (partij DEMO-MACWY-01)" in prompts.asked[-1][1]
    assert prompts.errors == []
    assert sorted(db_rows(window, "select bsn from outbox")) == sorted((b,) for b in BSNS[1:])
    assert db_rows(window, f"select state, removal_reason from registrations where bsn = '{BSNS[0]}'") == [
        ("removed", "Ziek")]
    assert "Geaccordeerd 4" in window.view.counters.text()


def test_achteraf_end_to_end_with_manual_entry(qtbot, make_window, prompts, lots):
    window = make_window()
    start_session(qtbot, window, mode_after=True)
    for bsn in BSNS[:3]:
        scan_into(qtbot, window, window.view.table, bsn)
    window.view.manual.setText("12345678")  # 8 digits: padded, elfproef fails
    window.view.manual.returnPressed.emit()
    assert window.banner.outcome is Outcome.INVALID
    window.view.manual.setText("111222333")
    window.view.manual.returnPressed.emit()
    assert window.banner.outcome is Outcome.NEW and "accordeer na afloop" in window.banner.next_step.text()
    assert sorted(complete_unnamed(window, prompts)) == sorted([*BSNS[:3], "111222333"])
    window.view.select_bsn(BSNS[0])
    prompts.script("confirm", True)
    window.actions.all["accord_selected"].trigger()
    assert db_rows(window, "select bsn from outbox") == [(BSNS[0],)]
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    assert len(db_rows(window, "select bsn from outbox")) == 4


def accorded_window(qtbot, make_window, prompts):
    """Return a window with one child scanned, accorded and selected."""
    window = make_window()
    start_session(qtbot, window)
    scan_into(qtbot, window, window.view.search, BSNS[0])
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    select(window, BSNS[0])
    return window


def test_correction_before_sending(qtbot, make_window, prompts, lots):
    window = accorded_window(qtbot, make_window, prompts)
    prompts.script("correction", CorrectionChoice("vaccine_lot", "28", "DEMO-MACWY-02"))
    window.actions.all["correct"].trigger()
    assert prompts.errors == []
    assert db_rows(window, "select state from outbox") == [("withdrawn",)]
    assert db_rows(window, "select state, lot_number from registrations") == [("withdrawn", "DEMO-MACWY-02")]
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    assert db_rows(window, "select state from outbox order by id") == [("withdrawn",), ("pending",)]


def test_accorded_row_cannot_be_removed_without_correction(qtbot, make_window, prompts, lots):
    window = accorded_window(qtbot, make_window, prompts)
    prompts.script("removal_reason", "Ziek")
    window.actions.all["remove"].trigger()
    assert prompts.errors and "Corrigeren" in prompts.errors[-1]


def test_search_without_card_registers_child_from_earlier_session(qtbot, make_window, lots, tmp_path):
    csv = tmp_path / "l.csv"
    csv.write_text("BSN;Naam;Geboortedatum\n999902003;Lotte Zonderkaart;05-06-2012\n", encoding="utf-8")
    window = make_window()
    start_session(qtbot, window, csv_path=csv)
    second = start_session(qtbot, window)
    dialog = FindChildDialog(window.context.services, second, window)
    qtbot.addWidget(dialog)
    dialog.query.setText("zonderk")
    assert dialog.results.count() == 1 and "eerdere sessie" in dialog.results.item(0).text()
    dialog.choose()
    window.show_outcome(__import__("app.services.scans", fromlist=["record_scan"]).record_scan(
        window.context.services, second, dialog.chosen.bsn, source="manual", name=dialog.chosen.name,
        birth_date=dialog.chosen.birth_date))
    assert "Lotte Zonderkaart" in window.banner.detail.text()
    assert db_rows(window, f"select name, source from children where session_id = {second}") == [
        ("Lotte Zonderkaart", "manual")]


def test_undo_last_scan(qtbot, make_window, lots):
    window = make_window()
    start_session(qtbot, window)
    scan_into(qtbot, window, window.view.search, BSNS[0])
    window.actions.all["undo_scan"].trigger()
    assert db_rows(window, "select count(*) from registrations") == [(0,)]
    assert window.banner.title.text() == "Scan ongedaan gemaakt"


def test_every_action_has_a_visible_shortcut(make_window):
    window = make_window()
    for key, action in window.actions.all.items():
        assert not action.shortcut().isEmpty(), key
        assert action.shortcut().toString(QKeySequence.NativeText) in action.toolTip()


def test_window_fits_a_1366_by_768_screen(make_window):
    window = make_window()
    assert window.minimumSizeHint().width() <= 1366
    assert window.minimumSizeHint().height() <= 740


def test_whole_toolbar_fits_a_1366_by_768_window(qtbot, make_window):
    window = make_window()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    for toolbar in window.findChildren(QToolBar):
        qtbot.waitUntil(lambda toolbar=toolbar: toolbar.width() > 0)
        assert toolbar.sizeHint().width() <= window.width(), [a.iconText() for a in toolbar.actions()]
        extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert extension is None or not extension.isVisible()  # no action hidden behind the » button
        for action in toolbar.actions():
            assert toolbar.widgetForAction(action).isVisible(), action.iconText()
            assert action.shortcut().toString(QKeySequence.NativeText) in action.toolTip()


def test_lists_menu_offers_every_list_and_prints_with_ctrl_p(make_window):
    window = make_window()
    kinds = ("vaccinated", "not-vaccinated", "expected", "failures")
    assert {f"{k}:{w}" for k in kinds for w in ("print", "preview", "pdf", "csv")} == set(window.report_actions)
    assert window.report_actions["vaccinated:print"].shortcut().toString() == "Ctrl+P"


def test_columns_keep_readable_widths_after_filter_and_search_changes(qtbot, make_window, gui_context):
    seed_demo(gui_context.services, 12)
    window = make_window()
    view = window.view
    header = view.table.horizontalHeader()
    metrics = view.table.fontMetrics()
    model = view.model

    def needed(column: int) -> int:
        return max(metrics.horizontalAdvance(model.index(row, column).data()) for row in range(model.rowCount()))

    before = [header.sectionSize(column) for column in range(5)]
    # Reload (as every action does) while a tab or search shows few or no rows, then show everything again.
    for tab in range(view.tabs.count()):
        view.tabs.setCurrentIndex(tab)
        window.refresh()
    view.search.setText("zzzz")
    window.refresh()
    view.search.clear()
    view.tabs.setCurrentIndex(0)
    assert view.proxy.rowCount() == model.rowCount()
    for column in range(5):  # the last column stretches
        assert header.sectionSize(column) >= needed(column), COLUMNS[column]
    assert header.sectionSize(2) >= metrics.horizontalAdvance("1234.56.782")
    assert [header.sectionSize(column) for column in range(5)] == before


def test_accord_confirmation_names_vaccines_lots_and_counts_objections_per_child(qtbot, make_window, prompts,
                                                                                 gui_context):
    services = gui_context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    window = make_window()
    window.set_session(create_session(services, make_setup(vaccines=(("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07")))))
    for bsn in BSNS[:3]:
        scan_into(qtbot, window, window.view.table, bsn)
    select(window, BSNS[0])  # two registrations (MenACWY and DTP), one child
    prompts.script("objection", ObjectionReason.DECLINED)
    window.actions.all["objection"].trigger()
    prompts.script("confirm", False)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    text = prompts.asked[-1][1]
    assert text.startswith("U accordeert 3 kinderen voor ")
    assert "MenACWY (partij DEMO-MACWY-01)" in text and "DTP (partij DEMO-DTP-07)" in text
    assert "Daarvan 1 kind met bezwaar (DTP en MenACWY), gemeld zonder partij." in text

    select(window, BSNS[0])
    prompts.script("confirm", False)
    complete_unnamed(window, prompts)
    window.actions.all["accord_selected"].trigger()
    assert prompts.asked[-1][1].startswith("U accordeert 1 kind met bezwaar (DTP en MenACWY), gemeld zonder partij.")
    assert db_rows(window, "select count(*) from outbox") == [(0,)]


def test_every_counter_has_the_name_and_count_of_its_filter_tab(qtbot, make_window, gui_context):
    seed_demo(gui_context.services, 30)
    window = make_window()
    view = window.view
    counters = dict(part.rsplit(" ", 1) for part in view.counters.text().split(" · "))
    assert counters.pop("Verwacht") == "30"
    tabs = {}
    for tab in range(1, view.tabs.count()):  # "Alle" needs no counter
        view.tabs.setCurrentIndex(tab)
        tabs[view.tabs.tabText(tab)] = str(view.proxy.rowCount())
    assert counters == tabs
    assert int(tabs["Gescand"]) > 0 and int(tabs["Nog niet gescand"]) > 0 and int(tabs["Geaccordeerd"]) > 0
    view.tabs.setCurrentIndex([view.tabs.tabText(t) for t in range(view.tabs.count())].index("Nog niet gescand"))
    assert {view.proxy.index(row, 4).data() for row in range(view.proxy.rowCount())} == {"○ nog niet gescand"}


def test_correcting_an_acknowledged_child_is_refused_before_any_question(qtbot, make_window, prompts, lots,
                                                                        start_receiver):
    window = accorded_window(qtbot, make_window, prompts)
    window.context.settings.outbox.url_acceptatie = start_receiver().url()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    assert db_rows(window, "select state from outbox") == [("acknowledged",)]
    select(window, BSNS[0])
    asked = len(prompts.asked)
    window.actions.all["correct"].trigger()  # no correction answer is scripted: asking would fail the test
    assert len(prompts.asked) == asked
    assert prompts.errors and "al verzonden en bevestigd" in prompts.errors[-1] and "RIVM-RCP" in prompts.errors[-1]
    assert db_rows(window, "select state from registrations") == [("acknowledged",)]
    assert db_rows(window, "select count(*) from audit_log where action = 'correction_after_send_refused'") == [(1,)]


def test_banner_returns_to_neutral_when_another_session_is_opened(qtbot, make_window, prompts, lots):
    window = make_window()
    first = start_session(qtbot, window)
    second = start_session(qtbot, window)
    scan_into(qtbot, window, window.view.table, BSNS[0])
    assert window.banner.outcome is Outcome.NEW and BSNS[0][:4] in window.banner.detail.text()
    labels = [s.id for s in list_sessions(window.context.services)]
    prompts.script("choose", labels.index(first))
    prompts.script("confirm", True)  # the scanned child is not accorded yet: leave it anyway
    window.actions.all["open_session"].trigger()
    assert "1 kind van deze sessie is gescand" in prompts.asked[-1][1]
    assert window.session_id == first
    assert window.banner.outcome is None and window.banner.title.text() == "Klaar"
    assert window.banner.detail.text() == IDLE_TEXT and window.banner.next_step.text() == ""
    assert second != first


def test_scan_clears_the_search_and_selects_the_scanned_child(qtbot, make_window, lots, tmp_path):
    csv = tmp_path / "lijst.csv"
    csv.write_text("BSN;Naam;Geboortedatum;Klas\n" + "".join(
        f"{b};Kind {i};01-0{i + 1}-2012;2A\n" for i, b in enumerate(BSNS[:4])), encoding="utf-8-sig")
    window = make_window()
    start_session(qtbot, window, csv_path=csv)
    view = window.view
    view.tabs.setCurrentIndex([view.tabs.tabText(t) for t in range(view.tabs.count())].index("Nog niet gescand"))
    view.search.setText("Kind 1")
    assert view.proxy.rowCount() == 1
    scan_into(qtbot, window, view.table, BSNS[3])  # "Kind 3": hidden by the search
    assert window.banner.outcome is Outcome.NEW
    assert view.search.text() == "" and view.proxy.rowCount() == 4
    assert [c.bsn for c in window.selected_children()] == [BSNS[3]]
    index = view.table.selectionModel().selectedRows()[0]
    assert view.table.visualRect(index).intersects(view.table.viewport().rect())


def test_bsn_is_shown_in_one_format_everywhere(qtbot, make_window, prompts, lots):
    shown = "1234.56.782"  # BSNS[0] as format_bsn writes it
    window = make_window()
    start_session(qtbot, window)  # no expected list: the scanned child has no name, so the BSN stands in
    scan_into(qtbot, window, window.view.table, BSNS[0])
    assert f"BSN {shown}" in window.banner.detail.text()
    assert window.view.model.index(window.view.model.row_of_bsn(BSNS[0]), COLUMNS.index("BSN")).data() == shown
    select(window, BSNS[0])
    prompts.script("removal_reason", None)
    window.actions.all["remove"].trigger()
    assert prompts.asked[-1] == ("removal_reason", [shown])
    dialog = StatusQueryDialog(window.context, BSNS[0], window)
    qtbot.addWidget(dialog)
    assert dialog.bsn.text() == shown
    tester = ScannerTestDialog(window.context.settings.scanner, window.wedge, window)
    qtbot.addWidget(tester)
    tester.show_scan(Scan(BSNS[0], "\r", 40.0, 10.0))
    assert f"Gevonden BSN: {shown}." in tester.report.toPlainText()
    window.actions.all["undo_scan"].trigger()
    assert window.banner.detail.text() == f"BSN {shown} is uit de sessie gehaald (stond niet op de lijst)."


def accorded_with_two_vaccines(make_window):
    """Return a window with one child accorded for MenACWY and DTP (one message) and selected, and its DTP row."""
    from app.services.accord import accord
    from app.services.scans import record_scan
    from app.services.sessions import create_session
    from tests.conftest import make_setup

    window = make_window()
    services = window.context.services
    session_id = create_session(services, make_setup(vaccines=(("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07"))))
    record_scan(services, session_id, BSNS[0])
    complete_child(services, session_id, BSNS[0], ChildDetails("Sanne de Vries", TODAY.replace(year=2012), "F", ""))
    accord(services, session_id)
    window.set_session(session_id)
    select(window, BSNS[0])
    (child,) = window.selected_children()
    return window, next(r for r in child.registrations if r.vaccine_code == "02")


def test_correction_changes_the_vaccination_the_nurse_chose(qtbot, make_window, prompts, lots):
    window, dtp = accorded_with_two_vaccines(make_window)
    prompts.script("correction", CorrectionChoice("vaccine_lot", "09", "DEMO-HPV-11", registration_id=dtp.id))
    window.actions.all["correct"].trigger()
    assert prompts.errors == []
    rows = db_rows(window, "select id, vaccine_code, lot_number from registrations order by id")
    assert (dtp.id, "09", "DEMO-HPV-11") in rows  # the DTP registration was corrected (wrong vaccine)
    assert any(code == "28" and lot == "DEMO-MACWY-01" for _id, code, lot in rows)  # MenACWY left alone
    targets = prompts.asked[-1][1][1]
    assert [t.vaccine_code for t in targets] == ["28", "02"]  # the dialog offered both vaccinations


def test_not_given_for_one_vaccine_tells_to_accord_the_other_again(qtbot, make_window, prompts, lots):
    window, dtp = accorded_with_two_vaccines(make_window)
    prompts.script("correction", CorrectionChoice("not_given", reason="Toch niet gegeven", registration_id=dtp.id,
                                                  registration_ids=(dtp.id,)))
    window.actions.all["correct"].trigger()
    assert prompts.errors == []
    assert "Accordeer ook MenACWY opnieuw" in window.banner.detail.full_text
