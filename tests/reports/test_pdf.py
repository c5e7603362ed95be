import io
import re

import pytest
from pypdf import PdfReader

from app.domain.bsn import format_bsn
from app.reports.model import build_report
from app.reports.pdf import report_pdf
from app.services.demo import seed_demo

from .conftest import TRICKY_NAME


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def big_session(sc) -> int:
    return seed_demo(sc, 120)


def test_long_list_spans_several_numbered_pages_with_every_child(sc, big_session):
    report = build_report(sc, big_session, "vaccinated")
    pages = pdf_pages(report_pdf(report))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"pagina {number} van {total}" in text
    text = "\n".join(pages)
    assert len(report.rows) == 79
    for row in report.rows:
        assert format_bsn(row.cells[2]) in text  # every BSN is printed, grouped as on the screens
    assert re.search(r"Gevaccineerde kinderen\s*79", text)
    assert re.search(r"Partij DEMO-MACWY-01 \(MenACWY\), houdbaar tot [0-9-]+, in gebruik [0-9:]+–nu\s*79", text)
    assert "Klas 2A (vervolg)" in text  # a class that runs over a page repeats its heading
    assert "Handtekening" in pages[-1] and "Handtekening" not in pages[0]


def test_header_has_date_school_organisation_lots_and_who_accorded(sc, big_session):
    first = pdf_pages(report_pdf(build_report(sc, big_session, "vaccinated")))[0]
    for expected in ("Datum:", "23-11-2026", "Demo-college De Linde (fictief)", "JGZ Demoregio (fictief)",
                     "MenACWY partij DEMO-MACWY-01", "DTP partij DEMO-DTP-07", "Geaccordeerd door:",
                     "verpleegkundige.test"):
        assert expected in first


def test_names_with_non_latin1_letters_print_and_quotes_survive(sc, states_session):
    text = "\n".join(pdf_pages(report_pdf(build_report(sc, states_session.id, "vaccinated"))))
    assert "Bram Yılmaz" in text and "Chris Öztürk" in text
    assert TRICKY_NAME in text


def test_failure_list_pdf_shows_state_attempts_and_answer_without_signature(sc, states_session):
    text = "\n".join(pdf_pages(report_pdf(build_report(sc, states_session.id, "failures"))))
    assert "Geweigerd, actie nodig (1)" in text and "Kind onbekend bij Praeventis" in text
    assert "Mislukt, wordt opnieuw geprobeerd (3)" in text and "Geen verbinding met de ontvanger" in text
    assert "Handtekening" not in text and "pagina 1 van 1" in text


def test_empty_list_is_one_page_that_says_so(sc, session_id):
    pages = pdf_pages(report_pdf(build_report(sc, session_id, "vaccinated")))
    assert len(pages) == 1 and "pagina 1 van 1" in pages[0]
    assert "Er zijn in deze sessie nog geen kinderen gevaccineerd." in pages[0]


def test_pdftotext_reads_the_same_pages(sc, big_session, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "lijst.pdf"
    path.write_bytes(report_pdf(build_report(sc, big_session, "expected")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Verwacht maar niet gescand (40)" in text
    assert "Onverwacht Kind (fictief)" in text
    assert re.search(r"pagina 1 van \d+", text)


@pytest.mark.parametrize("kind", ["vaccinated", "not-vaccinated", "expected", "failures"])
def test_every_pdf_list_groups_the_bsn_as_the_screens_do(sc, states_session, kind):
    report = build_report(sc, states_session.id, kind)
    text = "\n".join(pdf_pages(report_pdf(report)))
    bsns = {row.cells[2] for row in report.rows}
    assert bsns and all(re.fullmatch(r"\d{9}", bsn) for bsn in bsns)  # the model (and the CSV) keep the digits
    for bsn in bsns:
        assert format_bsn(bsn) in text and bsn not in text
