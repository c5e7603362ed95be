"""The print, preview and save hooks the main window wires to its menu, driven offscreen."""

from __future__ import annotations

import os
import sys
import tempfile

import pytest
from pypdf import PdfReader

pytest.importorskip("pytestqt")

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget  # noqa: E402
from PySide6.QtWidgets import QMenu, QProgressDialog, QWidget  # noqa: E402

from app.reports.files import TEMP_PREFIX  # noqa: E402
from app.reports.model import ReportKind, build_report  # noqa: E402
from app.services.demo import seed_demo  # noqa: E402
from app.ui.folders import start_folder  # noqa: E402
from app.ui.report_actions import (  # noqa: E402
    add_report_menu,
    make_printer,
    paint_report,
    preview_report,
    print_report,
    save_report_csv,
    save_report_pdf,
)


class Recorder:
    def __init__(self, answer=None):
        self.answer = answer
        self.calls: list[tuple] = []

    def __call__(self, *args):
        self.calls.append(args)
        return self.answer


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def flat(text: str) -> str:
    """Return the text with every run of whitespace as one space (Qt's PDF separates words by tabs)."""
    return " ".join(text.split())


def pdf_printer(path) -> QPrinter:
    printer = make_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def finished(qtbot, start, callback="on_saved"):
    """Start a save or print (it runs off the GUI thread) and wait for what it hands back; None: not started."""
    results = []
    progress = start(**{callback: results.append})
    if progress is None:
        return None
    assert isinstance(progress, QProgressDialog) and progress.isVisible()  # the user sees it is busy
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    qtbot.waitUntil(lambda: not progress_dialogs(), timeout=5000)
    return results[0]


def progress_dialogs():
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_print_draws_every_page_with_page_numbers(parent, sc, tmp_path, qtbot):
    session = seed_demo(sc, 120)
    out = tmp_path / "afdruk.pdf"
    ask = Recorder(True)
    errors = Recorder()
    pages = finished(qtbot, lambda **kw: print_report(parent, sc, session, "vaccinated", printer=pdf_printer(out),
                                                       ask_printer=ask, error=errors, **kw), callback="on_printed")
    assert ask.calls and ask.calls[0][1] is parent
    assert errors.calls == []
    reader = PdfReader(str(out))
    assert pages == len(reader.pages) >= 3
    texts = [flat(page.extract_text()) for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"pagina {number} van {pages}" in text
    assert "Gevaccineerde kinderen" in texts[0] and "Demo-college De Linde (fictief)" in texts[0]
    assert "Handtekening" in texts[-1]


def test_printing_a_long_list_leaves_none_with_its_references(parent, sc, tmp_path):
    # PySide6 6.12.0 on Python 3.11 drops a reference to None per void call (hence the pin below 6.12);
    # thousands of them abort Python in the middle of a print.
    import gc

    report = build_report(sc, seed_demo(sc, 120), "vaccinated")
    paint_report(pdf_printer(tmp_path / "warm.pdf"), report)  # caches (fonts, layouts) are filled first
    gc.collect()
    gc.disable()  # a collection during the prints would free Nones that have nothing to do with the binding
    try:
        before = sys.getrefcount(None)
        for _ in range(3):
            assert paint_report(pdf_printer(tmp_path / "p.pdf"), report) >= 3
        lost = before - sys.getrefcount(None)
    finally:
        gc.enable()
    assert lost < 500, f"{lost} references to None lost over three prints of thousands of drawing calls"


def test_cancelled_print_dialog_prints_nothing(parent, sc, states_session, tmp_path):
    out = tmp_path / "afdruk.pdf"
    assert print_report(parent, sc, states_session.id, "failures", printer=pdf_printer(out),
                        ask_printer=Recorder(False)) is None
    assert not out.exists()


def test_printed_names_keep_their_letters(parent, sc, states_session, tmp_path):
    out = tmp_path / "p.pdf"
    assert paint_report(pdf_printer(out), build_report(sc, states_session.id, "failures")) == 1
    text = flat(PdfReader(str(out)).pages[0].extract_text())
    assert "Yılmaz" in text and "Öztürk" in text and "pagina 1 van 1" in text


def test_save_pdf_and_csv_where_the_user_chose(parent, sc, states_session, tmp_path, qtbot):
    tmp_path = tmp_path / "gekozen"
    tmp_path.mkdir()
    before = {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(TEMP_PREFIX)}
    ask = Recorder(str(tmp_path / "mijn lijst"))
    saved = finished(qtbot, lambda **kw: save_report_pdf(parent, sc, states_session.id, "vaccinated", ask_path=ask,
                                                          **kw))
    assert saved == tmp_path / "mijn lijst.pdf"
    title, suggested, name_filter = ask.calls[0][1:]
    assert title == "Opslaan als PDF" and "*.pdf" in name_filter
    assert suggested.endswith(f"gevaccineerd-2026-11-23-sessie-{states_session.id}.pdf")
    assert "Bram Yılmaz" in flat(PdfReader(str(saved)).pages[0].extract_text())
    csv_file = finished(qtbot, lambda **kw: save_report_csv(parent, sc, states_session.id, "expected",
                                                             ask_path=Recorder(str(tmp_path / "verwacht.csv")), **kw))
    assert csv_file == tmp_path / "verwacht.csv"
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfrecord_id;lijst;")
    assert sorted(os.listdir(tmp_path)) == ["mijn lijst.pdf", "verwacht.csv"]
    assert {n for n in os.listdir(tempfile.gettempdir()) if n.startswith(TEMP_PREFIX)} == before


def test_cancelled_save_writes_nothing_and_errors_are_shown_in_dutch(parent, sc, states_session, tmp_path, qtbot):
    tmp_path = tmp_path / "gekozen"
    tmp_path.mkdir()
    assert save_report_csv(parent, sc, states_session.id, "vaccinated", ask_path=Recorder(None)) is None
    assert os.listdir(tmp_path) == []
    errors = Recorder()
    assert save_report_pdf(parent, sc, states_session.id, "vaccinated",
                           ask_path=Recorder(str(tmp_path / "weg" / "x.pdf")), error=errors) is not None
    qtbot.waitUntil(lambda: bool(errors.calls), timeout=20_000)  # written off the GUI thread, refused there
    assert "bestaat niet" in errors.calls[0][1] and not progress_dialogs()
    assert save_report_pdf(parent, sc, None, "vaccinated", ask_path=Recorder("x"), error=errors) is None
    assert "geen sessie geopend" in errors.calls[1][1]
    assert print_report(parent, sc, 999, "vaccinated", ask_printer=Recorder(True), error=errors) is None
    assert "Sessie 999 bestaat niet" in errors.calls[2][1]


def test_preview_renders_the_pages(parent, qtbot, sc, tmp_path):
    session = seed_demo(sc, 120)
    seen: dict[str, int] = {}

    def run(dialog):
        dialog.show()
        widget = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() >= 3, timeout=10_000)
        seen["pages"] = widget.pageCount()
        dialog.close()

    dialog = preview_report(parent, sc, session, "vaccinated", run=run)
    assert dialog is not None and "Gevaccineerde kinderen" in dialog.windowTitle()
    assert seen["pages"] >= 3


