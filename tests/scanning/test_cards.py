"""`prikpost cards`: test call-up cards whose text and barcodes read back."""

from __future__ import annotations

import argparse
import shutil
import subprocess

import cv2
import pytest
from pypdf import PdfReader

from app.commands import cards as cards_command
from app.domain.bsn import format_bsn
from app.reports.cards import SYMBOLOGIES, write_cards_pdf
from app.scanning.decode import FrameDecoder
from app.services.demo import demo_children, seed_demo

ENGINE_NAME = {"code128": "Code128", "code39": "Code39", "qr": "QRCode", "datamatrix": "DataMatrix"}


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="prikpost")
    cards_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def page_codes(pdf, page: int, tmp_path) -> list[tuple[str, str]]:
    """Render one PDF page at 200 dpi and return (symbology, text) of every barcode on it."""
    prefix = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "200", "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(prefix)], check=True)
    image = cv2.imread(f"{prefix}.png", cv2.IMREAD_GRAYSCALE)
    return sorted((d.symbology, d.text) for d in FrameDecoder().decode(image))


def test_demo_cards_carry_names_birth_dates_and_bsns(tmp_path, capsys):
    out = tmp_path / "kaarten.pdf"
    assert run(["cards", "--demo", str(out), "--children", "10"]) == 0
    assert "10 testkaarten" in capsys.readouterr().out
    reader = PdfReader(out)
    assert len(reader.pages) == 3  # 8 cards per page, then the advice page
    text = "".join(page.extract_text() for page in reader.pages)
    for child in demo_children(10):
        assert child.name in text
        assert format_bsn(child.bsn) in text
        assert child.birth_date.strftime("%d-%m-%Y") in text
    advice = reader.pages[-1].extract_text()
    assert "Scanner instellen" in advice and "Enter" in advice and "zonder controleteken" in advice


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
@pytest.mark.parametrize("symbology", SYMBOLOGIES)
def test_printed_barcodes_decode_to_the_bsns(tmp_path, symbology):
    children = demo_children(8)
    out = tmp_path / "kaarten.pdf"
    write_cards_pdf(out, children, symbology)
    assert page_codes(out, 1, tmp_path) == sorted((ENGINE_NAME[symbology], c.bsn) for c in children)


def test_cards_for_the_children_of_the_newest_session(sc, db, tmp_path):
    seed_demo(sc, 8)
    out = tmp_path / "sessie.pdf"
    assert run(["cards", str(out), "--db", str(db.path)]) == 0
    assert demo_children(8)[0].name in PdfReader(out).pages[0].extract_text()


def test_unwritable_output_is_a_dutch_error(tmp_path, capsys):
    assert run(["cards", "--demo", str(tmp_path / "geen-map" / "k.pdf")]) == 1
    assert "Kan" in capsys.readouterr().err
