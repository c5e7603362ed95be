"""Lay a report out on pages as simple drawing steps, so the PDF and the printer draw the very same pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Report, Section

# Measure the width in points of a text in the report font: (text, bold, size) -> width.
Measure = Callable[[str, bool, float], float]

A4_LANDSCAPE = (841.89, 595.28)
MARGIN = 36.0
FOOTER_HEIGHT = 22.0
BODY_SIZE = 8.5
LINE = 10.5
CELL_PAD = 3.0
TITLE_SIZE = 15.0
HEADING_SIZE = 10.5
FOOTER_SIZE = 7.5
HEADER_GRAY = 0.9
RULE_GRAY = 0.75
SIGNATURE_HEIGHT = 70.0
PAGE_TEXT = "pagina {page} van {pages}"


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    bold: bool = False
    size: float = BODY_SIZE
    align_right: bool = False


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    gray: float = RULE_GRAY
    width: float = 0.4


@dataclass(frozen=True)
class Shade:
    x: float
    y: float  # top edge, from the top of the page
    width: float
    height: float
    gray: float = HEADER_GRAY


@dataclass
class Page:
    steps: list = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    pages: tuple[Page, ...]


def wrap(text: str, width: float, measure: Measure, bold: bool = False, size: float = BODY_SIZE) -> list[str]:
    """Return the text broken into lines no wider than width (words longer than a line are cut)."""
    if measure(text, bold, size) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if measure(candidate, bold, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while measure(word, bold, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut], bold, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


class _Writer:
    """Fill pages from top to bottom, starting a new page when the next block does not fit."""

    def __init__(self, report: Report, measure: Measure, width: float, height: float):
        self.report, self.measure, self.width, self.height = report, measure, width, height
        self.left, self.right = MARGIN, width - MARGIN
        self.bottom = height - MARGIN - FOOTER_HEIGHT
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()
        columns = [report.columns[i] for i in report.printed_columns]
        total = sum(c.width for c in columns)
        usable = self.right - self.left
        self.widths = [usable * c.width / total for c in columns]
        self.xs = [self.left + sum(self.widths[:i]) for i in range(len(columns))]
        self.titles = [c.title for c in columns]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = MARGIN

    def add(self, step) -> None:
        self.pages[-1].steps.append(step)

    def room(self) -> float:
        return self.bottom - self.y

    def paragraph(self, text: str, bold: bool = False, size: float = BODY_SIZE, gap: float = 2.0) -> None:
        for line in wrap(text, self.right - self.left, self.measure, bold, size):
            if self.room() < size * 1.3:
                self.new_page()
            self.y += size * 1.25
            self.add(Text(self.left, self.y, line, bold, size))
        self.y += gap

    def header_block(self) -> None:
        self.y += TITLE_SIZE
        self.add(Text(self.left, self.y, self.report.title, True, TITLE_SIZE))
        self.y += 6
        label_width = max((self.measure(f"{label}:", True, BODY_SIZE) for label, _ in self.report.header),
                          default=0) + 8
        for label, value in self.report.header:
            lines = wrap(value, self.right - self.left - label_width, self.measure)
            self.y += LINE
            self.add(Text(self.left, self.y, f"{label}:", True))
            for index, line in enumerate(lines):
                if index:
                    self.y += LINE
                self.add(Text(self.left + label_width, self.y, line))
        self.y += 8

    def _cell_lines(self, cells: tuple[str, ...]) -> list[list[str]]:
        columns = self.report.columns
        return [wrap(columns[i].paper_text(cells[i]), w - 2 * CELL_PAD, self.measure) for i, w in
                zip(self.report.printed_columns, self.widths, strict=True)]

    def _column_header(self) -> None:
        height = LINE + 2 * CELL_PAD
        self.add(Shade(self.left, self.y, self.right - self.left, height))
        for x, title in zip(self.xs, self.titles, strict=True):
            self.add(Text(x + CELL_PAD, self.y + CELL_PAD + BODY_SIZE, title, True))
        self.y += height

    def _section_start(self, section: Section, continued: bool) -> None:
        self.y += HEADING_SIZE * 1.6
        title = f"{section.title} (vervolg)" if continued else f"{section.title} ({len(section.rows)})"
        self.add(Text(self.left, self.y, title, True, HEADING_SIZE))
        self.y += 4
        self._column_header()

    def section(self, section: Section) -> None:
        heading = HEADING_SIZE * 1.6 + 4 + LINE + 2 * CELL_PAD
        rows = [self._cell_lines(row.cells) for row in section.rows]
        first = (max(len(lines) for lines in rows[0]) * LINE + 2 * CELL_PAD) if rows else LINE
        if self.room() < heading + first:
            self.new_page()
        self._section_start(section, continued=False)
        if not rows:
            self.y += LINE
            self.add(Text(self.left + CELL_PAD, self.y, "Geen."))
            self.y += CELL_PAD
            return
        for lines in rows:
            height = max(len(cell) for cell in lines) * LINE + 2 * CELL_PAD
            if self.room() < height:
                self.new_page()
                self._section_start(section, continued=True)
            for x, cell in zip(self.xs, lines, strict=True):
                for index, text in enumerate(cell):
                    self.add(Text(x + CELL_PAD, self.y + CELL_PAD + BODY_SIZE + index * LINE, text))
            self.y += height
            self.add(Rule(self.left, self.y, self.right, self.y))

    def totals(self) -> None:
        if not self.report.totals:
            return
        if self.room() < HEADING_SIZE * 1.6 + 2 * LINE:
            self.new_page()
        self.y += HEADING_SIZE * 2
        self.add(Text(self.left, self.y, "Totalen", True, HEADING_SIZE))
        self.y += 2
        label_width = max(self.measure(label, False, BODY_SIZE) for label, _ in self.report.totals) + 16
        for label, value in self.report.totals:
            if self.room() < LINE:
                self.new_page()
            self.y += LINE + 1
            self.add(Text(self.left, self.y, label))
            self.add(Text(self.left + label_width + 30, self.y, value, True, align_right=True))

    def signature(self) -> None:
        if self.room() < SIGNATURE_HEIGHT:
            self.new_page()
        self.y += SIGNATURE_HEIGHT - 14
        third = (self.right - self.left) / 3
        for index, label in enumerate(("Naam", "Handtekening", "Datum")):
            x = self.left + index * third
            self.add(Rule(x, self.y, x + third - 24, self.y, gray=0.0, width=0.6))
            self.add(Text(x, self.y + LINE, label))
        self.y += 14

    def footers(self) -> None:
        pages = len(self.pages)
        baseline = self.height - MARGIN + 4
        for number, page in enumerate(self.pages, start=1):
            page.steps.append(Rule(self.left, baseline - 10, self.right, baseline - 10))
            page.steps.append(Text(self.left, baseline, self.report.footer, size=FOOTER_SIZE))
            page.steps.append(Text(self.right, baseline, PAGE_TEXT.format(page=number, pages=pages),
                                   size=FOOTER_SIZE, align_right=True))


def lay_out(report: Report, measure: Measure, page_size: tuple[float, float] = A4_LANDSCAPE) -> Layout:
    """Return the report as pages of drawing steps with a 'pagina x van N' footer on each page."""
    width, height = page_size
    writer = _Writer(report, measure, width, height)
    writer.header_block()
    if not report.rows and report.empty_text:
        writer.paragraph(report.empty_text, gap=4)
    for section in report.sections:
        writer.section(section)
    if report.notes:
        writer.y += 8
        for note in report.notes:
            writer.paragraph(note)
    writer.totals()
    if report.signature:
        writer.signature()
    writer.footers()
    return Layout(width, height, tuple(writer.pages))