def test_menu_offers_every_list_and_action(parent, sc, states_session, monkeypatch):
    menu = QMenu(parent)
    calls = []
    monkeypatch.setattr("app.ui.report_actions.print_report", lambda *args: calls.append(args))
    actions = add_report_menu(menu, parent, sc, lambda: states_session.id)
    assert len(actions) == 16 and len(menu.actions()) == 4
    assert set(actions) >= {"vaccinated:print", "failures:csv", "expected:preview", "not-vaccinated:pdf"}
    actions["failures:print"].trigger()
    assert calls == [(parent, sc, states_session.id, ReportKind.FAILURES)]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A user's home folder of its own; Qt finds Documents there (no user-dirs.dirs says otherwise)."""
    folder = tmp_path / "thuis"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)  # the "program folder" the dialog must not start in
    return folder


@pytest.mark.skipif(sys.platform != "linux", reason="Qt finds Documents through $HOME on Linux")
def test_save_dialog_starts_in_documents(parent, sc, states_session, home):
    (home / "Documents").mkdir()
    ask = Recorder(None)
    save_report_pdf(parent, sc, states_session.id, "vaccinated", ask_path=ask)
    save_report_csv(parent, sc, states_session.id, "failures", ask_path=ask)
    suggested = [call[2] for call in ask.calls]
    assert [os.path.dirname(path) for path in suggested] == [str(home / "Documents")] * 2
    assert start_folder() == home / "Documents"


@pytest.mark.skipif(sys.platform != "linux", reason="Qt finds Documents through $HOME on Linux")
def test_save_dialog_starts_at_home_without_a_documents_folder(parent, sc, states_session, home):
    ask = Recorder(None)
    save_report_csv(parent, sc, states_session.id, "vaccinated", ask_path=ask)
    assert os.path.dirname(ask.calls[0][2]) == str(home)
    assert not (home / "Documents").exists()  # the dialog's start is not a reason to make folders
