"""What the scanning view says about a child and the last scan: objections, retries, no session, fixed banner."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics

from app.domain.registration import ObjectionReason
from app.services import accord, actions
from app.services.demo import demo_lot_list
from app.services.expected_list import import_expected_list
from app.services.lots import replace_lot_list
from app.services.overview import session_overview
from app.services.scans import Outcome, ScanOutcome, record_scan
from app.services.sessions import create_session
from app.ui import scan_banner
from app.ui.dialogs import ObjectionDialog
from app.ui.scan_banner import IDLE_TEXT, NO_SESSION_TITLE
from app.ui.session_setup_dialog import CHECK_MARKS
from app.ui.session_table_model import NOT_EXPECTED_MARK, STATUS_COLUMN, STATUS_ICONS, VACCINES_COLUMN
from tests.conftest import TODAY, make_setup
from tests.store_access import connect
from tests.ui.conftest import complete_unnamed

from .test_session_flows import BSNS, scan_into, select, start_session


@pytest.fixture
def lots(gui_context):
    replace_lot_list(gui_context.services, demo_lot_list(TODAY, gui_context.services.now()), "test")


def cell(window, bsn: str, column: int, role=None) -> str:
    model = window.view.model
    index = model.index(model.row_of_bsn(bsn), column)
    return model.data(index) if role is None else model.data(index, role)


def closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/praeventis"


def test_accorded_and_sent_objection_says_objection_in_status_tooltip_and_banner(qtbot, make_window, prompts,
                                                                                lots, start_receiver):
    window = make_window()
    start_session(qtbot, window)
    for bsn in BSNS[:2]:
        scan_into(qtbot, window, window.view.table, bsn)
    select(window, BSNS[1])
    prompts.script("objection", ObjectionReason.MEDICAL)
    window.actions.all["objection"].trigger()
    assert cell(window, BSNS[1], STATUS_COLUMN).startswith("⊘ bezwaar (medisch)")
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    assert cell(window, BSNS[0], STATUS_COLUMN) == "✔ geaccordeerd · ⚠ niet verwacht"
    assert cell(window, BSNS[1], STATUS_COLUMN) == "⊘ bezwaar (medisch) – geaccordeerd · ⚠ niet verwacht"
    assert "Niet vaccineren" in cell(window, BSNS[1], STATUS_COLUMN, role=0x03)  # Qt.ToolTipRole
    assert "Daarvan 1 kind met bezwaar: niet vaccineren." in window.banner.detail.full_text
    assert not window.banner.detail.elided

    scan_into(qtbot, window, window.view.table, BSNS[1])  # the card of the child with an objection, again
    assert window.banner.outcome is Outcome.ALREADY_SCANNED
    assert window.banner.next_step.full_text.startswith("Let op: bezwaar (medisch), niet vaccineren.")
    assert not window.banner.next_step.elided

    window.context.settings.outbox.url_acceptatie = start_receiver().url()
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    assert cell(window, BSNS[1], STATUS_COLUMN) == "⊘ bezwaar (medisch) – verzonden · ⚠ niet verwacht"
    assert cell(window, BSNS[0], STATUS_COLUMN) == "✉ verzonden · ⚠ niet verwacht"


def test_first_failed_send_is_queued_for_a_retry_not_failed(qtbot, make_window, prompts, lots):
    window = make_window()
    start_session(qtbot, window)
    for bsn in BSNS[:3]:
        scan_into(qtbot, window, window.view.table, bsn)
    prompts.script("confirm", True)
    complete_unnamed(window, prompts)
    window.actions.all["accord_all"].trigger()
    window.context.settings.outbox.url_acceptatie = closed_url()  # the receiver is offline
    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.send_now()
    with connect(window.context.db) as conn:
        assert conn.execute("select distinct state from outbox").fetchall() == [("failed",)]
    status = cell(window, BSNS[0], STATUS_COLUMN)
    assert status.startswith("⟳ wordt opnieuw geprobeerd") and "mislukt" not in status
    assert "(in wachtrij, wordt opnieuw geprobeerd)" in cell(window, BSNS[0], VACCINES_COLUMN)
    assert "Volgende poging: 23-11-2026 09:10." in cell(window, BSNS[0], STATUS_COLUMN, role=0x03)
    view = window.view
    counters = dict(part.rsplit(" ", 1) for part in view.counters.text().split(" · "))
    assert counters["Mislukt"] == "0" and counters["Geaccordeerd"] == "3"
    tabs = [view.tabs.tabText(t) for t in range(view.tabs.count())]
    view.tabs.setCurrentIndex(tabs.index("Mislukt"))
    assert view.proxy.rowCount() == 0
    view.tabs.setCurrentIndex(tabs.index("Geaccordeerd"))
    assert view.proxy.rowCount() == 3
    assert window.status.outbox.text() == "Wachtrij 3 (3 opnieuw) · Verzonden 0 · Mislukt 0 · offline"
    assert "volgende poging 23-11-2026 09:10" in window.status.outbox.toolTip()

    with connect(window.context.db) as conn:  # the retries ran out for one child
        conn.execute("update outbox set state = 'given_up', next_attempt_at = null where bsn = ?", (BSNS[0],))
    window.refresh()
    assert cell(window, BSNS[0], STATUS_COLUMN).startswith("✖ mislukt")
    counters = dict(part.rsplit(" ", 1) for part in view.counters.text().split(" · "))
    assert counters["Mislukt"] == "1" and "Mislukt 1" in window.status.outbox.text()


def test_status_bar_texts_fit_a_1366_pixel_window(qtbot, make_window, prompts, gui_context):
    window = make_window()  # no lot list and nothing sent: the longest warnings
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.status.showMessage("Bezig met verzenden…")
    for label in (window.status.outbox, window.status.lots):
        qtbot.waitUntil(lambda label=label: label.width() > 1)
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), label.text()
    assert "Importeer of haal een partijlijst op" in window.status.lots.toolTip()


def test_without_a_session_the_banner_says_to_open_or_create_one(qtbot, make_window, prompts, lots):
    window = make_window()
    banner = window.banner
    assert banner.title.text() == NO_SESSION_TITLE and "Klaar" not in banner.detail.full_text
    assert "Nieuwe sessie" in banner.detail.full_text and "Sessie openen" in banner.detail.full_text
    start_session(qtbot, window)
    assert banner.title.text() == "Klaar" and banner.detail.full_text == IDLE_TEXT
    prompts.script("confirm", True)
    window.actions.all["close_session"].trigger()
    assert window.session_id is None and banner.title.text() == NO_SESSION_TITLE


def _font_lacks(text: str, metrics: QFontMetrics) -> list[str]:
    return [f"{ch} U+{ord(ch):04X}" for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))]


def test_every_banner_and_state_icon_is_a_glyph_of_dejavu_sans(qtbot, make_window, gui_context):
    font = QFont("DejaVu Sans")
    if QFontInfo(font).family() != "DejaVu Sans":
        pytest.skip("DejaVu Sans is not installed here (Debian: fonts-dejavu-core)")
    metrics = QFontMetrics(font)
    assert _font_lacks("⏸", metrics), "the check must see a glyph DejaVu Sans lacks (the old pause icon)"
    texts = [*scan_banner.ICONS, *STATUS_ICONS.values(), NOT_EXPECTED_MARK, *CHECK_MARKS.values()]
    window = make_window()  # the status bar's marks (no lot list yet: its warning mark)
    texts += [window.status.lots.text(), window.status.outbox.text()]
    missing = [m for text in texts for m in _font_lacks(text, metrics)]
    assert missing == []


def test_banner_keeps_its_height_so_the_table_does_not_move(qtbot, make_window, lots):
    window = make_window()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    start_session(qtbot, window)
    banner, table = window.banner, window.view.table

    def table_top() -> int:
        return table.mapTo(window, table.rect().topLeft()).y()

    qtbot.waitUntil(lambda: banner.detail.width() > 1000)
    height, top = banner.height(), table_top()
    longest = ScanOutcome(Outcome.NOT_EXPECTED,
                          "Dit kind staat niet op de lijst van verwachte kinderen. Controleer naam en geboortedatum "
                          "op de kaart. Vaccineer het kind; accordeer daarna.", bsn=BSNS[0],
                          name="Anna-Sophie van der Vliet-Oudshoorn de Jong", group_name="Klas 8B (Montessori)")
    objection = ScanOutcome(Outcome.ALREADY_SCANNED,
                            "Let op: bezwaar (principieel), niet vaccineren. Dit kind is al gescand (status: "
                            "bezwaar (principieel) – verzonden en bevestigd). Er is niets dubbel "
                            "geregistreerd.", bsn=BSNS[1], name="Mohammed El Amrani")
    for outcome in (longest, objection, ScanOutcome(Outcome.INVALID, "Geen geldig BSN.", bsn="12")):
        banner.show_outcome(outcome)
        assert (banner.height(), table_top()) == (height, top)
        assert not banner.detail.elided and not banner.next_step.elided, outcome.message  # real texts fit
    banner.show_message("Lijst ingelezen", "regel 2: fout\nregel 3: fout\nregel 4: fout")
    assert (banner.height(), table_top()) == (height, top)
    too_long = "Een heel lange melding. " * 40
    banner.show_message("Lang", too_long)
    assert (banner.height(), table_top()) == (height, top)
    assert banner.detail.elided and banner.detail.text().endswith("…")
    assert banner.detail.toolTip() == too_long  # the whole text stays readable


def test_objection_dialog_preselects_no_reason_and_waits_for_one(qtbot):
    dialog = ObjectionDialog(["Kind 1"])
    qtbot.addWidget(dialog)
    ok = dialog.ok_button
    assert not dialog.medical.isChecked() and not dialog.declined.isChecked()
    assert dialog.reason() is None and not ok.isEnabled()
    dialog.accept()  # Enter without a choice
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.declined.click()
    assert ok.isEnabled() and dialog.reason() is ObjectionReason.DECLINED
    dialog.medical.click()
    assert dialog.reason() is ObjectionReason.MEDICAL
    ok.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_whole_status_of_an_objection_being_retried_shows_at_1366_pixels(qtbot, make_window, gui_context, lots):
    services = gui_context.services
    session_id = create_session(services, make_setup())
    import_expected_list(services, session_id, b"BSN;Naam;Geboortedatum\n123456782;Anna de Vries-Jansen;01-02-2012\n")
    record_scan(services, session_id, BSNS[0])
    (child,) = session_overview(services, session_id).children
    actions.register_objection(services, session_id, child.registration_ids, ObjectionReason.DECLINED)
    accord.accord(services, session_id)
    with connect(gui_context.db) as conn:
        conn.execute("update outbox set state = 'failed', next_attempt_at = '2026-11-23 09:10:00.000000'")
    window = make_window()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    window.set_session(session_id)
    text = cell(window, BSNS[0], STATUS_COLUMN)
    assert text == "⊘ bezwaar (principieel) – wordt opnieuw geprobeerd"
    header = window.view.table.horizontalHeader()
    assert header.sectionSize(STATUS_COLUMN) > window.view.table.fontMetrics().horizontalAdvance(text)
    assert header.sectionSize(VACCINES_COLUMN) >= 280  # the vaccines stay in view


def test_fifteen_rows_of_the_table_show_on_a_1366_by_768_laptop(qtbot, make_window, gui_context):
    """The client area of a 1366×768 laptop under a window manager: less a 40 px taskbar and a title bar."""
    from PySide6.QtWidgets import QApplication

    from app.services.demo import demo_bsns, seed_demo
    from app.ui.launch import use_readable_font

    app = QApplication.instance()
    font = app.font()
    use_readable_font(app)  # as the app starts: every widget at 12 pt
    session_id = seed_demo(gui_context.services, 60)
    window = make_window(size=(1366, 700))
    window.set_session(session_id)
    window.handle_scanned_text(demo_bsns(1, start=999_980_000)[0])  # the demo's unexpected child, scanned again
    assert window.banner.detail.full_text and window.banner.next_step.full_text  # the banner's three lines in use
    table = window.view.table
    assert not window.camera_dock.isVisible()  # the camera panel takes no room until it is switched on
    fully_visible = table.viewport().height() // table.rowHeight(0)
    assert fully_visible >= 15, fully_visible
    assert table.rowHeight(0) >= table.fontMetrics().lineSpacing() + 2  # compact, never cut
    # Nothing is lost: the header's whole text and the doses per lot are there on hover when cut.
    header = window.view.header
    assert header.height() <= 2 * header.fontMetrics().lineSpacing() + 2
    assert "doses" in header.toolTip()
    assert header.elided is (header.full_text in header.toolTip())
    assert not window.view.counters.elided
    app.setFont(font)
