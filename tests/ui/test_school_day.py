"""A real school day at the table (issue 13): children without a card and an outcome per vaccine.

Through the real window, dialogs' services and database: taken out or objected to without a scan, accorded and
queued as HL7v3 messages; 'got DTP, not MenACWY' in a few keys.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication

from app.domain.bsn import format_bsn
from app.domain.registration import ObjectionReason
from app.reports.csv_export import report_csv
from app.reports.model import expected_report, not_vaccinated_report, vaccinated_report
from app.services.child_details import ChildDetails, complete_child
from app.services.demo import demo_bsns, demo_lot_list
from app.services.expected_list import import_expected_list
from app.services.lots import replace_lot_list
from app.services.overview import session_overview
from app.services.scans import Outcome
from app.services.sessions import create_session
from app.ui.dialogs import ObjectionDialog, ReasonChoice, RemovalDialog, VaccineOption
from app.ui.find_child_dialog import FindChildDialog
from app.ui.session_setup_dialog import SessionSetupDialog
from tests.conftest import TODAY, make_setup
from tests.store_access import connect
from tests.ui.keys import timed, type_timed

NS = {"h": "urn:hl7-org:v3"}
MENACWY, DTP = "28", "02"
NAMES = ("Emre Yılmaz", "Joëlle de Vries", "Zoë Bakker", "Mert Öztürk", "Daan Jansen", "Sanne Visser")
CLASSES = ("8A", "8A", "8B", "8B", "8C", "8C")


@pytest.fixture
def day(qtbot, make_window, gui_context):
    """A window on a two-vaccine session (MenACWY + DTP) with six expected children, none scanned yet."""
    services = gui_context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")
    session_id = create_session(services, make_setup(vaccines=((MENACWY, "DEMO-MACWY-01"), (DTP, "DEMO-DTP-07"))))
    bsns = demo_bsns(len(NAMES))
    rows = "".join(f"{b};{n};14-01-2012;V;1234 AB;{k}\n" for b, n, k in zip(bsns, NAMES, CLASSES, strict=True))
    import_expected_list(services, session_id, ("BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas\n" + rows)
                         .encode("utf-8"), "test")
    window = make_window()
    window.set_session(session_id)
    return window, dict(zip(NAMES, bsns, strict=True))


def select(window, bsn: str) -> None:
    window.view.select_bsn(bsn)
    assert [c.bsn for c in window.selected_children()] == [bsn]


def db_rows(window, sql, *args):
    return connect(window.context.db).execute(sql, args).fetchall()


def registrations(window, bsn):
    return db_rows(window, "select vaccine_code, state, source, lot_number, removal_reason, objection_reason "
                           "from registrations where bsn = ? order by vaccine_code", bsn)


def payload(window, bsn) -> etree._Element:
    (text,) = db_rows(window, "select payload from outbox where bsn = ?", bsn)[0]
    return etree.fromstring(text.encode("utf-8"))


def events(message) -> dict[str, tuple[str | None, list[str]]]:
    """Return per vaccine code in the message: (negationInd, lot numbers)."""
    found = {}
    for event in message.xpath("//h:substanceAdministrationEvent", namespaces=NS):
        (code,) = event.xpath(".//h:administrableMedicine/h:code/@code", namespaces=NS)
        lots = event.xpath(".//h:lotNumberText/text()", namespaces=NS)
        found[code] = (event.get("negationInd"), lots)
    return found


def accord_all(window, prompts) -> str:
    prompts.script("confirm", True)
    window.actions.all["accord_all"].trigger()
    question, text = prompts.asked[-1]
    assert question == "confirm", prompts.errors
    return text


def test_absent_and_objection_work_on_children_never_scanned_and_reach_the_message(qtbot, day, prompts):
    window, bsn = day
    absent, letter, scanned = bsn["Daan Jansen"], bsn["Sanne Visser"], bsn["Zoë Bakker"]

    select(window, absent)
    prompts.script("removal_reason", "Afwezig")
    window.actions.all["remove"].trigger()
    assert not prompts.errors
    assert "Afwezig" in window.banner.detail.text()
    select(window, letter)
    prompts.script("objection", ObjectionReason.DECLINED)
    window.actions.all["objection"].trigger()
    assert not prompts.errors

    # Both are registered without a scan and without a lot; neither counts as scanned or vaccinated.
    assert registrations(window, absent) == [(DTP, "removed", "no_card", "", "Afwezig", None),
                                             (MENACWY, "removed", "no_card", "", "Afwezig", None)]
    assert registrations(window, letter) == [(DTP, "objection", "no_card", "", None, "2"),
                                             (MENACWY, "objection", "no_card", "", None, "2")]
    by_bsn = {c.bsn: c for c in window.view.model.rows}
    assert by_bsn[absent].status_label == "niet gevaccineerd"
    assert by_bsn[letter].status_label == "bezwaar (principieel)"
    counters = session_overview(window.context.services, window.session_id).counters
    assert (counters.scanned, counters.missing, counters.removed, counters.objections) == (0, 4, 1, 1)

    # The card of a third child is scanned as usual; the accord covers the objection too.
    window.handle_scanned_text(scanned)
    assert window.banner.outcome is Outcome.NEW
    text = accord_all(window, prompts)
    assert "2 kinderen" in text and "met bezwaar" in text
    assert db_rows(window, "select count(*) from outbox where bsn = ?", absent) == [(0,)]
    assert [state for _, state, *_ in registrations(window, absent)] == ["removed", "removed"]
    assert [state for _, state, *_ in registrations(window, letter)] == ["queued", "queued"]

    objection = events(payload(window, letter))
    assert objection == {MENACWY: ("true", []), DTP: ("true", [])}  # negated, never with a lot
    given = events(payload(window, scanned))
    assert given == {MENACWY: (None, ["DEMO-MACWY-01"]), DTP: (None, ["DEMO-DTP-07"])}

    # On paper: neither was scanned nor vaccinated; both are on the not-vaccinated list with their reason.
    services = window.context.services
    missing = {row.cells[2] for row in expected_report(services, window.session_id).sections[0].rows}
    assert {absent, letter} <= missing and scanned not in missing
    assert {row.cells[2] for row in vaccinated_report(services, window.session_id).rows} == {scanned}
    reasons = {row.cells[2]: row.cells[4] for row in not_vaccinated_report(services, window.session_id).rows}
    assert reasons == {absent: "Afwezig", letter: "bezwaar: afzien van deelname"}

    # The card of the absent child turns up later: the scan changes nothing by itself and says why.
    window.handle_scanned_text(absent)
    assert window.banner.title.text() == "Al geregistreerd"
    assert "zonder scan" in window.banner.next_step.full_text
    assert [state for _, state, *_ in registrations(window, absent)] == ["removed", "removed"]


def test_put_back_returns_an_unscanned_child_to_to_do_and_undo_skips_it(qtbot, day, prompts):
    window, bsn = day
    absent, other = bsn["Daan Jansen"], bsn["Emre Yılmaz"]
    window.handle_scanned_text(other)
    select(window, absent)
    prompts.script("removal_reason", "Ziek")
    window.actions.all["remove"].trigger()
    # Undo takes back the last scan, not the child taken out without one.
    window.actions.all["undo_scan"].trigger()
    assert not prompts.errors and registrations(window, other) == []
    assert len(registrations(window, absent)) == 2
    select(window, absent)
    window.actions.all["restore"].trigger()
    assert not prompts.errors and registrations(window, absent) == []
    assert {c.bsn: c.status_label for c in window.view.model.rows}[absent] == "nog niet gescand"


def test_got_dtp_not_menacwy_in_a_few_keys_through_accord_lists_and_message(qtbot, day, prompts):
    window, bsn = day
    partly, letter = bsn["Emre Yılmaz"], bsn["Joëlle de Vries"]
    window.handle_scanned_text(partly)
    select(window, partly)
    prompts.script("removal_reason", ReasonChoice("Ziek", (MENACWY,)))
    window.actions.all["remove"].trigger()
    assert [(o.code, o.checked) for o in prompts.offered] == [(MENACWY, True), (DTP, True)]
    assert window.banner.detail.text().endswith("(MenACWY): Ziek")
    assert [(code, state) for code, state, *_ in registrations(window, partly)] == [(DTP, "scanned"),
                                                                                   (MENACWY, "removed")]

    # A parent's letter objects to MenACWY only; later the child's card is scanned and it gets DTP.
    select(window, letter)
    prompts.script("objection", ReasonChoice(ObjectionReason.MEDICAL, (MENACWY,)))
    window.actions.all["objection"].trigger()
    window.handle_scanned_text(letter)
    assert window.banner.outcome is Outcome.NEW
    assert "MenACWY: bezwaar (medisch), niet geven" in window.banner.next_step.full_text
    assert [(code, state, source) for code, state, source, *_ in registrations(window, letter)] == [
        (DTP, "scanned", "scan"), (MENACWY, "objection", "no_card")]
    row = {c.bsn: c for c in window.view.model.rows}[letter]
    assert row.objection_label == "bezwaar (medisch) voor MenACWY"

    window.handle_scanned_text(bsn["Mert Öztürk"])  # gets both
    text = accord_all(window, prompts)
    assert text.startswith("U accordeert 3 kinderen voor DTP (partij DEMO-DTP-07) en MenACWY (partij "
                           "DEMO-MACWY-01) bij 1 kind. Daarvan 1 kind met bezwaar (MenACWY)"), text
    assert events(payload(window, partly)) == {DTP: (None, ["DEMO-DTP-07"])}
    assert events(payload(window, letter)) == {MENACWY: ("true", []), DTP: (None, ["DEMO-DTP-07"])}

    services = window.context.services
    given = {row.cells[2]: row.cells[3] for row in vaccinated_report(services, window.session_id).rows}
    assert given == {partly: "DTP", letter: "DTP", bsn["Mert Öztürk"]: "MenACWY, DTP"}
    report = not_vaccinated_report(services, window.session_id)
    missed = {row.cells[2]: (row.cells[3], row.cells[4]) for row in report.rows}
    assert missed == {partly: ("MenACWY", "Ziek"), letter: ("MenACWY", "bezwaar: medisch bezwaar")}
    csv = report_csv(report).decode("utf-8-sig")
    assert "MenACWY" in csv and "Ziek" in csv

    # After the accord only what is still open is offered ticked; DTP of this child is in a message now.
    select(window, partly)
    prompts.script("removal_reason", None)
    window.actions.all["remove"].trigger()
    assert [(o.code, o.checked) for o in prompts.offered] == [(MENACWY, True), (DTP, False)]


def test_the_dialogs_ask_for_which_vaccines_only_in_a_session_with_more(qtbot):
    vaccines = [VaccineOption(MENACWY, "MenACWY"), VaccineOption(DTP, "DTP")]
    removal = RemovalDialog(["Zoë Bakker"], vaccines=vaccines)
    qtbot.addWidget(removal)
    (_, menacwy), (_, dtp) = removal.vaccines.boxes
    assert removal.choice() == ReasonChoice("Afwezig", (MENACWY, DTP))
    dtp.setChecked(False)
    assert removal.choice().vaccine_codes == (MENACWY,)
    menacwy.setChecked(False)
    assert not removal.ok_button.isEnabled()  # nothing ticked: nothing to take out
    objection = ObjectionDialog(["Zoë Bakker"], vaccines=vaccines)
    qtbot.addWidget(objection)
    objection.declined.setChecked(True)
    assert objection.ok_button.isEnabled() and objection.choice() == ReasonChoice(ObjectionReason.DECLINED,
                                                                                   (MENACWY, DTP))
    single = RemovalDialog(["Zoë Bakker"], vaccines=vaccines[:1])
    qtbot.addWidget(single)
    assert single.vaccines.boxes == [] and single.choice().vaccine_codes is None


# -- finding a child (item 4) ----------------------------------------------------------------------------------
def shown(window) -> set[str]:
    proxy = window.view.proxy
    return {proxy.index(row, 0).data() for row in range(proxy.rowCount())}


@pytest.mark.parametrize(("typed", "found"), [
    ("yilmaz", {"Emre Yılmaz"}), ("joelle", {"Joëlle de Vries"}), ("ZOE", {"Zoë Bakker"}),
    ("ozturk", {"Mert Öztürk"}), ("öztürk", {"Mert Öztürk"}), ("klas 8b", {"Zoë Bakker", "Mert Öztürk"}),
    ("8c", {"Daan Jansen", "Sanne Visser"}), ("8a joelle", {"Joëlle de Vries"}), ("klas 8a zoe", set()),
])
def test_the_table_search_ignores_accents_and_case_and_knows_classes(qtbot, day, typed, found):
    window, _ = day
    window.view.search.setText(typed)
    assert shown(window) == found


def test_dates_in_every_usual_form_find_the_child(qtbot, day, gui_context):
    window, bsn = day
    services = gui_context.services
    complete_child(services, window.session_id, bsn["Zoë Bakker"], ChildDetails("Zoë Bakker", date(2012, 1, 4), "F",
                                                                                "1234 AB"))
    window.refresh()
    for typed in ("04012012", "4-1-2012", "04.01.2012", "4/1/2012", "2012-01-04", "040112"):
        window.view.search.setText(typed)
        assert shown(window) == {"Zoë Bakker"}, typed
    window.view.search.setText("14-01-2012")
    assert len(shown(window)) == len(NAMES) - 1
    window.view.search.setText(bsn["Zoë Bakker"][:5] + "." + bsn["Zoë Bakker"][5:])  # as printed, partly
    assert "Zoë Bakker" in shown(window)


def test_the_class_filter_and_the_find_dialog(qtbot, day, gui_context):
    window, bsn = day
    group = window.view.group
    assert [group.itemText(i) for i in range(group.count())] == ["Alle klassen", "Klas 8A", "Klas 8B", "Klas 8C"]
    group.setCurrentIndex(group.findData("8B"))
    assert shown(window) == {"Zoë Bakker", "Mert Öztürk"}
    window.handle_scanned_text(bsn["Daan Jansen"])  # a scanned child of another class is shown anyway
    assert group.currentIndex() == 0 and [c.bsn for c in window.selected_children()] == [bsn["Daan Jansen"]]

    dialog = FindChildDialog(gui_context.services, window.session_id, window)
    qtbot.addWidget(dialog)
    for typed, name in (("zoe", "Zoë Bakker"), ("yilmaz", "Emre Yılmaz"), ("JOELLE", "Joëlle de Vries")):
        dialog.query.setText(typed)
        assert dialog.results.count() == 1 and dialog.results.item(0).text().startswith(name), typed


def test_typing_a_name_in_the_table_jumps_to_that_child(qtbot, day):
    window, bsn = day
    table = window.view.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    # Typed by hand (keys 250 ms apart, no burst a scanner makes): "oz" is Öztürk, a word of the name.
    type_timed(table, timed("oz", per_key=250))
    qtbot.waitUntil(lambda: [c.bsn for c in window.selected_children()] == [bsn["Mert Öztürk"]])
    assert table.currentIndex().row() == window.view.proxy.mapFromSource(
        window.view.model.index(window.view.model.row_of_bsn(bsn["Mert Öztürk"]), 0)).row()


def test_a_name_typed_after_a_dialog_is_a_new_search_however_quick(qtbot, day):
    window, bsn = day
    table = window.view.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    type_timed(table, timed("oz", start=50_000, per_key=250))
    qtbot.waitUntil(lambda: [c.bsn for c in window.selected_children()] == [bsn["Mert Öztürk"]])
    qtbot.waitUntil(lambda: not window.wedge.classifier.holding)  # "z" reached the table too
    window.view.search.setFocus()  # as a dialog takes the keyboard (Ctrl+D) and gives it back, within a moment
    qtbot.waitUntil(window.view.search.hasFocus)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    type_timed(table, timed("da", start=60_000, per_key=250))  # not "ozda": the next child's name
    qtbot.waitUntil(lambda: [c.bsn for c in window.selected_children()] == [bsn["Daan Jansen"]])


# -- nothing forgotten (item 9) --------------------------------------------------------------------------------
def test_leaving_with_children_not_accorded_asks_first_naming_how_many(qtbot, day, prompts):
    window, bsn = day
    assert window.may_leave("afsluiten")  # nothing scanned: no question
    assert prompts.asked == []
    window.handle_scanned_text(bsn["Zoë Bakker"])
    window.handle_scanned_text(bsn["Emre Yılmaz"])
    select(window, bsn["Sanne Visser"])
    prompts.script("objection", ObjectionReason.MEDICAL)  # an objection letter must be accorded too
    window.actions.all["objection"].trigger()

    # Closing the window as the user does (window button: the close event reaches the window from outside, so
    # Qt marks it spontaneous): asked, and refused, the window stays.
    prompts.script("confirm", False)
    QApplication.sendEvent(window.windowHandle(), QCloseEvent())
    question, text = prompts.asked[-1]
    assert question == "confirm" and text.startswith("3 kinderen van deze sessie zijn gescand of met bezwaar")
    assert window.isVisible()

    prompts.script("confirm", False)
    window.switch_database(window.context.db.path)  # what Extra › Afmelden does (greyed out without users here)
    assert "Toch afmelden?" in prompts.asked[-1][1] and window.next_database is None and window.isVisible()

    prompts.script("confirm", False)
    window.actions.all["new_session"].trigger()  # refused: the setup dialog is not even opened
    assert "Toch een nieuwe sessie starten?" in prompts.asked[-1][1]

    accord_all(window, prompts)
    asked = len(prompts.asked)
    window.switch_database(window.context.db.path)  # all accorded: no question
    assert len(prompts.asked) == asked and window.next_database == window.context.db.path


# -- words that match the mode (item 7) and manual entry as printed (item 10) -----------------------------------
def test_vooraf_says_accord_then_vaccinate_and_undo_names_the_child_and_its_state(qtbot, day):
    window, bsn = day  # the session of `day` is 'vooraf'
    window.handle_scanned_text(bsn["Zoë Bakker"])
    assert window.banner.next_step.full_text.endswith("Accordeer, en vaccineer het kind daarna.")
    window.actions.all["undo_scan"].trigger()
    assert window.banner.detail.full_text == (f"Zoë Bakker (BSN {format_bsn(bsn['Zoë Bakker'])}) staat weer op "
                                              "'nog niet gescand'.")


@pytest.mark.parametrize("typed", [format_bsn, lambda b: f"{b[:4]} {b[4:6]} {b[6:]}", str])
def test_manual_entry_takes_the_bsn_as_printed(qtbot, day, typed):
    window, bsn = day
    number = bsn["Mert Öztürk"]
    outcome = window.handle_manual_entry(typed(number))
    assert outcome.outcome is Outcome.NEW and outcome.bsn == number


# -- lots in the setup dialog (item 6) -------------------------------------------------------------------------
def test_setup_does_not_pick_one_of_two_valid_lots_and_names_the_lot_s_vaccine(qtbot, make_window, gui_context):
    services = gui_context.services
    replace_lot_list(services, demo_lot_list(TODAY, services.now()), "test")  # no lot chosen today yet
    window = make_window()
    dialog = SessionSetupDialog(window.context, window, confirm_fn=lambda *a: True)
    qtbot.addWidget(dialog)
    row = dialog.rows[0]
    row.vaccine.setCurrentIndex(row.vaccine.findData(MENACWY))  # two valid lots, none chosen today
    assert row.lot.currentText() == "" and row.lot.lineEdit().placeholderText() == "Kies een partij (2 geldig)"
    row.vaccine.setCurrentIndex(row.vaccine.findData(DTP))  # one valid lot: nothing to choose
    assert row.lot.currentText() == "DEMO-DTP-07"
    row.lot.setEditText("DEMO-MACWY-01")
    assert row.status.text() == "✖ Partij DEMO-MACWY-01 hoort bij MenACWY, niet bij DTP."
    dialog.error.setText("Partij NIEUW-1 staat niet op de partijlijst.")  # as start() left it
    row.lot.setEditText("NIEUW-1")
    row.manual.setChecked(True)
    assert dialog.error.text() == "" and row.status.text().startswith("✎")
