"""Printable test pack labels: a GS1 DataMatrix per demo lot, to rehearse scanning boxes with a real scanner.

zxing-cpp (3.x) writes GS1 DataMatrix itself (`create_barcode(..., gs1=True)` on the '(01)…(17)…(10)…' form:
FNC1 first, GS between variable fields), so no other tool is needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import zxingcpp
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.domain.wording import dutch_date

from .cards import _register_fonts

LABEL_W, LABEL_H = 90 * mm, 45 * mm
MODULE = 0.6 * mm


@dataclass(frozen=True)
class PackLabel:
    gtin: str
    lot: str
    expiry: date
    serial: str
    product: str
    note: str = ""  # e.g. 'VERLOPEN: moet geweigerd worden'

    @property
    def hri(self) -> str:
        return f"(01){self.gtin}(17){self.expiry:%y%m%d}(10){self.lot}(21){self.serial}"


def gs1_modules(hri: str) -> np.ndarray:
    """Return the dark modules of a GS1 DataMatrix for the bracketed form."""
    image = np.asarray(zxingcpp.create_barcode(hri, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
                       .to_image(scale=1, add_quiet_zones=False))
    return image < 128


def _draw(canvas: Canvas, label: PackLabel, x: float, y: float, fonts) -> None:
    regular, bold = fonts
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setDash(2, 2)
    canvas.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
    canvas.setDash()
    canvas.setFillColorRGB(0, 0, 0)
    modules = gs1_modules(label.hri)
    rows = modules.shape[0]
    for row, col in zip(*np.nonzero(modules), strict=True):
        canvas.rect(x + 5 * mm + col * MODULE, y + 8 * mm + (rows - 1 - row) * MODULE, MODULE, MODULE, stroke=0,
                    fill=1)
    text_x = x + 5 * mm + modules.shape[1] * MODULE + 6 * mm
    canvas.setFont(bold, 10)
    canvas.drawString(text_x, y + LABEL_H - 10 * mm, label.product)
    canvas.setFont(regular, 8)
    for index, line in enumerate((f"GTIN {label.gtin}", f"LOT {label.lot}", f"EXP {dutch_date(label.expiry)}",
                                  f"SN {label.serial}", "TESTVERPAKKING (fictief)")):
        canvas.drawString(text_x, y + LABEL_H - (16 + 4.5 * index) * mm, line)
    if label.note:
        canvas.setFont(bold, 8)
        canvas.setFillColorRGB(0.7, 0, 0)
        canvas.drawString(x + 5 * mm, y + 3 * mm, label.note)
        canvas.setFillColorRGB(0, 0, 0)


def write_pack_labels_pdf(path: Path, labels: list[PackLabel]) -> int:
    """Write the labels two across on A4 pages; return the number of pages."""
    canvas = Canvas(str(path), pagesize=A4)
    fonts = _register_fonts()
    width, height = A4
    per_row, per_col = 2, int((height - 30 * mm) // (LABEL_H + 5 * mm))
    pages = 0
    for index, label in enumerate(labels):
        slot = index % (per_row * per_col)
        if slot == 0:
            if index:
                canvas.showPage()
            pages += 1
            canvas.setFont(fonts[1], 12)
            canvas.drawString(15 * mm, height - 15 * mm, "Prikpost – testverpakkingen (GS1 DataMatrix)")
        col, row = slot % per_row, slot // per_row
        _draw(canvas, label, 15 * mm + col * (LABEL_W + 5 * mm), height - 25 * mm - (row + 1) * (LABEL_H + 5 * mm),
              fonts)
    canvas.showPage()
    canvas.save()
    return max(pages, 1)
