"""Printable test call-up cards (name, birth date, BSN, barcode) and a page of scanner advice, as PDF."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import barcode
import numpy as np
import zxingcpp
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.domain.bsn import format_bsn
from app.domain.wording import dutch_date
from app.settings import ScannerSettings

log = logging.getLogger(__name__)

SYMBOLOGIES = ("code128", "code39", "qr", "datamatrix")
SYMBOLOGY_LABELS = {"code128": "Code 128", "code39": "Code 39", "qr": "QR-code", "datamatrix": "Data Matrix"}

CARD_W, CARD_H = 85 * mm, 54 * mm
COLUMNS, ROWS = 2, 4
GAP = 8 * mm
# Narrow bars of 0.33-0.4 mm read well with hand scanners and with a 1280×720 camera at 20 cm.
MODULE_1D = {"code128": 0.40 * mm, "code39": 0.33 * mm}
MODULE_2D = 0.8 * mm
BAR_HEIGHT = 13 * mm


class CardChild(Protocol):
    bsn: str
    name: str
    birth_date: date | None
    group_name: str


def _register_fonts() -> tuple[str, str]:
    """Return (regular, bold) font names that can show names such as Yılmaz and Öztürk."""
    candidates = [("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/"
                   "DejaVuSans-Bold.ttf"), ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf")]
    for regular, bold in candidates:
        if os.path.exists(regular) and os.path.exists(bold):
            if "CardSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("CardSans", regular))
                pdfmetrics.registerFont(TTFont("CardSans-Bold", bold))
            return "CardSans", "CardSans-Bold"
    # The built-in fonts lack letters outside Latin-1 (such as ı); good enough for a test card.
    log.info("no TrueType font found for the cards; using Helvetica")
    return "Helvetica", "Helvetica-Bold"


def _linear_modules(content: str, symbology: str) -> str:
    """Return the bar pattern as '1' (bar) and '0' (space) per module."""
    if symbology == "code39":
        # Without add_checksum=False python-barcode appends a check character (a space for 123456782).
        return "".join(barcode.get_barcode_class("code39")(content, add_checksum=False).build())
    # python-barcode 0.16 drops a "99" pair from Code 128 (999990007 reads back as 9990007); zxing-cpp's
    # writer encodes it right.
    row = np.asarray(zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.Code128)
                     .to_image(scale=1, add_quiet_zones=False))[0]
    return "".join("1" if value < 128 else "0" for value in row)


def _matrix_modules(content: str, symbology: str) -> np.ndarray:
    """Return a boolean module grid (True = dark) of a QR or Data Matrix code."""
    fmt = zxingcpp.BarcodeFormat.QRCode if symbology == "qr" else zxingcpp.BarcodeFormat.DataMatrix
    image = np.asarray(zxingcpp.create_barcode(content, fmt).to_image(scale=1, add_quiet_zones=False))
    return image < 128


def draw_barcode(canvas: Canvas, content: str, symbology: str, x: float, y: float) -> float:
    """Draw a barcode with its lower left corner at (x, y) as vector rectangles; return its width."""
    canvas.setFillColorRGB(0, 0, 0)
    if symbology in MODULE_1D:
        module = MODULE_1D[symbology]
        pattern = _linear_modules(content, symbology)
        start = None
        for index, bit in enumerate(pattern + "0"):
            if bit == "1" and start is None:
                start = index
            elif bit == "0" and start is not None:
                canvas.rect(x + start * module, y, (index - start) * module, BAR_HEIGHT, stroke=0, fill=1)
                start = None
        return len(pattern) * module
    grid = _matrix_modules(content, symbology)
    rows = grid.shape[0]
    for row, col in zip(*np.nonzero(grid), strict=True):
        canvas.rect(x + col * MODULE_2D, y + (rows - 1 - row) * MODULE_2D, MODULE_2D, MODULE_2D, stroke=0, fill=1)
    return grid.shape[1] * MODULE_2D


def _draw_card(canvas: Canvas, child: CardChild, symbology: str, x: float, y: float, fonts) -> None:
    regular, bold = fonts
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setDash(2, 2)
    canvas.roundRect(x, y, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
    canvas.setDash()
    canvas.setFillColorRGB(0.35, 0.35, 0.35)
    canvas.setFont(regular, 7)
    canvas.drawString(x + 5 * mm, y + CARD_H - 7 * mm, "OPROEPKAART VACCINATIE · TESTKAART (fictief)")
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(bold, 11)
    canvas.drawString(x + 5 * mm, y + CARD_H - 13 * mm, child.name)
    canvas.setFont(regular, 9)
    born = dutch_date(child.birth_date) if child.birth_date else "onbekend"
    canvas.drawString(x + 5 * mm, y + CARD_H - 18 * mm, f"Geboortedatum: {born}")
    canvas.drawString(x + 5 * mm, y + CARD_H - 22.5 * mm, f"BSN: {format_bsn(child.bsn)}")
    if child.group_name:
        canvas.drawRightString(x + CARD_W - 5 * mm, y + CARD_H - 18 * mm, f"Klas {child.group_name}")
    if symbology in MODULE_1D:
        width = len(_linear_modules(child.bsn, symbology)) * MODULE_1D[symbology]
        draw_barcode(canvas, child.bsn, symbology, x + (CARD_W - width) / 2, y + 5 * mm)
    else:
        draw_barcode(canvas, child.bsn, symbology, x + CARD_W - 27 * mm, y + 5 * mm)


def _seconds(value: float) -> str:
    return "seconde" if value == 1 else "seconden"


def _advice_lines(scanner: ScannerSettings) -> list[tuple[str, str]]:
    return [
        ("Modus", "Zet de scanner in toetsenbordmodus (USB-HID, 'keyboard wedge'), niet in seriële (COM) modus."),
        ("Toetsenbordindeling", "Gebruik dezelfde indeling als de laptop (meestal US of US-International). Komen "
                                "er leestekens binnen in plaats van cijfers, dan klopt de indeling niet."),
        ("Achtervoegsel", "Stel Enter (CR) in als achtervoegsel. Tab of LF werkt ook; zonder achtervoegsel wacht "
                          f"Prikpost {scanner.terminator_timeout_ms} ms na de laatste tekens."),
        ("Voorvoegsel", "Een voorvoegsel of AIM-code (zoals ]C0) mag; Prikpost haalt het BSN uit de code."),
        ("Barcodes", "Zet Code 128, Code 39 (zonder controleteken: 'check digit' niet meesturen), Interleaved "
                     "2 of 5 (lengte 10), QR, Data Matrix en PDF417 aan. Zet EAN/UPC uit."),
        ("Snelheid", "Laat de scanner zo snel mogelijk typen (geen vertraging tussen tekens). Prikpost herkent "
                     f"een scan aan tekens die binnen {scanner.max_key_gap_ms} ms na elkaar komen, "
                     f"minstens {scanner.min_length} tekens."),
        ("Camera", "Houd de kaart 15 tot 25 cm voor de camera, vlak en zonder spiegeling van lampen. Dezelfde "
                   f"kaart binnen {scanner.camera_dedup_s:g} {_seconds(scanner.camera_dedup_s)} telt één keer."),
        ("Testen", "Kies in Prikpost Extra › Scannertest (Ctrl+T) en scan een van deze kaarten. Prikpost laat "
                   "zien wat de scanner stuurt (⏎ is Enter, ⇥ is Tab) en wat u kunt aanpassen."),
    ]


def _draw_advice_page(canvas: Canvas, scanner: ScannerSettings, symbology: str, fonts) -> None:
    regular, bold = fonts
    width, height = A4
    y = height - 25 * mm
    canvas.setFont(bold, 16)
    canvas.drawString(20 * mm, y, "Scanner instellen voor Prikpost")
    y -= 8 * mm
    canvas.setFont(regular, 10)
    canvas.drawString(20 * mm, y, f"De testkaarten in dit bestand hebben een {SYMBOLOGY_LABELS[symbology]} "
                                  "met alleen het BSN. Alle kinderen zijn fictief.")
    y -= 12 * mm
    for title, text in _advice_lines(scanner):
        canvas.setFont(bold, 11)
        canvas.drawString(20 * mm, y, title)
        y -= 5.5 * mm
        canvas.setFont(regular, 10)
        for line in simpleSplit(text, regular, 10, width - 40 * mm):
            canvas.drawString(20 * mm, y, line)
            y -= 5 * mm
        y -= 3 * mm


def write_cards_pdf(path: Path | str, children: Sequence[CardChild], symbology: str = "code128",
                    scanner: ScannerSettings | None = None) -> int:
    """Write test call-up cards, eight per A4 page, then the scanner advice page; return the page count."""
    if symbology not in SYMBOLOGIES:
        raise ValueError(f"unknown symbology {symbology!r}")
    scanner = scanner or ScannerSettings()
    fonts = _register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle("Prikpost testoproepkaarten")
    width, height = A4
    left = (width - COLUMNS * CARD_W - (COLUMNS - 1) * GAP) / 2
    top = height - (height - ROWS * CARD_H - (ROWS - 1) * GAP) / 2
    per_page = COLUMNS * ROWS
    pages = 0
    for start in range(0, len(children), per_page):
        for index, child in enumerate(children[start:start + per_page]):
            row, col = divmod(index, COLUMNS)
            x = left + col * (CARD_W + GAP)
            y = top - (row + 1) * CARD_H - row * GAP
            _draw_card(canvas, child, symbology, x, y, fonts)
        canvas.showPage()
        pages += 1
    _draw_advice_page(canvas, scanner, symbology, fonts)
    canvas.showPage()
    canvas.save()
    return pages + 1
