"""Print, preview and save the session lists: the same report data, drawn by QPainter or written as PDF/CSV."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QFontDatabase, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu

from app.domain.errors import DomainError
from app.reports.export import save_report
from app.reports.fonts import BOLD, FONT_FILES, REGULAR
from app.reports.layout import Rule, Shade, Text, lay_out
from app.reports.model import Report, ReportKind, build_report

from .action_helpers import make_action
from .dialogs import show_error
from .folders import start_folder

log = logging.getLogger(__name__)

# Menu texts per list, in menu order (Dutch, shown to the user), each with its own Alt-letter.
REPORT_LABELS = {
    ReportKind.VACCINATED: "&Gevaccineerde kinderen",
    ReportKind.NOT_VACCINATED: "&Niet gevaccineerd en bezwaren",
    ReportKind.EXPECTED: "&Verwacht en gescand",
    ReportKind.FAILURES: "&Uitvallijst (niet bevestigde berichten)",
}
TEXTS = {
    "save_pdf": "Opslaan als PDF",
    "save_csv": "Opslaan als CSV (Excel)",
    "pdf_filter": "PDF-bestanden (*.pdf)",
    "csv_filter": "CSV-bestanden (*.csv)",
    "preview": "Afdrukvoorbeeld – {title}",
    "print": "&Afdrukken…",
    "preview_action": "Afdruk&voorbeeld…",
    "save_pdf_action": "Opslaan als &PDF…",
    "save_csv_action": "Opslaan als &CSV…",
    "print_failed": "Het afdrukken is mislukt. Controleer de printer en probeer het opnieuw.",
}
FALLBACK_FAMILY = "DejaVu Sans"
# The list a team prints after every session gets the usual print shortcuts.
REPORT_SHORTCUTS = {f"{ReportKind.VACCINATED.value}:print": "Ctrl+P",
                    f"{ReportKind.VACCINATED.value}:preview": "Ctrl+Shift+P"}

# Ask for a file: (parent, title, suggested path, filter) -> chosen path or None.
AskPath = Callable[[object, str, str, str], str | None]
# Let the user confirm the printer: (printer, parent) -> True to print.
AskPrinter = Callable[[QPrinter, object], bool]
ShowError = Callable[[object, str], None]


def _services(context):
    """Accept the AppContext of the main window or a bare ServiceContext (tests, tools)."""
    return getattr(context, "services", context)


@cache
def _families() -> tuple[str, str]:
    """Load the report font (the one the PDF embeds) into Qt once; return the regular and bold families."""
    families = []
    for name in (REGULAR, BOLD):
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILES[name]))
        found = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        families.append(found[0] if found else FALLBACK_FAMILY)
    return families[0], families[1]


class _QtPen:
    """Measure and draw the layout's steps on a paint device, in points converted to device pixels."""

    def __init__(self, device):
        self.device = device
        self.scale = device.logicalDpiX() / 72.0
        self.fonts: dict[tuple[bool, float], tuple[QFont, QFontMetricsF]] = {}
        self.current_font: tuple[bool, float] | None = None
        self.current_gray: tuple[float, float] | None = None  # (gray, width) of the pen in use

    def font(self, bold: bool, size: float) -> tuple[QFont, QFontMetricsF]:
        key = (bold, size)
        if key not in self.fonts:
            regular, heavy = _families()
            font = QFont(heavy if bold else regular)
            font.setPointSizeF(size)
            font.setBold(bold)
            self.fonts[key] = (font, QFontMetricsF(font, self.device))
        return self.fonts[key]

    def measure(self, text: str, bold: bool, size: float) -> float:
        return self.font(bold, size)[1].horizontalAdvance(text) / self.scale

    def draw(self, painter: QPainter, step) -> None:
        s = self.scale
        # Set font and pen only when they change: fewer calls per page.
        if isinstance(step, Text):
            font, metrics = self.font(step.bold, step.size)
            if self.current_font != (step.bold, step.size):
                painter.setFont(font)
                self.current_font = (step.bold, step.size)
            self._pen(painter, 0.0, 0.0)
            x = step.x * s - (metrics.horizontalAdvance(step.text) if step.align_right else 0)
            painter.drawText(QPointF(x, step.y * s), step.text)
        elif isinstance(step, Rule):
            self._pen(painter, step.gray, step.width * s)
            painter.drawLine(QPointF(step.x1 * s, step.y1 * s), QPointF(step.x2 * s, step.y2 * s))
        elif isinstance(step, Shade):
            painter.fillRect(QRectF(step.x * s, step.y * s, step.width * s, step.height * s),
                             QColor.fromRgbF(step.gray, step.gray, step.gray))

    def _pen(self, painter: QPainter, gray: float, width: float) -> None:
        if self.current_gray != (gray, width):
            painter.setPen(QPen(QColor.fromRgbF(gray, gray, gray), width))
            self.current_gray = (gray, width)


def make_printer() -> QPrinter:
    """Return a printer set up for the lists: A4 landscape, the whole sheet addressable."""
    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setPageOrientation(QPageLayout.Landscape)
    printer.setFullPage(True)
    return printer


