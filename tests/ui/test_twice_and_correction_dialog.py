"""Trial findings: a child vaccinated today in another session, an unknown child's name, the correction dialog,
and the scanner test named as the menu names it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.registration import NOT_GIVEN_REASON, WRONG_CHILD_REASON
from app.reports.cards import _advice_lines
from app.services.demo import demo_lot_list
from app.services.lots import check_session_lot, replace_lot_list
from app.services.scans import Outcome
from app.settings import ScannerSettings
from app.ui.dialogs import LOT_MARKS, CorrectionDialog, CorrectionTarget
from app.ui.scan_banner import STYLES
from app.ui.session_setup_dialog import CHECK_MARKS
from tests.conftest import TODAY

from .test_session_flows import BSNS, scan_into, start_session


@pytest.fixture
def lots(gui_context):
    replace_lot_list(gui_context.services, demo_lot_list(TODAY, gui_context.services.now()), "test")


VACCINES = [("28", "MenACWY (28)"), ("02", "DTP (02)")]


def _csv(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("BSN;Naam;Geboortedatum;Klas\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_second_session_warns_loudly_names_the_child_and_accord_names_it_again(qtbot, make_window, prompts, lots,
                                                                               tmp_path):
    window = make_window()
    window.resize(1400, 900)
    start_session(qtbot, window, csv_path=_csv(tmp_path, "a.csv", [f"{BSNS[0]};Sanne de Vries;14-03-2012;2A"]))
    first = window.session_id
    scan_into(qtbot, window, window.view.table, BSNS[0])
    prompts.script("confirm", True)
    window.actions.all["accord_all"].trigger()

    start_session(qtbot, window, csv_path=_csv(tmp_path, "b.csv", [f"{BSNS[1]};Daan Jansen;01-02-2012;2B"]))
    scan_into(qtbot, window, window.view.table, BSNS[0])
    banner = window.banner
    assert banner.outcome is Outcome.ALREADY_VACCINATED
    assert banner.title.full_text == "Vandaag al gevaccineerd"
    assert STYLES[Outcome.ALREADY_VACCINATED][1] in banner.styleSheet()  # red, as a stop
    # Not on this session's list, but known from the first session: its name and birth date are shown.
    assert banner.detail.full_text.startswith("Sanne de Vries · 14-03-2012 · BSN")
    assert banner.next_step.full_text.startswith(
        f"Let op: vandaag al gevaccineerd met MenACWY in sessie Testschool (nr. {first}) om 09:00. "
        "Niet opnieuw vaccineren; neem het kind uit")
    qtbot.waitUntil(lambda: banner.next_step.width() > 1000)
    assert not banner.next_step.elided

    prompts.script("confirm", False)
    window.actions.all["accord_all"].trigger()
    question = prompts.asked[-1][1]
    assert "LET OP: 1 kind is vandaag al gevaccineerd in een andere sessie: Sanne de Vries (MenACWY" in question


def _targets():
    return [CorrectionTarget(11, "28", "MenACWY", "DEMO-MACWY-01"), CorrectionTarget(12, "02", "DTP", "DEMO-DTP-07")]


def _dialog(qtbot, sc, targets=None):
    dialog = CorrectionDialog("Sanne de Vries", VACCINES, targets or _targets(),
                              lot_check=lambda lot, code, manual: check_session_lot(sc, lot, code, TODAY, manual))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_correction_dialog_names_the_vaccine_corrected_and_checks_the_lot_live(qtbot, sc):
    dialog = _dialog(qtbot, sc)
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == [
        "MenACWY (partij DEMO-MACWY-01)", "DTP (partij DEMO-DTP-07)"]
    assert dialog.target.isVisible() and dialog.target.isEnabled()
    assert (dialog.vaccine.currentData(), dialog.lot.text()) == ("28", "DEMO-MACWY-01")
    assert dialog.lot_status.text().startswith("✔")
    dialog.target.setCurrentIndex(1)  # the DTP registration: its own vaccine and lot are filled in
    assert (dialog.vaccine.currentData(), dialog.lot.text()) == ("02", "DEMO-DTP-07")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    dialog.lot.setText("DEMO-MACWY-01")  # a lot of another vaccine
    assert dialog.lot_status.text().startswith("✖ Partij DEMO-MACWY-01 hoort bij MenACWY, niet bij ")
    assert not ok.isEnabled()
    dialog.accept()
    assert dialog.result() == 0  # Enter does not accept an unusable lot
    dialog.lot.setText("DEMO-DTP-07-X")
    assert dialog.lot_status.text().startswith("?") and not ok.isEnabled()
    dialog.lot.setText("DEMO-DTP-07")
    assert dialog.lot_status.text().startswith("✔") and ok.isEnabled()
    choice = dialog.choice()
    assert (choice.kind, choice.registration_id, choice.vaccine_code, choice.lot_number) == (
        "vaccine_lot", 12, "02", "DEMO-DTP-07")


def test_correction_dialog_hides_vaccine_and_lot_when_not_given_or_wrong_child(qtbot, sc):
    dialog = _dialog(qtbot, sc)
    dialog.lot.setText("ONBEKEND")
    dialog.not_given.setChecked(True)
    assert not any(widget.isVisible() for widget in dialog.lot_fields)
    assert dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).isEnabled()  # the lot does not matter
    assert dialog.target.isVisible()
    dialog.target.setCurrentIndex(1)
    choice = dialog.choice()
    assert (choice.kind, choice.reason, choice.registration_ids) == ("not_given", NOT_GIVEN_REASON, (12,))
    dialog.target.setCurrentIndex(dialog.target.count() - 1)
    assert dialog.target.currentText() == "Alle vaccinaties van dit kind"
    assert dialog.choice().registration_ids == (11, 12)
    dialog.wrong_child.setChecked(True)
    assert not dialog.target.isVisible() and dialog.whole_child.isVisible()
    assert not any(widget.isVisible() for widget in dialog.lot_fields)
    choice = dialog.choice()
    assert (choice.kind, choice.reason, choice.registration_ids) == ("wrong_child", WRONG_CHILD_REASON, (11, 12))
    dialog.vaccine_lot.setChecked(True)
    assert all(widget.isVisible() for widget in dialog.lot_fields)
    assert dialog.target.count() == 2  # 'alle vaccinaties' is only for 'toch niet gegeven'


def test_correction_dialog_still_takes_one_vaccine_and_lot(qtbot, sc):
    dialog = CorrectionDialog("Sanne", VACCINES, ("28", "DEMO-MACWY-01"))
    qtbot.addWidget(dialog)
    assert dialog.target.count() == 1 and not dialog.target.isEnabled()
    assert dialog.choice().registration_id is None and dialog.choice().lot_number == "DEMO-MACWY-01"


def test_lot_marks_are_the_setup_dialogs():
    assert LOT_MARKS == CHECK_MARKS


def test_test_cards_name_the_scanner_test_as_the_menu_does(make_window):
    window = make_window()
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.menu() and a.text().replace("&", "") == "Extra"]
    (action,) = [a for a in menu.actions() if a.text().replace("&", "").rstrip("…") == "Scannertest"]
    where = f"Extra › Scannertest ({action.shortcut().toString()})"
    assert where == "Extra › Scannertest (Ctrl+T)"
    advice = dict(_advice_lines(ScannerSettings()))["Testen"]
    assert where in advice and "Instellingen" not in advice
