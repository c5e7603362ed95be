"""The report font: Bitstream Vera, shipped with reportlab, so 'ë', 'ı' and 'ş' print on every system."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "PrikpostVera", "PrikpostVera-Bold"
FONT_FILES = {REGULAR: FONT_DIR / "Vera.ttf", BOLD: FONT_DIR / "VeraBd.ttf"}


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold report fonts with reportlab once; return their names."""
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return REGULAR, BOLD


def measure(text: str, bold: bool, size: float) -> float:
    """Return the width of text in points in the report font."""
    register_fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