def paint_report(printer: QPrinter, report: Report) -> int:
    """Draw the report on the printer (or preview) page by page; return the number of pages."""
    pen = _QtPen(printer)
    sheet = printer.pageLayout().fullRect(QPageLayout.Point)
    layout = lay_out(report, pen.measure, (sheet.width(), sheet.height()))
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError(TEXTS["print_failed"])
    try:
        painter.setRenderHint(QPainter.TextAntialiasing)
        for index, page in enumerate(layout.pages):
            if index:
                printer.newPage()
            pen.current_font = pen.current_gray = None  # state the device may reset per page
            for step in page.steps:
                pen.draw(painter, step)
    finally:
        painter.end()
    return len(layout.pages)


def _ask_path(parent, title: str, suggested: str, name_filter: str) -> str | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    return name or None


def _ask_printer(printer: QPrinter, parent) -> bool:
    return QPrintDialog(printer, parent).exec() == QDialog.Accepted


def _suggested(report: Report, suffix: str) -> str:
    return str(start_folder() / report.file_name(suffix))


def _build(parent, context, session_id: int | None, kind, error: ShowError) -> Report | None:
    if session_id is None:
        error(parent, "Er is geen sessie geopend. Open eerst een sessie.")
        return None
    try:
        return build_report(_services(context), session_id, kind)
    except DomainError as failure:
        error(parent, failure.message)
        return None


def _save(parent, context, session_id: int | None, kind, fmt: str, ask_path: AskPath | None,
          error: ShowError | None) -> Path | None:
    error = error or show_error
    report = _build(parent, context, session_id, kind, error)
    if report is None:
        return None
    title, name_filter = (TEXTS["save_pdf"], TEXTS["pdf_filter"]) if fmt == "pdf" else \
        (TEXTS["save_csv"], TEXTS["csv_filter"])
    chosen = (ask_path or _ask_path)(parent, title, _suggested(report, fmt), name_filter)
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(f"{target.name}.{fmt}")
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        return save_report(report, fmt, target)
    except DomainError as failure:
        error(parent, failure.message)
        return None
    finally:
        QApplication.restoreOverrideCursor()


def save_report_pdf(parent, context, session_id: int | None, kind: ReportKind | str, *,
                    ask_path: AskPath | None = None, error: ShowError | None = None) -> Path | None:
    """Ask where to save the list as PDF and write it there; return the file, or None when not saved."""
    return _save(parent, context, session_id, kind, "pdf", ask_path, error)


def save_report_csv(parent, context, session_id: int | None, kind: ReportKind | str, *,
                    ask_path: AskPath | None = None, error: ShowError | None = None) -> Path | None:
    """Ask where to save the list as CSV for Excel and write it there; return the file, or None."""
    return _save(parent, context, session_id, kind, "csv", ask_path, error)


def print_report(parent, context, session_id: int | None, kind: ReportKind | str, *,
                 printer: QPrinter | None = None, ask_printer: AskPrinter | None = None,
                 error: ShowError | None = None) -> int:
    """Let the user pick a printer in the system dialog and print the list; return the pages printed (0: none)."""
    error = error or show_error
    report = _build(parent, context, session_id, kind, error)
    if report is None:
        return 0
    printer = printer or make_printer()
    printer.setDocName(report.title)
    if not (ask_printer or _ask_printer)(printer, parent):
        return 0
    try:
        return paint_report(printer, report)
    except DomainError as failure:
        error(parent, failure.message)
        return 0


def preview_report(parent, context, session_id: int | None, kind: ReportKind | str, *,
                   run: Callable[[QPrintPreviewDialog], object] | None = None,
                   error: ShowError | None = None) -> QPrintPreviewDialog | None:
    """Show the print preview of the list (printing from it uses the same drawing); return the dialog."""
    error = error or show_error
    report = _build(parent, context, session_id, kind, error)
    if report is None:
        return None
    printer = make_printer()
    printer.setDocName(report.title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(TEXTS["preview"].format(title=report.title))
    dialog.paintRequested.connect(lambda target: paint_report(target, report))
    (run or QPrintPreviewDialog.exec)(dialog)
    return dialog


def add_report_menu(menu: QMenu, parent, context, session_id: Callable[[], int | None]) -> dict[str, QAction]:
    """Add a submenu per list with print, preview and save actions; return the actions by 'kind:what'."""
    actions: dict[str, QAction] = {}
    steps = (("print", TEXTS["print"], print_report), ("preview", TEXTS["preview_action"], preview_report),
             ("pdf", TEXTS["save_pdf_action"], save_report_pdf), ("csv", TEXTS["save_csv_action"], save_report_csv))
    for kind, label in REPORT_LABELS.items():
        submenu = menu.addMenu(label)
        for what, text, handler in steps:
            key = f"{kind.value}:{what}"
            action = make_action(parent, text, REPORT_SHORTCUTS.get(key, ""),
                                 lambda h=handler, k=kind: h(parent, context, session_id(), k))
            submenu.addAction(action)
            actions[key] = action
    return actions
